"""Calls for contributions: a moderator opens one, people answer it with practices, and it
closes after its closing date."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from nanum import inputs
from nanum.curation import announce, common
from nanum.curation.models import CallAnswer, ContributionCall
from nanum.errors import Conflict, Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.i18n import format_number
from nanum.moderation import audit
from nanum.organisations import regions
from nanum.practices import services as practices
from nanum.practices.models import Practice
from nanum.taxonomy import sdg
from nanum.timeutil import utcnow

TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 5000
MAX_SDGS = 20
MAX_PLACES = 30


def today():
    return utcnow().date()


# -- reading -------------------------------------------------------------------------------

def open_calls(limit=None):
    """Return the open calls, closing soonest first."""
    statement = (select(ContributionCall).where(ContributionCall.closes_on >= today())
                 .order_by(ContributionCall.closes_on, ContributionCall.id))
    if limit:
        statement = statement.limit(limit)
    return db.session.scalars(statement).all()


def closed_calls(limit=50):
    """Return the calls that closed, the latest first."""
    return db.session.scalars(
        select(ContributionCall).where(ContributionCall.closes_on < today())
        .order_by(ContributionCall.closes_on.desc(), ContributionCall.id.desc())
        .limit(limit)).all()


def get(call_id):
    call = db.session.get(ContributionCall, call_id)
    if call is None:
        raise NotFound(_("No such call for contributions."))
    return call


def answers(call, viewer=None):
    """Return the practices answering a call, newest first: the published ones, or all of
    them (with their state) for moderators."""
    statement = (select(Practice).join(CallAnswer, CallAnswer.practice_id == Practice.id)
                 .where(CallAnswer.call_id == call.id)
                 .order_by(CallAnswer.tagged_at.desc(), Practice.id.desc())
                 .options(*practices.card_options()))
    if not getattr(viewer, "is_moderator", False):
        statement = statement.where(Practice.status == "published")
    return db.session.scalars(statement).all()


def answered_call(practice_id):
    """Return the call a practice answers, or None."""
    if practice_id is None:
        return None
    return db.session.scalar(select(ContributionCall).join(
        CallAnswer, CallAnswer.call_id == ContributionCall.id).where(
        CallAnswer.practice_id == practice_id))


# -- opening and editing -------------------------------------------------------------------

def _sdg_keys(raw, errors):
    keys = []
    for part in (raw or "").replace(";", ",").replace(",", " ").split():
        key = sdg.normalise_key(part)
        if key is None:
            errors["sdgs"] = _("Unknown SDG goal or target %(value)s.", value=repr(part[:20]))
        elif key not in keys:
            keys.append(key)
    if len(keys) > MAX_SDGS:
        errors["sdgs"] = _("Name at most %(max_sdgs)s goals or targets.", max_sdgs=MAX_SDGS)
    return sorted(keys, key=sdg.target_sort_key)


def _clean(fields, *, opening):
    errors = {}
    title = " ".join((fields.get("title") or "").split())
    if len(title) < 3:
        errors["title"] = _("Please give a title of at least 3 characters.")
    elif len(title) > TITLE_LIMIT:
        errors["title"] = _("Keep the title under %(title_limit)s characters.",
                            title_limit=TITLE_LIMIT)
    description = (fields.get("description") or "").strip()
    if len(description) > DESCRIPTION_LIMIT:
        errors["description"] = _("Keep the description under %(description_limit)s characters.",
                                  description_limit=format_number(DESCRIPTION_LIMIT))
    sdgs = _sdg_keys(fields.get("sdgs"), errors)
    countries = list(dict.fromkeys(str(c).upper() for c in fields.get("countries") or []))
    if any(not regions.is_country(code) for code in countries):
        errors["countries"] = _("Please choose countries from the list.")
    places = list(dict.fromkeys(fields.get("regions") or []))
    if any(place not in regions.SUBREGIONS for place in places):
        errors["regions"] = _("Please choose regions from the list.")
    if len(countries) > MAX_PLACES or len(places) > MAX_PLACES:
        errors["countries"] = _("Choose at most %(max_places)s countries and %(max_places)s "
                                "regions.", max_places=MAX_PLACES)
    closes_on = fields.get("closes_on")
    if not isinstance(closes_on, date):
        errors["closes_on"] = _("Give the closing date, such as 2027-03-31.")
    elif opening and closes_on < today():
        errors["closes_on"] = _("A new call must close today or later.")
    if errors:
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."), errors)
    return {"title": title, "description": description, "sdgs": sdgs,
            "countries": countries, "regions": places, "closes_on": closes_on}


def open_call(actor, **fields):
    """Open a call and tell the people watching its goals and targets."""
    common.require_moderator(actor)
    values = _clean(fields, opening=True)
    call = ContributionCall(**values, opened_by_id=actor.id)
    call.cook()
    db.session.add(call)
    db.session.flush()
    audit.record(actor, "call.open", call, after=_audited(values))
    db.session.commit()
    announce.call_opened(call, actor)
    return call


def update(actor, call, **fields):
    """Edit a call; a closing date in the past closes it."""
    common.require_moderator(actor)
    values = _clean(fields, opening=False)
    before = {name: getattr(call, name) for name in values}
    changed = {name: value for name, value in values.items() if before[name] != value}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(call, name, value)
    call.cook()
    call.updated_at = utcnow()
    audit.record(actor, "call.edit", call,
                 before=_audited({name: before[name] for name in changed}),
                 after=_audited(changed))
    db.session.commit()
    return True


def _audited(values):
    return {name: value.isoformat() if isinstance(value, date) else value
            for name, value in values.items()}


# -- answering -----------------------------------------------------------------------------

def answerable(call_id):
    """Return the open call a practice form names (None for none), or raise Invalid."""
    if call_id in (None, ""):
        return None
    call = db.session.get(ContributionCall, inputs.integer(call_id) or 0)
    if call is None or not call.is_open:
        message = _("That call for contributions is closed; choose another or none.")
        raise Invalid(message, {"call": message})
    return call


def answer(user, practice, call_id):
    """Say which open call a practice answers (None: none); return whether it changed.

    A practice that answered a call which has closed stays with it.
    """
    if not practices.can_edit(user, practice):
        raise Forbidden(_("Only members of the practice's organisation can say what it answers."))
    call = answerable(call_id)
    current = db.session.get(CallAnswer, practice.id)
    if (current.call_id if current else None) == (call.id if call else None):
        return False
    if current is not None and not current.call.is_open:
        raise Conflict(_("This practice answered a call that has closed; it stays with it."))
    if current is not None:
        db.session.delete(current)
        db.session.flush()
    if call is not None:
        db.session.add(CallAnswer(practice_id=practice.id, call_id=call.id,
                                  tagged_by_id=user.id))
    db.session.commit()
    return True
