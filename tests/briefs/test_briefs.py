"""The PDF brief of a practice: one page, what it says, who may read it, made once."""

import json
import subprocess
from importlib.resources import files
from pathlib import Path

import pytest

from nanum.briefs import pdf
from nanum.briefs import services as briefs
from nanum.extensions import db
from nanum.practices import rules
from nanum.practices import services as practices

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LONG_SENTENCE = "The committee met every month and kept minutes that anyone could read. "


def demo_record(title_start):
    """A practice of the demo content: what a practice of typical length holds."""
    lines = (files("nanum.demo") / "data" / "practices.jsonl").read_text("utf-8").splitlines()
    record = next(json.loads(line) for line in lines if title_start in line)
    for key in ("organisation", "partners", "created_at"):
        record.pop(key, None)
    return record


def publish(make, record, **organisation):
    """Add a published practice of `record` (a practice's fields) for a new organisation."""
    owner = make.organisation(**organisation)
    practice = practices.add(owner.id, rules.clean(record, complete=True), author_id=None,
                             status="published")
    db.session.commit()
    return practice


def pdf_text(data, tmp_path, *options):
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", *options, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def pages(data, tmp_path):
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines()
                    if line.startswith("Pages:")))


def to_png(data, name):
    """Render the first page to test-artifacts/NAME.png with pdftoppm, to be looked at."""
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(source),
                    str(ARTIFACTS / name)], check=True)
    return (ARTIFACTS / f"{name}.png").read_bytes()


@pytest.fixture
def lagoon(make):
    return publish(make, demo_record("Lagoon fisheries"),
                   name="Kalapuwa Lagoon Livelihoods Trust", type="CSO", country="LK")


def test_a_typical_practice_has_a_one_page_brief_with_everything_a_council_asks(
        client, lagoon, tmp_path):
    response = client.get(f"/practices/{lagoon.id}/brief.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    data = response.get_data()
    assert pages(data, tmp_path) == 1
    text = " ".join(pdf_text(data, tmp_path).split())
    for expected in ("Lagoon fisheries co-management and the place of women fish processors",
                     "Kalapuwa Lagoon Livelihoods Trust", "Sri Lanka", "Southern Asia",
                     "SDG targets", "14.4", "Local context",
                     "The problem", "roughly 2,600 fishing households",
                     "What was done", "38 meetings of the nine fishing societies",
                     "Results", "Evidence level: Monitored",
                     "Cost and staff", "18,500,000 LKR (2019)", "3 full-time equivalent",
                     "Lessons", "ask who handles the fish",
                     f"http://nanum.localhost/practices/{lagoon.id}"):
        assert expected.lower() in text.lower(), expected  # side headings are in capitals
    assert "Full text online" not in text  # a typical practice is shown whole
    png = to_png(data, "brief-typical")
    assert png.startswith(b"\x89PNG")


def test_long_sections_are_cut_at_sentences_to_keep_one_page(client, make, tmp_path):
    record = demo_record("Lagoon fisheries")
    for section in ("context", "implementation", "results", "lessons"):
        record[section] = LONG_SENTENCE * 250  # 18,000 characters each
    practice = publish(make, record, name="Long Writers", type="LRG", country="LK")
    data = client.get(f"/practices/{practice.id}/brief.pdf").get_data()
    assert pages(data, tmp_path) == 1
    text = " ".join(pdf_text(data, tmp_path).split())
    assert text.count("Full text online") >= 4  # each long section (and the summary, if cut)
    assert "could read. …" in text  # the last sentence kept is whole
    to_png(data, "brief-long")


def test_a_brief_is_made_once_per_version_of_the_practice(client, make, lagoon, app,
                                                          monkeypatch, tmp_path):
    made = []
    render = pdf.render
    monkeypatch.setattr(pdf, "render", lambda *args: made.append(1) or render(*args))
    first = client.get(f"/practices/{lagoon.id}/brief.pdf")
    again = client.get(f"/practices/{lagoon.id}/brief.pdf")
    assert len(made) == 1 and again.get_data() == first.get_data()
    assert client.get(f"/practices/{lagoon.id}/brief.pdf",
                      headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    kept = list(Path(app.config["BRIEFS_DIR"]).glob(f"{lagoon.id}-*.pdf"))
    assert len(kept) == 1

    writer = make.member(organisation=lagoon.organisation)
    practices.update(writer, lagoon, {**practices.form_values(lagoon),
                                      "title": "Lagoon co-management, revised"})
    revised = client.get(f"/practices/{lagoon.id}/brief.pdf")
    assert len(made) == 2
    assert "Lagoon co-management, revised" in pdf_text(revised.get_data(), tmp_path)
    assert [path.name for path in Path(app.config["BRIEFS_DIR"]).glob(f"{lagoon.id}-*.pdf")
            ] != [path.name for path in kept] and not kept[0].exists()


def test_a_draft_brief_is_for_those_who_may_read_the_draft(client, make, auth, tmp_path):
    writer = make.member(email="writer@example.org")
    organisation = writer.memberships[0].organisation
    draft = practices.create(writer, organisation.id, {
        "title": "Rain gardens in school yards", "kind": "case_study",
        "summary": "Schools catch their own rain.", "countries": "KE"})
    url = f"/practices/{draft.id}/brief.pdf"
    assert client.get(url).status_code == 404
    make.member(email="outsider@example.org")
    auth.login("outsider@example.org")
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login("writer@example.org")
    response = client.get(url)
    assert response.status_code == 200 and "private" in response.headers["Cache-Control"]
    assert "Draft: not published" in pdf_text(response.get_data(), tmp_path)


def test_a_missing_practice_has_no_brief(client):
    assert client.get("/practices/999999/brief.pdf").status_code == 404


def test_the_practice_page_links_to_its_brief(client, lagoon):
    page = client.get(f"/practices/{lagoon.id}").get_data(as_text=True)
    assert f'href="/practices/{lagoon.id}/brief.pdf"' in page


def test_a_korean_practice_is_set_in_a_korean_font(client, make, tmp_path):
    practice = publish(make, {
        "title": "마을 주민이 함께 만든 빗물 저금통", "kind": "case_study", "language": "ko",
        "summary": "주민들이 빗물을 모아 텃밭에 썼다.", "countries": "KR", "targets": "6.4",
        "context": "여름마다 물이 모자랐다. 시청은 예산이 적었다.",
        "implementation": "- 주민 회의를 열었다.\n- 저금통 40개를 설치했다.",
        "results": "수돗물 사용이 줄었다.", "lessons": "작게 시작하라."},
        name="Seoul Village Office", type="LRG", country="KR")
    data = client.get(f"/practices/{practice.id}/brief.pdf").get_data()
    text = pdf_text(data, tmp_path)
    assert "마을 주민이 함께 만든 빗물 저금통" in text and "저금통 40개를 설치했다." in text
    path = tmp_path / "brief.pdf"
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                           text=True).stdout
    assert "CJK" in fonts  # not boxes: a font with Hangul is embedded
    to_png(data, "brief-korean")


def test_the_brief_is_in_the_practice_language(app, make, lagoon):
    lagoon.language = "es"
    with app.test_request_context():
        source = pdf.html(lagoon, briefs.link_to(lagoon))
    assert '<html lang="es">' in source


def test_the_brief_fetches_nothing(app, monkeypatch):
    asked, refuse = [], pdf.NoFetching.fetch

    def fetch(fetcher, url, headers=None):
        asked.append(url)
        return refuse(fetcher, url, headers)

    monkeypatch.setattr(pdf.NoFetching, "fetch", fetch)
    document = pdf.layout('<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
                          '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/hostname">'
                          "<p>Text</p>")
    assert len(document.pages) == 1
    assert sorted(asked) == ["file:///etc/hostname", "http://127.0.0.1:9/x.css",
                             "http://127.0.0.1:9/x.png"]
    with pytest.raises(pdf.FetchRefused):
        refuse(pdf.NoFetching(), "data:text/css,p{}")


def test_a_brief_that_cannot_be_kept_is_sent_all_the_same(client, app, lagoon, tmp_path):
    full = tmp_path / "not-a-folder"
    full.write_text("a file where the folder should be")
    app.config["BRIEFS_DIR"] = str(full / "briefs")
    response = client.get(f"/practices/{lagoon.id}/brief.pdf")
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF")
