import email
import email.policy
import re

from sqlalchemy import select

from nanum.accounts.services import find_by_email
from nanum.extensions import db
from nanum.notifications import mailqueue
from nanum.notifications.models import OutgoingMail


def _mails():
    return db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()


def _page(client, url):
    """The page a person sees, without its CSRF tokens (they carry the time)."""
    return re.sub(r'name="csrf_token"[^>]*', "", client.get(url).get_data(as_text=True))


def _confirm_path(mail):
    return "/confirm/" + mail.body.split("/confirm/")[1].split()[0]


def test_register_mails_a_link_that_confirms_and_signs_in(client, post):
    response = post("/register", {"name": "Nia", "email": "Nia@Example.org",
                                  "password": "a long enough phrase"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert "Check your inbox: we sent a message to nia@example.org" in page
    assert client.get("/account/profile").status_code == 302  # not signed in yet
    [mail] = _mails()
    assert mail.to == "nia@example.org"
    path = _confirm_path(mail)
    assert "Confirm my account" in client.get(path).get_data(as_text=True)
    assert not find_by_email("nia@example.org").is_confirmed  # opening the link changes nothing
    response = post(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organisations/")
    assert "Welcome to Nanum, Nia" in client.get("/organisations/").get_data(as_text=True)
    assert find_by_email("nia@example.org").is_confirmed
    response = post(path)  # a used link signs nobody in again
    assert response.headers["Location"].endswith("/login")


def test_an_unconfirmed_account_cannot_sign_in_and_gets_a_new_link(client, auth, post):
    post("/register", {"name": "Nia", "email": "nia@example.org",
                       "password": "a long enough phrase"})
    response = auth.login("nia@example.org", "a long enough phrase")
    assert response.status_code == 200
    assert "Please confirm your address first" in response.get_data(as_text=True)
    assert client.get("/account/profile").status_code == 302
    first, second = _mails()
    assert "/confirm/" in second.body and second.to == "nia@example.org"


def test_registering_a_known_address_answers_like_a_new_one(client, post, make):
    make.user(email="taken@example.org")
    pages = []
    for address in ("taken@example.org", "new@example.org"):
        response = post("/register", {"name": "Someone", "email": address,
                                      "password": "a long enough phrase"})
        assert response.status_code == 302
        pages.append(_page(client, response.headers["Location"]).replace(address, "EMAIL"))
    assert pages[0] == pages[1]
    to_owner, to_newcomer = _mails()
    assert to_owner.to == "taken@example.org" and "tried to register" in to_owner.body
    assert to_newcomer.to == "new@example.org" and "/confirm/" in to_newcomer.body


def test_register_shows_every_fields_error_at_once(client, post):
    response = post("/register", {"name": "Nia", "email": "not-an-email", "password": "short"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "at least 10 characters" in body and "valid" in body
    assert body.count("is-invalid") >= 2
    # A fault the form finds (too long a name) does not hide the others.
    response = post("/register", {"name": "x" * 121, "email": "a@b", "password": "short"})
    body = response.get_data(as_text=True)
    assert "120 characters" in body and "at least 10 characters" in body
    assert body.count("is-invalid") >= 3
    assert find_by_email("not-an-email") is None
    # Huge input is refused at once, with its message, never parsed at length.
    response = post("/register", {"name": "Nia", "email": "a." * 500_000 + "@x.org",
                                  "password": "short"})
    assert "254 characters" in response.get_data(as_text=True)


def test_register_refuses_overlong_input(client, post):
    response = post("/register", {"name": "x" * 121, "email": "long@example.org",
                                  "password": "a long enough phrase"})
    assert response.status_code == 200
    assert "120 characters" in response.get_data(as_text=True)
    assert find_by_email("long@example.org") is None


def test_login_failure_and_logout(client, auth, make):
    make.user(email="p@example.org")
    response = auth.login("p@example.org", "wrong password!!")
    assert response.status_code == 200
    assert "do not match" in response.get_data(as_text=True)
    assert auth.login("p@example.org").status_code == 302
    assert client.get("/account/profile").status_code == 200
    auth.logout()
    assert client.get("/account/profile").status_code == 302


def test_login_needs_post_for_logout(client):
    assert client.get("/logout").status_code == 405


def test_password_reset_flow(app, client, post, make, tmp_path):
    app.config["SITE_URL"] = "http://127.0.0.1:5123"
    make.user(email="p@example.org")
    post("/forgot-password", {"email": "p@example.org"})
    # The mail goes through the queue; sending writes it to instance/mail by default.
    assert mailqueue.send_pending() == (1, 0)
    [mail] = (tmp_path / "instance" / "mail").glob("*.eml")
    body = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
    link = next(line for line in body.get_content().splitlines() if "/reset-password/" in line)
    assert link.startswith("http://127.0.0.1:5123/reset-password/")
    path = link[link.index("/reset-password/"):]
    response = post(path, {"password": "a brand new phrase"})
    assert response.status_code == 302
    response = post(path, {"password": "yet another phrase"}, page="/login")
    assert response.status_code == 302 and "forgot-password" in response.headers["Location"]
    user = find_by_email("p@example.org")
    assert user.check_password("a brand new phrase")


def test_forgot_password_answers_alike_for_unknown_addresses(client, post, make):
    make.user(email="p@example.org")
    pages = []
    for address in ("p@example.org", "nobody@example.org"):
        response = post("/forgot-password", {"email": address})
        pages.append(_page(client, response.headers["Location"]))
    assert pages[0] == pages[1] and "If that address has an account" in pages[0]
    assert [mail.to for mail in _mails()] == ["p@example.org", "nobody@example.org"]


def test_logout_ends_the_session_and_its_copies(app, client, auth, make):
    make.user(email="p@example.org")
    auth.login("p@example.org", remember=True)
    cookies = {cookie.key: cookie.value for cookie in client._cookies.values()}
    assert {"session", "remember_token"} <= set(cookies)
    auth.logout()
    for name in ("session", "remember_token"):
        thief = app.test_client()
        thief.set_cookie(name, cookies[name], domain="nanum.localhost")
        assert thief.get("/account/profile").status_code == 302, name
    # Signing in again works, with fresh cookies.
    assert auth.login("p@example.org").status_code == 302
    assert client.get("/account/profile").status_code == 200


def test_change_password_signs_out_other_sessions(app, client, auth, post, make):
    make.user(email="p@example.org")
    other = app.test_client()
    from fixtures.app import Auth
    Auth(other).login("p@example.org")
    auth.login("p@example.org")
    response = post("/account/password", {"current_password": "correct horse battery",
                                          "new_password": "another fine phrase"})
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 200
    assert other.get("/account/profile").status_code == 302


def test_profile_edit_and_page(client, auth, post, make):
    user = make.user(email="p@example.org")
    auth.login("p@example.org")
    response = post("/account/profile", {"name": "Pat", "affiliation": "Lake Institute",
                                         "country": "UG", "languages": "English, Luganda",
                                         "bio": "I study *floods*. <script>alert(1)</script>"})
    assert response.status_code == 302
    page = client.get(f"/people/{user.id}").get_data(as_text=True)
    assert "Lake Institute" in page and "<em>floods</em>" in page
    assert "<script>alert(1)" not in page
    response = post("/account/profile", {"name": "", "country": "UG"})
    assert response.status_code == 200
    assert find_by_email("p@example.org").name == "Pat"
