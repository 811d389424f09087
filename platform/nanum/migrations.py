"""The schema's migrations: Flask-Migrate's settings, without importing it at start-up.

Flask-Migrate imports Alembic, and Alembic imports Mako, Pygments and every SQL dialect
it can migrate: a tenth of the start-up of every `nanum` command and server worker, for
the few that migrate. So the app keeps here what `Migrate.init_app` would keep in
`app.extensions["migrate"]`, and makes the `Migrate` object when a migration first runs
(`nanum db ...`, `flask_migrate.upgrade()`); `nanum.cli` registers the `db` group so that
it is imported when it is used.
"""

from functools import cached_property

from flask import current_app

from nanum.config import ROOT

DIRECTORY = str(ROOT / "migrations")
# Passed to Alembic's context by migrations/env.py: batch mode, which SQLite needs to alter
# a table, and autogenerate comparing column types.
OPTIONS = {"compare_type": True, "render_as_batch": True}


class Migrations:
    """What Flask-Migrate's functions, migrations/env.py, `nanum doctor` and `nanum backup`
    read from `app.extensions["migrate"]` (the attributes of Flask-Migrate's own record)."""

    def __init__(self, db):
        self.db = db
        self.directory = DIRECTORY
        self.configure_args = dict(OPTIONS)

    @property
    def metadata(self):
        return self.db.metadata

    @cached_property
    def migrate(self):
        """Flask-Migrate's object, which makes Alembic's configuration for each command."""
        from flask_migrate import Migrate

        return Migrate(db=self.db, directory=self.directory, **self.configure_args)


def init_app(app, db):
    app.extensions["migrate"] = Migrations(db)


def scripts():
    """Return the current app's migration scripts (Alembic's `ScriptDirectory`)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(current_app.extensions["migrate"].directory)
