import io
import json

from sqlalchemy import func, select

from nanum.extensions import db
from nanum.organisations.models import Organisation
from nanum.practices import services, transfer
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


def test_skip_existing(app):
    transfer.import_records(transfer.read_records(lines(RECORD), "jsonl"))
    report = transfer.import_records(transfer.read_records(lines(RECORD), "jsonl"),
                                     skip_existing=True)
    assert report.imported == 0 and report.skipped_existing == [(1, RECORD["title"])]
    assert count(Practice) == 1


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
    assert transfer.write(transfer.export_records(), exported, fmt) == 4

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
