"""The private thread between a practice's authors and the moderators.

Only members of the practice's organisation and moderators see it; a message from one side
is told to the other (the author, or the moderators who decided on or claimed it).
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from nanum.accounts.models import User
from nanum.errors import Invalid, NotFound
from nanum.extensions import db
from nanum.i18n import format_number
from nanum.notifications import services as notifications
from nanum.organisations import services as organisations
from nanum.review.models import ReviewMessage, ReviewRequest

BODY_LIMIT = 5000


def can_see(user, practice):
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_moderator or organisations.is_member(user, practice.organisation_id)


def _check(user, practice):
    # Said not to exist, like a draft, to anyone outside the conversation.
    if not can_see(user, practice):
        raise NotFound(_("No such conversation."))


def messages(user, practice):
    _check(user, practice)
    return db.session.scalars(
        select(ReviewMessage).options(joinedload(ReviewMessage.author))
        .where(ReviewMessage.practice_id == practice.id).order_by(ReviewMessage.id)).all()


def latest_decision(practice):
    """Return the latest decided review of a practice, or None."""
    return db.session.scalar(
        select(ReviewRequest).where(ReviewRequest.practice_id == practice.id,
                                    ReviewRequest.decided_at.is_not(None))
        .order_by(ReviewRequest.decided_at.desc(), ReviewRequest.id.desc()).limit(1))


def _moderators_of(practice):
    ids = db.session.scalars(
        select(ReviewRequest.decided_by_id).where(ReviewRequest.practice_id == practice.id)
        .union(select(ReviewRequest.claimed_by_id)
               .where(ReviewRequest.practice_id == practice.id))).all()
    ids = [i for i in ids if i is not None]
    if not ids:
        return []
    return db.session.scalars(select(User).where(User.id.in_(ids))).all()


def write(user, practice, body):
    """Add a message to the conversation and tell the other side."""
    _check(user, practice)
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Write a message first; nothing was sent."),
                      {"body": _("Write a message.")})
    if len(body) > BODY_LIMIT:
        raise Invalid(_("Keep the message under %(body_limit)s characters; nothing was sent.",
                        body_limit=format_number(BODY_LIMIT)),
                      {"body": _("Too long.")})
    from_moderator = user.is_moderator and not organisations.is_member(
        user, practice.organisation_id)
    message = ReviewMessage(practice_id=practice.id, author_id=user.id,
                            from_moderator=from_moderator, body=body)
    db.session.add(message)
    if from_moderator:
        others = [practice.author] if practice.author is not None else []
    else:
        others = [m for m in _moderators_of(practice) if m.is_moderator]
    url = url_for("review.conversation", practice_id=practice.id)
    notifications.notify(
        {other: "moderation" for other in others}, event=None, actor=user,
        messages={"moderation": _l("%(name)s wrote about the review of “%(title)s”.",
                                   name=user.name, title=practice.title)},
        url=url, about=f"practice:{practice.id}", about_title=practice.title)
    db.session.commit()
    return message
