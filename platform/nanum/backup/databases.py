"""Dump and load the database for a backup: SQLite through its online backup API (never a
copy of the file, which a writer may be changing), PostgreSQL through `pg_dump` in its
custom format and `pg_restore`.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from nanum import pgcluster
from nanum.dbcopy import SEEDED

SQLITE, POSTGRES = "sqlite", "postgresql"
DUMP_NAMES = {SQLITE: "database/nanum.sqlite", POSTGRES: "database/nanum.dump"}
SQLITE_BUSY_SECONDS = 30
BOOKKEEPING = {"alembic_version", *SEEDED}  # tables that hold rows in an empty instance


class DatabaseError(Exception):
    """The database could not be dumped or loaded."""


def kind(url):
    """`sqlite` or `postgresql`: the kind of database at `url`."""
    backend = make_url(url).get_backend_name()
    if backend not in (SQLITE, POSTGRES):
        raise DatabaseError(f"Backups cover SQLite and PostgreSQL, not {backend}.")
    return backend


def sqlite_path(url):
    database = make_url(url).database
    if not database or database == ":memory:":
        raise DatabaseError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _libpq(url):
    """A connection string for the PostgreSQL programs, and their environment (the
    password goes there, not on a command line other users can read)."""
    url = make_url(url)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _run(command, environment):
    try:
        binary = pgcluster.binary(command[0])
    except pgcluster.ClusterError as error:
        raise DatabaseError(str(error)) from None
    result = subprocess.run([binary, *command[1:]], capture_output=True, text=True,
                            env=environment)
    if result.returncode:
        raise DatabaseError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")
    return result


def revision(url):
    """The database's Alembic revision, or None when it has no schema."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(sa.text("SELECT version_num FROM alembic_version")
                                      ).scalar()
    except sa.exc.OperationalError as error:
        raise DatabaseError(f"Cannot reach the database: {error.orig}") from None
    finally:
        engine.dispose()


def dump(url, target):
    """Write a consistent copy of the database at `url` to the file `target`; return the
    Alembic revision of that copy."""
    if kind(url) == SQLITE:
        return _dump_sqlite(sqlite_path(url), target)
    before = revision(url)
    connection, environment = _libpq(url)
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
          "--file", str(target), "--dbname", connection], environment)
    if revision(url) != before:
        raise DatabaseError("A migration ran during the backup; take it again.")
    return before


def _dump_sqlite(path, target):
    if not path.is_file():
        raise DatabaseError(f"No database at {path}.")
    source = sqlite3.connect(path, timeout=SQLITE_BUSY_SECONDS)
    copy = sqlite3.connect(target)
    try:
        # One step: the copy is made inside one read transaction, a snapshot that writers
        # (in WAL mode) go on committing beside.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return _sqlite_revision(copy)
    except sqlite3.Error as error:
        raise DatabaseError(f"Cannot back up {path}: {error}") from None
    finally:
        copy.close()
        source.close()


def _sqlite_revision(connection):
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if not found:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def filled_tables(url):
    """The tables of the database that hold content (bookkeeping rows aside)."""
    if kind(url) == SQLITE and not sqlite_path(url).exists():
        return []
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            names = [name for name in sa.inspect(connection).get_table_names()
                     if name not in BOOKKEEPING]
            return [name for name in names if connection.execute(
                sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)).first()]
    except sa.exc.OperationalError as error:
        raise DatabaseError(f"Cannot reach the database: {error.orig}") from None
    finally:
        engine.dispose()


def check_dump(dump_kind, staged):
    """Raise DatabaseError unless the staged dump can be read."""
    if dump_kind == SQLITE:
        connection = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.Error as error:
            raise DatabaseError(f"The archive's database cannot be read: {error}") from None
        finally:
            connection.close()
        if result != "ok":
            raise DatabaseError(f"The archive's database is damaged: {result}")
    else:
        _run(["pg_restore", "--list", str(staged)], dict(os.environ))


def load(url, staged, workdir):
    """Replace the (empty) database at `url` with the staged dump."""
    if kind(url) == SQLITE:
        _load_sqlite(staged, sqlite_path(url))
        return
    script = Path(workdir) / "restore.sql"
    _run(["pg_restore", "--no-owner", "--no-privileges", "--file", str(script), str(staged)],
         dict(os.environ))
    connection, environment = _libpq(url)
    # One transaction: the schema of an empty instance (made by `nanum db upgrade`) goes and
    # the dump's comes in its place, or nothing changes.
    _run(["psql", "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1",
          "-c", "DROP SCHEMA IF EXISTS public CASCADE", "-c", "CREATE SCHEMA public",
          "-f", str(script), "--dbname", connection], environment)


def _load_sqlite(staged, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
    target = sqlite3.connect(path, timeout=SQLITE_BUSY_SECONDS)
    try:
        # Through the backup API, not a file copy: it replaces the pages under SQLite's
        # locks and takes care of a write-ahead log beside the file.
        source.backup(target)
    except sqlite3.Error as error:
        raise DatabaseError(f"Cannot write the database {path}: {error}") from None
    finally:
        target.close()
        source.close()
