"""Searchable the moment it commits: on the PostgreSQL engine, the documents a transaction
changes are written in that same transaction, just before it commits.

The outbox listeners (`outbox.py`) note the keys of the changed documents after each flush;
here, before the commit, those documents are loaded as the transaction sees them and
written to the search tables, and their outbox rows removed. A rollback takes everything
back at once, so the search tables never disagree with the database and no indexer runs.
"""

from flask import current_app, has_app_context
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from nanum.search import documents, outbox
from nanum.search.engines.postgres import schema, writing
from nanum.search.engines.postgres.engine import PostgresEngine


def listen():
    if not event.contains(Session, "before_commit", _write_changes):
        event.listen(Session, "before_commit", _write_changes)


def _write_changes(session):
    if not has_app_context():
        return
    engine = current_app.extensions.get("nanum.search")
    if not isinstance(engine, PostgresEngine):
        return
    session.flush()  # what is left to flush records its keys too
    if not session.info.get(outbox.KEYS):
        return
    connection = session.connection()
    if not (engine.ready or schema.exists(connection)):
        return  # no tables yet: the first write after the commit builds them
    engine.ready = True
    asked = session.info.pop(outbox.KEYS)
    writing.lock_for_writing(connection)
    # Wait for any other transaction writing these documents, then read them afresh.
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('search:' || k)) "
                            "FROM unnest(CAST(:keys AS text[])) AS k"), {"keys": sorted(asked)})
    found = documents.load(session, asked)
    writing.apply(connection, [document for document in found.values() if document],
                  [key for key, document in found.items() if document is None])
    outbox.remove(connection, outbox.rows_for(session, asked | set(found)))
    if writing.read_stamp(connection) is not None:
        # Nothing left for after the commit; an index never built is built then instead.
        session.info.pop(outbox.FLUSHED, None)
