"""Acts on people: warn, silence for a period, suspend until a date, hide everything a
spammer wrote; their one appeal, decided by another moderator; moderators' private notes.
"""

from datetime import date, datetime, time, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from nanum.discussions.models import Post, Thread
from nanum.errors import Conflict, Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.flags import actions, targets
from nanum.flags.models import FlagEntry, Statement, UserNote
from nanum.flags.services import require_moderator
from nanum.i18n import format_number
from nanum.moderation import audit, reasons
from nanum.notifications import services as notifications
from nanum.organisations import services as organisations
from nanum.practices.models import Practice
from nanum.timeutil import utcnow

ACTIONS = {
    "warn": _l("Warn (a message)"),
    "silence": _l("Silence for a number of days (can read, cannot post)"),
    "suspend": _l("Suspend until a date (cannot sign in)"),
    "hide_all": _l("Spam account: hide everything they wrote"),
}
MAX_DAYS = 3650
APPEAL_LIMIT = 4000
NOTE_LIMIT = 4000


def check_can_post(user):
    """Raise Forbidden when a silenced person tries to write (discussions, practices)."""
    if getattr(user, "is_silenced", False):
        raise Forbidden(_("A moderator has silenced your account until %(when)s: you can read, "
                          "but not post.", when=actions.when(user.silenced_until)))


def suspension_message(user):
    return _("Your account is suspended until %(when)s. You can sign in again after that "
             "date.", when=actions.when(user.suspended_until))


def _days(raw):
    try:
        days = int(str(raw or "").strip())
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(_("Please give a number of days between 1 and 3650; nothing was changed."),
                      {"days": _("Between 1 and %(max_days)s.", max_days=MAX_DAYS)})
    return days


def _until(raw):
    if isinstance(raw, datetime):
        moment = raw
    else:
        try:
            moment = datetime.combine(date.fromisoformat(str(raw or "").strip()), time())
        except ValueError:
            moment = None
    now = utcnow()
    if moment is None or not now < moment <= now + timedelta(days=MAX_DAYS):
        raise Invalid(_("Please give a date in the future (YYYY-MM-DD); nothing was changed."),
                      {"until": _("A date in the future, within ten years.")})
    return moment


def _hide_everything(person):
    """Hide every post, topic and published practice of a person, and their profile;
    return the ids hidden, so that an overturn shows exactly those again."""
    hidden = {"post": [], "thread": [], "practice": [], "user": []}
    for kind, model, where in (
            ("post", Post, (Post.author_id == person.id,)),
            ("thread", Thread, (Thread.author_id == person.id,)),
            ("practice", Practice, (Practice.author_id == person.id,))):
        for item in db.session.scalars(select(model).where(*where)):
            if targets.hide(kind, item):
                hidden[kind].append(item.id)
    if targets.hide("user", person):
        hidden["user"].append(person.id)
    return hidden


def _show_again(changed):
    for kind, ids in (changed or {}).items():
        model = targets.MODELS.get(kind)
        if model is None or not ids:
            continue
        for item in db.session.scalars(select(model).where(model.id.in_(ids))):
            targets.show(kind, item)


def act(moderator, person, action, reason, message="", *, days=None, until=None):
    """Warn, silence, suspend or hide all of `person`, with a reason; tell them."""
    require_moderator(moderator)
    if action not in ACTIONS:
        raise Invalid(_("Please choose an action."), {"action": _("Please choose an action.")})
    message = actions.clean_reason(reason, message)
    if person.id == moderator.id:
        raise Forbidden(_("You cannot act on your own account."))
    if person.is_moderator and not moderator.is_admin:
        raise Forbidden(_("Only administrators act on moderators' accounts."))
    before, after, changed, ends = {}, {}, None, None
    if action == "silence":
        ends = utcnow() + timedelta(days=_days(days))
        before, after = {"silenced_until": actions.when(person.silenced_until)}, {
            "silenced_until": actions.when(ends)}
        person.silenced_until = ends
    elif action == "suspend":
        ends = _until(until)
        before, after = {"suspended_until": actions.when(person.suspended_until)}, {
            "suspended_until": actions.when(ends)}
        person.suspended_until = ends
        person.end_sessions()
    elif action == "hide_all":
        changed = _hide_everything(person)
        after = {kind: len(ids) for kind, ids in changed.items()}
    audit.record(moderator, f"user.{action}", person, reason=reason, message=message,
                 before=before or None, after=after or None)
    statement = actions.add_statement(
        moderator, person.id, f"user.{action}", target_type="user", target=person,
        reason=reason, message=message, until=ends, changed=changed, label=person.name)
    actions.tell(statement, person)
    return statement


# -- statements and appeals ----------------------------------------------------------------

def concerns(user, statement):
    """Whether a statement is about `user`: their own, or to an organisation they admin."""
    if statement.user_id is not None:
        return statement.user_id == user.id
    return statement.organisation_id is not None and organisations.is_admin(
        user, statement.organisation_id)


def get_statement(user, statement_id):
    """A statement, for the person (or organisation admin) it concerns or a moderator."""
    statement = db.session.scalar(select(Statement).options(
        joinedload(Statement.user), joinedload(Statement.moderator),
        joinedload(Statement.appeal_moderator)).where(Statement.id == statement_id))
    if statement is None or not (user.is_moderator or concerns(user, statement)):
        raise NotFound(_("No such decision."))
    return statement


def appeal(user, statement, text):
    """Appeal a decision, once: it goes to a moderator other than the one who decided."""
    if not concerns(user, statement):
        raise NotFound(_("No such decision."))
    if statement.appeal_status is not None:
        if statement.appealed_by_id in (None, user.id):
            raise Conflict(_("You have already appealed this decision; each decision can be "
                             "appealed once."))
        raise Conflict(_("Another admin of the organisation has already appealed this "
                         "decision; each decision can be appealed once."))
    if not statement.can_be_appealed:
        raise Conflict(_("This decision was in your favour: there is nothing to appeal."))
    text = (text or "").strip()
    if not text or len(text) > APPEAL_LIMIT:
        problem = (_("Keep it under %(appeal_limit)s characters.",
                     appeal_limit=format_number(APPEAL_LIMIT)) if text
                   else _("Please say why the decision should change."))
        raise Invalid(problem + " Nothing was sent.", {"text": problem})
    statement.appeal_status, statement.appeal_text = "open", text
    statement.appealed_at, statement.appealed_by_id = utcnow(), user.id
    audit.record(user, "appeal.open", statement, target_type="moderation_statements",
                 label=statement.target_label, message=text[:500],
                 before={"appeal": None}, after={"appeal": "open"})
    db.session.commit()
    return statement


def _undo(statement):
    person = statement.user
    if statement.action in ("flag.hide", "flag.auto_hide", "flag.keep"):
        _undo_flag_decision(statement)
    elif statement.action == "user.silence" and person.silenced_until == statement.until:
        person.silenced_until = None
    elif statement.action == "user.suspend" and person.suspended_until == statement.until:
        person.suspended_until = None
    elif statement.action == "user.hide_all":
        _show_again(statement.changed)


def _undo_flag_decision(statement):
    """Show the item again and count its flags as dismissed. For an item hidden by flags
    alone, only while no moderator has decided since (their decision has its own
    statement)."""
    entry = db.session.get(FlagEntry, statement.entry_id) if statement.entry_id else None
    if statement.action == "flag.auto_hide" and entry is not None and not entry.is_open:
        return
    if statement.action in ("flag.hide", "flag.auto_hide"):
        if statement.target_id is not None:
            target = db.session.get(targets.MODELS[statement.target_type], statement.target_id)
            if target is not None:
                targets.show(statement.target_type, target)
    if entry is not None:
        actions.reopen_if_needed(entry)


def decide_appeal(moderator, statement, outcome, reason, message=""):
    """Uphold or overturn an appealed decision; never by the moderator who made it."""
    require_moderator(moderator)
    if outcome not in ("uphold", "overturn"):
        raise Invalid(_("Please choose to uphold or overturn."),
                      {"outcome": _("Please choose to uphold or overturn.")})
    message = actions.clean_reason(reason, message)
    if statement.appeal_status != "open":
        raise Conflict(_("This appeal has already been decided."))
    if moderator.id in (statement.moderator_id, statement.user_id, statement.appealed_by_id):
        raise Forbidden(_("Another moderator must decide this appeal."))
    if outcome == "overturn":
        _undo(statement)
    statement.appeal_status = "upheld" if outcome == "uphold" else "overturned"
    statement.appeal_moderator_id = moderator.id
    statement.appeal_message, statement.appeal_decided_at = message, utcnow()
    audit.record(moderator, f"appeal.{outcome}", statement, target_type="moderation_statements",
                 label=statement.target_label, reason=reason, message=message,
                 before={"appeal": "open"}, after={"appeal": statement.appeal_status})
    with notifications.site_context():
        url = url_for("flags.statement", statement_id=statement.id)
    notifications.notify(actions.recipients_of(statement), event=f"appeal:{statement.id}",
                         actor=None, url=url,
                         messages={"moderation": LazyString(_appeal_told, outcome, reason,
                                                            message)})
    return statement


def _appeal_told(outcome, reason, message):
    """Return what the person is told of their appeal (in each recipient's language)."""
    said = (_("Another moderator reviewed your appeal and upheld the decision. Reason: "
              "%(reason)s.", reason=reasons.label(reason)) if outcome == "uphold" else
            _("Another moderator reviewed your appeal and overturned the decision. Reason: "
              "%(reason)s.", reason=reasons.label(reason)))
    return f"{said} {message}" if message else said


def statements_of(person):
    return db.session.scalars(select(Statement).options(joinedload(Statement.moderator))
                              .where(Statement.user_id == person.id)
                              .order_by(Statement.id.desc())).all()


# -- private notes -------------------------------------------------------------------------

def add_note(moderator, person, body):
    require_moderator(moderator)
    body = (body or "").strip()
    if not body or len(body) > NOTE_LIMIT:
        problem = _("Keep it under %(note_limit)s characters.",
                    note_limit=format_number(NOTE_LIMIT)) if body else _("Please write a note.")
        raise Invalid(problem + " Nothing was saved.", {"body": problem})
    note = UserNote(user_id=person.id, author_id=moderator.id, body=body)
    db.session.add(note)
    audit.record(moderator, "user.note", person, message=body[:500])
    db.session.commit()
    return note


def notes_on(viewer, person):
    """A person's notes, newest first, for moderators only (nobody else gets any)."""
    if not getattr(viewer, "is_moderator", False):
        return []
    return db.session.scalars(select(UserNote).options(joinedload(UserNote.author))
                              .where(UserNote.user_id == person.id)
                              .order_by(UserNote.id.desc())).all()
