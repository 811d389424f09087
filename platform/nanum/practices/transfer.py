"""Bulk import of practices from JSON Lines or CSV (the export is `exporting.py`)."""

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from nanum.errors import Invalid
from nanum.extensions import db
from nanum.organisations import services as organisations
from nanum.organisations.models import Organisation
from nanum.practices import rules, services, vocab
from nanum.practices.exporting import LIST_COLUMNS
from nanum.practices.models import Practice
from nanum.sdg import suggestions

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
    # Lines without SDG tags: they get suggestions for their authors to answer, not tags.
    untagged: list = field(default_factory=list)
    suggested: list = field(default_factory=list)  # those the suggester found something for

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

FLUSH_EVERY = 500  # lines between writes to the database: one batch of inserts each


@dataclass
class _NewOrganisation:
    """An organisation a line names that does not exist yet: created once the line is valid."""

    values: dict


class _Known:
    """What an import looks up, each read once and kept up to date as the import adds to it:
    organisations by name, the practice titles of each organisation, people by email.

    Names and titles are compared in lower case, as Python folds them.
    """

    def __init__(self, report, *, suggest=True):
        self.report = report
        self.suggest = suggest  # keep suggestions for practices without SDG tags
        self._organisations = None  # lower-case name -> Organisation, or its id until needed
        self._titles = {}  # organisation id -> {lower-case title: [Practice, or its id]}
        self._people = {}  # email -> user id or None
        self._new = []  # practices to add, written in bulk by `write`

    def organisation(self, name):
        if self._organisations is None:
            self._organisations = {found.strip().lower(): organisation_id for organisation_id,
                                   found in db.session.execute(select(Organisation.id,
                                                                      Organisation.name))}
        key = name.strip().lower()
        found = self._organisations.get(key)
        if isinstance(found, int):
            found = self._organisations[key] = db.session.get(Organisation, found)
        return found

    def create(self, wanted, report):
        """Return the organisation for what `_organisation` found, creating a new one."""
        if not isinstance(wanted, _NewOrganisation):
            return wanted
        found = self.organisation(wanted.values["name"])
        if found is None:  # not created by another part of the same line
            found = Organisation(**wanted.values)
            found.cook()
            db.session.add(found)
            self._organisations[found.name.lower()] = found
            report.organisations_created.append(found.name)
        return found

    def practices(self, organisation, title):
        """Return the organisation's practices with this title, ignoring case."""
        if isinstance(organisation, _NewOrganisation):
            return []
        titles = self._titles.get(organisation.id)
        if titles is None:
            titles = self._titles[organisation.id] = {}
            for practice_id, found in db.session.execute(select(
                    Practice.id, Practice.title).where(
                    Practice.organisation_id == organisation.id)):
                titles.setdefault(found.strip().lower(), []).append(practice_id)
        entries = titles.get(title.strip().lower(), [])
        if any(isinstance(entry, dict) and "id" not in entry for entry in entries):
            self.write()  # an earlier line added it: write it, to update it
        return [db.session.get(Practice, entry["id"] if isinstance(entry, dict) else entry)
                for entry in entries]

    def add_practice(self, new):
        """Add a practice (`services.add_many`'s dict) with the next batch."""
        self._new.append(new)
        # A new organisation's first practice starts its titles: it has none in the database.
        self._titles.setdefault(new["organisation_id"], {}).setdefault(
            new["values"]["title"].strip().lower(), []).append(new)

    def write(self):
        """Write the practices added since the last batch, with suggestions for those without
        SDG tags (worked out for the whole batch at once: much faster than one by one)."""
        for new, practice_id in zip(self._new, services.add_many(self._new), strict=True):
            new["id"] = practice_id
        untagged = {new["id"]: new for new in self._new if "untagged" in new}
        if untagged and self.suggest:
            got = suggestions.add_many([(i, new["values"]) for i, new in untagged.items()])
            self.report.suggested += [untagged[i]["untagged"] for i in got]
        self._new = []

    def person(self, email):
        if email not in self._people:
            from nanum.accounts.services import find_by_email
            person = find_by_email(email)
            self._people[email] = person.id if person else None
        return self._people[email]


def _organisation(spec, known, *, label):
    """Find an organisation named in a record, or check the one it would create."""
    if isinstance(spec, str):
        found = known.organisation(spec)
        if found is None:
            raise Invalid(f"{label} {spec!r} does not exist; give its name, type and country "
                          "to create it")
        return found
    if not isinstance(spec, dict) or not spec.get("name"):
        raise Invalid(f"{label} needs a name, a type and a country")
    found = known.organisation(str(spec["name"]))
    if found is not None:
        return found
    try:
        values = organisations.check_new(spec.get("name", ""), spec.get("type"),
                                         spec.get("country"))
    except Invalid as error:
        reasons = "; ".join(f"{key}: {message}" for key, message in error.errors.items())
        raise Invalid(f"{label} {spec.get('name')!r}: {reasons}") from error
    return _NewOrganisation(values)


def _name_of(organisation):
    return (organisation.values["name"] if isinstance(organisation, _NewOrganisation)
            else organisation.name)


def _timestamp(record, key):
    raw = record.get(key)
    if raw in (None, ""):
        return None
    try:
        value = datetime.fromisoformat(str(raw))
    except ValueError as error:
        raise Invalid(f"{key} must be an ISO date such as 2024-03-01") from error
    return value.replace(tzinfo=None)


def _import_one(record, report, known, *, default_status, author, on_existing, number):
    """Check a line, then write it: a line found invalid has changed nothing."""
    status = record.get("status") or default_status
    if status not in vocab.STATUSES:
        raise Invalid(f"unknown status {status!r}")
    owner = _organisation(record.get("organisation"), known, label="organisation")
    title = str(record.get("title") or "").strip()
    existing = known.practices(owner, title) if title else []
    if existing and on_existing == "skip":
        report.skipped_existing.append((number, title))
        return
    partners = record.get("partners") or []
    if not isinstance(partners, list):
        raise Invalid("partners must be a list of organisations")
    partners = [_organisation(spec, known, label="partner") for spec in partners]
    fields = {key: record.get(key) for key in rules.SCALARS}
    fields.update({key: record.get(key) for key in LIST_COLUMNS}, partners=[])
    try:
        values = rules.clean(fields, complete=status != "draft")
    except Invalid as error:
        raise Invalid("; ".join(f"{key}: {message}" for key, message in error.errors.items())
                      ) from error
    if existing and on_existing == "error":
        raise Invalid(f"{_name_of(owner)} already has a practice titled {title!r}; "
                      "choose --on-existing skip or update")
    if len(existing) > 1:
        raise Invalid(f"{_name_of(owner)} has {len(existing)} practices titled {title!r}; "
                      "cannot tell which one to update")
    created_at = _timestamp(record, "created_at")
    published_at = _timestamp(record, "published_at")
    author_id = author.id if author else None
    email = record.get("author_email")
    if email:
        author_id = known.person(str(email).strip().lower()) or author_id
    # The line is valid: write it.
    wanted = [owner, *partners]
    owner, *partners = [known.create(organisation, report) for organisation in wanted]
    if any(isinstance(organisation, _NewOrganisation) for organisation in wanted):
        db.session.flush()  # the new organisations' ids
    values["partners"] = [p for p in dict.fromkeys(o.id for o in partners) if p != owner.id]
    if untagged := not values["goals"]:
        report.untagged.append((number, title))
    if existing:
        changed = services.replace(existing[0], values, user_id=author_id, status=status,
                                   published_at=published_at)
        (report.updated if changed else report.unchanged).append((number, title))
        if untagged and known.suggest and suggestions.record_imported(existing[0]):
            report.suggested.append((number, title))
        return
    known.add_practice({"organisation_id": owner.id, "values": values, "author_id": author_id,
                        "status": status, "created_at": created_at,
                        "published_at": published_at,
                        **({"untagged": (number, title)} if untagged else {})})
    report.created.append((number, title))


def import_records(records, *, default_status="published", author=None, dry_run=False,
                   skip_invalid=False, on_existing="error"):
    """Import (line number, record) pairs in one transaction; return a Report.

    A line naming a practice its organisation already has (same title, in any case) is an
    error, skipped or an update of that practice, as `on_existing` says. Without
    `skip_invalid`, any invalid line imports nothing. A dry run only validates.

    Each line is checked before anything of it is written, so an invalid line needs no
    savepoint; new practices are written in bulk, FLUSH_EVERY lines at a time.
    """
    if on_existing not in ON_EXISTING:
        raise Invalid(f"on_existing must be one of {', '.join(ON_EXISTING)}")
    report = Report()
    known = _Known(report, suggest=not dry_run)
    with db.session.no_autoflush:
        for number, record in records:
            report.read += 1
            if isinstance(record, str):
                report.errors.append((number, record))
                continue
            try:
                _import_one(record, report, known, default_status=default_status,
                            author=author, on_existing=on_existing, number=number)
            except Invalid as error:
                report.errors.append((number, error.message))
            if report.read % FLUSH_EVERY == 0:
                known.write()
                db.session.flush()
        known.write()
    if dry_run or (report.errors and not skip_invalid):
        db.session.rollback()
        if not dry_run:
            report.created, report.updated, report.unchanged = [], [], []
            report.skipped_existing, report.organisations_created = [], []
            report.untagged, report.suggested = [], []
    else:
        db.session.commit()
    return report
