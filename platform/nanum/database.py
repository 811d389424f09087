"""SQLite settings: WAL, foreign keys, and transactions that say up front if they write.

Two gunicorn workers share one SQLite file. A transaction that starts as a reader and
later writes fails with "database is locked" when another process committed in between,
so requests that change things (POST and the like), commands and the indexer begin
their transactions with BEGIN IMMEDIATE and queue for the write lock instead; pages that
only read begin deferred and never wait for writers.
"""

import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar

from flask import request
from sqlalchemy import Engine, event

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_writes = ContextVar("nanum_transaction_writes", default=True)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record):
    """Let SQLAlchemy, not pysqlite, manage transactions; turn on WAL and foreign keys."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # pysqlite's own handling breaks SAVEPOINT
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes.get() else "BEGIN")


@contextmanager
def reading():
    """Begin the transactions inside the block deferred: they only read."""
    token = _writes.set(False)
    try:
        yield
    finally:
        _writes.reset(token)


def _mark_request():
    request.environ["nanum.writes_token"] = _writes.set(request.method not in SAFE_METHODS)


def _unmark_request(_error=None):
    token = request.environ.pop("nanum.writes_token", None)
    if token is not None:
        _writes.reset(token)


def init_app(app):
    app.before_request(_mark_request)
    app.teardown_request(_unmark_request)
