"""A visitor reads the coverage table, follows a cell and an empty cell, without scripts."""

import pytest

from fixtures.live import ARTIFACTS

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def water_practice(live_app):
    from fixtures.factories import OrganisationFactory, PracticeFactory
    from nanum.extensions import db

    app = live_app
    with app.app_context():
        board = OrganisationFactory(name="Coverage Water Board", type="LRG", country="KE")
        PracticeFactory(organisation=board, title="Kiosks that test the water weekly",
                        tagged={"countries": ["KE"], "targets": ["6.1"]})
        db.session.remove()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900},
                                      {"width": 390, "height": 844}], ids=["desktop", "phone"])
def test_a_visitor_follows_a_cell_and_a_gap(live_server, browser, water_practice, viewport):
    expect = pytest.importorskip("playwright.sync_api").expect
    url = live_server["url"]
    page = browser.new_context(viewport=viewport, java_script_enabled=False).new_page()
    page.goto(url + "/sdg/coverage?goal=6")
    table = page.get_by_role("table", name="SDG 6 Clean water")
    expect(table).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"coverage-{viewport['width']}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="6.1"))
    headers = table.get_by_role("columnheader").all_inner_texts()
    africa = row.get_by_role("cell").nth(headers.index("Africa") - 1)
    africa.get_by_role("link").click()
    expect(page.get_by_text("Kiosks that test the water weekly")).to_be_visible()

    page.goto(url + "/sdg/coverage?goal=6")
    oceania = row.get_by_role("cell").nth(headers.index("Oceania") - 1)
    expect(oceania).to_have_text("0, none yet: share one")
    oceania.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Practices wanted: SDG target 6.1 in Oceania")
    page.screenshot(path=str(ARTIFACTS / f"coverage-wanted-{viewport['width']}.png"),
                    full_page=True)
