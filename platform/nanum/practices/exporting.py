"""Bulk export of practices as JSON Lines or CSV, in the columns the import reads."""

import csv
import json
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from nanum.database import keyset_batches
from nanum.errors import Invalid
from nanum.extensions import db
from nanum.practices import services, vocab
from nanum.practices.models import Practice, PracticePartner

FORMATS = ("jsonl", "csv")
LIST_COLUMNS = ("countries", "goals", "targets", "themes", "tags")
# CSV columns, in order; JSON Lines uses the same keys with `organisation` and `partners`
# as objects.
COLUMNS = ("title", "summary", "kind", "status", "organisation", "organisation_type",
           "organisation_country", "author_email", "created_at", "published_at", "language",
           "countries", "period_start", "period_end", "goals", "targets", "themes", "tags",
           *vocab.SECTIONS, "evidence_level", "budget_amount", "budget_currency",
           "budget_year", "staff_fte", "duration_months", *vocab.CONTEXT_FIELDS,
           *vocab.ADAPTATION_SECTIONS, "partners")


def _org_spec(organisation):
    return {"name": organisation.name, "type": organisation.type,
            "country": organisation.country}


def _record(practice):
    values = services.snapshot(practice)
    values.pop("partners")
    values.pop("adapted_from")  # an id of this site; what the adapters wrote goes along
    return {
        "title": values.pop("title"), "summary": values.pop("summary"),
        "kind": values.pop("kind"), "status": practice.status,
        "organisation": _org_spec(practice.organisation),
        "author_email": practice.author.email if practice.author else None,
        "created_at": practice.created_at.isoformat(timespec="seconds"),
        "published_at": (practice.published_at.isoformat(timespec="seconds")
                         if practice.published_at else None),
        **values,
        "partners": [_org_spec(p.organisation) for p in practice.partners],
    }


def _check_statuses(statuses):
    """Refuse statuses that do not exist, naming the ones that do."""
    unknown = [status for status in statuses or () if status not in vocab.STATUSES]
    if unknown:
        raise Invalid(f"Unknown status {', '.join(map(repr, unknown))}; the statuses are "
                      f"{', '.join(vocab.STATUSES)}.")


def export_statement(statuses=None):
    _check_statuses(statuses)
    query = select(Practice).options(
        joinedload(Practice.organisation), joinedload(Practice.author),
        selectinload(Practice.countries), selectinload(Practice.goals),
        selectinload(Practice.targets), selectinload(Practice.themes),
        selectinload(Practice.tags),
        selectinload(Practice.partners).joinedload(PracticePartner.organisation),
    ).order_by(Practice.id)
    if statuses:
        query = query.where(Practice.status.in_(statuses))
    return query


def export_records(statuses=None, batch=500):
    """Yield every practice as an export record, in batches to bound memory."""
    for chunk in keyset_batches(db.session, export_statement(statuses), Practice.id, batch):
        for practice in chunk:
            yield _record(practice)


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def write(records, stream, fmt):
    """Write export records as JSON Lines or CSV; return how many were written."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
    for record in records:
        if fmt == "csv":
            row = dict(record)
            organisation = row.pop("organisation")
            row.update(organisation=organisation["name"],
                       organisation_type=organisation["type"],
                       organisation_country=organisation["country"])
            for key in LIST_COLUMNS:
                row[key] = "; ".join(str(v) for v in row[key])
            row["partners"] = json.dumps(row["partners"], ensure_ascii=False)
            writer.writerow({key: "" if row.get(key) is None else row[key] for key in COLUMNS})
        else:
            stream.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
        count += 1
    return count


def format_of(filename, explicit=None):
    """Choose the format from an explicit choice or the file name."""
    if explicit:
        return explicit
    return "csv" if str(filename).lower().endswith(".csv") else "jsonl"
