"""Evaluating a plan on a Whoosh index: which documents match, how many of each facet
value, and the requested page in rank order.

Everything that must be fast at 100,000 documents — counting matches, facet counts,
filters and date ordering — is done on bitsets cached per segment; ranking reads whole
posting lists into arrays (see `postings`) and scores them with `nanum.search.ranking`.
What a word, phrase or prefix finds in each language of the index is `forms`'s work.
"""

import heapq

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from nanum.search.engine import CONTENT_WEIGHTS, FACET_FIELDS, TEXT_FIELDS, Match
from nanum.search.engines.whoosh.bitsets import (
    bits_of,
    flags_of,
    intersection,
    ones_of,
    union,
)
from nanum.search.engines.whoosh.forms import QueryForms
from nanum.search.engines.whoosh.postings import (
    NO_POSTINGS,
    all_ids,
    field_lengths,
    posting_arrays,
)
from nanum.search.planning import scoring_terms
from nanum.search.query import And, Field, Not, Or, Phrase, Word

WARM_TERMS = 48  # the commonest words of a segment, read before a worker's first search
WARM_SHARE = 0.5  # of the term cache, at most, filled ahead of searches
LIKENESS_KEPT = 16  # places whose points each segment keeps (a byte a document each)


class Matching(QueryForms):
    """The reading half of WhooshEngine; it provides `_leaves`, `_terms`, `ranking`."""

    # -- segment data, cached --------------------------------------------------------------

    def _live(self, leaf):
        reader = leaf.reader
        key = reader.segment().deleted_count() if reader.has_deletions() else 0
        cache = leaf.cache
        if cache.live is None or cache.live_key != key:
            deleted = bits_of(reader.deleted_docs_set, cache.size) if key else 0
            cache.live = cache.all & ~deleted
            cache.live_key = key
        return cache.live

    def _arrays(self, leaf, fieldname, text):
        """Return (docnums, term frequencies) of a term in a segment, deleted included."""
        key = (leaf.segment_id, "postings", fieldname, text)
        found = self._terms.get(key)
        if found is None:
            try:
                matcher = leaf.reader.postings(fieldname, text)
            except TermNotFound:  # no such term in this segment
                matcher = None
            if isinstance(matcher, FilterMatcher):
                matcher = matcher.child
            found = posting_arrays(matcher) if matcher is not None else NO_POSTINGS
            self._terms.put(key, found)
        return found

    def _term(self, leaf, text):
        """Return the bitset of documents holding a term in any text field, deleted ones
        included."""
        key = (leaf.segment_id, "term", text)
        found = self._terms.get(key)
        if found is None:
            found = 0
            for name in TEXT_FIELDS:
                docs, _frequencies = self._arrays(leaf, name, text)
                if len(docs):
                    found |= bits_of(docs, leaf.cache.size)
            self._terms.put(key, found)
        return found

    def _facet(self, leaf, fieldname):
        """Return {value: bitset} for a keyword field of a segment, built once."""
        found = leaf.cache.facets.get(fieldname)
        if found is None:
            found = {}
            for term in leaf.reader.lexicon(fieldname):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                docs, _frequencies = self._arrays(leaf, fieldname, text)
                found[text] = bits_of(docs, leaf.cache.size) if len(docs) else 0
            leaf.cache.facets[fieldname] = found
        return found

    def _values(self, leaf, field_name):
        found = leaf.cache.values.get(field_name)
        if found is None:
            column = leaf.reader.column_reader(field_name, translate=False)
            found = np.array(list(column), dtype=np.float64)
            leaf.cache.values[field_name] = found
        return found

    def _lengths(self, leaf, fieldname):
        found = leaf.cache.lengths.get(fieldname)
        if found is None:
            found = leaf.cache.lengths[fieldname] = field_lengths(leaf.reader, fieldname,
                                                                  leaf.cache.size)
        return found

    # -- which documents match -------------------------------------------------------------

    def _bits(self, leaf, node):
        """Return the bitset of documents in a segment matching a query node."""
        if isinstance(node, Word):
            return self._word_bits(leaf, node)
        if isinstance(node, Phrase):
            return self._phrase_node_bits(leaf, node)
        if isinstance(node, Field):
            return self._field_bits(leaf, node)
        if isinstance(node, Not):
            return leaf.cache.all & ~self._bits(leaf, node.child)
        children = [self._bits(leaf, child) for child in node.children]
        if isinstance(node, Or):
            return union(children)
        if isinstance(node, And):
            return intersection(children, leaf.cache.all)
        raise TypeError(f"not a query node: {node!r}")

    def _field_bits(self, leaf, node):
        values = self._facet(leaf, node.name)
        if node.name == "year":
            start, end = node.value
            return union(values.get(str(year), 0) for year in range(start, end + 1))
        return values.get(str(node.value), 0)

    def _keys_bits(self, leaf, keys):
        docs = []
        for key in keys:
            try:
                docs += all_ids(leaf.reader.postings("key", key))
            except TermNotFound:
                continue
        return bits_of(docs, leaf.cache.size) if docs else 0

    # -- the answer ------------------------------------------------------------------------

    def match(self, plan):
        """Evaluate a plan: count, facets and one page of ranked document keys."""
        with self._lock:
            searcher = self._current()
            self._languages = self._index_languages()
            matched, groups, total, all_groups = [], [], 0, 0
            for leaf in self._leaves:
                bits = self._live(leaf)
                if plan.within:
                    bits &= self._keys_bits(leaf, plan.within)
                if plan.node is not None:
                    bits &= self._bits(leaf, plan.node)
                for node in plan.filters:
                    bits &= self._field_bits(leaf, node)
                matched.append(bits)
                total += bits.bit_count()
                group_bits = [self._bits(leaf, group) & bits for group in plan.groups]
                groups.append(group_bits)
                if group_bits:
                    all_groups += intersection(group_bits, bits).bit_count()
            facets = self._count_facets(matched, plan.facets) if total else {}
            docnums = self._rank(searcher, plan, matched, groups, total)
            keys = [searcher.stored_fields(docnum)["key"] for docnum in docnums]
            return Match(total=total, keys=keys, facets=facets,
                         all_groups=all_groups if plan.groups else None)

    def _count_facets(self, matched, names):
        counts = {}
        for name in names:
            totals = {}
            for leaf, bits in zip(self._leaves, matched, strict=True):
                if not bits:
                    continue
                for term, term_bits in self._facet(leaf, name).items():
                    hits = (bits & term_bits).bit_count()
                    if hits:
                        totals[term] = totals.get(term, 0) + hits
            counts[name] = totals
        return counts

    # -- ranking ---------------------------------------------------------------------------

    def _rank(self, searcher, plan, matched, groups, total):
        """Return the global docnums of the requested page, best first."""
        wanted = plan.offset + plan.limit
        if not total or plan.offset >= total:
            return []
        terms = scoring_terms(plan.node, self._languages) if plan.node is not None else []
        candidates, stats = [], {}
        # Each group's weight holds for the whole index: worked out once, not per segment.
        weights = (self._group_weights(searcher, plan.groups, stats)
                   if len(plan.groups) > 1 and terms
                   and plan.sort in ("relevance", "similarity") else None)
        for leaf, bits, group_bits in zip(self._leaves, matched, groups, strict=True):
            if not bits:
                continue
            docs = np.flatnonzero(flags_of(bits, leaf.cache.size))
            if plan.sort in ("newest", "discussed") or not terms:
                keys = self._values(leaf, "discussed" if plan.sort == "discussed"
                                    else "published")[docs]
                if plan.sort == "similarity":  # newest first among equals
                    keys = self._likeness(leaf, plan.likeness)[docs] + keys / 2.0 ** 63
            else:
                keys = self._scores(searcher, leaf, terms, docs, stats)
                if weights:
                    coverage = sum(weight * flags_of(g, leaf.cache.size)[docs]
                                   for weight, g in zip(weights, group_bits, strict=True))
                    keys = self.ranking.coordinate(keys, coverage / sum(weights))
                if plan.sort == "similarity":  # the most relevant first among equals
                    relevance = keys.astype(np.float64)
                    keys = self._likeness(leaf, plan.likeness)[docs] + relevance / (
                        1.0 + relevance)
            best = best_positions(keys, wanted)
            candidates += zip(keys[best].tolist(), (docs[best] + leaf.offset).tolist(),
                              strict=True)
        # Best first; among equals, the later document (usually the newer) first.
        candidates.sort(reverse=True)
        return [docnum for _key, docnum in candidates[plan.offset:wanted]]

    def _likeness(self, leaf, criteria):
        """Return every document's points for a place's criteria (see `Plan.likeness`), as
        whole numbers in an array by docnum, read from the facets' bitsets."""
        kept = leaf.cache.likeness
        found = kept.get(criteria)
        if found is None:
            found = np.zeros(leaf.cache.size, dtype=np.uint8)
            for criterion in criteria:
                earned = np.zeros(leaf.cache.size, dtype=np.uint8)
                for facet, value, points in criterion:
                    bits = self._facet(leaf, facet).get(value, 0)
                    if bits:  # the most points of the values a document holds
                        np.maximum(earned, ones_of(bits, leaf.cache.size) * np.uint8(points),
                                   out=earned)
                found += earned
            if len(kept) >= LIKENESS_KEPT:
                kept.clear()
            kept[criteria] = found
        return found

    def _idf(self, searcher, term, stats):
        idf = stats.get(("idf", term))
        if idf is None:
            idf = stats[("idf", term)] = self.ranking.idf(
                self._doc_frequency(term), max(searcher.doc_count_all(), 1))
        return idf

    def _doc_frequency(self, term):
        """Return how many documents (deleted ones included, as Whoosh counts them) hold a
        term in any text field."""
        return sum(self._term(leaf, term).bit_count() for leaf in self._leaves)

    def _group_weights(self, searcher, groups, stats):
        return [self.ranking.group_weight(
            [self._idf(searcher, term, stats)
             for term in scoring_terms(group, self._languages) if not term.endswith("*")])
            for group in groups]

    def _expand(self, leaf, terms):
        """Yield the terms, with each `prefix*` replaced by the terms it stands for."""
        for term in terms:
            if term.endswith("*"):
                yield from self._prefixed(leaf, term[:-1])
            else:
                yield term

    def _scores(self, searcher, leaf, terms, docs, stats, boosts=None):
        """Return the BM25F scores of the given documents of a segment.

        `stats` caches the index-wide figures (document frequencies, average lengths)
        across the segments of one query; `boosts` ({term: factor}) weighs some terms more.
        """
        ranking = self.ranking
        size = leaf.cache.size
        scores = np.zeros(size, dtype=np.float32)
        total_docs = max(searcher.doc_count_all(), 1)
        fields = [(name, weight) for name, weight in ranking.weights.items() if weight]
        for name, _weight in fields:
            if name not in stats:
                stats[name] = searcher.reader().field_length(name) / total_docs or 1.0
        for term in self._expand(leaf, terms):
            weighted = None
            for name, weight in fields:
                postings, frequencies = self._arrays(leaf, name, term)
                if not len(postings):
                    continue
                if weighted is None:
                    weighted = np.zeros(size, dtype=np.float32)
                lengths = self._lengths(leaf, name)[postings]
                weighted[postings] += weight * ranking.field_tf(frequencies, lengths,
                                                                stats[name])
            if weighted is None:
                continue
            idf = self._idf(searcher, term, stats)
            if boosts:
                idf *= boosts.get(term, 1.0)
            touched = np.flatnonzero(weighted)
            scores[touched] += ranking.saturate(weighted[touched], idf)
        contents = self._facet(leaf, "content")
        for content, factor in CONTENT_WEIGHTS.items():
            if contents.get(content):
                scores[flags_of(contents[content], size)] *= factor
        return scores[docs]

    def warm(self):
        """Build every segment's facet bitsets, lengths and orderings ahead of searches, and
        read its commonest words' postings: a first search of a common word or phrase
        would otherwise spend most of its time reading them."""
        with self._lock:
            self._current()
            for leaf in self._leaves:
                self._live(leaf)
                for name in FACET_FIELDS:
                    self._facet(leaf, name)
                for name in self.ranking.weights:
                    self._lengths(leaf, name)
                for field_name in ("published", "discussed"):
                    self._values(leaf, field_name)
            common = {leaf.segment_id: self._common_terms(leaf) for leaf in self._leaves}
            # Scored postings first (every search of the word reads them), then positions
            # (phrases), as long as the cache keeps room for the searches themselves.
            for read in (self._term, self._positions):
                for leaf in self._leaves:
                    for text in common[leaf.segment_id]:
                        if self._terms.used > self._terms.limit * WARM_SHARE:
                            return
                        read(leaf, text)

    def _common_terms(self, leaf):
        """Return the segment's WARM_TERMS words found in most documents' bodies."""
        counted = ((info.doc_frequency(), text)
                   for text, info in leaf.reader.iter_field("body"))
        return [text.decode("utf-8") if isinstance(text, bytes) else text
                for _count, text in heapq.nlargest(WARM_TERMS, counted)]


def best_positions(keys, wanted):
    """Return the positions of the `wanted` largest keys; ties go to later positions.

    Positions follow docnums upwards, so the tie rule matches the final sort and pages
    never overlap.
    """
    if len(keys) <= wanted:
        return np.arange(len(keys))
    threshold = keys[np.argpartition(-keys, wanted - 1)[wanted - 1]]
    above = np.flatnonzero(keys > threshold)
    tied = np.flatnonzero(keys == threshold)
    return np.concatenate([above, tied[len(tied) - (wanted - len(above)):]])
