"""Three members flag a spam post; it hides itself; a moderator confirms and silences the
author; the author appeals; another moderator decides; the audit log shows all of it."""

from datetime import timedelta

import pytest

from fixtures.live import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def spam_topic(live_server, live_app):
    """Three established members, a spammer, two moderators and a topic with a spam reply."""
    from fixtures.factories import UserFactory
    from nanum.discussions import services as discussions
    from nanum.extensions import db
    from nanum.timeutil import utcnow

    app = live_app
    old = utcnow() - timedelta(days=400)
    with app.app_context():
        for name in ("Amina", "Bruno", "Chen"):
            UserFactory(email=f"e2e-flags-{name.lower()}@example.org", name=name, created_at=old)
        for name in ("Moana", "Mateo"):
            UserFactory(email=f"e2e-flags-{name.lower()}@example.org", name=name, created_at=old,
                        role="moderator")
        spammer = UserFactory(email="e2e-flags-spammer@example.org", name="Cheap Pumps Ltd",
                              created_at=old)
        asker = UserFactory(email="e2e-flags-asker@example.org", name="Asha", created_at=old)
        topic = discussions.start_topic(asker, category="questions",
                                        title="Which pumps last longest?",
                                        body="We need pumps that last ten years.")
        discussions.reply(spammer, thread=topic, body="BUY CHEAP PUMPS at pumps.example!!!")
        thread_id = topic.id
        db.session.remove()
    return f"{live_server['url']}/discussions/t/{thread_id}"


def _log_in(page, url, email):
    page.context.clear_cookies()
    log_in(page, url, email)


def _shot(page, name):
    from fixtures.live import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_flag_hide_silence_appeal(live_server, browser, spam_topic):
    expect = pytest.importorskip("playwright.sync_api").expect
    url = live_server["url"]
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    spam = "BUY CHEAP PUMPS at pumps.example!!!"

    for name in ("amina", "bruno", "chen"):
        _log_in(page, url, f"e2e-flags-{name}@example.org")
        page.goto(spam_topic)
        post = page.locator("article.post", has_text=spam)
        post.locator("summary", has_text="Flag").click()
        post.get_by_label("Spam or advertising").check()
        post.get_by_role("button", name="Send flag").click()
        expect(page.get_by_text("moderators will look at this post")).to_be_visible()

    # Hidden by itself: others see a placeholder.
    page.context.clear_cookies()
    page.goto(spam_topic)
    expect(page.get_by_text(spam)).to_have_count(0)
    expect(page.get_by_text("Hidden by a moderator.")).to_be_visible()
    _shot(page, "flags-placeholder")

    # A moderator confirms and silences the author.
    _log_in(page, url, "e2e-flags-moana@example.org")
    page.goto(url + "/moderation/flags")
    entry = page.locator("article.flag-entry", has_text="BUY CHEAP PUMPS")
    expect(entry.get_by_text("automatically")).to_be_visible()
    _shot(page, "flags-queue")
    entry.get_by_label("Agree and hide").check()
    entry.get_by_label("Reason").select_option("spam")
    entry.get_by_label("Message to the person").fill("Advertising is not allowed here.")
    entry.get_by_role("button", name="Decide").click()
    expect(page.get_by_text("Nothing is flagged.")).to_be_visible()
    page.goto(spam_topic)
    page.locator("article.post", has_text=spam).get_by_role("link", name="Cheap Pumps Ltd") \
        .click()
    page.get_by_role("link", name="Moderate this account").click()
    page.get_by_label("Silence for a number of days").check()
    page.get_by_label("Days of silence").fill("14")
    page.locator("#act-reason").select_option("spam")
    page.locator("#act-message").fill("Two weeks without posting.")
    page.get_by_role("button", name="Act").click()
    expect(page.get_by_text("Silenced until")).to_be_visible()

    # The author reads the statement and appeals once.
    _log_in(page, url, "e2e-flags-spammer@example.org")
    page.goto(url + "/notifications")
    page.get_by_text("silenced your account").first.click()
    expect(page.get_by_text("Two weeks without posting.")).to_be_visible()
    page.get_by_label("Why the decision should change").fill("We are a real supplier.")
    page.get_by_role("button", name="Send the appeal").click()
    expect(page.get_by_text("waiting for another moderator")).to_be_visible()
    _shot(page, "flags-appeal")

    # The deciding moderator cannot decide the appeal; another one upholds it.
    _log_in(page, url, "e2e-flags-moana@example.org")
    page.goto(url + "/moderation/flags")
    expect(page.get_by_text("another moderator decides the appeal")).to_be_visible()
    _log_in(page, url, "e2e-flags-mateo@example.org")
    page.goto(url + "/moderation/flags")
    appeal = page.locator("article.appeal")
    appeal.get_by_label("Uphold").check()
    appeal.get_by_label("Reason").select_option("spam")
    appeal.get_by_role("button", name="Decide the appeal").click()
    expect(page.get_by_text("Appeal upheld.")).to_be_visible()

    # The audit log shows all of it.
    page.goto(url + "/moderation/")
    for action in ("flag.auto_hide", "flag.hide", "user.silence", "appeal.open",
                   "appeal.uphold"):
        expect(page.get_by_text(action, exact=False).first).to_be_visible()
    _shot(page, "flags-audit")


@pytest.fixture
def suspended_account(live_app):
    """Someone suspended for three weeks by one moderator, and another moderator."""
    from fixtures.factories import UserFactory
    from nanum.extensions import db
    from nanum.flags import sanctions
    from nanum.timeutil import utcnow

    app = live_app
    old = utcnow() - timedelta(days=400)
    with app.app_context():
        first = UserFactory(email="e2e-suspend-mod1@example.org", name="Sione", created_at=old,
                            role="moderator")
        UserFactory(email="e2e-suspend-mod2@example.org", name="Tala", created_at=old,
                    role="moderator")
        person = UserFactory(email="e2e-suspended@example.org", name="Pita", created_at=old)
        sanctions.act(first, person, "suspend", "spam", "Links to a shop in every reply.",
                      until=(utcnow() + timedelta(days=21)).date().isoformat())
        db.session.remove()


def test_a_suspended_person_appeals_from_the_sign_in_page(live_server, browser,
                                                          suspended_account):
    expect = pytest.importorskip("playwright.sync_api").expect
    url = live_server["url"]
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    _log_in(page, url, "e2e-suspended@example.org")
    expect(page.get_by_role("heading", name="Your account is suspended")).to_be_visible()
    expect(page.get_by_text("Links to a shop in every reply.")).to_be_visible()
    page.get_by_role("button", name="Send the appeal").click()  # empty: the browser asks
    expect(page.get_by_text("Your appeal is sent")).to_have_count(0)
    page.get_by_label("Why the suspension should be lifted").fill("The shop is our cooperative.")
    page.get_by_role("button", name="Send the appeal").click()
    expect(page.get_by_text("Your appeal is sent")).to_be_visible()
    _shot(page, "flags-suspension-appeal")
    page.goto(url + "/notifications")
    expect(page).to_have_url(f"{url}/login?next=%2Fnotifications")  # still signed out

    _log_in(page, url, "e2e-suspend-mod2@example.org")
    page.goto(url + "/moderation/flags")
    appeal = page.locator("article.appeal", has_text="The shop is our cooperative.")
    appeal.get_by_label("Overturn").check()
    appeal.get_by_label("Reason").select_option("policy")
    appeal.get_by_role("button", name="Decide the appeal").click()
    expect(page.get_by_text("Appeal overturned.")).to_be_visible()

    _log_in(page, url, "e2e-suspended@example.org")
    expect(page.get_by_text("Signed in as Pita.")).to_be_visible()
