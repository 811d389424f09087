"""Reading the audit log: filters, pages and the CSV export. Nothing here writes to it."""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from nanum import pagination
from nanum.accounts.models import User
from nanum.extensions import db
from nanum.moderation import reasons
from nanum.moderation.models import AuditRecord

PER_PAGE = 50
EXPORT_BATCH = 500
COLUMNS = ("id", "created_at", "actor_id", "actor", "action", "target_type", "target_id",
           "target", "reason_code", "reason", "message", "before", "after")


@dataclass
class Filters:
    """What the log is narrowed to; every field is optional."""

    actor: str = ""  # a handle, or part of a name
    action: str = ""  # an action, or its area ("flag" matches every flag.* action)
    target_type: str = ""
    reason: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_args(cls, args):
        """Read filters from request arguments; values that mean nothing are dropped."""
        found = cls(actor=args.get("actor", "").strip()[:120],
                    action=args.get("action", "").strip()[:60],
                    target_type=args.get("target_type", "").strip()[:40],
                    reason=args.get("reason", "") if args.get("reason") in reasons.REASONS
                    else "")
        found.since, found.until = _day(args.get("since")), _day(args.get("until"))
        return found

    def args(self):
        values = {"actor": self.actor, "action": self.action, "target_type": self.target_type,
                  "reason": self.reason,
                  "since": self.since.isoformat() if self.since else None,
                  "until": self.until.isoformat() if self.until else None}
        return {key: value for key, value in values.items() if value}


def _day(raw):
    try:
        return date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return None


def _conditions(filters):
    """Return the WHERE clauses of `filters`."""
    found = []
    if filters.actor:
        wanted = filters.actor.lstrip("@").lower()
        escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        people = select(User.id).where(or_(User.handle == wanted,
                                           User.name.ilike(f"%{escaped}%", escape="\\")))
        found.append(AuditRecord.actor_id.in_(people))
    if filters.action:
        if "." in filters.action:
            found.append(AuditRecord.action == filters.action)
        else:
            found.append(AuditRecord.action.startswith(f"{filters.action}.", autoescape=True))
    if filters.target_type:
        found.append(AuditRecord.target_type == filters.target_type)
    if filters.reason:
        found.append(AuditRecord.reason_code == filters.reason)
    if filters.since:
        found.append(AuditRecord.created_at >= datetime.combine(filters.since, time()))
    if filters.until:
        found.append(AuditRecord.created_at < datetime.combine(
            filters.until + timedelta(days=1), time()))
    return found


def statement(filters):
    """Return the SELECT of the records matching `filters`, newest first."""
    return select(AuditRecord).where(*_conditions(filters)).order_by(AuditRecord.id.desc())


def page(filters, number):
    """Return one page of matching records with their actors."""
    return pagination.paginate(statement(filters).options(joinedload(AuditRecord.actor)),
                               number, PER_PAGE)


def choices():
    """Return the actions and target types the log holds, for the filter lists."""
    actions = db.session.scalars(select(AuditRecord.action).distinct()
                                 .order_by(AuditRecord.action)).all()
    types = db.session.scalars(select(AuditRecord.target_type).distinct()
                               .order_by(AuditRecord.target_type)).all()
    return actions, types


def _cell(value):
    """Keep a spreadsheet from reading a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _row(row):
    return [row.id, row.created_at.isoformat(timespec="seconds") + "Z",
            row.actor_id, row.actor_name or "", row.action, row.target_type, row.target_id,
            row.target_label, row.reason_code,
            reasons.label(row.reason_code) if row.reason_code else "", row.message,
            json.dumps(row.before, sort_keys=True) if row.before is not None else "",
            json.dumps(row.after, sort_keys=True) if row.after is not None else ""]


def csv_lines(filters):
    """Yield the matching records as CSV text, header first, a batch of rows at a time.

    Rows are read as plain tuples, a batch at a time from where the last one ended, so that
    memory stays bounded and each batch costs the same whatever the log's length.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield buffer.getvalue()
    base = (select(*AuditRecord.__table__.c, User.name.label("actor_name"))
            .outerjoin(User, User.id == AuditRecord.actor_id)
            .where(*_conditions(filters)).order_by(AuditRecord.id.desc()))
    last = None
    while True:
        query = base if last is None else base.where(AuditRecord.id < last)
        batch = db.session.execute(query.limit(EXPORT_BATCH)).all()
        if not batch:
            return
        buffer.seek(0)
        buffer.truncate()
        for row in batch:
            writer.writerow([_cell(value) for value in _row(row)])
        yield buffer.getvalue()
        last = batch[-1].id
