"""Personal API tokens: made and revoked on the account page, stored hashed, scoped."""

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select

from nanum.api import tokens
from nanum.api.models import ApiToken
from nanum.extensions import db
from nanum.timeutil import utcnow


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def make_token(auth, post, client, user, scopes=("read",), name="SDG platform"):
    """Make a token through the account page; return the token shown once."""
    auth.login(user.email)
    response = post("/account/tokens/", {"name": name, "scopes": list(scopes)})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    shown = re.search(r'id="new-token">([^<]+)<', response.get_data(as_text=True))
    assert shown, "the new token is shown"
    return shown.group(1)


def test_a_token_is_shown_once_and_only_its_digest_is_stored(auth, post, client, make):
    user = make.user()
    token = make_token(auth, post, client, user)
    [record] = db.session.scalars(select(ApiToken)).all()
    assert record.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(getattr(record, column.key))
                         for column in ApiToken.__table__.columns}
    page = client.get("/account/tokens/").get_data(as_text=True)
    assert "SDG platform" in page and token not in page and record.prefix in page
    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.get_json() == {"id": user.id, "name": user.name, "handle": user.handle,
                             "token_name": "SDG platform", "scopes": ["read"]}
    db.session.refresh(record)
    assert record.last_used_at is not None


def test_the_token_page_needs_a_sign_in_and_checks_the_form(auth, post, client, make):
    assert client.get("/account/tokens/").status_code == 302
    auth.login(make.user().email)
    response = post("/account/tokens/", {"name": "", "scopes": ["read"]})
    assert "Give the token a name" in response.get_data(as_text=True) or (
        "This field is required" in response.get_data(as_text=True))
    response = post("/account/tokens/", {"name": "No scope", "scopes": []})
    assert "Choose at least one scope" in response.get_data(as_text=True)
    assert db.session.scalars(select(ApiToken)).all() == []


def test_a_revoked_token_stops_working(auth, post, client, make):
    user = make.user()
    token = make_token(auth, post, client, user)
    record = db.session.scalar(select(ApiToken))
    response = post(f"/account/tokens/{record.id}/revoke", page="/account/tokens/")
    assert response.status_code == 302
    error = client.get("/api/v1/me", headers=bearer(token)).get_json()["error"]
    assert error["status"] == 401 and error["code"] == "unauthorised"


def test_no_one_revokes_another_persons_token(auth, post, client, make):
    owner, other = make.user(), make.user()
    record, token = tokens.create(owner, "Mine", ["read"])
    auth.login(other.email)
    response = post(f"/account/tokens/{record.id}/revoke", page="/account/tokens/")
    assert response.status_code == 404
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_a_suspended_or_deactivated_persons_tokens_stop_working(client, make):
    suspended, deactivated = make.user(), make.user()
    _, suspended_token = tokens.create(suspended, "One", ["read"])
    _, deactivated_token = tokens.create(deactivated, "Two", ["read"])
    assert client.get("/api/v1/me", headers=bearer(suspended_token)).status_code == 200
    suspended.suspended_until = utcnow() + timedelta(days=3)
    deactivated.active = False
    db.session.commit()
    for token in (suspended_token, deactivated_token):
        response = client.get("/api/v1/me", headers=bearer(token))
        assert response.status_code == 401
        assert "cannot use the API" in response.get_json()["error"]["message"]


def test_scopes_are_checked(client, make):
    user = make.user()
    _, write_only = tokens.create(user, "Writer", ["write"])
    response = client.get("/api/v1/me", headers=bearer(write_only))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_missing_or_malformed_tokens_are_401(client, make):
    assert client.get("/api/v1/me").get_json()["error"]["status"] == 401
    for header in ("Bearer nanum_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer",
                   "Bearer " + "x" * 5000):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
    # A bad token on a public read is refused too, rather than silently ignored.
    response = client.get("/api/v1/practices/", headers=bearer("nanum_wrong"))
    assert response.status_code == 401
