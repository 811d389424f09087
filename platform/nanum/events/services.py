"""Events: who may write them, writing and revising them, moderation, and reading them."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from nanum.errors import Forbidden, Invalid, NotFound
from nanum.events import rules, watchers
from nanum.events.models import (
    Event,
    EventGoal,
    EventSession,
    EventTarget,
    EventTheme,
    Speaker,
)
from nanum.extensions import db
from nanum.flags.sanctions import check_can_post
from nanum.moderation import audit, dashboard, settings
from nanum.organisations import services as organisations
from nanum.organisations.models import Organisation
from nanum.timeutil import utcnow

SCALARS = ("title", "kind", "starts_at", "ends_at", "time_zone", "place", "country",
           "online_url", "background", "outcome", "objectives", "capacity")
DECISIONS = ("event.publish", "event.reject")  # what the audit log calls a moderator's decision


# -- permissions ---------------------------------------------------------------------------

def organiser_choices(user):
    """Return the organisations on whose behalf the user may create events.

    Members of verified organisations organise for them; moderators for any organisation.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_moderator:
        return db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return sorted((m.organisation for m in organisations.active_memberships(user)
                   if m.organisation.verified), key=lambda o: o.name)


def can_create(user):
    return bool(organiser_choices(user))


def can_edit(user, event):
    """Members of the organiser or of a co-organiser, and moderators, may edit an event."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_moderator:
        return True
    ids = {event.organisation_id, *(o.id for o in event.co_organisers)}
    return any(m.organisation_id in ids for m in organisations.active_memberships(user))


def can_view(user, event):
    return event.is_published or can_edit(user, event)


# -- reading -------------------------------------------------------------------------------

def programme_options():
    """Loader options for an event with its organisers, tags and programme (sessions,
    speakers, presentations): what its search document and search hit read."""
    return (
        joinedload(Event.organisation),
        selectinload(Event.co_organisers),
        selectinload(Event.goals),
        selectinload(Event.targets),
        selectinload(Event.themes),
        selectinload(Event.sessions).selectinload(EventSession.speakers)
        .joinedload(Speaker.user),
        selectinload(Event.sessions).selectinload(EventSession.presentations),
    )


def _detail_options():
    return (*programme_options(), selectinload(Event.practices),
            selectinload(Event.documents), selectinload(Event.contacts))


def get(event_id, user=None):
    """Return an event the user may see, with everything its page shows."""
    event = db.session.scalar(select(Event).options(*_detail_options())
                              .where(Event.id == event_id))
    if event is None or not can_view(user, event):
        raise NotFound(_("No such event."))
    return event


def waiting_review():
    """Return the events waiting for a moderator, oldest first."""
    return db.session.scalars(select(Event).options(joinedload(Event.organisation))
                              .where(Event.status == "submitted")
                              .order_by(Event.submitted_at, Event.id)).all()


# -- writing -------------------------------------------------------------------------------

def _co_organisers(values, owner_id):
    wanted = [o for o in values.pop("co_organisers") if o != owner_id]
    found = db.session.scalars(select(Organisation).where(Organisation.id.in_(wanted))).all()
    if len(found) != len(wanted):
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."),
                      {"co_organisers": _("One of the co-organisers does not exist.")})
    return list(found)


def _apply(event, values, co_organisers):
    for field in SCALARS:
        setattr(event, field, values[field])
    event.co_organisers = co_organisers
    event.goals = [EventGoal(goal=goal) for goal in values["goals"]]
    event.targets = [EventTarget(target=target) for target in values["targets"]]
    event.themes = [EventTheme(theme=theme) for theme in values["themes"]]
    event.cook()  # before anything can flush a write statement
    event.updated_at = utcnow()


def wait_reason(event, user):
    """Say why a new event must wait for review, or None when it may publish at once."""
    if user.is_moderator:
        return None
    policy = settings.get("submission_policy")
    if policy == "publish_all":
        return None
    if policy == "trusted_publish" and event.organisation is not None and (
            event.organisation.trusted):
        return None
    return "policy"


def submit(event, user):
    """Publish the event, or send it for review, as the moderation policy says."""
    if wait_reason(event, user) is None:
        event.status = "published"
        event.published_at = event.published_at or utcnow()
    else:
        event.status = "submitted"
        event.submitted_at = utcnow()


def create(user, organisation_id, fields, *, action="submit"):
    """Write a new event for an organisation; submit it under the moderation policy."""
    if action not in ("draft", "submit"):
        raise Invalid(_("Unknown action."))
    check_can_post(user)
    if organisation_id not in {o.id for o in organiser_choices(user)}:
        raise Forbidden(_("Only members of verified organisations can create events for them."))
    values = rules.clean(fields)
    co = _co_organisers(values, organisation_id)
    event = Event(organisation_id=organisation_id, author_id=user.id, status="draft")
    event.organisation = db.session.get(Organisation, organisation_id)
    _apply(event, values, co)
    db.session.add(event)
    if action == "submit":
        submit(event, user)
    db.session.commit()
    return event


def update(user, event, fields, *, action="save"):
    """Save an edit; a draft or refused event can be (re)submitted."""
    if action not in ("save", "submit"):
        raise Invalid(_("Unknown action."))
    if not can_edit(user, event):
        raise Forbidden(_("Only the organisers can edit this event."))
    check_can_post(user)
    values = rules.clean(fields)
    _apply(event, values, _co_organisers(values, event.organisation_id))
    if action == "submit" and event.status in ("draft", "rejected"):
        submit(event, user)
    db.session.commit()
    watchers.tell(event, user, "edited")
    return event


def decide(moderator, event, decision, message=""):
    """Publish or refuse an event waiting for review, with an audit record."""
    if not getattr(moderator, "is_moderator", False):
        raise Forbidden(_("Only moderators review events."))
    if decision not in ("publish", "reject"):
        raise Invalid(_("Unknown decision."))
    if event.status != "submitted":
        raise Invalid(_("This event is not waiting for review."))
    before = event.status
    if decision == "publish":
        event.status = "published"
        event.published_at = event.published_at or utcnow()
    else:
        event.status = "rejected"
    audit.record(moderator, f"event.{decision}", event, message=message[:2000],
                 before={"status": before}, after={"status": event.status})
    db.session.commit()
    return event


def _waiting_since():
    return select(Event.submitted_at).where(Event.status == "submitted")


dashboard.register(dashboard.Queue(
    "events", _l("Events waiting for review"), _waiting_since,
    lambda: dashboard.first_decisions(Event, Event.submitted_at, DECISIONS),
    endpoint="events.review"))


def form_values(event):
    """Return the event as form field values (times in its own time zone)."""
    values = {field: getattr(event, field) for field in SCALARS}
    values.update(
        starts_at=event.local_start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=event.local_end.strftime("%Y-%m-%dT%H:%M"),
        objectives="\n".join(event.objectives or []),
        goals=[str(goal) for goal in event.goal_numbers],
        targets=event.target_keys,
        themes=event.theme_keys,
        capacity=str(event.capacity or ""),
        country=event.country or "",
        co_organisers=[str(o.id) for o in event.co_organisers],
    )
    return values
