"""Notification email: queued in the request, sent with retries, digested, unsubscribed."""

import email
import email.policy
import socket
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from fixtures.databases import sqlite_only
from nanum.errors import Invalid
from nanum.extensions import db
from nanum.notifications import mailqueue, tokens
from nanum.timeutil import utcnow


def _unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_immediate_email_is_queued_not_sent_and_carries_an_unsubscribe_link(
        app, make, helpers):
    asker, helper = make.user(), make.user()
    thread = helpers.topic(asker)
    helpers.reply(helper, thread, body="We used the **city** budget.",
                  parent=helpers.first_post(thread))
    [note] = helpers.notes(asker)
    [mail] = helpers.mails()
    assert (note.email_state, mail.status, mail.to) == ("sent", "pending", asker.email)
    assert note.emailed_at is not None and mail.attempts == 0
    assert mail.subject == note.message
    assert f"http://nanum.localhost/notifications/{note.id}/open" in mail.body
    assert "We used the city budget." in mail.body
    unsubscribe = mail.headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://nanum.localhost/unsubscribe/")
    assert unsubscribe.strip("<>") in mail.body
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_daily_and_off_queue_nothing(make, helpers):
    daily, off, helper = (make.user(email_notifications="daily"),
                          make.user(email_notifications="off"), make.user())
    thread = helpers.topic(daily)
    helpers.reply(off, thread)
    helpers.reply(helper, thread)
    assert [n.email_state for n in helpers.notes(daily)] == ["pending", "pending"]
    assert [n.email_state for n in helpers.notes(off)] == ["skipped"]
    assert helpers.mails() == []


def test_send_delivers_through_the_file_backend_with_the_headers(
        app, make, helpers, runner, tmp_path):
    app.config.update(MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "outbox"))
    asker = make.user()
    helpers.reply(make.user(), helpers.topic(asker))
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0 and "Sent 1 mail; 0 failed" in result.output
    [mail] = helpers.mails()
    assert mail.status == "sent" and mail.sent_at is not None and mail.attempts == 1
    [written] = (tmp_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert message["To"] == asker.email and message["Subject"] == mail.subject
    assert message["List-Unsubscribe"] == mail.headers["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "runner" not in result.output
    assert runner.invoke(args=["notifications", "send"]).output.startswith("Sent 0 mails")


def test_a_failing_server_is_retried_with_backoff_then_given_up(app, make, helpers, runner):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=_unused_port(),
                      NOTIFICATIONS_SMTP_TIMEOUT=2.0)
    helpers.reply(make.user(), helpers.topic(make.user()))
    [mail] = helpers.mails()

    started = utcnow()
    result = runner.invoke(args=["notifications", "send"])
    assert "Sent 0 mails; 1 failed attempt" in result.output
    db.session.refresh(mail)
    assert (mail.status, mail.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in mail.last_error
    first_wait = mail.next_attempt_at - started
    assert timedelta(seconds=55) < first_wait < timedelta(seconds=65)

    runner.invoke(args=["notifications", "send"])  # not due yet: not tried
    db.session.refresh(mail)
    assert mail.attempts == 1

    waits = []
    for _ in range(4):
        later = mail.next_attempt_at + timedelta(seconds=1)
        mailqueue.send_pending(now=later)
        db.session.refresh(mail)
        waits.append(mail.next_attempt_at - later)
    assert (mail.status, mail.attempts) == ("failed", 5)
    assert [round(w.total_seconds()) for w in waits[:3]] == [120, 240, 480]

    status = runner.invoke(args=["notifications", "status"])
    assert status.exit_code == 1
    assert "failed   1" in status.output and "ConnectionRefusedError" in status.output
    assert f"#{mail.id} to {mail.to} (failed, 5 attempts)" in status.output


def test_the_digest_gathers_each_persons_notifications_into_one_mail(make, helpers, runner):
    reader = make.user(email_notifications="daily", handle="reader")
    first = make.user(name="Ana", email_notifications="off")
    second = make.user(name="Bo", email_notifications="off")
    funding = helpers.topic(reader, title="Funding a local review")
    staffing = helpers.topic(reader, title="Staffing a data unit")
    helpers.reply(first, funding)
    helpers.reply(second, funding)
    helpers.reply(first, staffing, body="@reader we hired two analysts.")
    helpers.reply(second, funding, parent=helpers.first_post(funding))
    assert helpers.mails() == []

    result = runner.invoke(args=["notifications", "digest"])
    assert "Queued 1 digest" in result.output
    [mail] = helpers.mails()
    assert mail.to == reader.email and mail.subject == "Your Nanum digest: 4 notifications"
    body = mail.body
    sections = [body.index(title) for title in (
        "== You were mentioned ==", "== Replies to your posts ==", "== New in what you watch ==")]
    assert sections == sorted(sections)
    watched = body[sections[2]:]
    assert "Funding a local review (2)" in watched
    assert "Ana posted in" in watched and "Bo posted in" in watched
    assert "Staffing a data unit" in body[sections[0]:sections[1]]
    assert mail.headers["List-Unsubscribe"].strip("<>") in body
    assert {n.email_state for n in helpers.notes(reader)} == {"digest"}

    assert "Queued 0 digests" in runner.invoke(args=["notifications", "digest"]).output
    helpers.reply(first, staffing, body="And a statistician.")
    runner.invoke(args=["notifications", "digest"])
    assert len(helpers.mails()) == 2
    assert helpers.mails()[1].subject == "Your Nanum digest: 1 notification"


def test_the_digest_skips_people_who_turned_email_off_since(make, helpers, runner):
    reader = make.user(email_notifications="daily")
    helpers.reply(make.user(), helpers.topic(reader))
    reader.email_notifications = "off"
    db.session.commit()
    assert "Queued 0 digests" in runner.invoke(args=["notifications", "digest"]).output
    assert helpers.mails() == [] and helpers.notes(reader)[0].email_state == "skipped"


# -- unsubscribe tokens --------------------------------------------------------------------

def test_a_token_names_its_person(app, make):
    person = make.user()
    assert tokens.user_for_token(tokens.unsubscribe_token(person)) == person


def test_a_tampered_token_is_refused(app, make):
    token = tokens.unsubscribe_token(make.user())
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), token[5:], "x"):
        with pytest.raises(Invalid, match="not valid"):
            tokens.user_for_token(bad)


def test_a_token_cannot_be_turned_into_another_persons(app, make):
    mine, theirs = make.user(), make.user()
    token = tokens.unsubscribe_token(mine)
    payload, _dot, rest = token.partition(".")
    forged_payload = URLSafeTimedSerializer("guess", salt="unsubscribe").dumps(
        {"user": theirs.id, "purpose": "all"}).partition(".")[0]
    with pytest.raises(Invalid):
        tokens.user_for_token(f"{forged_payload}.{rest}")
    other_key = URLSafeTimedSerializer("another-secret", salt="unsubscribe").dumps(
        {"user": theirs.id, "purpose": "all"})
    with pytest.raises(Invalid):
        tokens.user_for_token(other_key)
    other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="password-reset").dumps(
        {"user": theirs.id, "purpose": "all"})
    with pytest.raises(Invalid):
        tokens.user_for_token(other_salt)


def test_an_expired_token_is_refused(app, make):
    token = tokens.unsubscribe_token(make.user())
    with pytest.raises(Invalid, match="expired"):
        tokens.user_for_token(token, max_age=-1)


@sqlite_only
def test_sending_holds_no_database_lock(app, config, make, helpers, monkeypatch):
    import sqlite3

    asker, helper = make.user(), make.user()
    thread = helpers.topic(asker)
    helpers.reply(helper, thread, body="A reply worth a mail.",
                  parent=helpers.first_post(thread))
    database = config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    seen = []

    def slow_server(to, subject, body, headers=None, timeout=None, message_id=None):
        # While the "server" is busy, another process must still be able to write.
        connection = sqlite3.connect(database, timeout=0.05, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        connection.close()
        seen.append(to)

    monkeypatch.setattr(mailqueue.mail_backend, "send", slow_server)
    assert mailqueue.send_pending() == (1, 0)
    assert seen == [asker.email]
    [mail] = helpers.mails()
    assert mail.status == "sent" and mail.attempts == 1


def test_a_mail_keeps_its_message_id_at_every_attempt(app, make, helpers, tmp_path):
    app.config.update(MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "outbox"),
                      MAIL_DEFAULT_SENDER="Nanum <no-reply@nanum.example.org>")
    helpers.reply(make.user(), helpers.topic(make.user()))
    [mail] = helpers.mails()
    first, again = mailqueue.deliver(mail), mailqueue.deliver(mail)
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].endswith("@nanum.example.org>")
    # Delivered twice (a worker killed before the queue heard), it is still one message.
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
    assert mailqueue.message_id(mail) != mailqueue.message_id(
        type("Other", (), {"id": mail.id + 1, "created_at": mail.created_at})())


class Killed(BaseException):
    """The worker dying in the middle of a run."""


def test_a_run_renews_the_lease_of_the_mail_it_still_holds(app, make, helpers, monkeypatch):
    asker = make.user()
    thread = helpers.topic(asker)
    for body in ("One.", "Two.", "Three."):
        helpers.reply(make.user(), thread, body=body)
    queued = len(helpers.mails())  # to the asker, and to earlier repliers watching
    assert queued >= 3
    delivered = []
    later = utcnow() + timedelta(minutes=10)

    def deliver(message):
        if delivered:
            raise Killed
        delivered.append(message.id)
        monkeypatch.setattr(mailqueue, "utcnow", lambda: later)  # a slow first delivery

    monkeypatch.setattr(mailqueue, "deliver", deliver)
    with pytest.raises(Killed):
        mailqueue.send_pending()
    db.session.rollback()
    mails = sorted(helpers.mails(), key=lambda mail: mail.id)
    assert [mail.status for mail in mails] == ["sent"] + ["pending"] * (queued - 1)
    lease = timedelta(seconds=app.config["NOTIFICATIONS_SEND_LEASE"])
    for held in mails[1:]:
        # Renewed when the first mail went, ten minutes into the run: held for one lease
        # from then (the run's first lease, from its start, had long run out).
        assert held.next_attempt_at == later + lease
