"""The migrations build the same schema as the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from nanum import create_app
from nanum.extensions import db
from nanum.search.engines.postgres import schema


def test_migrations_match_models(config, tmp_path):
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{tmp_path / 'migrated.sqlite'}"},
                     instance_path=tmp_path / "migrated")
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "render_as_batch": True,
                # The PostgreSQL search engine's tables are not models.
                "include_name": lambda name, type_, _parents: not (
                    type_ == "table" and name in schema.TABLES)})
            differences = compare_metadata(context, db.metadata)
    assert differences == []
