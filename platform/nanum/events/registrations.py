"""Registrations: places, the waiting list, participants, their export and reminders."""

import csv
import io
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from nanum.errors import Forbidden, Invalid
from nanum.events.models import Event, Registration
from nanum.events.services import can_edit
from nanum.extensions import db
from nanum.notifications import mailqueue
from nanum.timeutil import utcnow

ACTIVE = ("registered", "waiting")
REMINDER_AHEAD = timedelta(hours=48)


def of(user, event):
    """Return the user's registration for the event (not a cancelled one), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id,
        Registration.state.in_(ACTIVE)))


def counts(event):
    """Return {"registered": n, "waiting": m} for the event."""
    rows = db.session.execute(select(Registration.state, func.count(Registration.id))
                              .where(Registration.event_id == event.id,
                                     Registration.state.in_(ACTIVE))
                              .group_by(Registration.state)).all()
    found = dict(rows)
    return {state: found.get(state, 0) for state in ACTIVE}


def _lock(event):
    """Hold the event's row while places are counted (PostgreSQL; SQLite writes one at a
    time anyway), so that two people cannot take the last place together."""
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())


def register(user, event, organisation_name="", visible=False):
    """Take a place at the event, or one on its waiting list when it is full."""
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(_("Please log in to register."))
    if not event.is_published:
        raise Invalid(_("Registration opens when the event is published."))
    if event.is_past:
        raise Invalid(_("This event is over."))
    _lock(event)
    registration = db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id))
    if registration is not None and registration.state in ACTIVE:
        raise Invalid(_("You are already registered for this event."))
    taken = counts(event)["registered"]  # before the new row can be flushed
    full = event.capacity is not None and taken >= event.capacity
    if registration is None:
        registration = Registration(event_id=event.id, user_id=user.id)
        db.session.add(registration)
    registration.state = "waiting" if full else "registered"
    registration.organisation_name = " ".join(str(organisation_name or "").split())[:200]
    registration.visible = bool(visible)
    registration.created_at = utcnow()
    registration.reminded_at = None
    db.session.commit()
    return registration


def cancel(user, event):
    """Give up a place (or a place in the queue); the first in the queue moves up."""
    registration = of(user, event)
    if registration is None:
        raise Invalid(_("You are not registered for this event."))
    _lock(event)
    freed = registration.state == "registered"
    registration.state = "cancelled"
    promoted = _promote(event) if freed else None
    db.session.commit()
    return promoted


def _promote(event):
    """Give the first person on the waiting list the free place and tell them by mail."""
    if event.capacity is not None and counts(event)["registered"] >= event.capacity:
        return None
    first = db.session.scalar(select(Registration).options(joinedload(Registration.user))
                              .where(Registration.event_id == event.id,
                                     Registration.state == "waiting")
                              .order_by(Registration.created_at, Registration.id).limit(1))
    if first is None:
        return None
    first.state = "registered"
    _mail(first, "events/email/promoted.txt",
          _l("You have a place at %(title)s", title=event.title[:120]))
    return first


def _mail(registration, template, subject):
    """Queue a mail about the event to the registered person (the caller commits)."""
    user, event = registration.user, registration.event
    if user.email:
        mailqueue.enqueue(user, subject, template, event=event,
                          event_url=mailqueue.absolute(url_for("events.detail",
                                                               event_id=event.id)))


def set_visible(user, event, visible):
    registration = of(user, event)
    if registration is None:
        raise Invalid(_("You are not registered for this event."))
    registration.visible = bool(visible)
    db.session.commit()
    return registration


# -- participants --------------------------------------------------------------------------

def participants(user, event):
    """Return everyone registered or waiting, for the organisers (and moderators)."""
    if not can_edit(user, event):
        raise Forbidden(_("Only the organisers can see the list of participants."))
    return db.session.scalars(select(Registration).options(joinedload(Registration.user))
                              .where(Registration.event_id == event.id,
                                     Registration.state.in_(ACTIVE))
                              .order_by(Registration.state, Registration.created_at,
                                        Registration.id)).all()


def visible_participants(user, event):
    """Return the participants who show themselves, to people with a place at the event."""
    mine = of(user, event)
    if mine is None or mine.state != "registered":
        return []
    return db.session.scalars(select(Registration).options(joinedload(Registration.user))
                              .where(Registration.event_id == event.id,
                                     Registration.state == "registered",
                                     Registration.visible.is_(True))
                              .order_by(Registration.created_at, Registration.id)).all()


def _cell(value):
    """Keep a spreadsheet from reading a cell as a formula."""
    text = str(value if value is not None else "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def participants_csv(user, event):
    """Return the participant list as CSV text, for the organisers."""
    rows = participants(user, event)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Name"), _("Email"), _("Organisation"), _("State"), _("Registered at"),
                     _("Shown to participants")])
    for registration in rows:
        writer.writerow([_cell(registration.user.name), _cell(registration.user.email),
                         _cell(registration.organisation_name), registration.state,
                         registration.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                         "yes" if registration.visible else "no"])
    return out.getvalue()


# -- reminders -----------------------------------------------------------------------------

def send_reminders(now=None, ahead=REMINDER_AHEAD):
    """Queue one reminder mail to each registered person of the events starting soon.

    Each registration is reminded once (`reminded_at`); run it as often as you like.
    Return how many mails were queued.
    """
    now = now or utcnow()
    due = db.session.scalars(
        select(Registration).join(Event, Event.id == Registration.event_id)
        .options(joinedload(Registration.user), joinedload(Registration.event))
        .where(Event.status == "published", Event.starts_at > now,
               Event.starts_at <= now + ahead, Registration.state == "registered",
               Registration.reminded_at.is_(None))
        .order_by(Registration.id)).all()
    for registration in due:
        _mail(registration, "events/email/reminder.txt",
              _l("Reminder: %(title)s", title=registration.event.title[:120]))
        registration.reminded_at = now
    db.session.commit()
    return len(due)
