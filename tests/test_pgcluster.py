"""The throw-away PostgreSQL cluster the PostgreSQL tests run on."""

import sqlalchemy


def test_the_cluster_serves_an_empty_database(postgres_url):
    engine = sqlalchemy.create_engine(postgres_url)
    with engine.connect() as connection:
        version = connection.execute(sqlalchemy.text("SHOW server_version_num")).scalar()
        tables = connection.execute(sqlalchemy.text(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )).scalar()
    engine.dispose()
    assert int(version) >= 150000
    assert tables == 0
