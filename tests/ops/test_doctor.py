"""`nanum doctor`: each check when all is well and when it is not, and the exit status."""

import email
import email.policy
import shutil
import smtplib
import socket
from collections import namedtuple
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from fixtures.app import app_settings
from nanum import create_app
from nanum.extensions import db
from nanum.notifications.models import OutgoingMail
from nanum.ops import doctor
from nanum.search import service
from nanum.search.models import SearchOutbox
from nanum.timeutil import utcnow

Usage = namedtuple("Usage", "total used free")
GB = 1024 ** 3
GOOD_KEY = "9f2c" * 16


def _head(app):
    return ScriptDirectory(app.extensions["migrate"].directory).get_current_head()


def _stamp(revision):
    db.session.execute(db.text("DELETE FROM alembic_version"))
    db.session.execute(db.text("INSERT INTO alembic_version (version_num) VALUES (:r)"),
                       {"r": revision})
    db.session.commit()


@pytest.fixture
def stamped(app):
    """The test database stamped at the latest migration, as `nanum db upgrade` leaves it."""
    db.session.execute(db.text(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
    db.session.commit()
    _stamp(_head(app))
    yield
    db.session.rollback()
    db.session.execute(db.text("DROP TABLE alembic_version"))  # the shared database lives on
    db.session.commit()


@pytest.fixture
def roomy(monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: Usage(100 * GB, 50 * GB, 50 * GB))


@pytest.fixture
def healthy(app, stamped, roomy):
    """A deployment with nothing to fix."""
    app.config.update(SECRET_KEY=GOOD_KEY, SITE_URL="https://nanum.example.org",
                      PREFERRED_URL_SCHEME="https", SESSION_COOKIE_SECURE=True,
                      MAIL_BACKEND="smtp", MAIL_SERVER="smtp.example.org", MAIL_USE_TLS=True,
                      MAIL_USERNAME="nanum", MAIL_PASSWORD="pw",
                      MAIL_DEFAULT_SENDER="Nanum <no-reply@example.org>",
                      METRICS_TOKEN="a-long-random-scrape-token")
    service.rebuild()
    return app


def _result(name, results=None):
    results = doctor.run() if results is None else results
    [result] = [r for r in results if r.name == name]
    return result


def test_a_healthy_deployment_passes_every_check(healthy, runner):
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(doctor.CHECKS) + 1
    assert all(line.startswith("OK ") for line in lines[:-1]), result.output
    assert lines[-1] == f"{len(doctor.CHECKS)} OK, 0 warnings, 0 failures."


def test_warnings_alone_exit_zero_and_a_failure_exits_one(healthy, runner):
    healthy.config["METRICS_TOKEN"] = None
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 0
    assert "WARN  monitoring: NANUM_METRICS_TOKEN is not set" in result.output
    healthy.config["SECRET_KEY"] = "short"
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "FAIL  secret key: The secret key has only 5 characters" in result.output
    assert result.output.splitlines()[-1].endswith("1 warnings, 1 failures.")


@pytest.mark.parametrize("key, says", [
    ("", "No secret key is set"),
    ("test-secret", "well-known development value"),
    ("Dev", "well-known development value"),
    ("a1b2c3d4e5", "only 10 characters"),
])
def test_weak_secret_keys_fail(healthy, key, says):
    healthy.config["SECRET_KEY"] = key
    result = _result("secret key")
    assert result.status == doctor.FAIL and says in result.message


def test_a_secret_key_file_others_can_read_fails(healthy):
    path = Path(healthy.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GOOD_KEY)
    path.chmod(0o600)
    assert _result("secret key").status == doctor.OK
    path.chmod(0o644)
    result = _result("secret key")
    assert result.status == doctor.FAIL
    assert f"chmod 600 {path}" in result.message and "644" in result.message


def test_http_warns_except_on_the_local_machine(healthy):
    healthy.config.update(SITE_URL="http://nanum.example.org", PREFERRED_URL_SCHEME="http",
                          SESSION_COOKIE_SECURE=False)
    result = _result("https")
    assert result.status == doctor.WARN
    assert "NANUM_SITE_URL is http://nanum.example.org" in result.message
    assert "PREFERRED_URL_SCHEME" in result.message and "Secure" in result.message
    for local in ("http://127.0.0.1:5000", "http://localhost:8000"):
        healthy.config["SITE_URL"] = local
        assert _result("https").status == doctor.OK
    healthy.config["SITE_URL"] = None
    assert "NANUM_SITE_URL is not set" in _result("https").message


def test_https_site_without_secure_cookies_warns(healthy):
    healthy.config["SESSION_COOKIE_SECURE"] = False
    result = _result("https")
    assert result.status == doctor.WARN and "not marked Secure" in result.message


def test_mail_settings(healthy):
    assert _result("mail").status == doctor.OK
    healthy.config["MAIL_USE_TLS"] = False
    assert "unencrypted" in _result("mail").message
    healthy.config.update(MAIL_USE_TLS=True, MAIL_DEFAULT_SENDER="Nanum <no-reply@localhost>")
    assert "which other servers refuse" in _result("mail").message
    healthy.config["MAIL_DEFAULT_SENDER"] = "Nanum"
    assert _result("mail").status == doctor.FAIL
    healthy.config.update(MAIL_DEFAULT_SENDER="a@example.org", MAIL_BACKEND="file")
    result = _result("mail")
    assert result.status == doctor.WARN and "nobody receives it" in result.message


def test_a_database_behind_the_latest_migration_fails(healthy, runner):
    scripts = ScriptDirectory(healthy.extensions["migrate"].directory)
    previous = scripts.get_revision(_head(healthy)).down_revision
    _stamp(previous)
    result = _result("database")
    assert result.status == doctor.FAIL
    assert f"at migration {previous}, behind {_head(healthy)}" in result.message
    assert "nanum db upgrade" in result.message
    assert runner.invoke(args=["doctor"]).exit_code == 1


def test_an_unknown_migration_and_no_stamp_fail(healthy):
    _stamp("ffffffffffff")
    assert "does not know" in _result("database").message
    db.session.execute(db.text("DELETE FROM alembic_version"))
    db.session.commit()
    assert _result("database").status == doctor.FAIL
    db.session.execute(db.text("DROP TABLE alembic_version"))
    db.session.commit()
    try:
        assert "no migration stamp" in _result("database").message
    finally:
        db.session.execute(db.text(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        db.session.commit()


def test_an_unreachable_database_fails_each_check_that_needs_it(tmp_path, static_build_dir):
    missing = Path(tmp_path) / "no-such-folder" / "nanum.sqlite"
    app = create_app(app_settings(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}",
                                  STATIC_BUILD_DIR=str(static_build_dir)),
                     instance_path=tmp_path / "instance")
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "FAIL  database: The database cannot be reached" in result.output
    assert "FAIL  mail worker: Not checked: the database cannot be reached" in (
        result.output)
    assert "Traceback" not in result.output


def test_a_missing_index_fails(healthy):
    if healthy.config["SEARCH_ENGINE"] != "whoosh":
        pytest.skip("only the embedded engine keeps its index in a folder")
    shutil.rmtree(healthy.config["SEARCH_INDEX_DIR"])
    result = _result("search index")
    assert result.status == doctor.FAIL and "nanum search rebuild" in result.message


def test_an_index_that_differs_from_the_database_fails(healthy, make):
    practice = make.practice(title="Dropped from the index")
    service.sync()
    assert _result("search index").status == doctor.OK
    with service.engine().writing() as writer:
        writer.delete(f"practice:{practice.id}")
    result = _result("search index")
    assert result.status == doctor.FAIL
    assert "1 missing, 0 extra" in result.message and "--repair" in result.message


def test_a_lagging_outbox_fails_the_indexer(healthy):
    if healthy.config["SEARCH_ENGINE"] == "postgres":
        pytest.skip("the PostgreSQL index is written in each transaction")
    healthy.config["SEARCH_APPLY"] = "indexer"
    db.session.add(SearchOutbox(doc_key="practice:1", created_at=utcnow() - timedelta(
        seconds=600)))
    db.session.commit()
    result = _result("indexer")
    assert result.status == doctor.FAIL
    assert "nanum search indexer" in result.message and "limit 120 s" in result.message


def test_old_queued_mail_fails_the_mail_worker(healthy):
    long_ago = utcnow() - timedelta(hours=3)
    db.session.add(OutgoingMail(to="a@example.org", subject="Sent", body="x", status="sent",
                                created_at=long_ago))
    db.session.commit()
    assert _result("mail worker").status == doctor.OK
    db.session.add(OutgoingMail(to="b@example.org", subject="Stuck", body="x",
                                created_at=long_ago))
    db.session.commit()
    result = _result("mail worker")
    assert result.status == doctor.FAIL and "nanum notifications worker" in result.message


@pytest.mark.parametrize("free, status", [(50 * GB, doctor.OK), (5 * GB, doctor.WARN),
                                          (GB // 2, doctor.WARN), (GB // 20, doctor.FAIL)])
def test_disk_space(healthy, monkeypatch, free, status):
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: Usage(100 * GB, 100 * GB - free,
                                                                  free))
    result = _result("disk space")
    assert result.status == status, result.message
    if status != doctor.OK:
        assert result.message.startswith("Only ") and "instance folder" in result.message


def test_monitoring_settings(healthy):
    healthy.config["METRICS_TOKEN"] = "short"
    assert "only 5 characters" in _result("monitoring").message
    healthy.config.update(METRICS_TOKEN="a-long-random-scrape-token", READY_MAIL_AGE_MAX=0)
    result = _result("monitoring")
    assert result.status == doctor.WARN and "NANUM_READY_MAIL_AGE_MAX is 0" in result.message


def test_a_broken_check_is_a_failure_not_a_traceback(healthy, runner, monkeypatch):
    def broken():
        raise OSError("the index folder cannot be read")

    monkeypatch.setattr(service, "index_missing", broken)
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "FAIL  search index: Could not be checked (OSError: the index folder" in result.output
    assert "OK    monitoring" in result.output  # the checks after it still ran


def test_send_test_through_the_file_backend(healthy, runner, tmp_path):
    healthy.config.update(MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "outbox"))
    result = runner.invoke(args=["doctor", "--send-test", "admin@example.org"])
    assert "WARN  test mail: The test mail to admin@example.org was not sent out" in (
        result.output)
    [written] = (tmp_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert message["To"] == "admin@example.org" and "nanum doctor" in message["Subject"]


def test_send_test_through_smtp(healthy, runner, monkeypatch):
    sent = []

    class Server:
        def __init__(self, host, port, timeout):
            self.host = host

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            pass

        def login(self, user, password):
            pass

        def send_message(self, message):
            sent.append((self.host, message["To"]))

    monkeypatch.setattr(smtplib, "SMTP", Server)
    result = runner.invoke(args=["doctor", "--send-test", "admin@example.org"])
    assert result.exit_code == 0, result.output
    assert "OK    test mail: The SMTP server accepted a test mail to admin@example.org" in (
        result.output)
    assert sent == [("smtp.example.org", "admin@example.org")]


def _unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_test_send_fails(healthy, runner):
    healthy.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_unused_port(),
                          NOTIFICATIONS_SMTP_TIMEOUT=2.0)
    result = runner.invoke(args=["doctor", "--send-test", "admin@example.org"])
    assert result.exit_code == 1
    assert "FAIL  test mail: Sending to admin@example.org failed (ConnectionRefusedError" in (
        result.output)


@pytest.mark.parametrize("address", ["not an address", "a@example.org\nBcc: b@example.org",
                                     "a@b@example.org", "@example.org", ""])
def test_a_bad_test_address_is_refused_and_nothing_is_sent(healthy, runner, tmp_path,
                                                           address):
    healthy.config.update(MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "outbox"))
    result = runner.invoke(args=["doctor", "--send-test", address])
    assert result.exit_code == 1
    assert "FAIL  test mail:" in result.output and "is not one plain email address" in (
        result.output)
    assert not (tmp_path / "outbox").exists()
