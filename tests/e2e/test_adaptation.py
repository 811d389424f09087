"""An organisation adapts a published practice from its page, and the lineage shows it."""

import pytest

from fixtures.live import ARTIFACTS, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def original(live_app):
    from fixtures.factories import (
        MembershipFactory,
        OrganisationFactory,
        PracticeFactory,
        UserFactory,
    )
    from nanum.extensions import db

    app = live_app
    with app.app_context():
        user = UserFactory(email="e2e-adapter@example.org", name="Sione Adapter")
        MembershipFactory(user=user, organisation=OrganisationFactory(
            name="Savuka Seafront Council", type="LRG", country="FJ"))
        practice = PracticeFactory(
            title="Storm-surge flags for coastal villages", summary="Colour flags warn "
            "coastal households of a storm surge.", organisation=OrganisationFactory(
                name="Dalisay Bay Council", type="LRG", country="PH"),
            tagged={"countries": ["PH"], "targets": ["11.5"]})
        practice_id = practice.id
        db.session.remove()
    return practice_id


def test_an_organisation_adapts_a_practice_and_the_lineage_shows_it(live_server, browser,
                                                                     original):
    expect = pytest.importorskip("playwright.sync_api").expect
    url = live_server["url"]
    page = browser.new_context(viewport={"width": 1280, "height": 900},
                               java_script_enabled=False).new_page()
    log_in(page, url, "e2e-adapter@example.org")

    page.goto(url + f"/practices/{original}")
    page.get_by_role("link", name="Adapt this practice for your place").click()
    expect(page.locator("#title")).to_have_value("Storm-surge flags for coastal villages")
    page.fill("#title", "Surge flags and church bells in Savuka")
    page.select_option("#countries", "FJ")
    page.fill("#adaptation_changes", "Church bells ring where the flags cannot be seen.")
    page.get_by_role("button", name="Publish").click()

    expect(page.locator(".adapted-from")).to_have_text(
        "Adapted from Storm-surge flags for coastal villages")
    page.goto(url + f"/practices/{original}/lineage")
    tree = page.locator("ul.lineage")
    expect(tree).to_contain_text("Surge flags and church bells in Savuka")
    expect(tree).to_contain_text("Savuka Seafront Council, Fiji")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "lineage.png"), full_page=True)
    page.goto(url + f"/practices/{original}")
    expect(page.locator("section.adaptations")).to_contain_text(
        "Adapted by 1 organisation in 1 country.")
    page.screenshot(path=str(ARTIFACTS / "adapted-original.png"), full_page=True)
