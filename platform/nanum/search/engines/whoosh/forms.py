"""A query's words in each language the Whoosh index holds: the documents a word, a phrase
or a prefix finds in a segment, as bitsets.

A word is analysed in every language of the index (English first) and finds the documents
of each language by that language's terms for it ("viviendas" finds a Spanish
"vivienda"); a word that analyses to several terms ("e-governance") is a phrase of them.
`matching.Matching` combines these bitsets into a query's answer.
"""

import numpy as np
from whoosh import query as whoosh_query
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from nanum.search import analysis
from nanum.search.engine import TEXT_FIELDS
from nanum.search.engines.whoosh.bitsets import bits_of, flags_of, intersection, union
from nanum.search.engines.whoosh.positions import (
    PackedPositions,
    packed_positions,
    phrase_documents,
)
from nanum.search.engines.whoosh.postings import (
    NO_POSTINGS,
    all_ids,
    posting_positions,
)
from nanum.search.engines.whoosh.schema import PHRASE_FIELD

PREFIX_LIMIT = 200  # terms a prefix may expand to before it is cut


class QueryForms:
    """Per-language forms of a query's words; it needs `_leaves`, `_terms`, `_term` and
    `_facet` (see `matching.Matching`)."""

    _languages = (analysis.DEFAULT_LANGUAGE,)  # a query's languages: see `_index_languages`

    def _index_languages(self):
        """Return the languages the index's documents are analysed in, English first: the
        languages a query's words are analysed in. Read from the cached language facet."""
        found = set()
        for leaf in self._leaves:
            found.update(self._facet(leaf, "language"))
        found.discard(analysis.DEFAULT_LANGUAGE)
        return (analysis.DEFAULT_LANGUAGE,
                *sorted({analysis.language_of(code) for code in found}
                        - {analysis.DEFAULT_LANGUAGE}))

    def _phrase_node_bits(self, leaf, node):
        return union(self._phrase_bits(leaf, terms)
                     for terms in analysis.forms(" ".join(node.words), self._languages))

    def _word_bits(self, leaf, word):
        if word.prefix:
            return union(self._term(leaf, term)
                         for prefix in analysis.prefixes(word.text, self._languages)
                         for term in self._prefixed(leaf, prefix))
        # "e-governance" is two terms, which must be adjacent; a stop word matches nothing.
        # A word finds the documents of each language the index holds by that language's
        # terms for it ("viviendas" finds a Spanish "vivienda").
        return union(self._phrase_bits(leaf, terms)
                     for terms in analysis.forms(word.text, self._languages))

    def _prefixed(self, leaf, prefix):
        """Return the first terms (in order) of a segment that start with `prefix`."""
        key = (leaf.segment_id, "prefix", prefix)
        found = self._terms.get(key)
        if found is None:
            terms = set()
            for name in TEXT_FIELDS:
                for count, term in enumerate(leaf.reader.expand_prefix(name, prefix)):
                    if count >= PREFIX_LIMIT:
                        break
                    terms.add(term.decode("utf-8") if isinstance(term, bytes) else term)
            found = tuple(sorted(terms)[:PREFIX_LIMIT])
            self._terms.put(key, found)
        return found

    def _phrase_bits(self, leaf, terms):
        terms = tuple(terms)
        if not terms:
            return 0
        if len(terms) == 1:
            return self._term(leaf, terms[0])
        key = (leaf.segment_id, "phrase", terms)
        found = self._terms.get(key)
        if found is None:
            found = 0
            candidates = intersection([self._term(leaf, t) for t in terms], leaf.cache.all)
            if candidates:
                found = self._phrase(leaf, terms, candidates)
            self._terms.put(key, found)
        return found

    def _phrase(self, leaf, terms, candidates):
        """Return the bitset of documents with the terms next to each other in one field;
        only `candidates` (a bitset of the documents holding every term) can have them."""
        if not isinstance(leaf.searcher.schema[PHRASE_FIELD].format, PackedPositions):
            # An index written before positions were packed (until it is rebuilt).
            matcher = whoosh_query.Phrase(PHRASE_FIELD, list(terms)).matcher(leaf.searcher)
            return bits_of(list(all_ids(matcher)), leaf.cache.size)
        among = np.flatnonzero(flags_of(candidates, leaf.cache.size))
        postings = [self._positions_among(leaf, t, among) for t in terms]
        if not all(len(docs) for docs, _frequencies, _positions in postings):
            return 0
        docs = phrase_documents(postings)
        return bits_of(docs, leaf.cache.size) if len(docs) else 0

    def _positions_among(self, leaf, text, among):
        """Return what `_positions` does, from the cache if there, else only for the posting
        blocks that hold some of the sorted document numbers `among` (not kept: the
        phrase's documents are)."""
        found = self._terms.get((leaf.segment_id, "positions", text))
        if found is not None:
            return found
        matcher = self._phrase_matcher(leaf, text)
        if matcher is None:
            return (*NO_POSTINGS, packed_positions([]))
        return posting_positions(matcher, among)

    def _phrase_matcher(self, leaf, text):
        try:
            matcher = leaf.reader.postings(PHRASE_FIELD, text)
        except TermNotFound:
            return None
        return matcher.child if isinstance(matcher, FilterMatcher) else matcher

    def _positions(self, leaf, text):
        """Return (docnums, frequencies, positions end to end) of a term in a segment's
        phrase field, deleted documents included."""
        key = (leaf.segment_id, "positions", text)
        found = self._terms.get(key)
        if found is None:
            matcher = self._phrase_matcher(leaf, text)
            if matcher is None:
                found = (*NO_POSTINGS, packed_positions([]))
            else:
                found = posting_positions(matcher)
            self._terms.put(key, found)
        return found
