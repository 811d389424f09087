"""Keeping the index in step with the database: apply the outbox, rebuild, check, heal.

Index work runs in a database session of its own, so that it never touches the work of
the request or command that calls it.
"""

import threading
import time
from contextlib import contextmanager

from flask import appcontext_tearing_down, current_app, g
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import configure_mappers

from nanum import templating
from nanum.database import reading
from nanum.extensions import db
from nanum.search import documents, engines, outbox
from nanum.search.engine import WriterBusy
from nanum.search.models import SearchOutbox

# -- set-up ----------------------------------------------------------------------------------

_creating = threading.Lock()


def init_app(app):
    engines.check(app.config)  # a wrong setting fails at start-up, not at the first search
    app.extensions["nanum.search"] = (engines.create(app.config)
                                      if engines.needed_from_start(app.config) else None)
    app.teardown_request(_apply_after_commit)
    app.teardown_appcontext(_apply_after_commit)
    appcontext_tearing_down.connect(_apply_left_over, app)


def engine():
    """Return the application's search engine, made when first asked for."""
    found = current_app.extensions["nanum.search"]
    if found is None:
        with _creating:
            found = current_app.extensions["nanum.search"]
            if found is None:
                found = current_app.extensions["nanum.search"] = engines.create(
                    current_app.config)
    return found


def _apply_after_commit(error=None):
    """Bring the index up to date with what this request or command committed.

    With a separate indexer process running, web workers leave the outbox to it.
    """
    if not db.session.registry.has():
        return
    session = db.session.registry()
    if not outbox.has_pending(session):
        return
    outbox.clear_pending(session)
    if error is not None or current_app.config["SEARCH_APPLY"] != "inline":
        return
    try:
        apply_outbox()
    except Exception:  # the outbox keeps the change; `nanum search sync` or the next writer
        current_app.logger.exception("Could not update the search index; the change waits "
                                     "in the outbox")


def _apply_left_over(_app, **_extra):
    """Once the context's session is closed, remove outbox rows its transaction held back."""
    if g.pop(_LEFT_OVER, False):
        try:
            sync(timeout=None)
        except Exception:
            current_app.logger.exception("Could not update the search index; the change "
                                         "waits in the outbox")


# -- keeping the index in step -------------------------------------------------------------

_LEFT_OVER = "nanum_search_left_over"


@contextmanager
def _index_session():
    """Give index work a session of its own: the caller's session is never touched."""
    session = db.session.session_factory()
    try:
        yield session
    finally:
        session.close()


def _remove_applied(session, ids):
    """Delete applied outbox rows.

    When the caller's session is inside a transaction, the delete joins it: on SQLite that
    transaction may hold the one write lock, and waiting for it would wait for ourselves.
    Should that transaction roll back, the rows return and are applied again, harmlessly.
    """
    if not ids:
        return
    caller = db.session.registry() if db.session.registry.has() else None
    if caller is not None and caller.in_transaction():
        try:
            outbox.remove(caller.connection(), ids)
        except OperationalError:  # a stale read-only snapshot: the next writer removes them
            pass
        g.setdefault(_LEFT_OVER, True)
        return
    outbox.remove(session, ids)
    session.commit()


def _caught_up():
    """Note that the index holds everything the caller's session committed."""
    if db.session.registry.has():
        outbox.clear_pending(db.session.registry())


# Changes read from the outbox at a time, and the most one commit of `sync` writes: a
# catching up after a large import writes one segment per commit, and each commit costs a
# sort of its postings, a table of contents and, once segments are many, a merge.
BATCH = 500
SYNC_BATCHES = 10


def _write_waiting(session, writer, limit, after, done):
    """Under the writer lock, write the documents of up to `limit` waiting changes newer than
    `after`; return (row ids applied, the last of those rows' ids, whether there may be more).

    Every other waiting row for a document written is applied with it, so that a later
    batch never writes the same document again; `done` holds the rows applied already in
    this commit, which are skipped.
    """
    # Read under the lock: whoever writes later also read later, so an older state can
    # never overwrite a newer one. Only committed work is read, and the rows before the
    # documents: what they record is in what is loaded.
    with reading():
        read = outbox.read(session, limit, after)
        rows = [(row_id, key) for row_id, key in read if row_id not in done]
        if not rows:  # none, or another process applied them since the peek
            session.rollback()
            return [], read[-1][0] if read else after, len(read) >= limit
        asked = {key for _id, key in rows}
        keys = documents.concrete_keys(session, asked)
        ids = sorted({row_id for row_id, _key in rows}
                     | set(outbox.rows_for(session, asked | keys)) - done)
        found = documents.load(session, keys)
        session.rollback()
    for key, document in found.items():
        if document is None:
            writer.delete(key)
        else:
            writer.update(document)
    return ids, read[-1][0], len(read) >= limit


def _apply_batch(timeout, limit, after=0, batches=1):
    """Apply waiting changes newer than `after` in one commit, reading up to `batches` times
    `limit` rows; return (applied row ids, the last row id read, whether there may be more).

    Return None when another process holds the index's writer lock.
    """
    with _index_session() as session:
        with reading():  # a peek must not take SQLite's write lock from the writers
            waiting = outbox.read(session, 1, after)
            session.rollback()
        if not waiting:
            return [], after, False
        ids, more = [], False
        try:
            with engine().writing(timeout) as writer:
                for _batch in range(batches):
                    written, after, more = _write_waiting(session, writer, limit, after,
                                                          set(ids))
                    ids += written
                    if not more:
                        break
                if more:
                    writer.more_follows()
        except WriterBusy:
            return None
        _remove_applied(session, ids)
        return ids, after, more


def apply_outbox(timeout=None, limit=BATCH):
    """Apply up to `limit` waiting changes; return how many, or 0 when the lock is busy.

    An index that is missing, incomplete or unreadable is rebuilt first.
    """
    if heal(timeout) is not None:
        return 0
    applied = _apply_batch(timeout, limit)
    if applied is None:
        return 0
    ids, _last, more = applied
    if not more:
        _caught_up()
    return len(ids)


def sync(timeout=30.0):
    """Apply the whole outbox; return how many changes were applied."""
    heal(timeout)
    applied, after = 0, 0
    while batch := _apply_batch(timeout, BATCH, after, batches=SYNC_BATCHES):
        ids, after, more = batch
        applied += len(ids)
        if not more:  # rows committed since are the next call's (the indexer calls again)
            break
    if batch is not None:
        _caught_up()
    return applied


def tidy(timeout=0.0):
    """Merge what small commits left, when due and the writer lock is free; return whether
    anything was done (the indexer calls it when idle)."""
    return engine().tidy(timeout)


def pending():
    """Return how many changes wait in the outbox."""
    with _index_session() as session, reading():
        return outbox.count(session)


def indexable_count():
    """Return how many documents a full build writes."""
    with _index_session() as session, reading():
        return documents.count_documents(session)


def index_ready():
    """Tell whether the index is complete: built from the database, and readable."""
    try:
        return engine().is_complete(documents.FORMAT)
    except Exception:  # unreadable: the next writer or the indexer rebuilds it
        current_app.logger.exception("The search index cannot be read; it will be rebuilt")
        engine().mark_incomplete()
        return False


def index_missing():
    """Tell whether the index is missing, incomplete or unreadable, and so needs a rebuild."""
    return not index_ready()


def heal(timeout=None):
    """Rebuild the index when it is not complete; return the documents written, or None.

    Another process may be rebuilding already: the lock is taken first and the index
    checked again under it, so that only one of them does the work.
    """
    if index_ready():
        return None
    current_app.logger.warning("The search index is missing or incomplete; rebuilding it")
    try:
        count, seconds = rebuild(timeout=timeout, only_if_incomplete=True)
    except WriterBusy:
        return None
    if count is not None:
        current_app.logger.warning("Rebuilt the search index: %s documents in %.1f s",
                                   count, seconds)
    return count


def rebuild(progress=None, timeout=60.0, only_if_incomplete=False):
    """Rebuild the index from the database; return (documents, seconds).

    With `only_if_incomplete`, do nothing (and return (None, 0)) when the index turns out
    to be complete once the writer lock is held.
    """
    started = time.perf_counter()
    with _index_session() as session:
        with reading():  # one snapshot, without holding SQLite's write lock for minutes
            covered = []

            def snapshot():
                # The backend iterates only once it holds the writer lock, so the snapshot
                # begins under it: a change another writer applied before cannot be missing
                # from it. The outbox rows seen in it are covered; later ones stay.
                covered.append(session.scalar(select(func.max(SearchOutbox.id))) or 0)
                yield from documents.all_documents(session)

            count = engine().rebuild(
                snapshot(), progress=progress, timeout=timeout,
                procs=current_app.config["SEARCH_REBUILD_PROCS"], stamp=documents.FORMAT,
                only_if_stale=only_if_incomplete)
            ids = list(session.scalars(select(SearchOutbox.id).where(
                SearchOutbox.id <= covered[0]))) if covered else []
            session.rollback()
        if count is None:
            return None, 0.0
        seconds = time.perf_counter() - started
        _remove_applied(session, ids)
    return count, seconds


def check(repair=False, timeout=30.0):
    """Compare index and database; return (missing keys, extra keys), repairing if asked."""
    with _index_session() as session, reading():
        expected = documents.all_keys(session)
        present = engine().keys()
        missing, extra = sorted(expected - present), sorted(present - expected)
        if repair and (missing or extra):
            with engine().writing(timeout) as writer:
                for key in extra:
                    writer.delete(key)
                for document in documents.load(session, missing).values():
                    if document is not None:
                        writer.update(document)
    return missing, extra


SEARCH_PAGES = ("search/index.html",)  # compiled by `warm`


def warm():
    """Prepare this process's search caches, configure the models' mappers and compile the
    search page's templates, so that no visitor waits for them (a worker's first request
    would otherwise spend a second configuring the mappers)."""
    configure_mappers()
    try:
        engine().warm()
    except Exception:  # a missing or broken index shows itself on the first search
        current_app.logger.exception("Could not warm the search caches")
    templating.compile_templates(current_app, SEARCH_PAGES)
