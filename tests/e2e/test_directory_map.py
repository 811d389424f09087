"""The organisations directory's map works offline and on a phone."""

from urllib.parse import urlsplit

import pytest

from fixtures.live import ARTIFACTS

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def organisations(live_app):
    from fixtures.factories import OrganisationFactory
    from nanum.extensions import db

    with live_app.app_context():
        for number, country in enumerate(["BT", "BT", "BT", "UG", "PH", "PH", "CO", "FJ"]):
            OrganisationFactory(name=f"Map test organisation {number}", type="LRG",
                                country=country)
        db.session.remove()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_map_page_leaves_nothing_to_other_hosts(live_server, browser, organisations,
                                                    viewport):
    expect = pytest.importorskip("playwright.sync_api").expect
    url = live_server["url"]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    try:
        page.goto(url + "/organisations/?org_type=LRG")
        page.wait_for_load_state("networkidle")
        assert hosts and set(hosts) == {"127.0.0.1"}, sorted(set(hosts))

        world = page.locator(".world-map svg")
        expect(world).to_be_visible()
        box = world.bounding_box()
        width = page.evaluate("document.documentElement.clientWidth")
        assert box["width"] > 300 and box["x"] + box["width"] <= width  # fits the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways
        # Bhutan: a country no other browser test gives an organisation.
        bhutan = page.locator('.world-map a[aria-label="Bhutan: 3 organisations"]')
        expect(bhutan).to_have_count(1)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"directory-map-{viewport['width']}.png"),
                        full_page=True)

        bhutan.click()  # the country leads to its filtered list
        page.wait_for_url("**/organisations/?country=BT&org_type=LRG")
        expect(page.locator("#results-title")).to_contain_text("3 organisations")
        assert set(hosts) == {"127.0.0.1"}, sorted(set(hosts))
    finally:
        context.close()
