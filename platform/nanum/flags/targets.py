"""What can be flagged: finding an item, who wrote it, who may see it, hiding and showing it.

Hiding never deletes: a practice or an event moves to the state `hidden` (and back to
published), a topic, post, organisation or profile gets its `hidden` mark. Hidden items leave lists,
search and feeds; their own pages show a placeholder to everyone but their authors and
moderators.
"""

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from nanum.accounts.models import User
from nanum.board.models import BoardPost
from nanum.discussions.models import Post, Thread
from nanum.errors import NotFound
from nanum.events.models import Event
from nanum.extensions import db
from nanum.organisations.models import Organisation
from nanum.practices import states
from nanum.practices.models import Practice

MODELS = {"practice": Practice, "thread": Thread, "post": Post,
          "organisation": Organisation, "user": User, "board_post": BoardPost, "event": Event}
# The kinds hidden by a state of their own rather than by a `hidden` mark.
WITH_STATES = ("practice", "event")


def load(kind, target_id):
    model = MODELS.get(kind)
    target = db.session.get(model, target_id) if model else None
    if target is None:
        raise NotFound(_("There is no such item."))
    return target


def load_many(pairs):
    """Return {(kind, id): item} for (kind, id) pairs: one query per kind present."""
    wanted = {}
    for kind, target_id in pairs:
        wanted.setdefault(kind, set()).add(target_id)
    found = {}
    for kind, ids in sorted(wanted.items()):
        model = MODELS[kind]
        statement = select(model).where(model.id.in_(ids))
        if kind == "thread":  # a practice's discussion is named after the practice
            statement = statement.options(joinedload(Thread.practice))
        for item in db.session.scalars(statement):
            found[kind, item.id] = item
    return found


def author_id_of(kind, target):
    """The person a decision about an item concerns (None for an organisation)."""
    if kind == "user":
        return target.id
    return getattr(target, "author_id", None)


def label_of(kind, target):
    if target is None:
        return "(gone)"
    if kind == "thread":
        return target.display_title
    if kind == "post":
        return (target.body or "")[:80]
    return getattr(target, "title", None) or getattr(target, "name", "") or ""


def url_of(kind, target):
    if kind == "practice":
        return url_for("practices.detail", practice_id=target.id)
    if kind == "thread":
        return url_for("discussions.topic", thread_id=target.id)
    if kind == "post":
        return url_for("discussions.permalink", post_id=target.id)
    if kind == "organisation":
        return url_for("organisations.detail", organisation_id=target.id)
    if kind == "board_post":
        return url_for("board.detail", post_id=target.id)
    if kind == "event":
        return url_for("events.detail", event_id=target.id)
    return url_for("accounts.profile", user_id=target.id)


def edit_url_of(kind, target):
    """Where a moderator edits the item, when there is such a page."""
    if kind == "practice":
        return url_for("practices.edit", practice_id=target.id)
    if kind == "board_post":
        return url_for("board.edit", post_id=target.id)
    if kind == "organisation":
        return url_for("organisations.edit", organisation_id=target.id)
    if kind == "event":
        return url_for("events.edit", event_id=target.id)
    return None  # posts, topics and profiles are edited by their authors only


def is_hidden(kind, target):
    if kind in WITH_STATES:
        return target.status == "hidden"
    return bool(target.hidden)


def can_see(user, kind, target):
    """Whether `user` may see (and so flag) the item."""
    if kind == "practice":
        from nanum.practices.services import can_view
        return can_view(user, target)
    if kind == "thread":
        from nanum.discussions.services import can_see_thread
        return can_see_thread(user, target)
    if kind == "post":
        from nanum.discussions.services import can_see_thread
        return not target.is_deleted and can_see_thread(user, target.thread)
    if kind == "board_post":
        from nanum.board.services import can_view
        return can_view(user, target)
    if kind == "event":
        from nanum.events.services import can_view
        return can_view(user, target)
    return not target.hidden and getattr(target, "active", True)


def hide(kind, target):
    """Hide an item; return whether it was visible before."""
    if kind == "practice":
        if target.status != "published":
            return False
        states.move(target, "hidden", {states.MODERATOR})
        return True
    if kind == "event":
        if target.status != "published":
            return False
        target.status = "hidden"
        return True
    if target.hidden:
        return False
    target.hidden = True
    return True


def show(kind, target):
    """Show a hidden item again; return whether it was hidden."""
    if kind == "practice":
        if target.status != "hidden":
            return False
        states.move(target, "published", {states.MODERATOR})
        return True
    if kind == "event":
        if target.status != "hidden":
            return False
        target.status = "published"
        return True
    if not target.hidden:
        return False
    target.hidden = False
    return True


# The acts whose latest one on an item says why it is hidden now (when it is).
HIDING_ACTS = ("flag.hide", "flag.auto_hide")
SHOWING_ACTS = ("flag.keep", "flag.restore", "appeal.overturn")


@dataclass
class HiddenMark:
    """Why an item is hidden, for the people who still see it."""

    reason: str | None  # the reason's label, when the act that hid it gave one
    automatic: bool  # hidden by flags, waiting for a moderator


def hidden_marks(kind, target_ids):
    """Return {id: HiddenMark} for hidden items of one kind, from the latest act that hid
    each (one query); an item hidden with everything its author wrote has no reason of its
    own."""
    from nanum.moderation import reasons
    from nanum.moderation.models import AuditRecord

    target_ids = list(target_ids)
    marks = {target_id: HiddenMark(None, False) for target_id in target_ids}
    if not target_ids:
        return marks
    records = db.session.execute(
        select(AuditRecord.target_id, AuditRecord.action, AuditRecord.reason_code)
        .where(AuditRecord.target_type == MODELS[kind].__tablename__,
               AuditRecord.target_id.in_(target_ids),
               AuditRecord.action.in_(HIDING_ACTS + SHOWING_ACTS))
        .order_by(AuditRecord.id))
    for target_id, action, reason in records:  # the latest act wins
        if action in HIDING_ACTS:
            marks[target_id] = HiddenMark(reasons.label(reason) if reason else None,
                                          action == "flag.auto_hide")
        else:
            marks[target_id] = HiddenMark(None, False)
    return marks


def hidden_placeholder(kind, target_id):
    """Tell whether an item exists and is hidden (for a placeholder instead of "not found")."""
    model = MODELS[kind]
    column = model.status == "hidden" if kind in WITH_STATES else model.hidden.is_(True)
    return db.session.scalar(select(model.id).where(model.id == target_id, column)) is not None
