"""@mentions in posts: who a post names, who is told, and where their names link."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from nanum.accounts.models import User
from nanum.discussions.models import Mention, Post
from nanum.errors import Invalid
from nanum.extensions import db
from nanum.markdown import MENTION
from nanum.timeutil import utcnow


def named(body):
    """Return the active people whose @handles a body names."""
    handles = {m.group(1).lower() for m in MENTION.finditer(body)}
    if not handles:
        return []
    return db.session.scalars(select(User).where(User.handle.in_(list(handles)[:200]),
                                                 User.active.is_(True))).all()


def mentioned_in(post):
    """Return the people a saved post mentions."""
    return db.session.scalars(select(User).join(Mention, Mention.user_id == User.id)
                              .where(Mention.post_id == post.id)).all()


def profile_links(people):
    """Return {handle: profile path} for linking @handles in cooked text.

    Cooking also runs in commands (demo, import, `content cook`), outside any request, so
    the paths are built from the URL map itself rather than the request's URL adapter.
    """
    urls = current_app.url_map.bind("localhost",
                                    script_name=current_app.config["APPLICATION_ROOT"])
    return {person.handle.lower(): urls.build("accounts.profile", {"user_id": person.id})
            for person in people}


def to_notify(people, author):
    """Return the people to notify of a mention (not the author), at most a few."""
    people = [person for person in people if person.id != author.id]
    limit = current_app.config["DISCUSSIONS_MAX_MENTIONS"]
    if len(people) > limit:
        message = _("Mention at most %(limit)s people in one post.", limit=limit)
        raise Invalid(message, {"body": message})
    if people:
        hour_ago = utcnow() - timedelta(hours=1)
        recent = db.session.scalar(select(func.count()).select_from(Mention).join(Post).where(
            Post.author_id == author.id, Post.created_at >= hour_ago))
        if recent + len(people) > current_app.config["DISCUSSIONS_MENTIONS_PER_HOUR"]:
            message = _("You have mentioned many people in the last hour; please wait a while.")
            raise Invalid(message, {"body": message})
    return people
