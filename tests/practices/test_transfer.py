import io
import json

import pytest
from sqlalchemy import func, select

from nanum.errors import Invalid
from nanum.extensions import db
from nanum.organisations.models import Organisation
from nanum.practices import exporting, services, transfer
from nanum.practices.models import Practice

RECORD = {
    "title": "Solar pumps for village water points", "summary": "Replacing diesel pumps.",
    "kind": "case_study", "status": "published",
    "organisation": {"name": "Kijiji District Council", "type": "LRG", "country": "TZ"},
    "countries": ["TZ"], "targets": ["6.1", "7.2"], "goals": [13],
    "themes": ["local_action"], "tags": ["water", "solar"], "period_start": 2020,
    "period_end": None, "context": "Diesel was costly.", "budget_amount": 45000.5,
    "budget_currency": "TZS", "population_band": "10k_50k", "created_at": "2024-02-01",
    "partners": [{"name": "Maji Research Institute", "type": "NRI", "country": "TZ"}],
}


def lines(*records):
    return io.StringIO("".join(json.dumps(r) + "\n" for r in records))


def count(model):
    return db.session.scalar(select(func.count(model.id)))


def test_import_creates_organisations_and_practices(app):
    report = transfer.import_records(transfer.read_records(lines(RECORD), "jsonl"))
    assert (report.read, report.imported, report.errors) == (1, 1, [])
    assert sorted(report.organisations_created) == ["Kijiji District Council",
                                                    "Maji Research Institute"]
    practice = db.session.scalar(select(Practice))
    assert practice.status == "published" and practice.goal_numbers == [6, 7, 13]
    assert [o.name for o in practice.partner_organisations] == ["Maji Research Institute"]
    assert practice.created_at.year == 2024
    assert practice.revisions[0].action == "imported"


def test_invalid_line_imports_nothing_and_says_why(app):
    bad = {**RECORD, "title": "Second", "targets": ["6.9"]}
    stream = io.StringIO(json.dumps(RECORD) + "\n{not json\n" + json.dumps(bad) + "\n")
    report = transfer.import_records(transfer.read_records(stream, "jsonl"))
    assert [n for n, _ in report.errors] == [2, 3]
    assert "not valid JSON" in report.errors[0][1]
    assert "targets" in report.errors[1][1] and "6.9" in report.errors[1][1]
    assert report.imported == 0
    assert count(Practice) == 0 and count(Organisation) == 0


def test_skip_invalid_imports_the_rest(app):
    bad = {**RECORD, "title": "Bad", "organisation": {"name": "X", "type": "LRG",
                                                      "country": "QQ"}}
    report = transfer.import_records(transfer.read_records(lines(bad, RECORD), "jsonl"),
                                     skip_invalid=True)
    assert report.imported == 1 and [n for n, _ in report.errors] == [1]
    assert "country" in report.errors[0][1]
    assert count(Practice) == 1
    assert db.session.scalar(select(Organisation).where(Organisation.name == "X")) is None


def test_dry_run_changes_nothing(app):
    report = transfer.import_records(transfer.read_records(lines(RECORD), "jsonl"),
                                     dry_run=True)
    assert report.imported == 1 and count(Practice) == 0 and count(Organisation) == 0


def test_an_existing_practice_is_an_error_by_default(app):
    transfer.import_records(transfer.read_records(lines(RECORD), "jsonl"))
    again = {**RECORD, "title": RECORD["title"].upper()}  # the same title, in other case
    report = transfer.import_records(transfer.read_records(lines(again), "jsonl"))
    assert report.imported == 0 and [n for n, _ in report.errors] == [1]
    assert "Kijiji District Council already has a practice titled" in report.errors[0][1]
    assert count(Practice) == 1


def test_skip_existing(app):
    transfer.import_records(transfer.read_records(lines(RECORD), "jsonl"))
    other = {**RECORD, "title": "Another practice"}
    report = transfer.import_records(transfer.read_records(lines(RECORD, other), "jsonl"),
                                     on_existing="skip")
    assert report.skipped_existing == [(1, RECORD["title"])]
    assert report.created == [(2, "Another practice")] and report.errors == []
    assert count(Practice) == 2


def test_update_existing(app):
    transfer.import_records(transfer.read_records(lines(RECORD), "jsonl"))
    changed = {**RECORD, "summary": "Replacing diesel pumps with solar ones.",
               "targets": ["6.1"], "goals": []}
    report = transfer.import_records(transfer.read_records(lines(changed, RECORD), "jsonl"),
                                     on_existing="update")
    assert report.updated == [(1, RECORD["title"]), (2, RECORD["title"])]
    assert report.created == [] and report.errors == []
    practice = db.session.scalar(select(Practice))
    assert count(Practice) == 1 and practice.summary == RECORD["summary"]
    assert [r.action for r in practice.revisions] == ["imported", "imported", "imported"]
    assert practice.revisions[1].changes["summary"] == [RECORD["summary"], changed["summary"]]

    report = transfer.import_records(transfer.read_records(lines(RECORD), "jsonl"),
                                     on_existing="update")
    assert report.unchanged == [(1, RECORD["title"])] and report.updated == []
    assert len(db.session.scalar(select(Practice)).revisions) == 3


def test_dry_run_says_what_each_line_would_do(app):
    transfer.import_records(transfer.read_records(lines(RECORD), "jsonl"))
    new = {**RECORD, "title": "Rainwater tanks"}
    changed = {**RECORD, "summary": "Changed."}
    for on_existing, outcome in (("update", "updated"), ("skip", "skipped_existing")):
        report = transfer.import_records(transfer.read_records(lines(new, changed), "jsonl"),
                                         dry_run=True, on_existing=on_existing)
        assert report.created == [(1, "Rainwater tanks")]
        assert getattr(report, outcome) == [(2, RECORD["title"])]
    report = transfer.import_records(transfer.read_records(lines(new, changed), "jsonl"),
                                     dry_run=True)
    assert [n for n, _ in report.errors] == [2]
    assert count(Practice) == 1 and db.session.scalar(select(Practice)).summary == \
        RECORD["summary"]


def test_export_refuses_an_unknown_status(app):
    with pytest.raises(Invalid) as raised:
        list(exporting.export_records(["published", "bogus"]))
    assert "'bogus'" in raised.value.message and "changes_requested" in raised.value.message


def _contents():
    """Return every practice's content, with organisations by name (ids differ)."""
    found = []
    for practice in db.session.scalars(select(Practice).order_by(Practice.title)):
        content = services.snapshot(practice)
        content.pop("partners")
        found.append((content, practice.status, practice.organisation.name,
                      [o.name for o in practice.partner_organisations], practice.created_at,
                      practice.published_at))
    return found


def _roundtrip(app, config, tmp_path, fmt):
    draft = {**RECORD, "title": "A draft", "status": "draft", "summary": "", "countries": [],
             "targets": [], "goals": [], "partners": [], "summary_extra": None}
    later = {**RECORD, "title": "Published later", "published_at": "2024-05-02T10:30:00"}
    spanish = {**RECORD, "title": "Bombas solares: ¿qué aprendimos?", "language": "es",
               "tags": ["agua"], "lessons": "Líneas con, comas; y \"comillas\"\n\n- listas"}
    transfer.import_records(transfer.read_records(lines(RECORD, draft, spanish, later), "jsonl"))
    before = _contents()
    exported = io.StringIO()
    assert exporting.write(exporting.export_records(), exported, fmt) == 4

    from nanum import create_app
    other = create_app({**config, "SQLALCHEMY_DATABASE_URI":
                        f"sqlite:///{tmp_path / f'other-{fmt}.sqlite'}"},
                       instance_path=tmp_path / f"other-{fmt}")
    with other.app_context():
        db.create_all()
        exported.seek(0)
        report = transfer.import_records(transfer.read_records(exported, fmt))
        assert report.errors == [] and report.imported == 4
        after = _contents()
        db.session.remove()
    assert after == before


def test_jsonl_roundtrip_loses_nothing(app, config, tmp_path):
    _roundtrip(app, config, tmp_path, "jsonl")


def test_csv_roundtrip_loses_nothing(app, config, tmp_path):
    _roundtrip(app, config, tmp_path, "csv")


def test_bulk_added_practices_equal_those_added_one_by_one(app):
    from nanum.organisations.models import Organisation as Org
    from nanum.practices import rules

    organisation = Org(name="Kijiji District Council", type="LRG", country="TZ")
    partner = Org(name="Maji Research Institute", type="NRI", country="TZ")
    db.session.add_all([organisation, partner])
    db.session.flush()
    fields = {**RECORD, "partners": [partner.id], "tags": ["solar", "Water", "borehole"],
              "themes": ["local_action", "nri_capacity"], "summary": "Replacing **diesel**.",
              "results": "- one\n- two"}
    values = rules.clean(fields, complete=True)
    created = transfer._timestamp(RECORD, "created_at")
    one = services.add(organisation.id, dict(values), author_id=None, status="published",
                       action="imported", created_at=created)
    db.session.flush()
    [bulk_id] = services.add_many([{"organisation_id": organisation.id, "values": dict(values),
                                    "author_id": None, "status": "published",
                                    "created_at": created, "published_at": None}])
    db.session.commit()
    db.session.expire_all()
    one, bulk = db.session.get(Practice, one.id), db.session.get(Practice, bulk_id)
    assert services.snapshot(bulk) == services.snapshot(one)
    for column in ("cooked", "teaser", "status", "created_at", "updated_at", "published_at",
                   "organisation_id"):
        assert getattr(bulk, column) == getattr(one, column), column
    assert [(r.action, r.changes) for r in bulk.revisions] == [
        (r.action, r.changes) for r in one.revisions]


def test_bulk_added_practices_get_their_own_ids_and_rows_in_order(app):
    from nanum.practices import rules

    organisation = Organisation(name="Kijiji District Council", type="LRG", country="TZ")
    db.session.add(organisation)
    db.session.flush()

    def batch(*titles):
        return [{"organisation_id": organisation.id, "author_id": None, "status": "draft",
                 "values": rules.clean({**RECORD, "title": title, "countries": [country],
                                        "partners": []}, complete=False)}
                for title, country in titles]

    first = services.add_many(batch(("Pumps", "KE"), ("Wells", "TZ"), ("Tanks", "UG")))
    second = services.add_many(batch(("Roofs", "RW"), ("Pipes", "ET")))
    db.session.commit()
    db.session.expire_all()
    ids = first + second
    assert ids == sorted(ids) and len(set(ids)) == 5
    found = [db.session.get(Practice, practice_id) for practice_id in ids]
    assert [(p.title, p.country_codes) for p in found] == [
        ("Pumps", ["KE"]), ("Wells", ["TZ"]), ("Tanks", ["UG"]), ("Roofs", ["RW"]),
        ("Pipes", ["ET"])]
    assert [p.revisions[0].changes["title"] for p in found] == [
        [None, "Pumps"], [None, "Wells"], [None, "Tanks"], [None, "Roofs"], [None, "Pipes"]]
