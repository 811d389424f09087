"""Organisers withdrawing their event, and putting it back.

A withdrawn event leaves the calendar, search and the API like any event that is not
published, and stays on its page for its organisers, marked. Its registrations are kept,
so that putting it back restores them; the people registered are told either way.
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from nanum.accounts.models import User
from nanum.errors import Forbidden, Invalid
from nanum.events import services
from nanum.events.models import Registration
from nanum.events.registrations import ACTIVE
from nanum.extensions import db
from nanum.moderation import audit
from nanum.notifications import services as notifications
from nanum.timeutil import utcnow

WITHDRAWABLE = ("published", "submitted")
MESSAGE_LIMIT = 1000
# Lazy, so that each person reads the message in their own language.
NEWS = {
    "withdrawn": lambda title: _l("The event “%(title)s” you registered for was withdrawn "
                                  "by its organisers", title=title),
    "restored": lambda title: _l("The event “%(title)s” you registered for is back",
                                 title=title),
}


def can_withdraw(user, event):
    return event.status in WITHDRAWABLE and services.can_edit(user, event)


def can_restore(user, event):
    return event.status == "withdrawn" and services.can_edit(user, event)


def withdraw(user, event, message=""):
    """Withdraw a published or submitted event, audited; tell the people registered."""
    if not services.can_edit(user, event):
        raise Forbidden(_("Only the organisers can withdraw this event."))
    if event.status not in WITHDRAWABLE:
        raise Invalid(_("Only a published event or one waiting for review can be withdrawn."))
    message = str(message or "").strip()[:MESSAGE_LIMIT]
    before, event.status = event.status, "withdrawn"
    return _done(user, event, before, "event.withdraw", "withdrawn", message)


def restore(user, event):
    """Put a withdrawn event back: published or sent for review, as the moderation policy
    says of a new one; audited; tell the people registered."""
    if not services.can_edit(user, event):
        raise Forbidden(_("Only the organisers can put this event back."))
    if event.status != "withdrawn":
        raise Invalid(_("This event is not withdrawn."))
    before = event.status
    services.submit(event, user)
    return _done(user, event, before, "event.restore", "restored", "")


def _done(user, event, before, action, news, message):
    """Audit the change of the event's status, commit, tell the registered the `news`."""
    event.updated_at = utcnow()
    record = audit.record(user, action, event, message=message,
                          before={"status": before}, after={"status": event.status})
    db.session.commit()
    _tell_registered(event, user, news, record.id, message)
    return event


def _tell_registered(event, actor, news, act_id, message):
    """Notify everyone registered or waiting (this commits the notifications)."""
    people = db.session.scalars(select(Registration.user_id).where(
        Registration.event_id == event.id, Registration.state.in_(ACTIVE))).all()
    if not people:
        return []
    users = db.session.scalars(select(User).where(User.id.in_(people))).all()
    title = event.title[:80]
    with notifications.site_context():  # only organisers see an event that is not published
        url = (url_for("events.detail", event_id=event.id) if event.is_published
               else url_for("events.index"))
    return notifications.notify(
        {user: "event" for user in users}, event=f"event:{event.id}:{news}:{act_id}",
        actor=actor, messages=lambda _user, _kind: NEWS[news](title), url=url,
        about=f"event:{event.id}", about_title=event.title, excerpt=message or None)
