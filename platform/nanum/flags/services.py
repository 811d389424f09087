"""Flagging: one flag per person per item, collected into one open queue entry per item,
weighed by who flagged, hiding the item on its own past a threshold.

What moderators do with an entry is in `actions`; sanctions on people in `sanctions`.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from nanum.discussions.models import Post
from nanum.errors import Invalid, NotFound
from nanum.extensions import db
from nanum.flags import targets
from nanum.flags.models import KINDS, REASONS, Flag, FlagEntry, Statement
from nanum.i18n import format_number
from nanum.moderation import access, audit, dashboard, settings
from nanum.practices.models import Practice
from nanum.timeutil import utcnow

MESSAGE_LIMIT = 1000
QUEUE_PAGE = 50  # entries the queue page shows at once


def _setting(key):
    return current_app.config[f"MODERATION_{key.upper()}"]


def hide_threshold():
    """The score at which a flagged item hides itself (a site setting admins may change)."""
    return float(settings.get("hide_threshold"))


def weight_of(user):
    """How much a flag by `user` counts: a new account less than an established member, a
    moderator more, and more for each earlier flag of theirs that moderators upheld."""
    if user.is_moderator:
        base = float(_setting("flag_weight_moderator"))
    elif user.created_at > utcnow() - timedelta(days=int(_setting("new_account_days"))):
        base = float(_setting("flag_weight_new_account"))
    else:
        base = 1.0
    upheld = db.session.scalar(select(func.count(Flag.id)).where(
        Flag.user_id == user.id, Flag.outcome == "upheld"))
    bonus = min(upheld * float(_setting("flag_upheld_bonus")),
                float(_setting("flag_upheld_bonus_max")))
    return round(base + bonus, 2)


def _clean(kind, reason, message):
    if kind not in KINDS:
        raise NotFound(_("There is no such item."))
    message = (message or "").strip()
    if reason not in REASONS:
        raise Invalid(_("Please choose why you flag this."),
                      {"reason": _("Please choose a reason.")})
    if reason == "other" and not message:
        raise Invalid(_("Please say what is wrong; nothing was flagged."),
                      {"message": _("Please say what is wrong.")})
    if len(message) > MESSAGE_LIMIT:
        text = _("Keep the message under %(message_limit)s characters; nothing was flagged.",
                 message_limit=format_number(MESSAGE_LIMIT))
        raise Invalid(text, {"message": text})
    return message


def _open_entry(kind, target):
    """Return the item's open entry, creating it (once, even when two flag at once)."""
    key = f"{kind}:{target.id}"
    entry = db.session.scalar(select(FlagEntry).where(FlagEntry.open_key == key))
    if entry is not None:
        return entry
    entry = FlagEntry(target_type=kind, target_id=target.id, open_key=key,
                      author_id=targets.author_id_of(kind, target))
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:  # someone else opened it a moment ago
        entry = db.session.scalar(select(FlagEntry).where(FlagEntry.open_key == key))
    return entry


def flag(user, kind, target_id, reason, message=""):
    """Flag an item; return its entry. Past the threshold the item hides itself."""
    message = _clean(kind, reason, message)
    target = targets.load(kind, target_id)
    if not targets.can_see(user, kind, target):
        raise NotFound(_("There is no such item."))
    if targets.author_id_of(kind, target) == user.id:
        raise Invalid(_("You cannot flag what you wrote yourself."))
    already = db.session.scalar(select(Flag.id).where(
        Flag.user_id == user.id, Flag.target_type == kind, Flag.target_id == target.id))
    if already is not None:
        raise Invalid(_("You have already flagged this %(what)s; moderators will look at it.",
                        what=KINDS[kind]))
    weight = weight_of(user)
    entry = _open_entry(kind, target)
    try:
        with db.session.begin_nested():
            db.session.add(Flag(entry_id=entry.id, user_id=user.id, target_type=kind,
                                target_id=target.id, reason=reason, message=message,
                                weight=weight))
    except IntegrityError:  # the same person, twice at once
        raise Invalid(_("You have already flagged this %(what)s.", what=KINDS[kind])) from None
    entry.score = FlagEntry.score + weight  # in SQL: a concurrent flag counts too
    entry.flag_count = FlagEntry.flag_count + 1
    entry.last_flagged_at = utcnow()
    db.session.flush()
    if not entry.auto_hidden and entry.score >= hide_threshold():
        if targets.hide(kind, target):
            entry.auto_hidden = True
            audit.record(None, "flag.auto_hide", target, reason=reason,
                         label=targets.label_of(kind, target),
                         message=f"Hidden automatically at score {entry.score:g}.",
                         before={"hidden": False}, after={"hidden": True, "score": entry.score})
            if kind == "organisation":
                from nanum.flags.actions import tell_organisation

                tell_organisation(None, "flag.auto_hide", target, reason=reason, entry=entry)
                return entry
    db.session.commit()
    return entry


def can_flag(user, kind, target):
    """Whether to offer `user` the flag form on an item."""
    if not getattr(user, "is_authenticated", False):
        return False
    return targets.author_id_of(kind, target) != user.id


def require_moderator(user):
    access.require_moderator(user)


# -- the queue -----------------------------------------------------------------------------

@dataclass
class QueueItem:
    entry: FlagEntry
    target: object  # the flagged item (None if it no longer exists)
    url: str | None
    edit_url: str | None
    label: str
    hidden: bool


@dataclass
class Queue:
    items: list
    total: int
    held_posts: list
    appeals: list


def queue(user, limit=QUEUE_PAGE):
    """Return the open entries (highest score first), posts waiting for approval and open
    appeals, in a fixed number of queries however long the queue is."""
    require_moderator(user)
    total = db.session.scalar(select(func.count(FlagEntry.id)).where(
        FlagEntry.status == "open"))
    entries = db.session.scalars(
        select(FlagEntry).options(joinedload(FlagEntry.author),
                                  selectinload(FlagEntry.flags).joinedload(Flag.user))
        .where(FlagEntry.status == "open")
        .order_by(FlagEntry.score.desc(), FlagEntry.id).limit(limit)).all()
    found = targets.load_many((e.target_type, e.target_id) for e in entries)
    items = []
    for entry in entries:
        target = found.get((entry.target_type, entry.target_id))
        kind = entry.target_type
        items.append(QueueItem(
            entry, target,
            targets.url_of(kind, target) if target is not None else None,
            targets.edit_url_of(kind, target) if target is not None else None,
            targets.label_of(kind, target),
            target is not None and targets.is_hidden(kind, target)))
    held = db.session.scalars(
        select(Post).options(joinedload(Post.author), joinedload(Post.thread))
        .where(Post.held.is_(True), Post.deleted_at.is_(None))
        .order_by(Post.created_at).limit(limit)).all()
    appeals = db.session.scalars(
        select(Statement).options(joinedload(Statement.appealed_by),
                                  joinedload(Statement.moderator))
        .where(Statement.appeal_status == "open")
        .order_by(Statement.appealed_at).limit(limit)).all()
    return Queue(items, total, held, appeals)


def get_entry(entry_id):
    entry = db.session.get(FlagEntry, entry_id)
    if entry is None:
        raise NotFound(_("No such queue entry."))
    return entry


# -- for other pages -----------------------------------------------------------------------

def counts_for(user_ids=(), organisation_ids=()):
    """Return flags received and upheld by people's content and by organisations (the
    organisation itself and its practices):

        {"users": {id: {"received": n, "upheld": n}}, "organisations": {id: {...}}}

    An entry counts once however many flagged it; upheld means a moderator agreed.
    """
    upheld = func.sum(func.cast(FlagEntry.status.in_(("hidden", "kept")), db.Integer))
    result = {"users": {}, "organisations": {}}
    user_ids, organisation_ids = list(user_ids), list(organisation_ids)
    if user_ids:
        rows = db.session.execute(
            select(FlagEntry.author_id, func.count(FlagEntry.id), upheld)
            .where(FlagEntry.author_id.in_(user_ids)).group_by(FlagEntry.author_id))
        result["users"] = {row[0]: {"received": row[1], "upheld": int(row[2] or 0)}
                           for row in rows}
    if organisation_ids:
        owner = func.coalesce(Practice.organisation_id, FlagEntry.target_id)
        rows = db.session.execute(
            select(owner, func.count(FlagEntry.id), upheld)
            .outerjoin(Practice, (FlagEntry.target_type == "practice")
                       & (Practice.id == FlagEntry.target_id))
            .where(((FlagEntry.target_type == "organisation")
                    & FlagEntry.target_id.in_(organisation_ids))
                   | ((FlagEntry.target_type == "practice")
                      & Practice.organisation_id.in_(organisation_ids)))
            .group_by(owner))
        result["organisations"] = {row[0]: {"received": row[1], "upheld": int(row[2] or 0)}
                                   for row in rows}
    for key, ids in (("users", user_ids), ("organisations", organisation_ids)):
        for identifier in ids:
            result[key].setdefault(identifier, {"received": 0, "upheld": 0})
    return result



# -- the moderation dashboard ----------------------------------------------------------------

dashboard.register(dashboard.Queue(
    "flags", _l("Flagged items"), lambda: select(FlagEntry.created_at).where(
        FlagEntry.status == "open"),
    lambda: select(FlagEntry.created_at, FlagEntry.decided_at).where(
        FlagEntry.decided_at.is_not(None)),
    endpoint="flags.queue"))
dashboard.register(dashboard.Queue(
    "held_posts", _l("Posts of new accounts held for approval"), lambda: select(
        Post.created_at).where(Post.held.is_(True), Post.deleted_at.is_(None)),
    endpoint="flags.queue"))
dashboard.register(dashboard.Queue(
    "appeals", _l("Appeals"), lambda: select(Statement.appealed_at).where(
        Statement.appeal_status == "open"),
    lambda: select(Statement.appealed_at, Statement.appeal_decided_at).where(
        Statement.appeal_decided_at.is_not(None)),
    endpoint="flags.queue"))
