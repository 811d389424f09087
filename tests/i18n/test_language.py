"""Which language a page is in: profile, then the chooser's cookie, then the browser, then
English; the chooser keeps the page; mail goes out in the recipient's language."""

import re

import pytest
from sqlalchemy import select

from fixtures.app import csrf_token
from nanum.accounts.models import User
from nanum.extensions import db
from nanum.i18n import COOKIE_NAME
from nanum.notifications.models import OutgoingMail


def lang(response):
    assert response.status_code == 200, response.status_code
    match = re.search(r'<html lang="([^"]+)">', response.get_data(as_text=True))
    assert match, "no <html lang>"
    return match.group(1)


def choose(client, locale, next_page="/", **extra):
    return client.post("/language", data={"locale": locale, "next": next_page, **extra})


@pytest.mark.parametrize("header, expected", [
    ("fr-CA,fr;q=0.9,en;q=0.5", "fr"),
    ("de-DE,de;q=0.9,es;q=0.5", "es"),
    ("ko-KR", "ko"),
    ("de, it", "en"),
    ("", "en"),
    ("x" * 500 + ";q=nonsense", "en"),
])
def test_browser_language_picks_the_best_match(client, header, expected):
    assert lang(client.get("/", headers={"Accept-Language": header})) == expected


def test_the_chooser_beats_the_browser_and_keeps_the_page(client):
    response = choose(client, "ko", "/practices/?theme=drr&sort=title")
    assert response.status_code == 302
    assert response.location.endswith("/practices/?theme=drr&sort=title")
    assert f"{COOKIE_NAME}=ko" in response.headers["Set-Cookie"]
    assert lang(client.get("/practices/?theme=drr&sort=title",
                           headers={"Accept-Language": "es"})) == "ko"


@pytest.mark.parametrize("next_page", ["https://elsewhere.example/", "//elsewhere.example/",
                                       "/\\elsewhere.example", "", None])
def test_the_chooser_never_leaves_the_site(client, next_page):
    data = {"locale": "fr"} if next_page is None else {"locale": "fr", "next": next_page}
    response = client.post("/language", data=data)
    assert response.status_code == 302
    assert response.location in ("/", "http://nanum.localhost/")


@pytest.mark.parametrize("locale", ["de", "", "fr-XX", "e" * 10_000])
def test_an_unknown_language_changes_nothing(client, locale):
    response = choose(client, locale, "/about")
    assert response.status_code == 302 and response.location.endswith("/about")
    assert COOKIE_NAME not in response.headers.get("Set-Cookie", "")
    assert lang(client.get("/about")) == "en"


def test_a_cookie_of_an_unknown_language_is_ignored(client):
    client.set_cookie(COOKIE_NAME, "xx", domain="nanum.localhost")
    assert lang(client.get("/", headers={"Accept-Language": "fr"})) == "fr"
    client.set_cookie(COOKIE_NAME, "es", domain="nanum.localhost")  # and a known one is not
    assert lang(client.get("/", headers={"Accept-Language": "fr"})) == "es"


def test_the_profile_beats_the_cookie_and_the_browser(app, client, auth, make):
    person = make.user(email="reader@example.org", locale="es")
    choose(client, "ko")  # before signing in: only the cookie
    auth.login("reader@example.org")
    assert lang(client.get("/", headers={"Accept-Language": "fr"})) == "es"
    db.session.refresh(person)
    assert person.locale == "es"


def test_a_signed_in_person_choosing_changes_their_profile(app, client, auth, make):
    person = make.user(email="reader@example.org")
    auth.login("reader@example.org")
    token = csrf_token(client, "/")
    assert choose(client, "fr", "/about", csrf_token=token).status_code == 302
    db.session.refresh(person)
    assert person.locale == "fr"
    assert lang(client.get("/about")) == "fr"


def test_a_signed_in_persons_choice_needs_the_csrf_token(app, client, auth, make):
    person = make.user(email="reader@example.org", locale="es")
    auth.login("reader@example.org")
    response = choose(client, "fr", "/about")
    assert response.status_code == 400
    db.session.refresh(person)
    assert person.locale == "es"


def test_the_profile_page_sets_the_language(app, client, auth, make):
    person = make.user(email="reader@example.org", name="Reader")
    auth.login("reader@example.org")
    token = csrf_token(client, "/account/profile")
    form = {"csrf_token": token, "name": "Reader", "locale": "ko"}
    assert client.post("/account/profile", data=form).status_code == 302
    db.session.refresh(person)
    assert person.locale == "ko"
    form["locale"] = "tlh"
    page = client.post("/account/profile", data=form)
    assert page.status_code == 200 and 'id="locale-error"' in page.get_data(as_text=True)
    db.session.refresh(person)
    assert person.locale == "ko"
    form["locale"] = ""  # back to following the chooser and the browser
    client.post("/account/profile", data=form)
    db.session.refresh(person)
    assert person.locale is None


PAGES = ["/", "/practices/", "/search?q=water", "/about", "/sdg/", "/organisations/",
         "/discussions/", "/login", "/register"]


@pytest.mark.parametrize("locale", ["en", "es", "fr", "ko"])
def test_every_page_says_its_language(client, locale):
    for url in PAGES:
        response = client.get(url, headers={"Accept-Language": locale})
        assert lang(response) == locale, url
    missing = client.get("/practices/999999", headers={"Accept-Language": locale})
    assert missing.status_code == 404
    assert f'<html lang="{locale}">' in missing.get_data(as_text=True)


def test_the_page_cache_keeps_each_language_apart(client):
    # Visitors' pages are kept by the page cache: the second must not get the first's copy.
    assert lang(client.get("/about", headers={"Accept-Language": "es"})) == "es"
    assert lang(client.get("/about", headers={"Accept-Language": "ko"})) == "ko"
    choose(client, "fr")
    response = client.get("/about", headers={"Accept-Language": "ko"})
    assert lang(response) == "fr"
    assert "Accept-Language" in response.headers["Vary"]


def _mail_to(address):
    return db.session.scalars(select(OutgoingMail).where(OutgoingMail.to == address)).one()


def test_mail_goes_out_in_the_recipients_language(app, client, make):
    from nanum.accounts import services

    make.user(email="lee@example.org", locale="ko")
    make.user(email="ana@example.org")
    token = csrf_token(client, "/forgot-password")
    for email in ("lee@example.org", "ana@example.org"):
        client.post("/forgot-password", data={"email": email, "csrf_token": token},
                    headers={"Accept-Language": "fr"})
    korean = _mail_to("lee@example.org")
    assert korean.subject == "⟦Reset your Nanum password⟧"
    # Without a setting, account mail follows the page the person asked from.
    assert _mail_to("ana@example.org").subject == "⟦Reset your Nanum password⟧"
    # A command (no request) writes in the recipient's language, else English.
    ana = db.session.scalars(select(User).where(User.email == "ana@example.org")).one()
    services.send_confirmation(ana)
    subjects = db.session.scalars(select(OutgoingMail.subject).where(
        OutgoingMail.to == "ana@example.org")).all()
    assert "Confirm your Nanum account" in subjects
