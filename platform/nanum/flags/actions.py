"""What moderators decide about a queue entry, and the statements that tell the author.

Every decision takes a reason code, writes an audit record, and closes the entry. Hiding
tells the author what was decided and why, in a statement they may appeal once
(`sanctions.appeal`).
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import update

from nanum.discussions.models import Post
from nanum.errors import Conflict, Invalid, NotFound
from nanum.extensions import db
from nanum.flags import targets
from nanum.flags.models import KINDS, Flag, Statement
from nanum.flags.services import require_moderator
from nanum.i18n import format_date, format_number
from nanum.moderation import audit, reasons
from nanum.notifications import services as notifications
from nanum.organisations import services as organisations
from nanum.organisations import signals as organisation_signals
from nanum.timeutil import utcnow

MESSAGE_LIMIT = 4000

# decision -> (audit action, entry status, what the flags become, whether the item shows)
DECISIONS = {
    "hide": ("flag.hide", "hidden", "upheld", False),
    "keep": ("flag.keep", "kept", "upheld", True),
    "restore": ("flag.restore", "restored", "dismissed", True),
    "ignore": ("flag.ignore", "ignored", None, True),
}
DECISION_LABELS = {
    "hide": _l("Agree and hide"),
    "keep": _l("Agree and keep"),
    "restore": _l("Disagree and restore"),
    "ignore": _l("Ignore"),
}
# What a statement says was done, by audit action.
DONE = {
    "flag.hide": _l("A moderator hid your %(kind)s “%(label)s”"),
    "flag.keep": _l("A moderator agreed with the flags on your %(kind)s “%(label)s” and kept "
                    "it visible"),
    "flag.restore": _l("A moderator disagreed with the flags on your %(kind)s “%(label)s” and "
                       "showed it again"),
    "flag.ignore": _l("A moderator set the flags on your %(kind)s “%(label)s” aside and "
                      "showed it again"),
    "flag.auto_hide": _l("Your %(kind)s “%(label)s” was hidden automatically after several "
                         "flags, until a moderator decides"),
    "user.warn": _l("A moderator sent you a warning"),
    "user.silence": _l("A moderator silenced your account until %(until)s"),
    "user.suspend": _l("A moderator suspended your account until %(until)s"),
    "user.hide_all": _l("A moderator hid everything you wrote"),
}


def clean_reason(reason, message):
    """Check a reason code and message; return the message stripped."""
    errors = {}
    if reason not in reasons.REASONS:
        errors["reason"] = _("Please choose a reason.")
    message = (message or "").strip()
    if len(message) > MESSAGE_LIMIT:
        errors["message"] = _("Keep the message under %(message_limit)s characters.",
                              message_limit=format_number(MESSAGE_LIMIT))
    if reason == "other" and not message:
        errors["message"] = _("Please explain the reason in the message.")
    if errors:
        raise Invalid(_("Please correct the highlighted fields; nothing was changed."), errors)
    return message


def when(moment):
    """Say a moment in the language of the page (or of the mail): "03 December 2026, 14:05 UTC"."""
    return f"{format_date(moment, '%d %B %Y, %H:%M')} UTC" if moment else ""


def add_statement(moderator, user_id, action, *, target_type, target=None, reason, message,
                  entry=None, until=None, changed=None, label=None, organisation_id=None):
    """Add the statement of a decision for the person (or the organisation) it concerns;
    the caller commits. `moderator` is None for what flags did on their own."""
    statement = Statement(
        user_id=user_id, organisation_id=organisation_id,
        moderator_id=getattr(moderator, "id", None), entry_id=getattr(entry, "id", None),
        action=action, target_type=target_type, target_id=getattr(target, "id", None),
        target_label=(label or "")[:300], reason_code=reason, message=message, until=until,
        changed=changed)
    db.session.add(statement)
    return statement


def describe(statement, *, length=None):
    """Say what a statement's decision was: "A moderator hid your practice “…”"."""
    label = statement.target_label[:length] if length else statement.target_label
    done = DONE.get(statement.action)
    if done is None:
        return _("A moderator decided: %(action)s", action=statement.action)
    kind = KINDS.get(statement.target_type, statement.target_type)
    return str(done) % {"kind": str(kind), "label": label, "until": when(statement.until)}


def tell(statement, person):
    """Notify the person (or, for a statement to an organisation, its admins) in the app
    and by mail, and commit everything."""
    db.session.flush()
    with notifications.site_context():
        url = url_for("flags.statement", statement_id=statement.id)
    notifications.notify(recipients_of(statement, person), event=f"statement:{statement.id}",
                         actor=None, messages={"moderation": LazyString(told, statement)},
                         url=url, about=f"statement:{statement.id}",
                         about_title=_l("Moderation decision"))


def told(statement):
    """Return what a person is told of a statement, in the language of the moment (the
    notification is written in each recipient's)."""
    parts = [_("%(decision)s. Reason: %(reason)s.", decision=describe(statement, length=60),
               reason=reasons.label(statement.reason_code))]
    if statement.message:
        parts.append(statement.message)
    if statement.can_be_appealed:
        parts.append(_("You may appeal this decision once."))
    return " ".join(parts)


def recipients_of(statement, person=None):
    """Who hears about a statement: its person, or its organisation's admins."""
    if statement.organisation_id is not None:
        return {admin: "moderation" for admin in organisations.admins(statement.organisation_id)}
    return {person or statement.user: "moderation"}


def tell_organisation(moderator, action, organisation, *, reason, message="", entry=None):
    """Send an organisation's admins the statement of a decision on it (commits)."""
    statement = add_statement(moderator, None, action, target_type="organisation",
                              target=organisation, reason=reason, message=message,
                              entry=entry, label=organisation.name,
                              organisation_id=organisation.id)
    tell(statement, None)
    return statement


def decide(moderator, entry, decision, reason, message=""):
    """Decide a queue entry: hide, keep, restore or ignore, with a reason code."""
    require_moderator(moderator)
    if decision not in DECISIONS:
        raise Invalid(_("Please choose a decision."), {"decision": _("Please choose a decision.")})
    message = clean_reason(reason, message)
    if not entry.is_open:
        raise Conflict(_("Another moderator has already decided this entry."))
    action, status, outcome, shown = DECISIONS[decision]
    kind = entry.target_type
    target = db.session.get(targets.MODELS[kind], entry.target_id)
    was_hidden = target is not None and targets.is_hidden(kind, target)
    if target is not None:
        if shown and (decision == "restore" or entry.auto_hidden):
            targets.show(kind, target)
        elif not shown:
            targets.hide(kind, target)
    entry.status, entry.open_key = status, None
    entry.decided_at, entry.decided_by_id = utcnow(), moderator.id
    db.session.execute(update(Flag).where(Flag.entry_id == entry.id).values(outcome=outcome))
    now_hidden = target is not None and targets.is_hidden(kind, target)
    audit.record(moderator, action, target, target_type=None if target is not None else kind,
                 reason=reason, message=message,
                 label=targets.label_of(kind, target),
                 before={"hidden": was_hidden, "score": entry.score},
                 after={"hidden": now_hidden, "status": status})
    person = entry.author
    if kind == "organisation" and target is not None and (
            decision != "ignore" or was_hidden != now_hidden):
        # No one person wrote an organisation: its admins hear of every decision (of an
        # ignored flag only when it shows again what flags had hidden).
        tell_organisation(moderator, action, target, reason=reason, message=message,
                          entry=entry)
    elif decision == "hide" and person is not None and person.id != moderator.id:
        statement = add_statement(moderator, person.id, action, target_type=kind,
                                  target=target, reason=reason, message=message, entry=entry,
                                  label=targets.label_of(kind, target))
        tell(statement, person)
    else:
        db.session.commit()
    return entry


# -- posts waiting for approval ------------------------------------------------------------

def approve_post(moderator, post):
    """Let a held post (a new account's first posts) be seen."""
    require_moderator(moderator)
    if not post.held:
        raise Conflict(_("This post is not waiting for approval."))
    post.held = False
    audit.record(moderator, "post.approve", post, label=post.body[:80],
                 before={"held": True}, after={"held": False})
    db.session.commit()
    return post


def decline_post(moderator, post, reason, message=""):
    """Keep a held post from being seen: it is hidden, not deleted."""
    require_moderator(moderator)
    message = clean_reason(reason, message)
    if not post.held:
        raise Conflict(_("This post is not waiting for approval."))
    post.held, post.hidden = False, True
    audit.record(moderator, "post.decline", post, label=post.body[:80], reason=reason,
                 message=message, before={"held": True}, after={"hidden": True})
    if post.author is not None:
        statement = add_statement(moderator, post.author_id, "flag.hide", target_type="post",
                                  target=post, reason=reason, message=message,
                                  label=post.body[:80])
        tell(statement, post.author)
    else:
        db.session.commit()
    return post


def get_held_post(post_id):
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound(_("No such post."))
    return post


def reopen_if_needed(entry):
    """An overturned hide: the entry counts as restored, its flags as dismissed (an entry
    still open, hidden by flags alone, is closed as restored)."""
    if entry.is_open:
        entry.open_key, entry.decided_at = None, utcnow()
    entry.status = "restored"
    db.session.execute(update(Flag).where(Flag.entry_id == entry.id)
                       .values(outcome="dismissed"))


@organisation_signals.merging.connect
def _move_statements(merged, into):
    """Statements to an organisation merged into another go to the one that stays."""
    db.session.execute(update(Statement).where(Statement.organisation_id == merged.id)
                       .values(organisation_id=into.id))
