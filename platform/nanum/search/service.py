"""Search: the one module the rest of Nanum calls to find, index and check content."""

import re
import time
from dataclasses import dataclass, field

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from nanum.discussions.models import Post, Thread
from nanum.extensions import db
from nanum.organisations.models import Organisation
from nanum.practices import vocab
from nanum.practices.models import Practice
from nanum.search import documents, query
from nanum.search.backend import Match
from nanum.search.indexing import (  # noqa: F401  (the index's keeping, called through here)
    apply_outbox,
    backend,
    check,
    heal,
    index_missing,
    index_ready,
    indexable_count,
    init_app,
    pending,
    rebuild,
    sync,
    warm,
)
from nanum.search.whoosh_backend import Plan

SORTS = {"relevance": "Relevance", "newest": "Newest", "discussed": "Most discussed"}
MAX_RESULTS = 1000  # deepest result a page may reach
SUGGEST_BELOW = 3  # offer "did you mean" when fewer results than this


@dataclass
class Hit:
    key: str
    content: str  # practice | organisation | topic (a topic's opening post) | post
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


# -- searching -----------------------------------------------------------------------------

FILTER_FIELDS = ("goal", "target", "country", "region", "org_type", "theme", "kind",
                 "verified", *vocab.CONTEXT_FIELDS)


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


def matching_keys(q, filters, limit=50):
    """Return the keys of the newest documents a search finds, and nothing more: no count
    worth showing, facets, snippets, suggestions or loading (to match saved searches).

    The words match as the search page matches them, all of them or else any of them.
    """
    parsed = query.parse(q or "")
    plan = Plan(node=parsed.node, filters=filter_nodes(filters), sort="newest", limit=limit,
                facets=())
    match = backend().match(plan)
    if match.total == 0 and not parsed.explicit_and and _has_several_words(parsed.node):
        plan.any_words = True
        match = backend().match(plan)
    return match.keys


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


def _load_practices(ids):
    return {f"practice:{p.id}": p for p in db.session.scalars(
        select(Practice).options(
            joinedload(Practice.organisation), selectinload(Practice.countries),
            selectinload(Practice.goals), selectinload(Practice.targets),
            selectinload(Practice.tags))
        .where(Practice.id.in_(ids), Practice.status == "published"))}


def _load_organisations(ids):
    return {f"organisation:{o.id}": o for o in db.session.scalars(
        select(Organisation).where(Organisation.id.in_(ids), Organisation.hidden.is_(False)))}


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
    if content in ("topic", "post"):
        return item.text("body")
    return f"{item.name}\n{item.text('description')}"


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
    openers = _topic_openers(found)
    hits = []
    for key in keys:
        item = found.get(key)
        if item is None:
            continue  # removed or hidden since the index last saw it
        content = key.partition(":")[0]
        if key in openers:
            content = "topic"
        snippet = ""
        if words:
            snippet = backend().highlight(_text_of(content, item), words, prefixes)
            if not snippet and content == "practice":  # the words are in the title alone
                snippet = backend().highlight(item.title, words, prefixes)
        # The snippet function escapes every character of the text and adds only <mark>.
        hits.append(Hit(key=key, content=content, item=item, snippet=Markup(snippet)))
    return hits


def _topic_openers(found):
    """Return the keys of the loaded posts that open a topic, and so stand for it."""
    posts = [item for key, item in found.items() if key.startswith("post:")]
    return {f"post:{post_id}" for post_id in documents.opening_posts(db.session, posts)}


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
# The words that pick similar practices come from the start of each section: enough to
# characterise it, and a page of a very long practice costs no more than one of a short one.
SIMILAR_SECTION_LIMIT = 1000


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
            text = documents.practice_text(practice, section_limit=SIMILAR_SECTION_LIMIT)
            keys = engine.similar(f"practice:{practice.id}", text, limit)
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


def closest(practices, limit=3):
    """Return {practice id: [(published practice, score)]}, the closest to each practice.

    For the review queue: the practices need not be indexed; the ones found are read in one
    query for all of them.
    """
    engine = backend()
    keys = {}
    for practice in practices:
        # Kept until the index or the practice changes, like the similar practices.
        cache_key = (str(engine.folder), engine.generation(), "closest", practice.id,
                     practice.updated_at, limit)
        keys[practice.id] = _similar_cache.get(cache_key)
        if keys[practice.id] is not None:
            continue
        try:
            text = documents.practice_text(practice, section_limit=SIMILAR_SECTION_LIMIT)
            keys[practice.id] = engine.closest(text, limit, exclude={f"practice:{practice.id}"})
        except Exception:  # the queue must not fail because the index did
            current_app.logger.exception("Closest practices failed for %s", practice.id)
            keys[practice.id] = []
            continue
        if len(_similar_cache) > 4096:
            _similar_cache.clear()
        _similar_cache[cache_key] = keys[practice.id]
    ids = {documents.split_key(key)[1] for found in keys.values() for key, _score in found}
    loaded = {p.id: p for p in db.session.scalars(
        select(Practice).options(joinedload(Practice.organisation))
        .where(Practice.id.in_(ids), Practice.status == "published"))} if ids else {}
    return {practice_id: [(loaded[documents.split_key(key)[1]], score)
                          for key, score in found if documents.split_key(key)[1] in loaded]
            for practice_id, found in keys.items()}
