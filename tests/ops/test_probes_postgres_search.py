"""/readyz with the PostgreSQL search engine: no index folder, no outbox to lag."""

import pytest

from nanum.search import service


@pytest.fixture
def config(config, empty_postgres):
    return {**config, "SQLALCHEMY_DATABASE_URI": empty_postgres, "SEARCH_ENGINE": "postgres",
            "SEARCH_APPLY": "indexer"}


def test_ready_once_the_search_tables_are_built(app, client, make):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["search_index"] == "missing or being rebuilt"
    service.rebuild()
    make.practice(title="Searchable when it commits")  # written with its transaction
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["search_index"] == "ok"
    assert report["search_outbox_lag_seconds"] == 0.0
