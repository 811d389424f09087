"""The discussion scripts in headless Chromium: @mention completion and quoting a passage."""

import pytest

from fixtures.app import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def topic(live_server):
    """Two people and a topic, written straight into the live instance's database."""
    from fixtures.factories import UserFactory
    from nanum import create_app
    from nanum.discussions import services
    from nanum.extensions import db

    instance = live_server["instance"]
    app = create_app({"SQLALCHEMY_DATABASE_URI": live_server["database_url"],
                      "SEARCH_INDEX_DIR": str(instance / "search_index"),
                      "RATELIMIT_ENABLED": False}, instance_path=instance)
    with app.app_context():
        asker = UserFactory(email="e2e-asker@example.org", handle="e2e-asker", name="Esi Asker")
        UserFactory(email="e2e-grace@example.org", handle="grace-wanjiku",
                    name="Grace Wanjiku")
        thread = services.start_topic(
            asker, category="questions", title="Who trained your ward wardens?",
            body="We trained twelve wardens in two weekends and it was not enough.")
        thread_id = thread.id
        db.session.remove()
    return f"{live_server['url']}/discussions/t/{thread_id}"


def test_mention_completion_and_quoting(live_server, page, topic, screenshot):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.goto(live_server["url"] + "/login")
    page.fill("#email", "e2e-asker@example.org")
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(topic)

    # Select a passage of the question, then quote it.
    page.evaluate("""() => {
        const text = document.querySelector('.post-body p').firstChild;
        const range = document.createRange();
        range.setStart(text, 3); range.setEnd(text, 32);
        window.getSelection().removeAllRanges(); window.getSelection().addRange(range); }""")
    page.locator("a[data-quote]").first.click()
    box = page.locator("#reply-body")
    expect(box).to_have_value("> trained twelve wardens in two\n\n")
    expect(page).to_have_url(topic)  # quoted in place, no reload

    # Mention someone with the keyboard.
    box.press("End")
    box.type("Ask @gra", delay=40)
    option = page.get_by_role("option", name="Grace Wanjiku @grace-wanjiku")
    expect(option).to_be_visible()
    expect(option).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    screenshot("discussions-mention")
    box.press("Enter")
    expect(box).to_have_value("> trained twelve wardens in two\n\nAsk @grace-wanjiku ")
    expect(page.get_by_role("listbox")).to_be_hidden()

    page.get_by_role("button", name="Post reply").last.click()
    expect(page.locator("blockquote").last).to_contain_text("trained twelve wardens in two")
    expect(page.get_by_role("link", name="@grace-wanjiku")).to_be_visible()
