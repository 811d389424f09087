"""The moderation dashboard: what waits, for how long, and what moderators decided.

Each area that keeps a queue registers it here with `register`: a SELECT of the times its
waiting items began to wait, and optionally a SELECT of (began waiting, first decided) pairs.
The dashboard runs one query per queue and statistic, whatever the number of items.
"""

import statistics
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from sqlalchemy import and_, case, func, or_, select

from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.timeutil import utcnow

# Acts that are not decisions on something waiting: claims, notes, settings, roles, appeals
# being opened.
NOT_DECISIONS = ("review.claim", "review.release", "user.note", "user.role",
                 "setting.change", "appeal.open")
# Curation is work on the exchange, not a decision on something waiting.
NOT_DECISION_AREAS = ("collection.", "call.", "practice.feature", "practice.unfeature")
FLAGS_UPHELD = ("flag.hide", "flag.keep")  # the moderator agreed with the flaggers
FLAGS_DISMISSED = ("flag.restore", "flag.ignore")
REVIEW_DECISIONS = ("review.approve", "review.request_changes", "review.reject")
RECENT_DECISIONS = 1000  # the median is taken over this many latest first decisions
DECISION_DAYS = 30  # decisions per moderator: over this many days


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    waiting: Callable  # () -> SELECT of one column: when each waiting item began to wait
    decided: Callable | None = None  # () -> SELECT of (began waiting, first decided)
    endpoint: str | None = None  # the page where moderators work through it


QUEUES = {}


def register(queue):
    """Add a queue to the dashboard, or replace the one registered under its key."""
    QUEUES[queue.key] = queue


def first_decisions(model, began, actions):
    """A `decided` SELECT for records whose decisions are known from the audit log only:
    when each record of `model` began to wait (its column `began`) and the first of
    `actions` recorded on it since then."""
    first = func.min(AuditRecord.created_at)
    return (select(began, first)
            .join(AuditRecord, and_(AuditRecord.target_type == model.__tablename__,
                                    AuditRecord.target_id == model.id,
                                    AuditRecord.created_at >= began))
            .where(AuditRecord.action.in_(actions)).group_by(model.id, began))


@dataclass
class Waiting:
    label: str
    endpoint: str | None
    total: int
    over_day: int
    over_week: int
    oldest: object


def waiting():
    """Return, per queue, how many items wait and how many for over a day and a week."""
    now = utcnow()
    day, week = now - timedelta(days=1), now - timedelta(days=7)
    found = []
    for queue in QUEUES.values():
        times = queue.waiting().subquery()
        since = times.c[0]
        row = db.session.execute(select(
            func.count(), func.sum(case((since < day, 1), else_=0)),
            func.sum(case((since < week, 1), else_=0)), func.min(since))
            .select_from(times)).one()
        found.append(Waiting(queue.label, queue.endpoint, row[0] or 0, row[1] or 0,
                             row[2] or 0, row[3]))
    return found


def median_first_decision():
    """Return the median time from waiting to a first decision over the latest decisions
    of every queue (a timedelta), and how many decisions it is taken over."""
    durations = []
    for queue in QUEUES.values():
        if queue.decided is None:
            continue
        pairs = queue.decided().subquery()
        since, at = pairs.c[0], pairs.c[1]
        rows = db.session.execute(select(since, at).where(since.is_not(None), at.is_not(None))
                                  .order_by(at.desc()).limit(RECENT_DECISIONS)).all()
        durations += [(decided - began).total_seconds() for began, decided in rows
                      if decided >= began]
    if not durations:
        return None, 0
    return timedelta(seconds=round(statistics.median(durations))), len(durations)


def decisions_per_moderator(days=DECISION_DAYS):
    """Return [(user id, name, decisions)] of the last `days`, most first."""
    from nanum.accounts.models import User

    since = utcnow() - timedelta(days=days)
    count = func.count(AuditRecord.id)
    return db.session.execute(
        select(User.id, User.name, count).join(AuditRecord, AuditRecord.actor_id == User.id)
        .where(AuditRecord.created_at >= since, AuditRecord.action.not_in(NOT_DECISIONS),
               *(AuditRecord.action.not_like(f"{area}%") for area in NOT_DECISION_AREAS))
        .group_by(User.id, User.name).order_by(count.desc(), User.name).limit(50)).all()


def flags_and_appeals():
    """Return counts of flag decisions (upheld, dismissed) and appeals (opened, upheld,
    overturned, waiting), from the audit log in one query."""
    rows = dict(db.session.execute(
        select(AuditRecord.action, func.count(AuditRecord.id))
        .where(or_(AuditRecord.action.startswith("flag."),
                   AuditRecord.action.startswith("appeal.")))
        .group_by(AuditRecord.action)).all())
    opened, upheld, overturned = (rows.get("appeal.open", 0), rows.get("appeal.uphold", 0),
                                  rows.get("appeal.overturn", 0))
    return {
        "flags_upheld": sum(rows.get(action, 0) for action in FLAGS_UPHELD),
        "flags_dismissed": sum(rows.get(action, 0) for action in FLAGS_DISMISSED),
        "appeals_opened": opened, "appeals_upheld": upheld, "appeals_overturned": overturned,
        "appeals_waiting": max(opened - upheld - overturned, 0),
    }


def summary():
    """Return everything the dashboard shows."""
    median, decisions = median_first_decision()
    return {"waiting": waiting(), "median": median, "median_over": decisions,
            "per_moderator": decisions_per_moderator(), "days": DECISION_DAYS,
            **flags_and_appeals()}
