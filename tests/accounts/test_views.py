import email
import email.policy

from nanum.accounts.services import find_by_email


def test_register_logs_in_and_sends_to_organisations(client, post):
    response = post("/register", {"name": "Nia", "email": "Nia@Example.org",
                                  "password": "a long enough phrase"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organisations/")
    assert find_by_email("nia@example.org") is not None
    assert "Nia" in client.get("/").get_data(as_text=True)


def test_register_shows_errors_next_to_fields(client, post, make):
    make.user(email="taken@example.org")
    response = post("/register", {"name": "X", "email": "taken@example.org",
                                  "password": "a long enough phrase"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already exists" in body and "is-invalid" in body
    response = post("/register", {"name": "X", "email": "new@example.org", "password": "short"})
    assert "at least 10 characters" in response.get_data(as_text=True)
    assert find_by_email("new@example.org") is None


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
    app.config["MAIL_BACKEND"] = "file"
    make.user(email="p@example.org")
    post("/forgot-password", {"email": "p@example.org"})
    [mail] = (tmp_path / "instance" / "mail").glob("*.eml")
    body = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
    link = next(line for line in body.get_content().splitlines() if "/reset-password/" in line)
    path = link[link.index("/reset-password/"):]
    response = post(path, {"password": "a brand new phrase"})
    assert response.status_code == 302
    response = post(path, {"password": "yet another phrase"}, page="/login")
    assert response.status_code == 302 and "forgot-password" in response.headers["Location"]
    user = find_by_email("p@example.org")
    assert user.check_password("a brand new phrase")


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
