"""Login throttling: per account and per client address, shared by every app process."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from fixtures.app import PASSWORD, Auth, Client, csrf_token
from nanum import create_app
from nanum.accounts.models import LoginFailures
from nanum.extensions import db

LIMITS = {"LOGIN_THROTTLE_ACCOUNT": "3 per 15 minutes",
          "LOGIN_THROTTLE_ADDRESS": "5 per 15 minutes"}


@pytest.fixture
def config(config):
    return {**config, **LIMITS}


@pytest.fixture(autouse=True)
def mid_window(monkeypatch):
    """Counts live in fixed 15-minute windows: keep each test a minute into one, so that no
    test straddles the end of a window, whatever the clock says."""
    from nanum.accounts import throttle

    now = throttle._now() // 900 * 900 + 60
    monkeypatch.setattr(throttle, "_now", lambda: now)


def attempt(client, email, password="wrong password!!", address="10.0.0.1"):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def test_an_account_is_throttled_whatever_the_address(client, make):
    make.user(email="p@example.org")
    statuses = [attempt(client, "p@example.org", address=f"10.0.0.{n}").status_code
                for n in range(3)]
    assert statuses == [200, 200, 200]
    response = attempt(client, "P@example.org", password=PASSWORD, address="10.0.0.99")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    body = response.get_data(as_text=True)
    assert "Too many failed sign-ins for this account" in body and "minutes" in body
    assert client.get("/account/profile").status_code == 302  # even the right password waits


def test_an_unknown_address_is_throttled_like_a_known_one(client, make):
    make.user(email="p@example.org")
    answers = {}
    for email in ("p@example.org", "nobody@example.org"):
        answers[email] = [attempt(client, email, address=f"10.1.0.{n}").status_code
                          for n in range(4)]
    assert answers["p@example.org"] == answers["nobody@example.org"] == [200, 200, 200, 429]


def test_an_address_is_throttled_across_accounts(client, make):
    statuses = [attempt(client, f"person{n}@example.org").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]
    response = attempt(client, "someone-else@example.org")
    assert "from your network" in response.get_data(as_text=True)
    assert attempt(client, "someone-else@example.org", address="10.9.9.9").status_code == 200


def test_the_counts_are_shared_by_apps_on_one_database(app, config, tmp_path, make):
    make.user(email="p@example.org")
    other = create_app(config, instance_path=tmp_path / "other-host")
    other.test_client_class = Client  # each request in its own context, as in the fixture
    first, second = app.test_client(), other.test_client()
    statuses = [attempt(client, "p@example.org", address=f"10.2.0.{n}").status_code
                for n, client in enumerate([first, second, first, second])]
    assert statuses == [200, 200, 200, 429]
    assert Auth(first).login("p@example.org").status_code == 429


def test_failures_are_kept_though_the_sign_in_fails_and_old_ones_are_removed(app, client,
                                                                           make):
    make.user(email="p@example.org")
    db.session.add(LoginFailures(key="account:old", window_start=0, failures=9,
                                 expires_at=datetime(2020, 1, 1)))
    db.session.commit()
    attempt(client, "p@example.org")
    rows = db.session.execute(select(LoginFailures.key, LoginFailures.failures)).all()
    assert sorted(key.split(":")[0] for key, _failures in rows) == ["account", "address"]
    assert all(failures == 1 for _key, failures in rows)
    assert not any("p@example.org" in key or "10.0.0.1" in key for key, _ in rows)


def test_a_successful_sign_in_is_not_counted(client, make):
    make.user(email="p@example.org")
    for _ in range(4):
        assert attempt(client, "p@example.org", password=PASSWORD).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(LoginFailures)) == 0


def test_a_password_reset_lifts_the_account_throttle(app, client, make):
    from nanum.accounts import services

    user = make.user(email="p@example.org")
    for n in range(3):
        attempt(client, "p@example.org", address=f"10.3.0.{n}")
    assert attempt(client, "p@example.org", address="10.3.1.1").status_code == 429
    services.reset_password(services.reset_token(user), "a brand new phrase")
    assert attempt(client, "p@example.org", password="a brand new phrase",
                   address="10.3.1.2").status_code == 302


def test_a_limits_storage_can_hold_the_counts(app, client, make):
    app.config["LOGIN_THROTTLE_STORAGE_URI"] = "memory://"  # as redis://host:6379 would
    make.user(email="p@example.org")
    statuses = [attempt(client, "p@example.org", address=f"10.4.0.{n}").status_code
                for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert db.session.scalar(select(func.count()).select_from(LoginFailures)) == 0
