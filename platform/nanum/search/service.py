"""Search: the one module the rest of Nanum calls to find, index and check content."""

import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import appcontext_tearing_down, current_app, g
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload, selectinload

from nanum.database import reading
from nanum.discussions.models import Post, Thread
from nanum.extensions import db
from nanum.organisations.models import Organisation
from nanum.practices import vocab
from nanum.practices.models import Practice
from nanum.search import documents, outbox, query
from nanum.search.backend import Match, WriterBusy
from nanum.search.models import SearchOutbox
from nanum.search.whoosh_backend import Plan, WhooshBackend

SORTS = {"relevance": "Relevance", "newest": "Newest", "discussed": "Most discussed"}
MAX_RESULTS = 1000  # deepest result a page may reach
SUGGEST_BELOW = 3  # offer "did you mean" when fewer results than this


@dataclass
class Hit:
    key: str
    content: str  # practice | organisation | post
    item: object  # the Practice or Organisation
    snippet: Markup  # the text escaped, with <mark> around matched words


@dataclass
class Results:
    total: int
    hits: list
    facets: dict
    notes: list
    page: int
    per_page: int
    sort: str
    suggestion: str | None = None
    any_words: bool = False
    rebuilding: bool = False  # the index is incomplete while it is being rebuilt
    elapsed_ms: float = 0.0
    words: list = field(default_factory=list)

    @property
    def pages(self):
        return max(1, -(-min(self.total, MAX_RESULTS) // self.per_page))


# -- set-up --------------------------------------------------------------------------------

def init_app(app):
    app.extensions["nanum.search"] = WhooshBackend(app.config["SEARCH_INDEX_DIR"],
                                                   app.config["SEARCH_WRITER_TIMEOUT"])
    app.teardown_request(_apply_after_commit)
    app.teardown_appcontext(_apply_after_commit)
    appcontext_tearing_down.connect(_apply_left_over, app)


def backend():
    return current_app.extensions["nanum.search"]


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


def _apply_batch(timeout, limit, after=0):
    """Apply up to `limit` waiting changes newer than `after`; return the applied row ids.

    Return None when another process holds the index's writer lock.
    """
    with _index_session() as session:
        with reading():  # a peek must not take SQLite's write lock from the writers
            waiting = outbox.read(session, 1, after)
            session.rollback()
        if not waiting:
            return []
        try:
            with backend().writing(timeout) as writer:
                # Read under the lock: whoever writes later also read later, so an older
                # state can never overwrite a newer one. Only committed work is read.
                with reading():
                    rows = outbox.read(session, limit, after)
                    found = documents.load(session, {key for _id, key in rows})
                    session.rollback()
                for key, document in found.items():
                    if document is None:
                        writer.delete(key)
                    else:
                        writer.update(document)
        except WriterBusy:
            return None
        ids = [row_id for row_id, _key in rows]
        _remove_applied(session, ids)
        return ids


def apply_outbox(timeout=None, limit=500):
    """Apply up to `limit` waiting changes; return how many, or 0 when the lock is busy.

    An index that is missing, incomplete or unreadable is rebuilt first.
    """
    if heal(timeout) is not None:
        return 0
    ids = _apply_batch(timeout, limit)
    if ids is None:
        return 0
    if len(ids) < limit:
        _caught_up()
    return len(ids)


def sync(timeout=30.0):
    """Apply the whole outbox; return how many changes were applied."""
    heal(timeout)
    applied, after = 0, 0
    while ids := _apply_batch(timeout, 500, after):
        applied += len(ids)
        after = ids[-1]
    if ids is not None:
        _caught_up()
    return applied


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
        return backend().is_complete(documents.FORMAT)
    except Exception:  # unreadable: the next writer or the indexer rebuilds it
        current_app.logger.exception("The search index cannot be read; it will be rebuilt")
        backend().mark_incomplete()
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
            # The outbox rows seen now are covered by the snapshot the rebuild reads; later
            # ones stay for the next writer.
            covered = session.scalar(select(func.max(SearchOutbox.id))) or 0
            count = backend().rebuild(
                documents.all_documents(session), progress=progress, timeout=timeout,
                procs=current_app.config["SEARCH_REBUILD_PROCS"], stamp=documents.FORMAT,
                only_if_stale=only_if_incomplete)
            ids = session.scalars(select(SearchOutbox.id).where(SearchOutbox.id <= covered))
            ids = list(ids)
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
        present = backend().keys()
        missing, extra = sorted(expected - present), sorted(present - expected)
        if repair and (missing or extra):
            with backend().writing(timeout) as writer:
                for key in extra:
                    writer.delete(key)
                for document in documents.load(session, missing).values():
                    if document is not None:
                        writer.update(document)
    return missing, extra


def warm():
    """Prepare this process's search caches, so that no visitor waits for them."""
    try:
        backend().warm()
    except Exception:  # a missing or broken index shows itself on the first search
        current_app.logger.exception("Could not warm the search caches")


# -- searching -----------------------------------------------------------------------------

FILTER_FIELDS = ("goal", "target", "country", "region", "org_type", "theme", "kind",
                 *vocab.CONTEXT_FIELDS)


def filter_nodes(filters):
    """Turn the facet links' filters into query fields."""
    nodes = []
    for name in FILTER_FIELDS:
        value = filters.context.get(name) if name in vocab.CONTEXT_FIELDS else getattr(
            filters, name)
        if name == "goal" and filters.target:
            continue  # the target implies it
        if value:
            nodes.append(query.Field(name, str(value)))
    if filters.year:
        nodes.append(query.Field("year", (filters.year, filters.year)))
    if filters.content:
        nodes.append(query.Field("content", filters.content))
    return nodes


def search(q, filters, page=1, per_page=20, sort=None):
    """Run the search the search page shows: hits, snippets, counts and facets."""
    started = time.perf_counter()
    parsed = query.parse(q or "")
    notes = list(parsed.notes)
    sort = sort if sort in SORTS else ("relevance" if parsed.has_text() else "newest")
    page = max(1, min(page, MAX_RESULTS // per_page))
    plan = Plan(node=parsed.node, filters=filter_nodes(filters), sort=sort,
                offset=(page - 1) * per_page, limit=per_page)
    try:
        match = backend().match(plan)
        # A vanished index was recreated, unstamped, by the match: one small read tells.
        rebuilding = not backend().stamped(documents.FORMAT)
        any_words = False
        if match.total == 0 and not parsed.explicit_and and _has_several_words(parsed.node):
            plan.any_words = any_words = True
            match = backend().match(plan)
            if match.total:
                notes.append("No result has all of the words; showing results with any of "
                             "them.")
        suggestion = None
        if match.total < SUGGEST_BELOW and parsed.has_text():
            # Correct what was searched: the typed query, or how a malformed one was read.
            typed = query.to_text(parsed.node) if parsed.notes else q
            suggestion = _suggestion(typed, parsed.words())
    except Exception:
        if index_ready():
            raise  # the index reads well: the fault is not the index's
        # Unreadable: index_ready() removed its stamp, so that the next writer rebuilds it.
        rebuilding, match, any_words, suggestion = True, Match(0, []), False, None
    hits = _hits(match.keys, parsed)
    results = Results(total=match.total, hits=hits, facets=_facet_lists(match.facets),
                      notes=notes, page=page, per_page=per_page, sort=sort,
                      suggestion=suggestion, any_words=any_words, words=parsed.words(),
                      rebuilding=rebuilding)
    results.elapsed_ms = (time.perf_counter() - started) * 1000
    return results


def _has_several_words(node):
    return type(node).__name__ == "And" and sum(
        type(child).__name__ in ("Word", "Phrase") for child in node.children) >= 2


def _suggestion(q, words):
    corrected = q
    changed = False
    for word in backend().unknown_words(words):
        better = backend().suggest(word)
        if better and better != word.lower():
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, corrected,
                               count=1, flags=re.IGNORECASE)
            changed = True
    return corrected if changed and corrected != q else None


def _facet_lists(counts):
    """Order each facet's values: numbers and years naturally, the rest by count."""
    ordered = {}
    for name, values in counts.items():
        if name in ("goal", "year"):
            items = sorted(values.items(), key=lambda item: int(item[0]))
        elif name == "target":
            from nanum.taxonomy.sdg import target_sort_key
            items = sorted(values.items(), key=lambda item: target_sort_key(item[0]))
        else:
            items = sorted(values.items(), key=lambda item: (-item[1], item[0]))
        ordered[name] = items
    return ordered


_MARKDOWN_NOISE = re.compile(r"[*_`#>|]+|\[([^\]]*)\]\([^)]*\)")


def _plain(text):
    return _MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", text or "")


def _load_practices(ids):
    return {f"practice:{p.id}": p for p in db.session.scalars(
        select(Practice).options(
            joinedload(Practice.organisation), selectinload(Practice.countries),
            selectinload(Practice.goals), selectinload(Practice.targets),
            selectinload(Practice.tags))
        .where(Practice.id.in_(ids), Practice.status == "published"))}


def _load_organisations(ids):
    return {f"organisation:{o.id}": o for o in db.session.scalars(
        select(Organisation).where(Organisation.id.in_(ids)))}


def _load_posts(ids):
    posts = db.session.scalars(
        select(Post).options(joinedload(Post.author),
                             joinedload(Post.thread).joinedload(Thread.practice))
        .where(Post.id.in_(ids)))
    return {f"post:{p.id}": p for p in posts if documents.post_is_searchable(p)}


LOADERS = {"practice": _load_practices, "organisation": _load_organisations,
           "post": _load_posts}


def _text_of(content, item):
    if content == "practice":  # the title is shown above the snippet already
        return documents.practice_text(item, with_title=False)
    if content == "post":
        return item.body
    return f"{item.name}\n{item.description or ''}"


def _hits(keys, parsed):
    """Load the page's documents from the database, in rank order, with snippets."""
    ids = {content: [] for content in LOADERS}
    for key in keys:
        kind, identifier = documents.split_key(key)
        if kind in ids:
            ids[kind].append(identifier)
    found = {}
    for content, wanted in ids.items():
        if wanted:
            found.update(LOADERS[content](wanted))
    words = parsed.words()
    prefixes = [w.text for w in _words_of(parsed.node) if w.prefix]
    hits = []
    for key in keys:
        item = found.get(key)
        if item is None:
            continue  # removed or hidden since the index last saw it
        content = key.partition(":")[0]
        snippet = ""
        if words:
            snippet = backend().highlight(_plain(_text_of(content, item)), words, prefixes)
            if not snippet and content == "practice":  # the words are in the title alone
                snippet = backend().highlight(item.title, words, prefixes)
        # The snippet function escapes every character of the text and adds only <mark>.
        hits.append(Hit(key=key, content=content, item=item, snippet=Markup(snippet)))
    return hits


def _words_of(node):
    if node is None:
        return []
    kind = type(node).__name__
    if kind == "Word":
        return [node]
    if kind in ("And", "Or"):
        return [word for child in node.children for word in _words_of(child)]
    return []


_similar_cache = {}


def similar(practice, limit=5):
    """Return the published practices most like this one."""
    engine = backend()
    # Any change to the index gives it a new generation, and so a fresh cache key.
    cache_key = (str(engine.folder), engine.generation(), practice.id, limit)
    keys = _similar_cache.get(cache_key)
    if keys is None:
        if len(_similar_cache) > 4096:
            _similar_cache.clear()
        try:
            keys = engine.similar(f"practice:{practice.id}", documents.practice_text(practice),
                                  limit)
        except Exception:  # the practice page must not fail because the index did
            current_app.logger.exception("Similar practices failed for %s", practice.id)
            return []
        _similar_cache[cache_key] = keys
    ids = [documents.split_key(key)[1] for key in keys]
    if not ids:
        return []
    found = {p.id: p for p in db.session.scalars(
        select(Practice).options(joinedload(Practice.organisation),
                                 selectinload(Practice.goals))
        .where(Practice.id.in_(ids), Practice.status == "published"))}
    return [found[i] for i in ids if i in found]
