"""An organisation's admin sets its place once; practices then rank by likeness to it, each
saying why, without scripts."""

import pytest

from fixtures.live import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def council(live_app):
    from fixtures.factories import (
        MembershipFactory,
        OrganisationFactory,
        PracticeFactory,
        UserFactory,
    )
    from nanum.extensions import db

    app = live_app
    with app.app_context():
        admin = UserFactory(email="e2e-places@example.org", name="Gudrun Admin")
        council = OrganisationFactory(name="Fjord Town Council", type="LRG", country="IS",
                                      government_level="municipal", population=20_000)
        MembershipFactory(user=admin, organisation=council, role="admin")
        for title, country, context in [
                ("Harbour ice warnings by text message", "IS",
                 {"government_level": "municipal", "population_band": "10k_50k",
                  "settlement_type": "urban"}),
                ("Snow clearing shared between two valleys", "NO",
                 {"government_level": "municipal", "population_band": "lt_10k",
                  "settlement_type": "rural"}),
                ("A national heating subsidy", "CL", {"government_level": "national"})]:
            PracticeFactory(title=title, organisation=council, tagged={"countries": [country]},
                            **context)
        council_id = council.id
        db.session.remove()
    return council_id


def test_a_council_sets_its_place_and_practices_rank_by_it(live_server, browser, council):
    expect = pytest.importorskip("playwright.sync_api").expect
    from fixtures.live import ARTIFACTS

    url = live_server["url"]
    page = browser.new_context(viewport={"width": 1280, "height": 900},
                               java_script_enabled=False).new_page()
    log_in(page, url, "e2e-places@example.org")

    page.goto(f"{url}/organisations/{council}/edit")
    expect(page.locator("#place_population_band")).to_have_value("10k_50k")  # from 20,000
    page.select_option("#place_settlement_type", "urban")
    page.get_by_role("button", name="Save the place").click()
    expect(page.locator(".alert-success")).to_contain_text("The place of Fjord Town Council")

    page.goto(url + "/practices/")
    page.get_by_role("link", name="Like my place").click()
    expect(page.locator(".ranked-by")).to_contain_text(
        "Ranked by likeness to Fjord Town Council: Iceland · City / municipality")
    cards = page.locator(".practice-card")
    expect(cards.nth(0)).to_contain_text("Harbour ice warnings by text message")
    expect(cards.nth(0).locator(".likeness")).to_have_text(
        "100% like your place: same country (Iceland), level of government, population band "
        "and settlement type")
    snow = cards.filter(has_text="Snow clearing shared between two valleys")
    expect(snow.locator(".likeness")).to_have_text(
        "63% like your place: same region (Northern Europe) and level of government; "
        "similar population; different settlement (Rural)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "places-like-mine.png"), full_page=False)
