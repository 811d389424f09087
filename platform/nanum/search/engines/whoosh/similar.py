"""Practices like a text, on a Whoosh index: the text's telling words, then the practices
that hold them, ranked by Nanum's BM25F with each word weighed by how telling it is."""

from collections import Counter

import numpy as np

from nanum.search import analysis
from nanum.search.engines.whoosh.bitsets import flags_of, union
from nanum.search.engines.whoosh.matching import best_positions


class Likeness:
    """The similar-practices half of WhooshEngine; it builds on `Matching`."""

    def _key_terms(self, searcher, text, limit, stats):
        """Return {term: weight} of the `limit` terms that say most about what a text is
        about: frequent in it, rare in the index (tf·idf)."""
        counts = Counter(term for sequence in analysis.forms(text, self._index_languages())
                         for term in sequence)
        weighed = []
        for term, count in counts.items():
            if self._doc_frequency(term):
                weight = count * self._idf(searcher, term, stats)
                if weight > 0:
                    weighed.append((weight, term))
        weighed.sort(key=lambda pair: (-pair[0], pair[1]))
        return {term: weight for weight, term in weighed[:limit]}

    def _closest(self, text, limit, exclude, terms):
        """Return [(key, score)] of the practices closest to a text, best first."""
        searcher = self._current()
        stats = {}
        boosts = self._key_terms(searcher, text, terms, stats)
        if not boosts:
            return []
        candidates = []
        for leaf in self._leaves:
            bits = (self._live(leaf) & self._facet(leaf, "content").get("practice", 0)
                    & union(self._term(leaf, term) for term in boosts))
            if not bits:
                continue
            docs = np.flatnonzero(flags_of(bits, leaf.cache.size))
            scores = self._scores(searcher, leaf, list(boosts), docs, stats, boosts)
            best = best_positions(scores, limit + len(exclude))
            candidates += zip(scores[best].tolist(), (docs[best] + leaf.offset).tolist(),
                              strict=True)
        candidates.sort(reverse=True)
        found = []
        for score, docnum in candidates:
            key = searcher.stored_fields(docnum)["key"]
            if key not in exclude:
                found.append((key, score))
            if len(found) == limit:
                break
        return found
