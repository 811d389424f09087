"""The migrations build the same schema as the models, on the database the suite runs on."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from fixtures.databases import database_url, forget
from nanum import create_app
from nanum.extensions import db
from nanum.search.engines.postgres import schema


def test_migrations_match_models(config, tmp_path):
    folder = tmp_path / "migrated"
    folder.mkdir()
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": database_url(folder, empty=True)},
                     instance_path=folder)
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={
                    "render_as_batch": True,
                    # The PostgreSQL search engine's tables are not models.
                    "include_name": lambda name, type_, _parents: not (
                        type_ == "table" and name in schema.TABLES)})
                differences = compare_metadata(context, db.metadata)
            db.engine.dispose()
    finally:
        forget(folder)
    assert differences == []
