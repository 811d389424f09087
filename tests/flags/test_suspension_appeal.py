"""A suspended person signing in: shown the suspension and a form to appeal it, with a
signed, short-lived token, and never signed in."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from sqlalchemy import func, select

from nanum.extensions import db
from nanum.flags import sanctions, suspension
from nanum.flags.models import Statement
from nanum.moderation.models import AuditRecord
from nanum.timeutil import utcnow


def text(response):
    return response.get_data(as_text=True)


def token_in(page):
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


@pytest.fixture
def suspended(people):
    until = utcnow() + timedelta(days=20)
    sanctions.act(people.mod, people.author, "suspend", "spam", "Three shops in a week.",
                  until=until.date().isoformat())
    return db.session.scalar(select(Statement))


def appeal(client, post, token, words="I sell nothing; the shop is a cooperative."):
    return post("/suspension/appeal", {"token": token, "text": words}, page="/login")


def test_signing_in_shows_the_suspension_and_signs_nobody_in(client, auth, suspended):
    page = text(auth.login("author@example.org"))
    assert f"suspended until {suspended.until.strftime('%d %B %Y')}" in page
    assert "Spam or advertising" in page and "Three shops in a week." in page
    assert "Send the appeal" in page
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert client.get("/notifications").status_code == 302


def test_a_wrong_password_shows_no_suspension(client, auth, suspended):
    page = text(auth.login("author@example.org", password="not the password"))
    assert "Three shops" not in page and 'name="token"' not in page


def test_the_appeal_goes_to_the_queue_and_is_audited(client, auth, post, people, suspended):
    token = token_in(text(auth.login("author@example.org")))
    response = appeal(client, post, token)
    assert response.status_code == 200
    page = text(response)
    assert "Your appeal is sent" in page and "is waiting for another moderator" in page
    assert "Send the appeal" not in page
    db.session.expire_all()
    assert suspended.appeal_status == "open" and suspended.appealed_by_id == people.author.id
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "appeal.open"))
    assert record.actor_id == people.author.id
    # Still signed out, and nothing else is reachable.
    for url in ("/notifications", f"/decisions/{suspended.id}", "/discussions/new",
                "/account/profile", "/organisations/mine"):
        response = client.get(url)
        assert response.status_code == 302 and "/login?next=" in response.location, url
    with client.session_transaction() as session:
        assert "_user_id" not in session
    auth.login("mod2@example.org")
    assert "I sell nothing" in text(client.get("/moderation/flags"))


def test_the_moderator_who_suspended_does_not_decide_the_appeal(client, auth, post, people,
                                                                suspended):
    appeal(client, post, token_in(text(auth.login("author@example.org"))))
    with pytest.raises(Exception, match="Another moderator"):
        sanctions.decide_appeal(people.mod, suspended, "overturn", "policy")
    sanctions.decide_appeal(people.mod2, suspended, "overturn", "policy", "Fair enough.")
    db.session.expire_all()
    assert not people.author.is_suspended
    auth.login("author@example.org")
    assert client.get("/notifications").status_code == 200  # signed in at last


def test_one_appeal_at_a_time_and_once(client, auth, post, people, suspended):
    token = token_in(text(auth.login("author@example.org")))
    appeal(client, post, token)
    again = appeal(client, post, token, "And again.")
    assert again.status_code == 409 and "already waiting for a moderator" in text(again)
    sanctions.decide_appeal(people.mod2, suspended, "uphold", "spam")
    page = text(auth.login("author@example.org"))
    assert "the decision was upheld" in page and "Send the appeal" not in page
    refused = appeal(client, post, token_in(page) if 'name="token"' in page else token,
                     "Once more.")
    assert "appealed this decision" in text(refused)
    assert db.session.scalar(select(func.count(AuditRecord.id)).where(
        AuditRecord.action == "appeal.open")) == 1


@pytest.mark.parametrize("words, problem", [
    ("   ", "Please say why the decision should change."),
    ("x" * 4001, "Keep it under 4,000 characters."),
])
def test_bad_input_is_explained_and_kept(client, auth, post, suspended, words, problem):
    token = token_in(text(auth.login("author@example.org")))
    response = appeal(client, post, token, words)
    assert response.status_code == 400
    page = text(response)
    assert problem in page and "Nothing was sent." in page
    if words.strip():
        assert words in page  # what they wrote is not lost
    db.session.expire_all()
    assert suspended.appeal_status is None


def test_a_forged_or_stale_token_changes_nothing(app, client, auth, post, people, suspended):
    token = token_in(text(auth.login("author@example.org")))
    for bad in ("", "nonsense", token[:-2] + ("AA" if not token.endswith("AA") else "BB")):
        response = appeal(client, post, bad)
        assert response.status_code == 302 and response.location.endswith("/login")
    later = utcnow() + timedelta(seconds=app.config["MODERATION_SUSPENSION_APPEAL_MAX_AGE"] + 5)
    with mock.patch("itsdangerous.timed.time.time", return_value=later.timestamp() + 3600 * 24):
        assert appeal(client, post, token).status_code == 302
    # A new suspension (or password) makes the old token useless.
    sanctions.act(people.mod2, people.author, "suspend", "spam",
                  until=(utcnow() + timedelta(days=40)).date().isoformat())
    assert appeal(client, post, token).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Statement.id)).where(
        Statement.appeal_status.is_not(None))) == 0


def test_a_token_is_only_made_for_the_person_it_names(app, people, suspended):
    token = suspension.appeal_token(people.author)
    assert suspension.person_of(token).id == people.author.id
    people.author.set_password("another long passphrase")
    db.session.commit()
    with pytest.raises(Exception, match="expired"):
        suspension.person_of(token)


def test_a_token_dies_with_the_suspension(people, suspended):
    token = suspension.appeal_token(people.author)
    people.author.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(Exception, match="expired"):
        suspension.person_of(token)


def test_appeals_are_rate_limited(config, tmp_path):
    from fixtures.app import Auth, csrf_token
    from fixtures.factories import UserFactory
    from nanum import create_app

    app = create_app({**config, "RATELIMIT_ENABLED": True,
                      "RATELIMIT_SUSPENSION_APPEAL": "2 per hour"},
                     instance_path=tmp_path / "limited")
    with app.app_context():
        db.create_all()
        moderator = UserFactory(email="mod@example.org", role="moderator")
        person = UserFactory(email="quick@example.org")
        sanctions.act(moderator, person, "suspend", "spam",
                      until=(utcnow() + timedelta(days=3)).date().isoformat())
        client = app.test_client()
        token = token_in(text(Auth(client).login("quick@example.org")))
        form = {"token": token, "text": "", "csrf_token": csrf_token(client, "/login")}
        statuses = [client.post("/suspension/appeal", data=form).status_code
                    for _ in range(3)]
        db.session.remove()
    assert statuses == [400, 400, 429]
