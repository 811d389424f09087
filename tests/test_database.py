"""Connections to PostgreSQL: a restarted server costs failed requests while it is down, no more."""

import tempfile

import pytest

from fixtures.databases import postgres_only
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


@postgres_only
def test_a_slow_statement_is_cancelled(config, tmp_path):
    app = create_app({**config, "DATABASE_STATEMENT_TIMEOUT": 0.2},
                     instance_path=tmp_path / "slow")
    with app.app_context(), pytest.raises(Exception, match="statement timeout"):
        db.session.execute(db.text("SELECT pg_sleep(2)"))
