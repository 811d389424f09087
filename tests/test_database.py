"""Connections to PostgreSQL: a restarted server costs failed requests while it is down, no more."""

import tempfile

import pytest

from fixtures.databases import postgres_only, sqlite_only
from nanum import create_app, pgcluster
from nanum.extensions import db


@pytest.fixture
def own_cluster():
    """A cluster of the test's own, to stop and start again."""
    folder = tempfile.mkdtemp(prefix="nanum-test-restart-")
    port = pgcluster.free_port()
    try:
        yield folder, port, pgcluster.start(folder, port, durable=False)
    finally:
        pgcluster.remove(folder)


def test_requests_fail_while_postgres_is_down_and_work_once_it_is_back(own_cluster, config,
                                                                       tmp_path):
    folder, port, url = own_cluster
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "TESTING": False,
                      "PROPAGATE_EXCEPTIONS": False, "DATABASE_CONNECT_TIMEOUT": 2},
                     instance_path=tmp_path / "restarting")
    with app.app_context():
        db.create_all()
    client = app.test_client()
    assert client.get("/practices/").status_code == 200  # the pool now holds a connection

    pgcluster.stop(folder)
    down = client.get("/practices/")
    assert down.status_code == 503
    assert "Traceback" not in down.get_data(as_text=True)

    pgcluster.start(folder, port, durable=False)
    assert client.get("/practices/").status_code == 200


def test_a_signed_in_person_gets_the_503_page_while_postgres_is_down(own_cluster, config,
                                                                      tmp_path):
    """The error page itself must not need the database: the rollback expired the signed-in
    person's row, and reloading it (for their language) failed again, escaping as a 500."""
    from flask_login import current_user, login_user
    from sqlalchemy.exc import OperationalError

    from nanum import errors
    from nanum.accounts.models import User

    folder, port, url = own_cluster
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "TESTING": False,
                      "PROPAGATE_EXCEPTIONS": False, "DATABASE_CONNECT_TIMEOUT": 2},
                     instance_path=tmp_path / "signed-in")
    with app.app_context():
        db.create_all()
        person = User(email="down@example.org", name="Down Under", handle="downunder",
                      locale="fr")
        person.set_password("a long enough password")
        db.session.add(person)
        db.session.commit()
        with app.test_request_context("/practices/"):
            login_user(db.session.get(User, person.id))
            assert current_user.is_authenticated
            pgcluster.stop(folder)
            db.session.expire_all()  # as a failed request's rollback leaves it
            body, status, headers = errors.handle_unavailable(OperationalError("x", {}, None))
            assert status == 503 and headers["Retry-After"]
            assert "Traceback" not in body and "database" in body

    pgcluster.start(folder, port, durable=False)


@postgres_only
def test_a_slow_statement_is_cancelled(config, tmp_path):
    app = create_app({**config, "DATABASE_STATEMENT_TIMEOUT": 0.2},
                     instance_path=tmp_path / "slow")
    with app.app_context(), pytest.raises(Exception, match="statement timeout"):
        db.session.execute(db.text("SELECT pg_sleep(2)"))


@sqlite_only
def test_a_write_lock_held_too_long_asks_to_retry_and_changes_nothing(config, tmp_path):
    import sqlite3

    from nanum.accounts.models import LoginFailures

    path = tmp_path / "busy.sqlite"
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 0.2}},
                      "LOGIN_THROTTLE_STORAGE_URI": "database", "WTF_CSRF_ENABLED": False,
                      "TESTING": False,
                      "PROPAGATE_EXCEPTIONS": False}, instance_path=tmp_path / "busy")
    with app.app_context():
        db.create_all()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing for longer than the wait
    try:
        # A failed sign-in reads, then writes the failure: its first write waits for the lock.
        busy = app.test_client().post("/login", data={"email": "a@example.org",
                                                      "password": "not the password"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    page = busy.get_data(as_text=True)
    assert busy.status_code == 503 and busy.headers["Retry-After"]
    assert "try again" in page and "Nothing was changed" in page and "Traceback" not in page
    with app.app_context():
        assert db.session.query(LoginFailures).count() == 0


def test_the_answer_survives_a_connection_the_server_ended_during_the_request(own_cluster,
                                                                               config,
                                                                               tmp_path):
    """PostgreSQL ending a connection (a restart) while a request holds it: ending the
    request's session rolls back on a dead connection; that must not turn the answer made
    into a 500."""
    from sqlalchemy import create_engine, text

    folder, port, url = own_cluster
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "TESTING": False,
                      "PROPAGATE_EXCEPTIONS": False, "DATABASE_CONNECT_TIMEOUT": 2},
                     instance_path=tmp_path / "ended")
    other = create_engine(url)

    @app.route("/ended-midway")
    def ended_midway():
        backend = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with other.connect() as connection:  # as a restart ends every connection
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        return "answered"

    with app.app_context():
        db.create_all()
    client = app.test_client()
    try:
        response = client.get("/ended-midway")
        assert (response.status_code, response.get_data(as_text=True)) == (200, "answered")
        assert client.get("/practices/").status_code == 200  # a fresh connection serves
    finally:
        other.dispose()
