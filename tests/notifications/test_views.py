"""The bell, the notifications page, the settings page and the unsubscribe link."""

import re

import pytest

from nanum.extensions import db
from nanum.notifications import services, tokens, watching
from nanum.search import service as search


def _tell(person, count, url="/practices/"):
    for number in range(count):
        services.notify_moderation(person, f"Message number {number}", url)


def _badge(html):
    match = re.search(r'notification-bell.*?</a>', html, re.DOTALL)
    assert match, "no bell"
    badge = re.search(r'badge[^>]*>([^<]+)<', match.group(0))
    return badge.group(1) if badge else None


def test_the_bell_shows_the_unread_count_to_people_signed_in(client, auth, make):
    assert "notification-bell" not in client.get("/").get_data(as_text=True)
    person = make.user()
    auth.login(person.email)
    assert _badge(client.get("/").get_data(as_text=True)) is None
    _tell(person, 3)
    assert _badge(client.get("/").get_data(as_text=True)) == "3"
    _tell(person, 120)
    assert _badge(client.get("/").get_data(as_text=True)) == "99+"


def test_the_bell_costs_one_query_however_many_notifications(client, auth, make,
                                                             count_queries):
    person = make.user()
    auth.login(person.email)
    search.sync()

    def statements():
        with count_queries() as found:
            assert client.get("/practices/").status_code == 200
        return found

    _tell(person, 1)
    few = statements()
    _tell(person, 40)
    many = statements()
    assert len(few) == len(many)
    assert len([s for s in many if "FROM notifications" in s]) == 1


def test_the_list_is_newest_first_paginated_and_marks_unread(client, auth, make):
    person, other = make.user(), make.user()
    _tell(person, 35)
    services.notify_moderation(other, "Not yours", "/")
    auth.login(person.email)
    first = client.get("/notifications").get_data(as_text=True)
    assert first.index("Message number 34") < first.index("Message number 5")
    assert "Message number 4<" not in first and "Not yours" not in first
    assert first.count("bg-primary-subtle") == 30 and "Mark all as read" in first
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert "Message number 4<" in second and "Message number 0<" in second


def test_following_a_notification_marks_it_read(client, auth, post, make, helpers):
    person, other = make.user(), make.user()
    [note] = services.notify_moderation(person, "Your practice needs changes", "/practices/")
    [theirs] = services.notify_moderation(other, "Not yours", "/practices/")
    auth.login(person.email)
    page = client.get("/notifications").get_data(as_text=True)
    assert f'<form class="d-inline" method="post" action="/notifications/{note.id}/open">' in page
    response = post(f"/notifications/{note.id}/open", page="/notifications")
    assert response.status_code == 302 and response.location == "/practices/"
    db.session.refresh(note)
    assert note.read_at is not None
    page = client.get("/notifications").get_data(as_text=True)
    assert f'<a href="/notifications/{note.id}/open">Your practice needs changes</a>' in page
    assert post(f"/notifications/{theirs.id}/open", page="/notifications").status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_a_link_to_a_notification_leads_there_and_changes_nothing(client, auth, make):
    person = make.user()
    [note] = services.notify_moderation(person, "Your practice needs changes", "/practices/")
    auth.login(person.email)
    response = client.get(f"/notifications/{note.id}/open")
    assert response.status_code == 302 and response.location == "/practices/"
    db.session.refresh(note)
    assert note.read_at is None
    other = make.user()
    [theirs] = services.notify_moderation(other, "Not yours", "/practices/")
    assert client.get(f"/notifications/{theirs.id}/open").status_code == 404


def test_opening_needs_the_form_token(client, auth, make):
    person = make.user()
    [note] = services.notify_moderation(person, "Your practice needs changes", "/practices/")
    auth.login(person.email)
    assert client.post(f"/notifications/{note.id}/open").status_code == 400
    db.session.refresh(note)
    assert note.read_at is None


def test_an_open_link_never_leaves_the_site(client, auth, post, make):
    person = make.user()
    [note] = services.notify_moderation(person, "Odd", "https://evil.example/")
    auth.login(person.email)
    assert client.get(f"/notifications/{note.id}/open").location == "/notifications"
    response = post(f"/notifications/{note.id}/open", page="/notifications")
    assert response.location == "/notifications"


def test_marking_one_and_all_read(client, auth, post, make):
    person = make.user()
    _tell(person, 3)
    first = services.notifications_page(person).items[-1]
    auth.login(person.email)
    assert post(f"/notifications/{first.id}/read", page="/notifications").status_code == 302
    assert services.unread_count(person) == 2
    response = post("/notifications/read-all", page="/notifications", follow_redirects=True)
    assert "Marked 2 notifications as read." in response.get_data(as_text=True)
    assert services.unread_count(person) == 0
    assert "Mark all as read" not in client.get("/notifications").get_data(as_text=True)


def test_pages_need_a_login(client):
    for url in ("/notifications", "/account/notifications", "/notifications/1/open"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


# -- settings ------------------------------------------------------------------------------

def test_the_settings_page_saves_the_email_choice(client, auth, post, make):
    person = make.user()
    auth.login(person.email)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert 'value="immediate" checked' in page
    response = post("/account/notifications", {"email_notifications": "daily"},
                    follow_redirects=True)
    assert "Your email settings are saved." in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.email_notifications == "daily"


@pytest.mark.parametrize("value", ["weekly", "", "IMMEDIATE", None])
def test_a_bad_email_choice_is_refused_and_changes_nothing(client, auth, post, make, value):
    person = make.user(email_notifications="daily")
    auth.login(person.email)
    response = post("/account/notifications",
                    {} if value is None else {"email_notifications": value})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose one of: immediately, daily digest, or off." in body
    assert 'aria-invalid' in body or "is-invalid" in body
    db.session.refresh(person)
    assert person.email_notifications == "daily"


def test_the_settings_page_lists_what_you_watch_with_stop_buttons(client, auth, post, make):
    person = make.user()
    organisation = make.organisation(name="Nairobi Urban Institute")
    for target_type, key in (("organisation", organisation.id), ("sdg", "11"),
                             ("theme", "local_action"), ("search", "q=flood")):
        watching.watch(person, target_type, key)
    auth.login(person.email)
    page = client.get("/account/notifications").get_data(as_text=True)
    for label in ("Nairobi Urban Institute", "SDG 11: Sustainable cities and communities",
                  "Local activists and local and regional action", "“flood”"):
        assert label in page
    assert page.count("Stop watching") == 4
    post("/unwatch", {"type": "sdg", "key": "11"}, page="/account/notifications")
    assert client.get("/account/notifications").get_data(as_text=True).count(
        "Stop watching") == 3


# -- unsubscribing -------------------------------------------------------------------------

def test_the_unsubscribe_link_asks_then_turns_email_off_without_a_login(client, make):
    person = make.user(email="someone@example.org")
    token = tokens.unsubscribe_token(person)
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Stop notification email" in body and "so…@example.org" in body
    db.session.refresh(person)
    assert person.email_notifications == "immediate"  # a GET (a link preview) changes nothing
    response = client.post(f"/unsubscribe/{token}")  # no CSRF token: the link is the proof
    assert response.status_code == 200
    assert "no more notification email" in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.email_notifications == "off"


def test_one_click_unsubscribe_from_a_mail_client(client, make):
    person = make.user()
    response = client.post(f"/unsubscribe/{tokens.unsubscribe_token(person)}",
                           data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    db.session.refresh(person)
    assert person.email_notifications == "off"


def test_a_bad_or_expired_unsubscribe_link_changes_nothing(app, client, make):
    person = make.user()
    token = tokens.unsubscribe_token(person)
    for method in (client.get, client.post):
        response = method(f"/unsubscribe/{token[:-3]}xyz")
        assert response.status_code == 400
        assert "not valid" in response.get_data(as_text=True)
    app.config["NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE"] = -1
    response = client.post(f"/unsubscribe/{token}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.email_notifications == "immediate"


def test_other_forms_still_need_their_csrf_token(client, auth, make):
    person = make.user()
    auth.login(person.email)
    assert client.post("/notifications/read-all").status_code == 400
    assert client.post("/account/notifications",
                       data={"email_notifications": "off"}).status_code == 400
