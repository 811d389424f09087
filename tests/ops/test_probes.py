"""/healthz and /readyz: what a load balancer sees when all is well and when it is not."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from fixtures.app import app_settings
from nanum import create_app
from nanum.extensions import db
from nanum.notifications.models import OutgoingMail
from nanum.search import service
from nanum.search.models import SearchOutbox
from nanum.timeutil import utcnow


@pytest.fixture
def statements(app):
    """The SQL statements the application sends while the test runs."""
    seen = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


@pytest.fixture
def ready_app(app):
    service.rebuild()
    return app


def test_healthz_answers_without_the_database_or_a_cookie(app, client, statements):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.mimetype == "text/plain"
    assert "Set-Cookie" not in response.headers
    assert statements == []


def test_readyz_reports_ready_with_its_figures(ready_app, client, statements):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["status"] == "ready"
    assert report["database"] == "ok"
    assert report["search_index"] == "ok"
    assert report["search_outbox_lag_seconds"] == 0.0
    assert report["mail_queue_age_seconds"] == 0.0
    assert report["reasons"] == []
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert len(statements) <= 2


def test_readyz_is_never_answered_from_the_page_cache(ready_app, client):
    assert client.get("/readyz").status_code == 200
    shutil.rmtree(ready_app.config["SEARCH_INDEX_DIR"])
    assert client.get("/readyz").status_code == 503


def test_a_missing_index_folder_is_not_ready(ready_app, client):
    if ready_app.config["SEARCH_ENGINE"] != "whoosh":
        pytest.skip("only the embedded engine keeps its index in a folder")
    shutil.rmtree(ready_app.config["SEARCH_INDEX_DIR"])
    response = client.get("/readyz")
    assert response.status_code == 503
    report = response.get_json()
    assert report["status"] == "not ready"
    assert report["search_index"] == "missing or being rebuilt"
    assert report["reasons"] == ["The search index is missing, incomplete or being rebuilt."]


def test_a_lagging_outbox_is_not_ready(ready_app, client):
    ready_app.config["SEARCH_APPLY"] = "indexer"  # nobody applies the change below
    db.session.add(SearchOutbox(doc_key="practice:1", created_at=utcnow() - timedelta(
        seconds=600)))
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    report = response.get_json()
    assert report["search_outbox_lag_seconds"] >= 600
    assert len(report["reasons"]) == 1
    assert "behind the database" in report["reasons"][0]


def test_a_small_lag_is_still_ready(ready_app, client):
    ready_app.config["SEARCH_APPLY"] = "indexer"
    db.session.add(SearchOutbox(doc_key="practice:1", created_at=utcnow() - timedelta(
        seconds=5)))
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert 5 <= response.get_json()["search_outbox_lag_seconds"] < 60


def test_old_queued_mail_is_not_ready_and_sent_mail_does_not_count(ready_app, client):
    long_ago = utcnow() - timedelta(hours=3)
    db.session.add(OutgoingMail(to="a@example.org", subject="Sent", body="x", status="sent",
                                created_at=long_ago))
    db.session.commit()
    assert client.get("/readyz").status_code == 200
    db.session.add(OutgoingMail(to="b@example.org", subject="Stuck", body="x",
                                created_at=long_ago))
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    report = response.get_json()
    assert report["mail_queue_age_seconds"] >= 3 * 3600
    assert "oldest queued mail" in report["reasons"][0]


def test_an_unreachable_database_is_not_ready(tmp_path, static_build_dir):
    missing = Path(tmp_path) / "no-such-folder" / "nanum.sqlite"
    app = create_app(app_settings(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}",
                                  STATIC_BUILD_DIR=str(static_build_dir)),
                     instance_path=tmp_path / "instance")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    report = response.get_json()
    assert report["database"] == "unreachable"
    assert report["reasons"] == ["The database cannot be reached."]
    assert "sqlite" not in response.get_data(as_text=True).lower()
    assert app.test_client().get("/healthz").status_code == 200
