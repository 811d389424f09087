"""Bulk import and export of practices as JSON Lines or CSV."""

import csv
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from nanum.errors import Invalid
from nanum.extensions import db
from nanum.organisations import services as organisations
from nanum.organisations.models import Organisation
from nanum.practices import rules, services, vocab
from nanum.practices.models import Practice, PracticePartner

FORMATS = ("jsonl", "csv")
LIST_COLUMNS = ("countries", "goals", "targets", "themes", "tags")
# CSV columns, in order; JSON Lines uses the same keys with `organisation` and `partners`
# as objects.
COLUMNS = ("title", "summary", "kind", "status", "organisation", "organisation_type",
           "organisation_country", "author_email", "created_at", "published_at", "language",
           "countries", "period_start", "period_end", "goals", "targets", "themes", "tags",
           *vocab.SECTIONS, "evidence_level", "budget_amount", "budget_currency",
           "budget_year", "staff_fte", "duration_months", *vocab.CONTEXT_FIELDS, "partners")


ON_EXISTING = ("error", "skip", "update")


@dataclass
class Report:
    """What an import did, or would do in a dry run; lines are (line number, title)."""

    read: int = 0
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)  # present already, with the same content
    skipped_existing: list = field(default_factory=list)
    organisations_created: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (line number, reason)

    @property
    def imported(self):
        """How many practices were created or updated."""
        return len(self.created) + len(self.updated)


# -- reading -------------------------------------------------------------------------------

def read_records(stream, fmt):
    """Yield (line number, record or error message) from a JSON Lines or CSV stream."""
    if fmt == "csv":
        reader = csv.DictReader(stream)
        for row in reader:
            yield reader.line_num, _from_csv(row)
        return
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, f"not valid JSON ({error.msg} at column {error.colno})"
            continue
        yield number, record if isinstance(record, dict) else "a line must be a JSON object"


def _from_csv(row):
    record = {key: (value or "").strip() for key, value in row.items() if key}
    record["organisation"] = {"name": record.pop("organisation", ""),
                              "type": record.pop("organisation_type", ""),
                              "country": record.pop("organisation_country", "")}
    for key in LIST_COLUMNS:
        record[key] = [part.strip() for part in record.get(key, "").split(";") if part.strip()]
    partners = record.get("partners") or "[]"
    try:
        record["partners"] = json.loads(partners)
    except json.JSONDecodeError:
        record["partners"] = "invalid"
    return record


# -- importing -----------------------------------------------------------------------------

def _organisation(spec, report, *, label):
    """Find an organisation named in a record, creating it when missing."""
    if isinstance(spec, str):
        found = db.session.scalar(select(Organisation).where(
            func.lower(Organisation.name) == spec.strip().lower()))
        if found is None:
            raise Invalid(f"{label} {spec!r} does not exist; give its name, type and country "
                          "to create it")
        return found
    if not isinstance(spec, dict) or not spec.get("name"):
        raise Invalid(f"{label} needs a name, a type and a country")
    try:
        found, created = organisations.find_or_create(spec.get("name", ""), spec.get("type"),
                                                      spec.get("country"))
    except Invalid as error:
        reasons = "; ".join(f"{key}: {message}" for key, message in error.errors.items())
        raise Invalid(f"{label} {spec.get('name')!r}: {reasons}") from error
    if created:
        report.organisations_created.append(found.name)
    return found


def _timestamp(record, key):
    raw = record.get(key)
    if raw in (None, ""):
        return None
    try:
        value = datetime.fromisoformat(str(raw))
    except ValueError as error:
        raise Invalid(f"{key} must be an ISO date such as 2024-03-01") from error
    return value.replace(tzinfo=None)


def _existing(organisation, title):
    """Return the practices of an organisation with this title, ignoring case."""
    return db.session.scalars(select(Practice).where(
        Practice.organisation_id == organisation.id,
        func.lower(Practice.title) == title.strip().lower())).all()


def _import_one(record, report, *, default_status, author, on_existing, number):
    status = record.get("status") or default_status
    if status not in vocab.STATUSES:
        raise Invalid(f"unknown status {status!r}")
    organisation = _organisation(record.get("organisation"), report, label="organisation")
    title = str(record.get("title") or "").strip()
    existing = _existing(organisation, title) if title else []
    if existing and on_existing == "skip":
        report.skipped_existing.append((number, title))
        return
    partners = record.get("partners") or []
    if not isinstance(partners, list):
        raise Invalid("partners must be a list of organisations")
    fields = {key: record.get(key) for key in rules.SCALARS}
    fields.update({key: record.get(key) for key in LIST_COLUMNS})
    fields["partners"] = [_organisation(spec, report, label="partner").id for spec in partners]
    try:
        values = rules.clean(fields, complete=status != "draft")
    except Invalid as error:
        raise Invalid("; ".join(f"{key}: {message}" for key, message in error.errors.items())
                      ) from error
    values["partners"] = [p for p in dict.fromkeys(values["partners"]) if p != organisation.id]
    if existing and on_existing == "error":
        raise Invalid(f"{organisation.name} already has a practice titled {title!r}; "
                      "choose --on-existing skip or update")
    if len(existing) > 1:
        raise Invalid(f"{organisation.name} has {len(existing)} practices titled {title!r}; "
                      "cannot tell which one to update")
    author_id = author.id if author else None
    email = record.get("author_email")
    if email:
        from nanum.accounts.services import find_by_email
        person = find_by_email(str(email).strip().lower())
        author_id = person.id if person else author_id
    if existing:
        changed = services.replace(existing[0], values, user_id=author_id, status=status,
                                   published_at=_timestamp(record, "published_at"))
        (report.updated if changed else report.unchanged).append((number, title))
        return
    services.add(organisation.id, values, author_id=author_id, status=status,
                 action="imported", created_at=_timestamp(record, "created_at"),
                 published_at=_timestamp(record, "published_at"))
    report.created.append((number, title))


def import_records(records, *, default_status="published", author=None, dry_run=False,
                   skip_invalid=False, on_existing="error"):
    """Import (line number, record) pairs in one transaction; return a Report.

    A line naming a practice its organisation already has (same title, in any case) is an
    error, skipped or an update of that practice, as `on_existing` says. Without
    `skip_invalid`, any invalid line imports nothing. A dry run only validates.
    """
    if on_existing not in ON_EXISTING:
        raise Invalid(f"on_existing must be one of {', '.join(ON_EXISTING)}")
    report = Report()
    for number, record in records:
        report.read += 1
        if isinstance(record, str):
            report.errors.append((number, record))
            continue
        savepoint = db.session.begin_nested()
        try:
            _import_one(record, report, default_status=default_status, author=author,
                        on_existing=on_existing, number=number)
            savepoint.commit()
        except Invalid as error:
            savepoint.rollback()
            report.errors.append((number, error.message))
    if dry_run or (report.errors and not skip_invalid):
        db.session.rollback()
        if not dry_run:
            report.created, report.updated, report.unchanged = [], [], []
            report.skipped_existing, report.organisations_created = [], []
    else:
        db.session.commit()
    return report


# -- exporting -----------------------------------------------------------------------------

def _org_spec(organisation):
    return {"name": organisation.name, "type": organisation.type,
            "country": organisation.country}


def _record(practice):
    values = services.snapshot(practice)
    values.pop("partners")
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
    last = 0
    while True:
        chunk = db.session.scalars(export_statement(statuses).where(Practice.id > last)
                                   .limit(batch)).all()
        if not chunk:
            return
        for practice in chunk:
            yield _record(practice)
        last = chunk[-1].id
        db.session.expunge_all()


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
