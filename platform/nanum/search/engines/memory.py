"""A small engine that keeps its documents in memory (`SEARCH_ENGINE = "memory"`).

It implements the whole engine interface plainly, with sets and dicts, so that the search
service and its behaviour can be tested without Whoosh, and so that every engine can be
checked against a simple reading of the same plan. It suits tests and tiny sites only: it
lives in one process and forgets everything when the process ends.
"""

import difflib
import threading
from collections import Counter
from contextlib import contextmanager

import numpy as np

from nanum.places import similarity
from nanum.search import analysis
from nanum.search.engine import (
    CONTENT_WEIGHTS,
    FACET_FIELDS,
    TEXT_FIELDS,
    Engine,
    Match,
    WriterBusy,
)
from nanum.search.planning import scoring_terms
from nanum.search.query import And, Field, Not, Or, Phrase, Word
from nanum.search.ranking import Ranking


class _Document:
    def __init__(self, document):
        self.key = document["key"]
        self.sequences = {name: analysis.terms(document.get(name) or "")
                          for name in TEXT_FIELDS}
        self.fields = {name: Counter(terms) for name, terms in self.sequences.items()}
        self.lengths = {name: len(terms) for name, terms in self.sequences.items()}
        self.terms = set().union(*self.sequences.values())
        self.spell = set(analysis.words(document.get("spell") or ""))
        self.facets = {}
        for name in FACET_FIELDS:
            value = document.get(name)
            values = value if isinstance(value, list | tuple) else [value]
            self.facets[name] = {str(v) for v in values if v}
        self.published = document.get("published")
        self.discussed = document.get("discussed") or 0

    def has_phrase(self, terms):
        """Tell whether the terms come one after the other within one field."""
        width = len(terms)
        return any(tuple(sequence[i:i + width]) == terms
                   for sequence in self.sequences.values()
                   for i in range(len(sequence) - width + 1))


class MemoryEngine(Engine):
    def __init__(self, ranking=None):
        self.ranking = ranking or Ranking()
        self._documents = {}
        self._stamp = None
        self._generation = 0
        self._writer = threading.Lock()

    # -- the index's state -----------------------------------------------------------------

    def exists(self):
        return True

    def is_complete(self, stamp):
        return self._stamp == stamp

    def stamped(self, stamp):
        return self._stamp == stamp

    def mark_incomplete(self):
        self._stamp = None

    def generation(self):
        return (id(self), self._generation)

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def writing(self, timeout=None):
        if not self._writer.acquire(timeout=-1 if timeout is None else timeout):
            raise WriterBusy("the memory index is being written")
        try:
            changes = _Changes()
            yield changes
            for key in changes.deleted:
                self._documents.pop(key, None)
            self._documents.update(changes.updated)
            self._generation += 1
        finally:
            self._writer.release()

    def rebuild(self, documents, progress=None, timeout=None, procs=1, stamp=None,
                only_if_stale=False):
        if only_if_stale and stamp is not None and self._stamp == stamp:
            return None
        built = {}
        for document in documents:
            built[document["key"]] = _Document(document)
            if progress:
                progress(1)
        with self._writer:
            self._documents = built
            self._stamp = stamp
            self._generation += 1
        return len(built)

    # -- reading ---------------------------------------------------------------------------

    def warm(self):
        pass

    def keys(self):
        return set(self._documents)

    def stats(self):
        return {"documents": len(self._documents), "segments": 1, "bytes": 0}

    def match(self, plan):
        documents = self._documents
        candidates = set(plan.within) & documents.keys() if plan.within else documents.keys()
        found = [doc for key in candidates if (doc := documents[key]) is not None
                 and (plan.node is None or self._matches(doc, plan.node))
                 and all(self._matches(doc, node) for node in plan.filters)]
        facets = {name: dict(Counter(value for doc in found for value in doc.facets[name]))
                  for name in plan.facets} if found else {}
        all_groups = None
        if plan.groups:
            all_groups = sum(all(self._matches(doc, g) for g in plan.groups) for doc in found)
        ranked = self._ranked(found, plan)
        return Match(total=len(found), keys=[doc.key for doc in
                                             ranked[plan.offset:plan.offset + plan.limit]],
                     facets=facets, all_groups=all_groups)

    def _matches(self, doc, node):
        if isinstance(node, Word):
            if node.prefix:
                prefix = analysis.fold(node.text)
                return any(term.startswith(prefix) for term in doc.terms)
            terms = tuple(analysis.terms(node.text))
            return bool(terms) and (doc.has_phrase(terms) if len(terms) > 1
                                    else terms[0] in doc.terms)
        if isinstance(node, Phrase):
            terms = tuple(analysis.terms(" ".join(node.words)))
            return bool(terms) and doc.has_phrase(terms)
        if isinstance(node, Field):
            if node.name == "year":
                start, end = node.value
                return any(str(year) in doc.facets["year"] for year in range(start, end + 1))
            return str(node.value) in doc.facets.get(node.name, ())
        if isinstance(node, Not):
            return not self._matches(doc, node.child)
        if isinstance(node, And):
            return all(self._matches(doc, child) for child in node.children)
        if isinstance(node, Or):
            return any(self._matches(doc, child) for child in node.children)
        raise TypeError(f"not a query node: {node!r}")

    def _ranked(self, found, plan):
        # Later documents first among equals, as in every engine: sort by key descending.
        found = sorted(found, key=lambda doc: doc.key, reverse=True)
        terms = scoring_terms(plan.node) if plan.node is not None else []
        if plan.sort in ("newest", "discussed") or not terms:
            name = "discussed" if plan.sort == "discussed" else "published"
            keys = [_sortable(getattr(doc, name)) for doc in found]
        else:
            keys = self._relevance(found, plan, terms).tolist()
        if plan.sort == "similarity":  # the place's points first, then as without it
            keys = [(similarity.score(plan.likeness, doc.facets), key)
                    for doc, key in zip(found, keys, strict=True)]
        order = sorted(range(len(found)), key=lambda i: keys[i], reverse=True)
        return [found[i] for i in order]

    def _relevance(self, found, plan, terms):
        documents = list(self._documents.values())
        averages = {name: sum(d.lengths[name] for d in documents) / max(len(documents), 1)
                    for name in TEXT_FIELDS}
        frequencies = {}
        scores = np.array([self._score(doc, terms, averages, frequencies) for doc in found],
                          dtype=np.float32)
        if len(plan.groups) > 1:
            total = max(len(self._documents), 1)
            weights = [self.ranking.group_weight(
                [self.ranking.idf(self._frequency(term, frequencies), total)
                 for term in scoring_terms(group) if not term.endswith("*")])
                for group in plan.groups]
            coverage = np.array([sum(w for w, g in zip(weights, plan.groups, strict=True)
                                     if self._matches(doc, g)) for doc in found],
                                dtype=np.float32) / sum(weights)
            scores = self.ranking.coordinate(scores, coverage)
        return scores

    def _score(self, doc, terms, averages, frequencies):
        ranking, total = self.ranking, max(len(self._documents), 1)
        score = 0.0
        for term in self._expand(doc, terms):
            weighted = 0.0
            for name, weight in ranking.weights.items():
                frequency = doc.fields[name].get(term, 0)
                if weight and frequency:
                    weighted += weight * ranking.field_tf(frequency, doc.lengths[name],
                                                          averages[name] or 1.0)
            if weighted:
                score += ranking.saturate(weighted,
                                          ranking.idf(self._frequency(term, frequencies), total))
        content = next(iter(doc.facets["content"]), None)
        return score * CONTENT_WEIGHTS.get(content, 1.0)

    def _frequency(self, term, frequencies):
        if term not in frequencies:
            frequencies[term] = sum(term in d.terms for d in self._documents.values())
        return frequencies[term]

    def _expand(self, doc, terms):
        for term in terms:
            if term.endswith("*"):
                yield from (t for t in doc.terms if t.startswith(term[:-1]))
            else:
                yield term

    def unknown_words(self, words):
        known = set().union(*(doc.terms for doc in self._documents.values()))
        return [word for word in words
                if (terms := analysis.terms(word)) and not set(terms) & known]

    def suggest(self, word):
        folded = " ".join(analysis.words(word))
        if len(folded) < 3:
            return None
        spelt = set().union(*(doc.spell for doc in self._documents.values()))
        found = difflib.get_close_matches(folded, sorted(spelt), n=1, cutoff=0.7)
        return found[0] if found else None

    def similar(self, key, text, limit=5):
        return [found for found, _score in self.closest(text, limit, exclude={key})]

    def closest(self, text, limit=5, exclude=()):
        wanted = Counter(analysis.terms(text))
        scored = []
        for doc in self._documents.values():
            if doc.key in exclude or "practice" not in doc.facets["content"]:
                continue
            shared = sum(count for term, count in wanted.items() if term in doc.terms)
            if shared:
                scored.append((shared / (1 + len(doc.terms)) ** 0.5, doc.key))
        scored.sort(reverse=True)
        return [(key, score) for score, key in scored[:limit]]


class _Changes:
    def __init__(self):
        self.updated, self.deleted = {}, []

    def update(self, document):
        self.updated[document["key"]] = _Document(document)

    def delete(self, key):
        self.deleted.append(key)
        self.updated.pop(key, None)

    def more_follows(self):
        """Nothing to put off: each commit is complete in itself."""


def _sortable(value):
    return value.timestamp() if hasattr(value, "timestamp") else float(value or 0)
