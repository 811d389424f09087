"""Watching: automatic for what you write, buttons on pages, and stopping."""

import pytest

from nanum.errors import Invalid, NotFound
from nanum.notifications import watching


def test_saved_searches_are_stored_in_one_canonical_form():
    key, label = watching.normalise_search("?q=flood++warning&sort=title&page=3&target=11.5")
    assert key == "goal=11&q=flood+warning&target=11.5"
    assert label == "“flood warning” · Target 11.5"
    assert watching.normalise_search("target=11.5&q=flood%20warning")[0] == key
    assert watching.normalise_search("goal=99&sort=title&bogus=1") is None
    assert watching.normalise_search("") is None


def test_watch_keys_are_checked(app):
    assert watching.normalise_key("sdg", " 11.3 ") == "11.3"
    assert watching.normalise_key("practice", "42") == "42"
    for target_type, key in (("sdg", "18"), ("theme", "weather"), ("practice", "4x"),
                             ("planet", "1")):
        with pytest.raises(NotFound):
            watching.normalise_key(target_type, key)
    with pytest.raises(Invalid):
        watching.normalise_key("search", "sort=title")


def test_you_watch_what_you_write_and_reply_to(make, helpers):
    asker, helper = make.user(), make.user()
    thread = helpers.topic(asker)
    assert helpers.watches(asker) == {("thread", str(thread.id))}
    helpers.reply(helper, thread)
    practice = helpers.publish(make.member())
    post = helpers.reply_to_practice(helper, practice)
    assert helpers.watches(helper) == {("thread", str(thread.id)), ("thread", str(post.thread_id)),
                                       ("practice", str(practice.id))}


def test_stopping_a_watch_stops_its_notifications(client, auth, post, make, helpers):
    asker, helper = make.user(), make.user()
    thread = helpers.topic(asker)
    helpers.reply(helper, thread)
    assert helpers.kinds(asker) == ["watched"]
    auth.login(asker.email)
    response = post("/unwatch", {"type": "thread", "key": str(thread.id),
                                 "next": "/notifications"}, page="/account/notifications")
    assert response.status_code == 302 and response.location.endswith("/notifications")
    assert helpers.watches(asker) == set()
    helpers.reply(helper, thread, body="Anyone else?")
    assert helpers.kinds(asker) == ["watched"]
    # A direct reply still reaches them: it is about their own post.
    helpers.reply(helper, thread, parent=helpers.first_post(thread))
    assert helpers.kinds(asker) == ["watched", "reply"]


def test_the_watch_button_watches_and_comes_back(client, auth, post, make, helpers):
    person = make.user()
    auth.login(person.email)
    response = post("/watch", {"type": "sdg", "key": "11.3", "next": "/sdg/11.3"},
                    page="/sdg/11.3")
    assert response.status_code == 302 and response.location.endswith("/sdg/11.3")
    assert helpers.watches(person) == {("sdg", "11.3")}
    page = client.get("/sdg/11.3").get_data(as_text=True)
    assert "Stop watching" in page and "You are watching this target." in page
    post("/watch", {"type": "sdg", "key": "11.3"}, page="/sdg/11.3")  # twice: still one
    assert helpers.watches(person) == {("sdg", "11.3")}

    post("/watch", {"type": "search", "key": "q=flood&sort=title&page=2"}, page="/")
    assert ("search", "q=flood") in helpers.watches(person)
    settings = client.get("/account/notifications").get_data(as_text=True)
    assert "“flood”" in settings and "SDG target 11.3" in settings


@pytest.mark.parametrize("target_type, key, status", [
    ("planet", "1", 404), ("sdg", "18.1", 404), ("organisation", "999", 404),
    ("search", "sort=title", 400), ("practice", "draft", 404)])
def test_nothing_is_watched_that_does_not_exist_or_is_not_yours_to_see(
        client, auth, post, make, helpers, target_type, key, status):
    person = make.user()
    draft = make.practice(status="draft", published_at=None)
    auth.login(person.email)
    key = str(draft.id) if key == "draft" else key
    response = post("/watch", {"type": target_type, "key": key}, page="/")
    assert response.status_code == status
    assert helpers.watches(person) == set()


def test_watch_buttons_on_the_pages_for_people_signed_in(client, auth, make):
    organisation = make.organisation()
    practice = make.practice(organisation=organisation)
    pages = [f"/practices/{practice.id}", "/sdg/11", "/sdg/11.3",
             f"/organisations/{organisation.id}", "/search?q=flood",
             "/practices/?theme=drr_resilience"]
    for url in pages:
        assert "Watch</button>" not in client.get(url).get_data(as_text=True), url
    auth.login(make.user().email)
    for url in pages:
        assert "Watch</button>" in client.get(url).get_data(as_text=True), url
    for url in ("/search", "/practices/"):  # nothing to watch without words or a theme
        assert "Watch</button>" not in client.get(url).get_data(as_text=True), url


def test_the_search_button_saves_the_search_shown(client, auth, post, make, helpers):
    person = make.user()
    auth.login(person.email)
    page = client.get("/search?q=flood&country=KE&sort=newest").get_data(as_text=True)
    assert 'name="key" value="country=KE&amp;q=flood"' in page
    post("/watch", {"type": "search", "key": "country=KE&q=flood"}, page="/search?q=flood")
    assert helpers.watches(person) == {("search", "country=KE&q=flood")}
    page = client.get("/search?country=KE&q=flood").get_data(as_text=True)
    assert "Stop watching" in page
