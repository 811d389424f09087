"""Two people talk under a practice; a mention brings the other back through the bell."""

import re

import pytest

from fixtures.live import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def practice_url(live_server, live_app):
    """Two members and a published practice, written into the live instance's database."""
    from fixtures.factories import PracticeFactory, UserFactory
    from nanum.extensions import db

    app = live_app
    with app.app_context():
        UserFactory(email="e2e-wanjiru@example.org", handle="wanjiru-kamau",
                    name="Wanjiru Kamau")
        UserFactory(email="e2e-diego@example.org", handle="diego-quispe", name="Diego Quispe")
        practice = PracticeFactory(title="Ward water committees that collect their own fees",
                                   tagged={"countries": ["KE"], "targets": ["6.1"]})
        practice_id = practice.id
        db.session.remove()
    return f"{live_server['url']}/practices/{practice_id}"


def test_conversation_with_a_mention_and_its_notification(live_server, browser, practice_url,
                                                          screenshot):
    expect = pytest.importorskip("playwright.sync_api").expect
    url = live_server["url"]
    wanjiru = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    diego = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    # Wanjiru asks a question under the practice.
    log_in(wanjiru, url, "e2e-wanjiru@example.org")
    wanjiru.goto(practice_url)
    wanjiru.fill("#reply textarea[name=body]", "How did the committees agree on the fee?")
    wanjiru.get_by_role("button", name="Post reply").click()
    expect(wanjiru.get_by_text("How did the committees agree on the fee?")).to_be_visible()

    # Diego answers her post, mentioning her with the completion list.
    log_in(diego, url, "e2e-diego@example.org")
    diego.goto(practice_url)
    question = diego.locator("article", has_text="How did the committees agree")
    question.locator("summary", has_text="Reply").first.click()
    box = question.locator("textarea[name=body]").first
    box.click()
    box.type("@wanj")
    diego.get_by_role("option", name=re.compile("Wanjiru Kamau")).click()
    box.type("each ward voted on it in an open assembly.")
    expect(box).to_have_value(re.compile(r"^@wanjiru-kamau each ward voted"))
    box.locator("xpath=ancestor::form").get_by_role("button", name="Post reply").click()
    expect(diego.get_by_text("each ward voted on it in an open assembly.")).to_be_visible()
    screenshot_page(diego, "15-conversation")

    # Wanjiru sees the bell, opens her notifications and follows the mention.
    wanjiru.goto(url + "/")
    bell = wanjiru.locator("a.notification-bell")
    expect(bell).to_contain_text(re.compile(r"\d"))
    bell.click()
    expect(wanjiru.get_by_role("heading", level=1)).to_contain_text("Notifications")
    screenshot_page(wanjiru, "16-notifications")
    wanjiru.get_by_role("button", name=re.compile("^Diego Quispe")).first.click()
    expect(wanjiru).to_have_url(re.compile(r"/practices/\d+.*#post-\d+$"))
    expect(wanjiru.get_by_text("each ward voted on it in an open assembly.")).to_be_visible()
    mention = wanjiru.get_by_role("link", name="@wanjiru-kamau")
    expect(mention).to_have_attribute("href", re.compile(r"/people/\d+"))
    wanjiru.goto(url + "/")
    expect(wanjiru.locator("a.notification-bell .badge")).to_have_count(0)


def screenshot_page(page, name):
    from fixtures.live import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
