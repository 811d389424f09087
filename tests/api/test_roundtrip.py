"""`nanum practices export`, imported through the API into another organisation and exported
again, gives the same content: titles, sections, SDG goals and targets, context profile,
language, resources, tags, countries and partners."""

import json

from nanum.api import tokens
from nanum.practices import services

# What an export line says of where it came from, not of its content: the importing system
# writes for its own organisation, as itself, and the site sets status and dates.
PROVENANCE = ("organisation", "author_email", "status", "created_at", "published_at")

FIRST = {
    "title": "Barrio water committees", "summary": "Committees of *neighbours* run kiosks.",
    "kind": "case_study", "language": "es", "countries": ["KE", "UG"],
    "goals": [5], "targets": ["6.1", "6.b"], "themes": ["local_action"],
    "tags": ["water", "committees"], "context": "Kiosks stood *idle*.",
    "objectives": "Water for every household.", "implementation": "1. Elect\n2. Train",
    "lessons": "Start small.", "results": "Queues halved.", "evidence_level": "monitored",
    "budget_amount": "12500.50", "budget_currency": "KES", "budget_year": 2023,
    "staff_fte": "1.5", "duration_months": 18, "period_start": 2022, "period_end": 2024,
    "government_level": "municipal", "population_band": "10k_50k",
    "settlement_type": "peri_urban", "budget_band": "10k_100k",
    "infrastructure_level": "basic", "staff_band": "lt_5",
    "adaptation_changes": "Fewer committee seats.",
}
SECOND = {"title": "알림 문자 서비스", "summary": "주민에게 홍수 경보를 보낸다.",
          "kind": "policy_practice", "language": "ko", "countries": ["KR"],
          "targets": ["11.b", "13.1"], "context": "홍수가 잦다."}


def _export(runner, path):
    result = runner.invoke(args=["practices", "export", str(path)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _content(record):
    return {key: value for key, value in record.items() if key not in PROVENANCE}


def _partner_id(client, spec):
    """Find a partner named in an export line through the API, as an importer would."""
    found = client.get("/api/v1/organisations/", query_string={"q": spec["name"]}).get_json()
    [match] = [o for o in found["organisations"] if o["name"] == spec["name"]]
    return match["id"]


def test_an_export_imported_through_the_api_exports_the_same(client, make, runner, tmp_path):
    source = make.organisation(name="Kitui Water Institute")
    partner = make.organisation(name="Mwingi Town Council", type="LRG")
    author = make.member(organisation=source)
    first = services.create(author, source.id, {**FIRST, "partners": [partner.id]},
                            action="submit")
    services.create(author, source.id, SECOND, action="submit")
    assert first.status == "published" and first.context_profile()

    exported = _export(runner, tmp_path / "first.jsonl")
    assert len(exported) == 2 and exported[0]["partners"] == [
        {"name": "Mwingi Town Council", "type": "LRG", "country": "KE"}]

    importer = make.member(organisation=make.organisation(name="Lakeside Research Centre"))
    target = importer.memberships[0].organisation
    _, token = tokens.create(importer, "Platform import", ["read", "write"])
    for record in exported:
        body = {**_content(record), "organisation": target.id, "action": "submit",
                "partners": [_partner_id(client, spec) for spec in record["partners"]]}
        made = client.post("/api/v1/practices/", json=body,
                           headers={"Authorization": f"Bearer {token}"})
        assert made.status_code == 201, made.get_data(as_text=True)
        assert made.get_json()["status"] == "published"

    again = _export(runner, tmp_path / "again.jsonl")
    imported = [r for r in again if r["organisation"]["name"] == "Lakeside Research Centre"]
    assert [_content(r) for r in imported] == [_content(r) for r in exported]
    assert {r["author_email"] for r in imported} == {importer.email}
    # What the round trip kept, spelled out for the fields the API must not lose.
    kept = _content(imported[0])
    assert (kept["title"], kept["language"], kept["targets"], kept["goals"]) == (
        "Barrio water committees", "es", ["6.1", "6.b"], [5, 6])
    assert kept["lessons"] == "Start small." and kept["settlement_type"] == "peri_urban"
    assert kept["budget_amount"] == 12500.5 and kept["staff_fte"] == 1.5
    assert _content(imported[1])["title"] == "알림 문자 서비스"
