"""A need and an offer are posted and matched; an introduction is sent, seen and accepted."""

import datetime
import re

import pytest

from fixtures.live import ARTIFACTS, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_sides(live_app):
    """A town council and an institute, both verified, with one member each."""
    from fixtures.factories import MembershipFactory, OrganisationFactory, UserFactory
    from nanum.extensions import db

    with live_app.app_context():
        town = OrganisationFactory(name="Town Council of Mto Mdogo", type="LRG", country="KE",
                                   verified=True)
        institute = OrganisationFactory(name="Institute of Lake Studies", type="NRI",
                                        country="UG", verified=True)
        MembershipFactory(organisation=town, user=UserFactory(
            email="e2e-planner@example.org", name="Wanjiru Planner", handle="e2e-planner"))
        MembershipFactory(organisation=institute, user=UserFactory(
            email="e2e-researcher@example.org", name="Okello Researcher",
            handle="e2e-researcher"))
        ids = {"town": town.id, "institute": institute.id}
        db.session.remove()
    return ids


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _sign_in(browser, url, email):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15000)
    log_in(page, url, email)
    return page


def _post(page, url, kind, title, targets, countries):
    page.goto(f"{url}/board/new?kind={kind}")
    page.fill("#title", title)
    page.fill("#description", "An illustrative post written by the end-to-end test.")
    page.fill("#targets", targets)
    page.fill("#countries", countries)
    page.fill("#languages", "en")
    page.select_option("#population_band", "10k_50k")
    end = datetime.date.today() + datetime.timedelta(days=60)
    page.fill("#end_date", end.isoformat())
    page.get_by_role("button", name="Post", exact=True).click()


def test_need_and_offer_are_matched_and_the_introduction_arrives(live_server, browser,
                                                                  two_sides):
    expect = pytest.importorskip("playwright.sync_api").expect
    url = live_server["url"]
    planner = _sign_in(browser, url, "e2e-planner@example.org")
    _post(planner, url, "need", "We need help costing a flood early-warning system",
          "11.5, 13.1", "KE")
    expect(planner.get_by_text("Your post is on the board.")).to_be_visible()

    researcher = _sign_in(browser, url, "e2e-researcher@example.org")
    _post(researcher, url, "offer", "We cost early-warning systems with town planners",
          "11.5", "UG, TZ")
    match = researcher.locator(".board-match").filter(
        has_text="We need help costing a flood early-warning system")
    expect(match).to_contain_text("good match")
    expect(match.locator(".match-why")).to_contain_text("both on 11.5 · Eastern Africa · English")
    _shot(researcher, "board-01-offer-with-its-match")

    match.get_by_text("Ask for an introduction").click()
    match.locator("textarea").fill("We costed gauges for two towns; shall we talk next week?")
    match.get_by_role("button", name="Send the introduction request").click()
    expect(researcher.get_by_text("Your introduction is sent")).to_be_visible()

    planner.locator("a.notification-bell").click()
    note = planner.get_by_role(
        "button", name=re.compile("^Institute of Lake Studies would like an introduction"))
    expect(note).to_be_visible()
    _shot(planner, "board-02-notification")
    note.click()
    expect(planner.get_by_text("shall we talk next week?")).to_be_visible()
    planner.get_by_role("button", name="Accept and share contacts").click()
    expect(planner.locator(".introduction-status")).to_have_text("Accepted")
    expect(planner.locator(".contacts")).to_contain_text("e2e-researcher@example.org")

    planner.goto(url + "/board/")
    expect(planner.locator(".board-post")).to_have_count(2)
    _shot(planner, "board-03-board")
