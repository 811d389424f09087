"""A moderator features a practice, builds a collection and opens a call; a visitor sees them."""

import html
import re
import urllib.request

import pytest

from fixtures.live import ARTIFACTS, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def curated_site(live_app):
    """A moderator and three published practices, written into the live instance."""
    from fixtures.factories import OrganisationFactory, PracticeFactory, UserFactory
    from nanum.extensions import db

    app = live_app
    with app.app_context():
        UserFactory(email="e2e-curator@example.org", name="Ana Curator", role="moderator",
                    handle="ana-curator")
        council = OrganisationFactory(name="Kisumu County Council", type="LRG", country="KE")
        titles = ["Rain gauges read by school pupils",
                  "SMS flood alerts run by the county radio",
                  "Community flood wardens on the Nyando river"]
        ids = [PracticeFactory(organisation=council, title=title,
                               tagged={"countries": ["KE"], "targets": ["11.5", "13.1"]}).id
               for title in titles]
        db.session.remove()
    return dict(zip(titles, ids, strict=True))


def _screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_curation_shows_on_the_home_page_and_in_the_collection(live_server, browser,
                                                               curated_site):
    expect = pytest.importorskip("playwright.sync_api").expect
    url = live_server["url"]
    (gauges, sms, wardens) = curated_site
    curator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(curator, url, "e2e-curator@example.org")

    # Feature a practice, named by its address, with a note.
    curator.goto(url + "/moderation/")
    curator.get_by_role("link", name="Curation").click()
    curator.fill("#practice", f"{url}/practices/{curated_site[gauges]}")
    curator.fill("#note", "Six wards, one phone each: the cheapest warning we know of")
    curator.get_by_role("button", name="Feature", exact=True).click()
    expect(curator.get_by_text("is featured on the home page")).to_be_visible()
    _screenshot(curator, "curation-01-featured")

    # Build a collection of two practices, in order, and publish it.
    curator.get_by_role("link", name="New collection").click()
    curator.fill("#title", "Flood early warning for small towns")
    curator.fill("#description", "Warnings that municipalities under **50,000 people** run "
                                 "with little staff.")
    curator.get_by_role("button", name="Create collection").click()
    for title, note in ((wardens, "Volunteers, no equipment"),
                        (sms, "Flood early warning for municipalities under 50,000 people")):
        curator.fill("#practice", str(curated_site[title]))
        curator.fill("#note", note)
        curator.get_by_role("button", name="Add to the collection").click()
        expect(curator.get_by_text("is added to the collection")).to_be_visible()
    curator.get_by_role("button", name=re.compile(f"Move up {re.escape(sms)}")).click()
    curator.get_by_role("button", name="Publish").click()
    expect(curator.get_by_text("The collection is public.")).to_be_visible()
    _screenshot(curator, "curation-02-curate")
    collection_url = curator.url.removesuffix("/edit")

    # Open a call for contributions.
    curator.goto(url + "/calls/new")
    curator.fill("#title", "Practices on SDG 6.b in East Africa")
    curator.fill("#sdgs", "6.b")
    curator.select_option("#regions", ["Eastern Africa"])
    curator.fill("#closes_on", "2099-03-31")
    curator.get_by_role("button", name="Open the call").click()
    expect(curator.get_by_text("This call is open until")).to_be_visible()

    # A visitor sees all of it on the home page, and the collection in its order.
    visitor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    visitor.goto(url + "/")
    featured = visitor.locator("section", has=visitor.get_by_role("heading",
                                                                  name="Featured practices"))
    expect(featured.get_by_role("link", name=gauges)).to_be_visible()
    expect(featured.get_by_text("the cheapest warning we know of")).to_be_visible()
    expect(visitor.get_by_role("link", name="Flood early warning for small towns")).to_be_visible()
    expect(visitor.get_by_role("link", name="Practices on SDG 6.b in East Africa")).to_be_visible()
    _screenshot(visitor, "curation-03-home")

    visitor.get_by_role("link", name="Flood early warning for small towns").click()
    expect(visitor).to_have_url(collection_url)
    cards = visitor.locator(".curated-item h2")
    expect(cards).to_have_text([sms, wardens])
    expect(visitor.locator("strong", has_text="50,000 people")).to_be_visible()
    _screenshot(visitor, "curation-04-collection")

    with urllib.request.urlopen(collection_url.replace("/collections/",
                                                       "/feeds/collections/") + ".atom") as feed:
        body = feed.read().decode()
    assert body.index(sms) < body.index(wardens)  # the latest added first
    # The entry's content is HTML written as XML text: escaped twice in the file.
    assert "Curator's note" in html.unescape(html.unescape(body))

