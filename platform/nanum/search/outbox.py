"""Record every change to searchable content in the same transaction as the change.

The listeners run after each flush, so objects flushed early in a transaction are seen
too; the outbox rows commit or roll back with everything else.
"""

from sqlalchemy import delete, event, func, insert, select
from sqlalchemy.orm import Session

from nanum.search import documents, wakeup
from nanum.search.models import SearchOutbox

FLUSHED = "search_outbox_flushed"  # outbox rows written in the open transaction
PENDING = "search_outbox_pending"  # outbox rows committed, perhaps not yet applied
KEYS = "search_outbox_keys"  # the document keys recorded in the open transaction


def record(session, keys):
    """Record changes to documents made by statements that bypass the unit of work (bulk
    inserts), in the session's transaction, as the listener below does for the rest."""
    if keys:
        connection = session.connection()
        connection.execute(insert(SearchOutbox), [{"doc_key": key} for key in sorted(set(keys))])
        if not session.info.get(FLUSHED) and wakeup.wanted():
            wakeup.notify_in_transaction(connection)
        session.info[FLUSHED] = True
        session.info.setdefault(KEYS, set()).update(keys)


@event.listens_for(Session, "after_flush")
def _record_changes(session, _flush_context):
    keys = set()
    # Each of these properties builds a new set: read them once, not once per instance.
    new, dirty, deleted = session.new, session.dirty, session.deleted
    for instance in (*new, *deleted):
        keys.update(documents.affected_keys(instance))
    for instance in dirty:
        if session.is_modified(instance):
            keys.update(documents.affected_keys(instance))
    record(session, keys)


@event.listens_for(Session, "after_commit")
def _committed(session):
    session.info.pop(KEYS, None)
    if session.info.pop(FLUSHED, False):
        session.info[PENDING] = True
        wakeup.notify()


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(FLUSHED, None)
        session.info.pop(KEYS, None)


def has_pending(session):
    """Tell whether this session committed changes the index has not seen yet."""
    return bool(session.info.get(PENDING))


def clear_pending(session):
    """Forget committed changes: they are applied, or left to the next writer."""
    session.info.pop(PENDING, None)


def read(session, limit, after=0):
    """Return up to `limit` waiting rows newer than `after` as (id, key), oldest first."""
    return session.execute(select(SearchOutbox.id, SearchOutbox.doc_key)
                           .where(SearchOutbox.id > after)
                           .order_by(SearchOutbox.id).limit(limit)).all()


def rows_for(session, keys, chunk=500):
    """Return the ids of every waiting row for these document keys."""
    keys = sorted(keys)
    ids = []
    for start in range(0, len(keys), chunk):
        ids += session.scalars(select(SearchOutbox.id).where(
            SearchOutbox.doc_key.in_(keys[start:start + chunk])))
    return ids


def remove(connection, ids):
    """Delete applied rows, through a session or a connection; rows written since stay."""
    table = SearchOutbox.__table__
    for start in range(0, len(ids), 500):
        connection.execute(delete(table).where(table.c.id.in_(ids[start:start + 500])))


def count(session):
    return session.scalar(select(func.count(SearchOutbox.id)))
