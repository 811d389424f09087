"""A member submits; a moderator claims it and asks for changes; the member fixes and
resubmits; the moderator sees what changed, approves it and features it in a collection; it
shows on the home page, in the collection's feed and in search."""

import re
import time
import urllib.request

import pytest

from fixtures.live import ARTIFACTS, log_in

pytestmark = pytest.mark.e2e
TITLE = "Ward flood wardens trained by the fire brigade"


@pytest.fixture
def reviewed_site(live_server, live_app):
    """A member of an organisation and a moderator; every submission waits for review."""
    from fixtures.factories import MembershipFactory, UserFactory
    from nanum.extensions import db
    from nanum.moderation.models import SiteSetting

    app = live_app
    with app.app_context():
        member = UserFactory(email="e2e-review-member@example.org", name="Halima Yusuf")
        MembershipFactory(user=member)
        UserFactory(email="e2e-review-mod@example.org", name="Ravi Moderator",
                    role="moderator")
        db.session.add(SiteSetting(key="submission_policy", value="review_all"))
        db.session.commit()
        db.session.remove()
    yield live_server["url"]
    with app.app_context():
        db.session.delete(db.session.get(SiteSetting, "submission_policy"))
        db.session.commit()
        db.session.remove()


def _signed_in(browser, url, email):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15000)
    log_in(page, url, email)
    return page


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_submit_request_changes_resubmit_approve_and_feature(browser, reviewed_site):
    expect = pytest.importorskip("playwright.sync_api").expect
    url = reviewed_site
    member = _signed_in(browser, url, "e2e-review-member@example.org")
    moderator = _signed_in(browser, url, "e2e-review-mod@example.org")

    # The member writes a practice and submits it: it waits for review.
    member.goto(url + "/practices/new")
    member.fill("#title", TITLE)
    member.fill("#summary", "Two volunteers per ward, trained by the fire brigade, warn "
                            "riverside households when the river rises.")
    member.select_option("#kind", "case_study")
    member.select_option("#countries", ["KE"])
    member.locator("summary", has_text="Goal 11:").click()
    member.check("#target-11\\.5")
    member.fill("#results", "Households were warned in time.")
    member.get_by_role("button", name="Submit for review").click()
    expect(member.get_by_text("Your practice is submitted for review.")).to_be_visible()
    expect(member.get_by_text("waiting for a moderator's review")).to_be_visible()
    practice_url = member.url

    # The moderator finds it in the queue, claims it and asks for changes.
    moderator.goto(url + "/moderation/review/")
    expect(moderator.get_by_role("link", name=TITLE)).to_be_visible()
    _shot(moderator, "review-01-queue")
    moderator.get_by_role("link", name=TITLE).click()
    moderator.get_by_role("button", name="Claim").click()
    expect(moderator.get_by_text("You are reviewing this practice.")).to_be_visible()
    moderator.check("#decision-request_changes")
    moderator.fill("#message", "Please say how many households were warned, and how you know.")
    _shot(moderator, "review-02-item")
    moderator.get_by_role("button", name="Decide").click()
    expect(moderator.get_by_text("Changes requested. The author has been told.")).to_be_visible()

    # The member sees the request beside the practice, fixes it and resubmits.
    member.goto(practice_url)
    expect(member.get_by_text("Please say how many households were warned")).to_be_visible()
    _shot(member, "review-03-changes-requested")
    member.get_by_role("link", name="Edit practice").click()
    member.fill("#results", "Households were warned in time.\n"
                            "412 households were warned in 2024, counted by the wardens' logs.")
    member.get_by_role("button", name="Submit for review").click()
    expect(member.get_by_text("Your practice is submitted for review.")).to_be_visible()

    # The moderator sees the resubmission with what changed, and approves it.
    moderator.goto(url + "/moderation/review/")
    expect(moderator.get_by_text("Resubmission 2")).to_be_visible()
    moderator.get_by_role("link", name=TITLE).click()
    expect(moderator.get_by_text("+ 412 households were warned in 2024")).to_be_visible()
    _shot(moderator, "review-04-resubmission-diff")
    moderator.check("#decision-approve")
    moderator.get_by_role("button", name="Decide").click()
    expect(moderator.get_by_text("Approved and published.")).to_be_visible()

    # The member hears of it, and the practice is public.
    member.goto(url + "/notifications")
    expect(member.get_by_text(re.compile("was approved and is published")).first).to_be_visible()
    anonymous = browser.new_context().new_page()
    anonymous.goto(practice_url)
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(TITLE)

    # The moderator features it and puts it in a new collection.
    moderator.goto(practice_url)
    moderator.fill("#feature-note", "Wardens any ward can train in a weekend")
    moderator.get_by_role("button", name="Feature on the home page").click()
    expect(moderator.get_by_text("is featured on the home page")).to_be_visible()
    moderator.goto(url + "/collections/new")
    moderator.fill("#title", "Flood wardens and early warning")
    moderator.fill("#description", "Warnings that towns with few staff can run.")
    moderator.get_by_role("button", name="Create collection").click()
    moderator.fill("#practice", practice_url)
    moderator.fill("#note", "Trained by the fire brigade, two per ward")
    moderator.get_by_role("button", name="Add to the collection").click()
    expect(moderator.get_by_text("is added to the collection")).to_be_visible()
    moderator.get_by_role("button", name="Publish").click()
    expect(moderator.get_by_text("The collection is public.")).to_be_visible()
    collection_url = moderator.url.removesuffix("/edit")

    # Everyone sees it on the home page, in the collection's feed and in search.
    anonymous.goto(url + "/")
    featured = anonymous.locator("section", has=anonymous.get_by_role(
        "heading", name="Featured practices"))
    expect(featured.get_by_role("link", name=TITLE)).to_be_visible()
    expect(anonymous.get_by_role("link", name="Flood wardens and early warning")).to_be_visible()
    _shot(anonymous, "review-05-home")
    feed_url = collection_url.replace("/collections/", "/feeds/collections/") + ".atom"
    with urllib.request.urlopen(feed_url) as feed:
        assert TITLE in feed.read().decode()
    deadline = time.monotonic() + 30  # the indexer beside the server indexes it
    while True:
        anonymous.goto(url + "/search?q=wardens+fire+brigade")
        found = anonymous.get_by_role("link", name=TITLE)
        if found.count() or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    expect(found.first).to_be_visible()
