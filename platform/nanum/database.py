"""Engine settings for both databases, and SQLite's: WAL, foreign keys, and transactions
that take the write lock when needed.

PostgreSQL needs none of SQLite's transaction handling below: writers lock rows, not the
database. Its connections come from a pool that tests each one before use (pre-ping), so a
restarted server costs failed requests while it is down, never a worker stuck on a dead
connection; connecting and every statement have time limits.

Two gunicorn workers share one SQLite file. A transaction that starts as a reader and
later writes fails with "database is locked" when another process committed in between,
so a transaction that will write must hold SQLite's write lock (BEGIN IMMEDIATE) from its
first write on. How each transaction begins:

- in a request, deferred; at the first statement that writes, the reading transaction
  (which wrote nothing) ends and a writing one begins in its place, queueing for the lock.
  So the lock is held from a service's first write to its commit only, never while the
  request loads the user, checks permissions or cooks Markdown. Between the two, rows read
  may change, as between statements under PostgreSQL's READ COMMITTED: services write
  counters as SQL expressions and rely on constraints, not on what they read earlier;
- in commands and background workers (the indexer, the mail queue), immediate: they claim
  work by reading it, and must hold the lock from that read to their commit;
- inside `reading()`, deferred throughout: a snapshot that only reads.
"""

import importlib
import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar

from flask import request
from sqlalchemy import Engine, event, exc, insert
from sqlalchemy.engine import make_url

from nanum.extensions import db

IMMEDIATE, DEFERRED, AT_FIRST_WRITE = "immediate", "deferred", "at first write"
_begin = ContextVar("nanum_transaction_begin", default=IMMEDIATE)
_WAITING = "nanum.lock_at_first_write"  # in a connection's info: no write lock taken yet
_READS = ("SELECT", "PRAGMA", "EXPLAIN")


def engine_options(config):
    """Fill SQLALCHEMY_ENGINE_OPTIONS for the configured database (given options win)."""
    options = config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    backend = make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if backend == "sqlite":
        options.setdefault("connect_args", {"timeout": 15})
    elif backend == "postgresql":
        options.setdefault("pool_pre_ping", True)
        options.setdefault("pool_size", config["DATABASE_POOL_SIZE"])
        options.setdefault("pool_timeout", config["DATABASE_POOL_TIMEOUT"])
        options.setdefault("pool_recycle", 3600)
        statement_ms = int(config["DATABASE_STATEMENT_TIMEOUT"] * 1000)
        options.setdefault("connect_args", {
            "connect_timeout": config["DATABASE_CONNECT_TIMEOUT"],
            "options": f"-c statement_timeout={statement_ms}",
            "application_name": "nanum",
            # A server that vanished without closing the connection is noticed within a
            # minute, instead of leaving a worker waiting for an answer that never comes.
            "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
            "keepalives_count": 3})


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
    if connection.dialect.name != "sqlite":
        return
    mode = _begin.get()
    connection.info[_WAITING] = False
    connection.exec_driver_sql("BEGIN IMMEDIATE" if mode == IMMEDIATE else "BEGIN")
    connection.info[_WAITING] = mode == AT_FIRST_WRITE


@event.listens_for(Engine, "before_cursor_execute")
def _sqlite_lock_at_first_write(connection, cursor, statement, _parameters, _context,
                                _executemany):
    if not connection.info.get(_WAITING):
        return
    if statement.lstrip()[:7].upper().startswith(_READS):
        return
    connection.info[_WAITING] = False
    # Nothing was written yet, so ending the reading transaction loses nothing.
    cursor.execute("COMMIT")
    try:
        cursor.execute("BEGIN IMMEDIATE")
    except connection.dialect.dbapi.OperationalError as error:
        # Raised here, outside SQLAlchemy's wrapping of the statement: wrap it as SQLAlchemy
        # would, so that a lock held too long is a 503 asking to retry, not a 500.
        raise exc.OperationalError("BEGIN IMMEDIATE", None, error) from error


@contextmanager
def reading():
    """Begin the transactions inside the block deferred: they only read."""
    token = _begin.set(DEFERRED)
    try:
        yield
    finally:
        _begin.reset(token)


def _mark_request():
    request.environ["nanum.begin_token"] = _begin.set(AT_FIRST_WRITE)


def _unmark_request(_error=None):
    token = request.environ.pop("nanum.begin_token", None)
    if token is not None:
        _begin.reset(token)


def _end_session(_error=None):
    """End the request's session, before Flask-SQLAlchemy's own teardown would. Ending it
    rolls back what is open; when the database went away during the request (PostgreSQL
    restarted), that rollback fails too, and the answer already made (often the 503 page)
    would be lost to a bare 500: the dead connection is dropped instead."""
    try:
        db.session.remove()
    except exc.DBAPIError:
        db.session.registry().invalidate()
        db.session.remove()


def init_app(app):
    app.before_request(_mark_request)
    app.teardown_request(_unmark_request)
    app.teardown_appcontext(_end_session)  # runs before the teardown db.init_app added


def upsert_dialect(bind):
    """Return SQLAlchemy's module for the dialect of `bind` (an engine or connection), whose
    `insert` has ON CONFLICT, or None for a database without it. Imported when first asked
    for: a site on SQLite never loads PostgreSQL's dialect, which costs every start-up."""
    name = bind.dialect.name
    if name not in ("sqlite", "postgresql"):
        return None
    return importlib.import_module(f"sqlalchemy.dialects.{name}")


def insert_returning_ids(session, table, rows):
    """Insert rows into a table with an integer key the database numbers; return their ids
    in the rows' order, in as few statements as the engine allows.

    On PostgreSQL, SQLAlchemy inserts many rows a statement and sorts the returned ids
    into the rows' order. SQLite cannot promise the order of RETURNING rows, so SQLAlchemy
    would insert one row per statement: there the first row is inserted alone, which takes
    the write lock, and as SQLite numbers a new row one past the largest key, the keys after
    it stay free until the commit; the other rows are given them and inserted together.
    """
    if not rows:
        return []
    key = table.c.id
    if session.get_bind().dialect.name != "sqlite":
        return session.scalars(insert(table).returning(key, sort_by_parameter_order=True),
                              rows).all()
    first = session.execute(insert(table).returning(key), rows[0]).scalar_one()
    ids = list(range(first, first + len(rows)))
    if len(rows) > 1:
        session.execute(insert(table), [{**row, "id": row_id}
                                        for row_id, row in zip(ids[1:], rows[1:], strict=True)])
    return ids


def keyset_batches(session, statement, key, size=500):
    """Yield the rows of a select statement in batches of `size`, walking its key column.

    Each batch is read as `WHERE key > last ORDER BY key LIMIT size`, so a walk over many
    rows never pages with OFFSET. The session is emptied after each batch is handled, so
    memory stays bounded by one batch.
    """
    last = None
    while True:
        page = statement if last is None else statement.where(key > last)
        chunk = session.scalars(page.order_by(key).limit(size)).unique().all()
        if not chunk:
            return
        last = getattr(chunk[-1], key.key)
        yield chunk
        session.expunge_all()
