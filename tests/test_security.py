import re
from pathlib import Path

import pytest

from nanum.security import safe_next


@pytest.mark.parametrize("target", [
    "//evil.example", "\\\\evil.example", "/\\evil.example", "\\/evil.example",
    "https://evil.example/", "http:evil.example", "javascript:alert(1)", "evil.example",
    "/\t/evil.example", "/\n/evil.example", " //evil.example", "///evil.example",
    "https:/evil.example", "", None, "data:text/html,hi",
])
def test_unsafe_next_falls_back(target):
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/", "/practices/3?x=1", "/sdg/11.3#top"])
def test_local_next_is_kept(target):
    assert safe_next(target, "/home") == target


def test_login_redirects_only_to_local_next(client, make, post):
    make.user(email="p@example.org")
    response = post("/login?next=//evil.example", {"email": "p@example.org",
                                                   "password": "correct horse battery"},
                    page="/login")
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    client.post("/logout", data={})
    response = post("/login?next=/practices/", {"email": "p@example.org",
                                                "password": "correct horse battery"},
                    page="/login")
    assert response.headers["Location"].endswith("/practices/")


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_page_templates_set_no_inline_style(app):
    # The policy allows styles from the site's own stylesheets only ('self'): the browser
    # drops a style="..." attribute and reports it in the console. The practice briefs are
    # PDF, not pages.
    root = Path(app.template_folder)
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.html")
                 if path.parts[-2] != "briefs" and re.search(r"\sstyle=", path.read_text())]
    assert "style-src 'self'" in app.test_client().get("/").headers["Content-Security-Policy"]
    assert offenders == []


def test_cookies_are_httponly_and_lax(client, make, post):
    make.user(email="p@example.org")
    response = post("/login", {"email": "p@example.org", "password": "correct horse battery",
                               "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session, remember):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie


def test_cookies_are_secure_over_https(config, tmp_path):
    from nanum import create_app

    app = create_app({**config, "PREFERRED_URL_SCHEME": "https"},
                     instance_path=tmp_path / "https")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_forms_need_a_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/register", data={"name": "A", "email": "a@example.org",
                                               "password": "a fine long phrase"})
    assert response.status_code == 400
    assert "reload the page" in response.get_data(as_text=True)
    from nanum.accounts.services import find_by_email
    assert find_by_email("a@example.org") is None
