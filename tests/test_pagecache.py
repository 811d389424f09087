"""Visitors' pages are kept per worker, and never outlive a change nor reach a signed-in person."""

import gzip

import pytest
from sqlalchemy import text, update

from nanum.extensions import db
from nanum.practices.models import Practice


@pytest.fixture
def practice(make):
    return make.practice(title="Rain gardens in Nairobi", status="published")


def page(client, url="/practices/"):
    return client.get(url).get_data(as_text=True)


def test_a_visitors_page_is_kept(app, client, practice):
    assert "Rain gardens in Nairobi" in page(client)
    # Changed behind the application's back (no session, so no content version): the kept
    # page is served.
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE practices SET title = 'Behind the back'"))
    assert "Rain gardens in Nairobi" in page(client)


def test_a_change_through_the_orm_shows_at_once(client, practice):
    for url in ("/practices/", f"/practices/{practice.id}", "/"):
        assert "Rain gardens in Nairobi" in page(client, url)
    practice.title = "Bioswales in Kisumu"
    db.session.commit()
    for url in ("/practices/", f"/practices/{practice.id}", "/"):
        assert "Bioswales in Kisumu" in page(client, url)
        assert "Rain gardens in Nairobi" not in page(client, url)


def test_a_bulk_statement_shows_at_once(client, practice):
    assert "Rain gardens in Nairobi" in page(client)
    db.session.execute(update(Practice).values(title="Bioswales in Kisumu"))
    db.session.commit()
    assert "Bioswales in Kisumu" in page(client)


def test_raw_sql_through_the_session_shows_at_once(client, practice):
    assert "Rain gardens in Nairobi" in page(client)
    db.session.execute(text("UPDATE practices SET title = 'Bioswales in Kisumu'"))
    db.session.commit()
    assert "Bioswales in Kisumu" in page(client)


def test_a_rolled_back_change_keeps_the_page(client, practice):
    assert "Rain gardens in Nairobi" in page(client)
    practice.title = "Never saved"
    db.session.flush()
    db.session.rollback()
    assert "Rain gardens in Nairobi" in page(client)


def test_a_signed_in_person_never_gets_a_kept_page(app, make, auth, practice):
    visitor = app.test_client()
    assert "Log in" in page(visitor, "/")
    make.member(email="ada@example.org", name="Ada Lovelace")
    db.session.commit()
    assert "Log in" in page(visitor, "/")  # kept again, at the new version
    auth.login("ada@example.org")
    signed_in = page(auth.client, "/")
    assert "Ada Lovelace" in signed_in
    # What the signed-in person saw is not kept for visitors either.
    assert "Ada Lovelace" not in page(visitor, "/")


def test_a_flash_message_is_never_kept_nor_lost(app, practice):
    visitor = app.test_client()
    other = app.test_client()
    assert "Rain gardens in Nairobi" in page(other, "/")  # the visitors' page is kept
    response = visitor.get("/practices/new")  # asks to log in, with a message
    assert response.status_code == 302
    message = "Please log in to access this page."
    assert message in page(visitor, "/login")
    assert message not in page(other, "/login")
    assert message not in page(other, "/")


def test_a_page_setting_a_cookie_is_not_kept(app):
    visitor = app.test_client()
    visitor.get("/login")  # holds a CSRF token: sets the session cookie
    fresh = app.test_client()
    response = fresh.get("/login")
    assert "Set-Cookie" in response.headers  # its own token, not another visitor's
    assert response.get_data(as_text=True) != visitor.get("/login").get_data(as_text=True)


def test_a_remembered_person_never_gets_a_kept_page(app, make, auth):
    make.member(email="ada@example.org", name="Ada Lovelace")
    visitor = app.test_client()
    assert "Ada Lovelace" not in page(visitor, "/")  # the visitors' page is kept
    auth.login("ada@example.org", remember=True)
    name, host = app.config["SESSION_COOKIE_NAME"], app.config["SERVER_NAME"]
    assert auth.client.get_cookie("remember_token", domain=host) is not None
    auth.client.delete_cookie(name, domain=host)  # the browser's session ended
    assert auth.client.get_cookie(name, domain=host) is None
    assert "Ada Lovelace" in page(auth.client, "/")  # signed in again by the remember-me cookie


def test_kept_pages_are_compressed_for_those_who_accept_it(client, practice):
    gzip_ = {"Accept-Encoding": "gzip"}
    for _ in range(2):  # rendered, then kept
        response = client.get("/practices/", headers=gzip_)
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Rain gardens in Nairobi" in gzip.decompress(response.data).decode()
    plain = client.get("/practices/")
    assert "Content-Encoding" not in plain.headers
    assert "Rain gardens in Nairobi" in plain.get_data(as_text=True)
