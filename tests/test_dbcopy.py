"""`nanum db copy`: an embedded site moved to PostgreSQL without loss."""

import sqlalchemy as sa
from flask_migrate import upgrade

from fixtures.databases import cluster
from fixtures.factories import UserFactory
from nanum import create_app, dbcopy
from nanum.extensions import db
from nanum.practices.models import Attachment, Practice


def _app(config, folder, url):
    return create_app({**config, "SQLALCHEMY_DATABASE_URI": url,
                       "SEARCH_INDEX_DIR": str(folder / "search_index")},
                      instance_path=folder)


def _rows(url):
    """Every row of every table, in primary key order."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = {table.name: [row._asdict() for row in connection.execute(
            sa.select(table).order_by(*table.primary_key.columns))]
            for table in dbcopy.tables()}
    engine.dispose()
    return rows


def test_an_embedded_site_is_copied_to_postgresql_row_for_row(config, tmp_path):
    source_url = f"sqlite:///{tmp_path / 'source.sqlite'}"
    source = _app(config, tmp_path / "source", source_url)
    with source.app_context():
        upgrade()
        assert source.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
        practice = db.session.scalars(sa.select(Practice).limit(1)).one()
        db.session.add(Attachment(practice=practice, original_name="Plan – 2024 ✓.pdf",
                                  stored_name="a" * 32, mime_type="application/pdf", size=10))
        db.session.commit()
        db.engine.dispose()
    target_url = cluster.create()
    try:
        target = _app(config, tmp_path / "target", target_url)
        with target.app_context():
            upgrade()
            result = target.test_cli_runner().invoke(args=["db", "copy", "--from", source_url])
            assert result.exit_code == 0, result.output
            copied = _rows(source_url)
            assert _rows(target_url) == copied
            for table in ("users", "organisations", "practices", "revisions", "attachments",
                          "threads", "posts", "notifications", "audit_records",
                          "sdg_suggestions"):
                assert copied[table], f"the demo has no {table} to copy"
                assert f"{table} " in result.output
            assert f"Copied {sum(map(len, copied.values()))} rows" in result.output
            assert any(thread["accepted_post_id"] for thread in copied["threads"])
            assert any(practice["adapted_from_id"] for practice in copied["practices"])

            # The sequences were moved past the copied ids: new rows get new ones.
            assert UserFactory().id > max(user["id"] for user in copied["users"])

            again = target.test_cli_runner().invoke(args=["db", "copy", "--from", source_url])
            assert again.exit_code == 1
            assert "already holds content" in again.output
            assert "Nothing was changed" in again.output
            db.engine.dispose()
        assert len(_rows(target_url)["users"]) == len(copied["users"]) + 1
    finally:
        cluster.drop(target_url)


def test_a_target_without_the_schema_is_refused(config, tmp_path):
    source_url = f"sqlite:///{tmp_path / 'source.sqlite'}"
    source = _app(config, tmp_path / "source", source_url)
    with source.app_context():
        upgrade()
        db.engine.dispose()
    target_url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    result = source.test_cli_runner().invoke(
        args=["db", "copy", "--from", source_url, "--to", target_url])
    assert result.exit_code == 1
    assert "nanum db upgrade" in result.output
    assert "Traceback" not in result.output
