"""Telling the people who watch an event what changed on its page."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from nanum.accounts.models import User
from nanum.extensions import db
from nanum.notifications import services as notifications
from nanum.notifications.models import Watch
from nanum.timeutil import utcnow

# Lazy, so that each watcher reads the message in their own language.
CHANGES = {
    "edited": lambda title: _l("The event “%(title)s” was updated", title=title),
    "programme": lambda title: _l("The programme of “%(title)s” changed", title=title),
    "files": lambda title: _l("New files at “%(title)s”", title=title),
}


def tell(event, actor, change):
    """Notify the event's watchers of a change, each at most once a day per kind of change.

    Call after the change is committed; this commits the notifications.
    """
    if not event.is_published:
        return []
    ids = db.session.scalars(select(Watch.user_id).where(
        Watch.target_type == "event", Watch.target_key == str(event.id))).all()
    if not ids:
        return []
    users = db.session.scalars(select(User).where(User.id.in_(ids))).all()
    title = event.title[:80]
    with notifications.site_context():
        url = url_for("events.detail", event_id=event.id)
    return notifications.notify(
        {user: "watched" for user in users},
        event=f"event:{event.id}:{change}:{utcnow().date().isoformat()}", actor=actor,
        messages=lambda _user, _kind: CHANGES[change](title),
        url=url, about=f"event:{event.id}", about_title=event.title)
