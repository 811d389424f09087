"""Imported practices without SDG tags get suggestions for their authors, not tags."""

import io
import json

from sqlalchemy import select

from nanum.extensions import db
from nanum.practices import transfer
from nanum.practices.models import Practice
from nanum.sdg.models import Suggestion

ORGANISATION = {"name": "Kisumu County", "type": "LRG", "country": "KE"}
UNTAGGED = {"title": "Water kiosks in informal settlements", "kind": "case_study",
            "status": "draft", "organisation": ORGANISATION,
            "summary": "The utility extended piped drinking water to informal settlements; "
                       "kiosk committees test water quality every week."}
TAGGED = {**UNTAGGED, "title": "Flood wardens", "status": "published", "countries": ["KE"],
          "summary": "Volunteers watch the river and warn the wards.", "targets": ["11.5"]}
WORDLESS = {**UNTAGGED, "title": "???", "summary": "2019 – 2023"}


def lines(*records):
    return io.StringIO("".join(json.dumps(r) + "\n" for r in records))


def kept():
    """{title: {key: decision}} of every practice with suggestions kept."""
    found = {}
    for title, key, decision in db.session.execute(
            select(Practice.title, Suggestion.key, Suggestion.decision).join(Suggestion.practice)):
        found.setdefault(title, {})[key] = decision
    return found


def test_only_untagged_practices_get_open_suggestions_and_no_tags(app):
    report = transfer.import_records(transfer.read_records(lines(UNTAGGED, TAGGED, WORDLESS),
                                                           "jsonl"))
    assert report.errors == [] and report.imported == 3
    assert report.untagged == [(1, UNTAGGED["title"]), (3, "???")]
    assert report.suggested == [(1, UNTAGGED["title"])]
    found = kept()
    assert list(found) == [UNTAGGED["title"]]
    assert "6.1" in found[UNTAGGED["title"]]
    assert set(found[UNTAGGED["title"]].values()) == {"open"}
    practice = db.session.scalar(select(Practice).where(Practice.title == UNTAGGED["title"]))
    assert practice.goal_numbers == [] and practice.target_keys == []


def test_imports_in_batches_keep_suggestions_for_every_batch(app, monkeypatch):
    monkeypatch.setattr(transfer, "FLUSH_EVERY", 2)
    records = [{**UNTAGGED, "title": f"Water kiosks, district {n}"} for n in range(5)]
    report = transfer.import_records(transfer.read_records(lines(*records), "jsonl"))
    assert len(report.suggested) == 5 and len(kept()) == 5


def test_a_dry_run_keeps_nothing_but_counts_the_untagged(app):
    report = transfer.import_records(transfer.read_records(lines(UNTAGGED, TAGGED), "jsonl"),
                                     dry_run=True)
    assert report.untagged == [(1, UNTAGGED["title"])] and report.suggested == []
    assert kept() == {}


def test_an_update_without_tags_gets_suggestions_too(app):
    transfer.import_records(transfer.read_records(lines({**UNTAGGED, "targets": ["6.1"]}),
                                                  "jsonl"))
    assert kept() == {}
    report = transfer.import_records(transfer.read_records(lines(UNTAGGED, UNTAGGED), "jsonl"),
                                     on_existing="update")
    assert report.errors == [] and len(report.suggested) == 2
    assert set(kept()[UNTAGGED["title"]].values()) == {"open"}


def test_the_command_says_how_many_got_suggestions(runner, tmp_path):
    source = tmp_path / "practices.jsonl"
    source.write_text(lines(UNTAGGED, TAGGED, WORDLESS).getvalue(), encoding="utf-8")
    result = runner.invoke(args=["practices", "import", str(source), "--dry-run"])
    assert "2 without SDG tags, which would get SDG suggestions to review" in result.output
    result = runner.invoke(args=["practices", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert "2 without SDG tags, 1 of them given SDG suggestions to review." in result.output
