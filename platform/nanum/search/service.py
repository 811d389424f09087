"""Search: the one module the rest of Nanum calls to find content.

One search is one pass through an engine-neutral pipeline:

    query.parse(text) → planning.prepare → planning.plan → engine.match(plan)
        → results.load_hits (database rows, snippets) → Results

The engine (`engines.create`, chosen by `SEARCH_ENGINE`) only ever sees plans; keeping the
index in step with the database is `indexing`'s work.
"""

import re
import time

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from nanum.extensions import db
from nanum.ops import metrics
from nanum.places import similarity
from nanum.practices import vocab
from nanum.practices.models import Practice
from nanum.search import documents, planning, query
from nanum.search.engine import Match
from nanum.search.indexing import (  # noqa: F401  (the index's keeping, called through here)
    apply_outbox,
    check,
    engine,
    heal,
    index_missing,
    index_ready,
    indexable_count,
    init_app,
    pending,
    rebuild,
    sync,
    tidy,
    warm,
)
from nanum.search.results import MAX_RESULTS, Hit, Results, facet_lists, load_hits

__all__ = ["MAX_RESULTS", "SORTS", "Hit", "Results", "closest", "engine", "matching_keys",
           "search", "similar"]

SORTS = {"relevance": _l("Relevance"), "newest": _l("Newest"), "discussed": _l("Most discussed"),
         "similarity": _l("Like my place")}
SUGGEST_BELOW = 3  # offer "did you mean" when fewer results than this

FILTER_FIELDS = ("goal", "target", "country", "region", "org_type", "theme", "kind",
                 "verified", "language", *vocab.CONTEXT_FIELDS)


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


def search(q, filters, page=1, per_page=20, sort=None, place=None):
    """Run the search the search page shows: hits, snippets, counts and facets.

    Sort "similarity" ranks by likeness to `place` (a `places.similarity.Place`), the
    relevance ranking among equals; without a place it is the default sort.
    """
    started = time.perf_counter()
    parsed = query.parse(q or "")
    prepared = planning.prepare(parsed)
    notes = list(parsed.notes)
    searchable = prepared.node is not None or not parsed.has_text()
    if not searchable:
        notes.append(_("Only very common words were typed (%(words)s); add a word that says "
                       "what you are looking for.",
                       words=", ".join(f"“{word}”" for word in prepared.dropped[:5])))
    if sort not in SORTS or (sort == "similarity" and not place):
        sort = "relevance" if parsed.has_text() else "newest"
    page = max(1, min(page, MAX_RESULTS // per_page))
    plan = planning.plan(prepared, filter_nodes(filters), sort=sort,
                         offset=(page - 1) * per_page, limit=per_page,
                         likeness=similarity.likeness(place) if sort == "similarity" else ())
    asks_for_content = _asks_for_content(parsed, filters)
    if not asks_for_content:
        plan.node = _without_boxed(plan.node)
    suggestion = None
    boxes = dict.fromkeys(BOX_SIZES, Match(0, []))
    try:
        match = engine().match(plan) if searchable else Match(0, [])
        if searchable and not asks_for_content:
            boxes.update({content: _box(content, prepared, filters, sort, match.facets,
                                        plan.likeness) for content in BOXED})
        # A vanished index was recreated, unstamped, by the match: one small read tells.
        rebuilding = not engine().stamped(documents.FORMAT)
        if match.total < SUGGEST_BELOW and parsed.has_text():
            # Correct what was searched: the typed query, or how a malformed one was read.
            typed = query.to_text(parsed.node) if parsed.notes else q
            suggestion = _suggestion(typed, parsed.words())
    except Exception:
        if index_ready():
            raise  # the index reads well: the fault is not the index's
        # Unreadable: index_ready() removed its stamp, so that the next writer rebuilds it.
        rebuilding, match = True, Match(0, [])
        boxes = dict.fromkeys(BOX_SIZES, Match(0, []))
    words = parsed.words()
    prefixes = [word.text for word in planning.words_of(prepared.node) if word.prefix]
    results = Results(total=match.total, hits=load_hits(match.keys, words, prefixes),
                      facets=facet_lists(match.facets), notes=notes, page=page,
                      per_page=per_page, sort=sort, suggestion=suggestion,
                      all_words_total=match.all_groups, words=words, rebuilding=rebuilding,
                      organisations=load_hits(boxes["organisation"].keys, words, prefixes),
                      organisations_total=boxes["organisation"].total,
                      events=load_hits(boxes["event"].keys, words, prefixes),
                      events_total=boxes["event"].total)
    elapsed = time.perf_counter() - started
    results.elapsed_ms = elapsed * 1000
    metrics.observe_search(elapsed)
    return results


# -- organisations and events in boxes of their own ------------------------------------------
# A short organisation record matching a country or a word would outrank the practices that
# are about it, and an event's long programme would too: so the main list leaves them out
# unless the search asks for a kind of content (`content=event`, or `is:event` in the
# query), and a second, small match for each finds them for its box beside the results. The
# main list's total and facets count what it lists; the content facet counts each box too,
# so that its link lists them all.

BOX_SIZES = {"organisation": 5, "event": 3}
BOXED = tuple(BOX_SIZES)  # the boxes matched (bench/boxes_cost.py times them)


def _asks_for_content(parsed, filters):
    return bool(filters.content) or any(f.name == "content" for f in parsed.fields())


def _without_boxed(node):
    others = tuple(query.Not(query.Field("content", content)) for content in BOXED)
    return query.And(others) if node is None else query.And((node, *others))


def _box(content, prepared, filters, sort, facets, likeness=()):
    """Match one kind of content for its box, and count it in the content facet."""
    box = planning.plan(prepared, [*filter_nodes(filters), query.Field("content", content)],
                        sort=sort, limit=BOX_SIZES[content], facets=(), likeness=likeness)
    found = engine().match(box)
    if found.total:
        facets.setdefault("content", {})[content] = found.total
    return found


def matching_keys(q, filters, limit=50, within=()):
    """Return the keys of the newest documents a search finds, and nothing more: no
    facets, snippets, suggestions or loading (to match saved searches). The words match as
    on the search page; `within` limits the documents considered to those keys."""
    parsed = query.parse(q or "")
    prepared = planning.prepare(parsed)
    if prepared.node is None and parsed.has_text():
        return []
    plan = planning.plan(prepared, filter_nodes(filters), sort="newest", limit=limit,
                         facets=(), within=tuple(within))
    return engine().match(plan).keys


def _suggestion(q, words):
    corrected = q
    changed = False
    for word in engine().unknown_words(words):
        better = engine().suggest(word)
        if better and better != word.lower():
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, corrected,
                               count=1, flags=re.IGNORECASE)
            changed = True
    return corrected if changed and corrected != q else None


# -- practices like a practice ---------------------------------------------------------------

_similar_cache = {}
# The words that pick similar practices come from the start of each section: enough to
# characterise it, and a page of a very long practice costs no more than one of a short one.
SIMILAR_SECTION_LIMIT = 1000


def similar(practice, limit=5):
    """Return the published practices most like this one."""
    current = engine()
    try:
        # Any change to the index gives it a new generation, and so a fresh cache key.
        cache_key = (current.generation(), practice.id, limit)
    except Exception:  # an unreadable index: the practice page must not fail with it
        current_app.logger.exception("Similar practices failed for %s", practice.id)
        return []
    keys = _similar_cache.get(cache_key)
    if keys is None:
        if len(_similar_cache) > 4096:
            _similar_cache.clear()
        try:
            text = documents.practice_text(practice, section_limit=SIMILAR_SECTION_LIMIT)
            keys = current.similar(f"practice:{practice.id}", text, limit)
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
    current = engine()
    keys = {}
    for practice in practices:
        # Kept until the index or the practice changes, like the similar practices.
        cache_key = (current.generation(), "closest", practice.id, practice.updated_at, limit)
        keys[practice.id] = _similar_cache.get(cache_key)
        if keys[practice.id] is not None:
            continue
        try:
            text = documents.practice_text(practice, section_limit=SIMILAR_SECTION_LIMIT)
            keys[practice.id] = current.closest(text, limit,
                                                exclude={f"practice:{practice.id}"})
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
