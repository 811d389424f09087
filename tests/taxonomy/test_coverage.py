"""The coverage page: published practices per SDG target and region or country."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from nanum.taxonomy import coverage


@pytest.fixture
def practices(make):
    """Practices on target 6.1 and goal 6 in Africa and the Americas, and some that never count."""
    city = make.organisation(type="LRG", country="KE")
    institute = make.organisation(type="NRI", country="BR")
    make.practice(organisation=city, title="Kenyan water kiosks",
                  tagged={"countries": ["KE"], "targets": ["6.1"], "themes": ["local_action"]})
    make.practice(organisation=city, title="Kenyan and Ugandan wells",
                  tagged={"countries": ["KE", "UG"], "targets": ["6.1", "6.2"]})
    make.practice(organisation=institute, title="Water in Brazil and Kenya",
                  tagged={"countries": ["BR", "KE"], "targets": ["6.1"]})
    make.practice(organisation=institute, title="Goal 6 only, in Chile",
                  tagged={"countries": ["CL"], "goals": [6]})
    make.practice(organisation=city, title="A draft on 6.1", status="draft",
                  tagged={"countries": ["KE"], "targets": ["6.1"]})
    make.practice(organisation=city, title="An archived one", status="archived",
                  tagged={"countries": ["TZ"], "targets": ["6.1"]})


def _row(found, key):
    block = next(block for block in found.blocks if block.goal.number == int(key.split(".")[0]))
    row = block.row if "." not in key else next(r for r in block.targets if r.key == key)
    return dict(zip(found.places, row.counts, strict=True)), row.total


def test_counts_each_published_practice_once_per_cell(app, practices):
    found = coverage.build(coverage.Filters())
    assert found.places == ["Africa", "Americas", "Asia", "Europe", "Oceania"]
    # KE; KE+UG (once in Africa); BR+KE (in Africa and in the Americas, once in the total)
    assert _row(found, "6.1") == ({"Africa": 3, "Americas": 1, "Asia": 0, "Europe": 0,
                                   "Oceania": 0}, 3)
    assert _row(found, "6.2") == ({"Africa": 1, "Americas": 0, "Asia": 0, "Europe": 0,
                                   "Oceania": 0}, 1)
    # the goal row counts practices tagged with the goal, with or without a target
    assert _row(found, "6") == ({"Africa": 3, "Americas": 2, "Asia": 0, "Europe": 0,
                                 "Oceania": 0}, 4)
    assert _row(found, "11.3")[1] == 0
    assert found.missing == 167 and found.few == 1


def test_filters_by_theme_and_organisation_type(app, practices):
    by_theme = coverage.build(coverage.Filters(theme="local_action"))
    assert _row(by_theme, "6.1") == ({"Africa": 1, "Americas": 0, "Asia": 0, "Europe": 0,
                                      "Oceania": 0}, 1)
    by_type = coverage.build(coverage.Filters(org_type="NRI"))
    assert _row(by_type, "6.1") == ({"Africa": 1, "Americas": 1, "Asia": 0, "Europe": 0,
                                     "Oceania": 0}, 1)
    assert _row(by_type, "6")[1] == 2
    one_goal = coverage.build(coverage.Filters(goal=6))
    assert [block.goal.number for block in one_goal.blocks] == [6]


def test_drills_down_to_the_countries_that_have_practices(app, practices):
    found = coverage.build(coverage.Filters(region="Africa"))
    assert found.by_country and found.places == ["KE", "UG"]  # by name; no TZ: archived
    assert _row(found, "6.1") == ({"KE": 3, "UG": 1}, 3)
    assert coverage.build(coverage.Filters(region="Eastern Africa")).places == ["KE", "UG"]
    americas = coverage.build(coverage.Filters(region="South America"))
    assert americas.places == ["BR", "CL"]
    assert _row(americas, "6.1") == ({"BR": 1, "CL": 0}, 1)
    assert _row(americas, "6") == ({"BR": 1, "CL": 1}, 2)


def test_a_drill_down_keeps_the_countries_with_most_practices(app, practices, monkeypatch):
    monkeypatch.setattr(coverage, "MAX_COUNTRIES", 1)
    found = coverage.build(coverage.Filters(region="Africa"))
    assert found.places == ["KE"] and found.more_countries == 1


def _cells(html, caption_goal):
    """Return {(row key, column header): (text, href)} of one goal's table."""
    table = BeautifulSoup(html, "html.parser").find("table", id=f"goal-{caption_goal}")
    headers = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")][1:]
    cells = {}
    for tr in table.tbody.find_all("tr"):
        key = tr.th.a.get_text(strip=True).removeprefix("Goal ")
        for header, td in zip(headers, tr.find_all("td"), strict=True):
            cells[key, header] = (td.a.get_text(" ", strip=True), td.a["href"])
    return cells


def test_each_cell_links_to_its_practices(client, practices):
    page = client.get("/sdg/coverage?theme=&org_type=")
    assert page.status_code == 200
    cells = _cells(page.get_data(as_text=True), 6)
    text, href = cells["6.1", "Africa"]
    assert text == "3"
    address = urlsplit(href)
    assert address.path == "/practices/"
    assert parse_qs(address.query) == {"target": ["6.1"], "region": ["Africa"]}
    browse = client.get(href).get_data(as_text=True)
    for title in ("Kenyan water kiosks", "Kenyan and Ugandan wells", "Water in Brazil and Kenya"):
        assert title in browse
    assert "A draft on 6.1" not in browse
    assert parse_qs(urlsplit(cells["6", "Americas"][1]).query) == {"goal": ["6"],
                                                                   "region": ["Americas"]}
    assert parse_qs(urlsplit(cells["6.1", "All regions"][1]).query) == {"target": ["6.1"]}


def test_links_keep_the_filters_and_the_country(client, practices):
    html = client.get("/sdg/coverage?region=Africa&org_type=LRG&goal=6").get_data(as_text=True)
    cells = _cells(html, 6)
    assert cells["6.1", "Kenya"][0] == "2"
    assert parse_qs(urlsplit(cells["6.1", "Kenya"][1]).query) == {
        "target": ["6.1"], "country": ["KE"], "org_type": ["LRG"]}
    assert parse_qs(urlsplit(cells["6.1", "All of Africa"][1]).query) == {
        "target": ["6.1"], "region": ["Africa"], "org_type": ["LRG"]}
    assert 'id="goal-7"' not in html


def test_targets_with_none_or_few_are_marked(client, practices):
    soup = BeautifulSoup(client.get("/sdg/coverage?goal=6").get_data(as_text=True),
                         "html.parser")
    flags = {th.a.get_text(strip=True): th.find(class_="cov-flag").get_text(strip=True)
             for th in soup.select("th.cov-scarce")}
    assert flags["6.2"] == "few" and flags["6.3"] == "none" and "6.1" not in flags
    assert "<strong>6</strong> of 8 targets have no published practice" in str(soup)


def test_an_empty_cell_calls_for_contributions(client, practices, make, auth):
    text, href = _cells(client.get("/sdg/coverage").get_data(as_text=True), 6)["6.2", "Americas"]
    assert text.startswith("0") and "none yet" in text
    assert urlsplit(href).path == "/sdg/coverage/wanted"
    page = BeautifulSoup(client.get(href).get_data(as_text=True), "html.parser")
    assert "No published practice serves SDG target 6.2 in Americas" in page.get_text(" ")
    elsewhere = {a.get_text(strip=True): a["href"] for a in page.select(".target-list a")}
    assert parse_qs(urlsplit(elsewhere["Africa"]).query) == {"target": ["6.2"],
                                                             "region": ["Africa"]}
    share = page.find("a", string="Share a practice on target 6.2")["href"]
    assert parse_qs(urlsplit(share).query) == {"target": ["6.2"], "region": ["Americas"]}

    make.member(email="writer@example.org")
    auth.login("writer@example.org")
    form = BeautifulSoup(client.get("/practices/new?target=6.2&country=CL").get_data(
        as_text=True), "html.parser")
    assert "No published practice serves SDG target 6.2 in Chile yet" in form.get_text(" ")
    assert form.select_one('input[name=targets][value="6.2"]').has_attr("checked")
    assert not form.select_one('input[name=targets][value="6.1"]').has_attr("checked")
    assert form.select_one('input[name=goals][value="6"]').has_attr("checked")
    assert form.select_one('#countries option[value="CL"]').has_attr("selected")


def test_the_form_says_nothing_is_missing_when_practices_exist(client, practices, make, auth):
    make.member(email="writer@example.org")
    auth.login("writer@example.org")
    text = BeautifulSoup(client.get("/practices/new?target=6.1&country=KE").get_data(
        as_text=True), "html.parser").get_text(" ")
    assert "No published practice" not in text
    assert "SDG target 6.1 and the country are chosen for you below." in text


def test_a_cell_filled_since_says_so(client, practices):
    page = client.get("/sdg/coverage/wanted?target=6.1&country=UG").get_data(as_text=True)
    assert "1 published practice now" in page and "Practices wanted" not in page


def test_open_calls_asking_for_the_target_are_listed(client, practices, app):
    from datetime import timedelta

    from nanum.curation.models import ContributionCall
    from nanum.extensions import db
    from nanum.timeutil import utcnow

    soon = utcnow().date() + timedelta(days=30)
    db.session.add_all([
        ContributionCall(title="Water in Latin America", sdgs=["6"], countries=[],
                         regions=["South America"], closes_on=soon),
        ContributionCall(title="Water in Asia", sdgs=["6.2"], countries=["IN"], regions=[],
                         closes_on=soon),
        ContributionCall(title="Closed", sdgs=["6.2"], countries=[], regions=[],
                         closes_on=soon - timedelta(days=60))])
    db.session.commit()
    page = client.get("/sdg/coverage/wanted?target=6.2&country=CL").get_data(as_text=True)
    assert "Water in Latin America" in page
    assert "Water in Asia" not in page and "Closed" not in page


@pytest.mark.parametrize("query", [
    "region=Atlantis", "theme=cooking", "org_type=guild", "goal=18", "goal=6.1",
    "region=%00", "theme=" + "x" * 5000,
])
def test_bad_filters_are_ignored_with_a_note(client, practices, query):
    page = client.get(f"/sdg/coverage?{query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "alert-warning" in html or "region=%00" in query
    assert 'id="goal-6"' in html


@pytest.mark.parametrize("query", ["", "target=99.9", "target=6.z&region=Africa", "goal=abc"])
def test_a_wanted_page_without_a_goal_or_target_is_a_bad_request(client, query):
    page = client.get(f"/sdg/coverage/wanted?{query}")
    assert page.status_code == 400
    assert "Say which SDG goal or target is missing" in page.get_data(as_text=True)


def test_the_page_runs_a_fixed_number_of_queries(client, make, count_queries):
    def queries(url):
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    make.practice(tagged={"countries": ["KE"], "targets": ["6.1"]})
    few = [queries("/sdg/coverage"), queries("/sdg/coverage?region=Africa")]
    for code in ("UG", "BR", "FR", "IN", "AU"):
        make.practice(tagged={"countries": [code, "KE"], "targets": ["6.1", "11.3", "1.a"],
                              "themes": ["local_action"]})
    assert [queries("/sdg/coverage"), queries("/sdg/coverage?region=Africa")] == few
    assert few[0] <= 4


def test_the_page_is_linked_from_the_navigation_and_the_sdg_pages(client):
    for url in ("/", "/sdg/", "/sdg/6"):
        assert "/sdg/coverage" in client.get(url).get_data(as_text=True)
    nav = BeautifulSoup(client.get("/sdg/coverage").get_data(as_text=True), "html.parser")
    current = [a.get_text() for a in nav.select('nav.main-nav a[aria-current="page"]')]
    assert current == ["Coverage"]


def test_a_moderator_can_open_a_call_for_a_gap(client, practices, make, auth):
    url = "/sdg/coverage/wanted?target=6.3&region=Africa"
    assert "open a call for contributions" not in client.get(url).get_data(as_text=True)
    make.user(email="mod@example.org", role="moderator")
    auth.login("mod@example.org")
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    link = page.find("a", string="open a call for contributions on this gap")["href"]
    assert parse_qs(urlsplit(link).query)["regions"] == [
        "Eastern Africa", "Middle Africa", "Northern Africa", "Southern Africa", "Western Africa"]
    form = BeautifulSoup(client.get(link).get_data(as_text=True), "html.parser")
    assert form.select_one("#title")["value"] == "Practices on SDG 6.3 in Africa"
    assert form.select_one("#sdgs")["value"] == "6.3"
    assert form.select_one('#regions option[value="Middle Africa"]').has_attr("selected")


def test_kept_counts_follow_a_new_practice(app, practices, make):
    app.config["PAGECACHE_SECONDS"] = 60
    assert _row(coverage.build(coverage.Filters()), "6.2")[1] == 1
    assert _row(coverage.build(coverage.Filters()), "6.2")[1] == 1  # kept
    make.practice(tagged={"countries": ["FR"], "targets": ["6.2"]})
    assert _row(coverage.build(coverage.Filters()), "6.2") == (
        {"Africa": 1, "Americas": 0, "Asia": 0, "Europe": 1, "Oceania": 0}, 2)
