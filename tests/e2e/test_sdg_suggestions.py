"""An author asks for SDG suggestions on the practice form, accepts one and dismisses another,
without scripts; the practice's page offers the rest, on a desktop and a phone."""

import pytest

from fixtures.live import ARTIFACTS, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def author(live_app):
    from fixtures.factories import MembershipFactory, OrganisationFactory, UserFactory
    from nanum.extensions import db

    app = live_app
    with app.app_context():
        user = UserFactory(email="e2e-author@example.org", name="Amina Author")
        council = OrganisationFactory(name="Lakeside Water Board", type="LRG", country="KE")
        MembershipFactory(user=user, organisation=council)
        db.session.remove()


def test_an_author_accepts_a_suggested_target(live_server, browser, author):
    expect = pytest.importorskip("playwright.sync_api").expect
    url = live_server["url"]
    page = browser.new_context(viewport={"width": 1280, "height": 900},
                               java_script_enabled=False).new_page()
    log_in(page, url, "e2e-author@example.org")

    page.goto(url + "/practices/new")
    page.fill("#title", "Safe water kiosks for informal settlements")
    page.fill("#summary", "The county utility extended piped drinking water to informal "
                          "settlements; kiosk committees test water quality every week.")
    page.select_option("#kind", "case_study")
    page.get_by_role("button", name="Suggest SDGs from my text").click()

    suggestions = page.locator("section[aria-labelledby=suggestions-title]")
    expect(suggestions).to_contain_text("6.1")
    expect(page.locator("#target-6\\.1")).not_to_be_checked()
    suggestions.get_by_text("Accept 6.1").click()
    expect(page.locator("#target-6\\.1")).to_be_checked()
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#part-sdgs").screenshot(path=str(ARTIFACTS / "sdg-suggestions.png"))
    expect(page.locator("#title")).to_have_value("Safe water kiosks for informal settlements")

    other = suggestions.locator("button[name=dismiss]:not([value='6.1'])").first
    dismissed = other.get_attribute("value")
    other.click()
    expect(suggestions).to_contain_text("Chosen")  # the ticked 6.1 came back with the form
    expect(suggestions.locator(f"label[for$='-{dismissed}']")).to_have_count(0)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".alert-success")).to_contain_text("Your draft is saved.")
    offered = page.locator("#sdg-suggestions")
    expect(offered).to_be_visible()
    expect(offered.locator(f"input[name=key][value='{dismissed}']")).to_have_count(0)
    expect(offered.locator("input[name=key][value='6.1']")).to_have_count(0)
    offered.screenshot(path=str(ARTIFACTS / "sdg-suggestions-practice.png"))

    practice_url = page.url
    phone = browser.new_context(viewport={"width": 375, "height": 800},
                                java_script_enabled=False,
                                storage_state=page.context.storage_state())
    phone_page = phone.new_page()
    phone_page.goto(practice_url)
    phone_page.locator("#sdg-suggestions").screenshot(
        path=str(ARTIFACTS / "sdg-suggestions-phone.png"))
    phone_page.goto(practice_url + "/edit")
    phone_page.locator("#part-sdgs .sdg-suggestions").screenshot(
        path=str(ARTIFACTS / "sdg-suggestions-form-phone.png"))
