"""The engine-neutral plan as SQL: conditions on `search_documents` with bound parameters.

Words become tsquery lexemes built here from their analysed terms (each quoted by
`schema.lexeme`), so that what a user typed never reaches PostgreSQL as tsquery syntax;
the tsquery itself is a bound parameter. The same words, quoted, are stemmed by
`to_tsquery` in each language for the documents stemmed in theirs (`stems`). Facets are
`field:value` strings in an array.
"""

from nanum.search import analysis
from nanum.search.engines.postgres.schema import STEM_CONFIGS, indexable, lexeme
from nanum.search.query import And, Field, Not, Or, Phrase, Word

YEARS = (1800, 2200)  # a year range is looked up year by year, within these


class Conditions:
    """Collects bound parameters while a tree is turned into SQL."""

    def __init__(self, alias="d"):
        self.alias = alias
        self.params = {}
        self.groups = {}  # a plan's group (its index) -> the CTE of its documents' ids

    def bind(self, value):
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def sql(self, node):
        """Return an SQL condition for a query node."""
        if isinstance(node, Word | Phrase):
            query = tsquery(node)
            if query is None:
                return "FALSE"  # no term at all: it matches nothing, as in every engine
            stemmed = _stems_query(node)
            if stemmed is None:
                return self._matches(query)
            # The words stemmed in each language, matched against documents in it.
            words = self.bind(stemmed)
            configs = " || ".join(f"to_tsquery('{config}', {words})" for config in STEM_CONFIGS)
            return f"({self._matches(query)} OR {self.alias}.stems @@ ({configs}))"
        if isinstance(node, Field):
            return self._field(node)
        if isinstance(node, Not):
            return f"NOT ({self.sql(node.child)})"
        if isinstance(node, And | Or):
            joiner = " AND " if isinstance(node, And) else " OR "
            return "(" + joiner.join(self.sql(child) for child in node.children) + ")"
        raise TypeError(f"not a query node: {node!r}")

    def ids(self, node):
        """Return SQL selecting the ids of the documents a plain word of one term, any of
        several parts, or all of them less others (`_ids_except`) matches; None for any
        other node. A tsvector holds exactly the terms of its document's postings, so a
        word's documents are its term's postings (read from their index alone, never a
        document's row), with those stemmed in their own language. Other nodes are left to
        the GIN indexes (`sql`)."""
        if isinstance(node, Or):
            # Each part alone: in one bitmap, a phrase's look at the text (a recheck) would
            # be made for every document on the pages of its candidates.
            return " UNION ".join(f"({self.ids(child) or self.scan(child)})"
                                  for child in node.children)
        if isinstance(node, And):
            return self._ids_except(node)
        term = single_term(node)
        if term is None:
            return None
        found = f"SELECT doc AS id FROM search_postings WHERE term = {self.bind(term)}"
        stemmed = _stems_query(node)
        if stemmed is not None:
            # Those of the documents stemmed in their language that lack the term (each
            # looked at alone: they are few).
            words, d = self.bind(stemmed), self.alias
            configs = " || ".join(f"to_tsquery('{config}', {words})" for config in STEM_CONFIGS)
            found += (f" UNION ALL SELECT {d}.id FROM search_documents {d} "
                      f"WHERE {d}.stems @@ ({configs}) AND NOT {self._matches(lexeme(term))}")
        return found

    def _ids_except(self, node):
        """Every part required, from the postings' index alone: the ids of the required
        parts intersected, less those of the parts under a NOT (their postings, the GIN
        index for a phrase, the facets' index for filters, all of these in one look), rather
        than a look at the text of every document found. Required filters are read from
        the facets' index, together (the facet arrays, not the text). None when another
        required part has no ids (a phrase, a prefix: the GIN indexes find those with the
        words), or when no word is required."""
        children = parts(node)
        kept = [child for child in children if not isinstance(child, Not | Field)]
        fields = [child for child in children if isinstance(child, Field)]
        left_out = [child.child for child in children if isinstance(child, Not)]
        found = [self.ids(child) for child in kept]
        if not found or None in found:
            return None
        if fields:
            found.append(self.scan(And(tuple(fields))))
        both = " INTERSECT ".join(f"({ids})" for ids in found) if len(found) > 1 else found[0]
        if not left_out:
            return both
        others = self.left_out(left_out)
        if others is None:
            return None
        return f"SELECT id FROM ({both}) found_ids EXCEPT ({others})"

    def left_out(self, nodes):
        """Return SQL selecting the ids of the documents any of `nodes` matches (the parts of
        a plan under a NOT), each from its postings or its index; None when one of them is
        itself a NOT (its documents would be every other one)."""
        if any(isinstance(node, Not) for node in nodes):
            return None
        fields = [node for node in nodes if isinstance(node, Field)]
        found = [f"({self.ids(node) or self.scan(node)})" for node in nodes
                 if not isinstance(node, Field)]
        if fields:
            found.append(f"({self.scan(Or(tuple(fields)))})")
        return " UNION ".join(found)

    def scan(self, node):
        """Return SQL selecting the ids of the documents a node matches, by `sql`."""
        d = self.alias
        return f"SELECT {d}.id FROM search_documents {d} WHERE {self.sql(node)}"

    def matches(self, node):
        """Return an SQL condition for a whole plan node (None: every document)."""
        return "TRUE" if node is None else self.sql(node)

    def _matches(self, query):
        return f"{self.alias}.tsv @@ CAST({self.bind(query)} AS tsquery)"

    def _field(self, node):
        if node.name == "year":
            start, end = node.value
            start, end = max(start, YEARS[0]), min(end, YEARS[1])
            if start > end:
                return "FALSE"
            years = [f"year:{year}" for year in range(start, end + 1)]
            return f"{self.alias}.facets && CAST({self.bind(years)} AS text[])"
        value = f"{node.name}:{node.value}"
        return f"{self.alias}.facets @> CAST({self.bind([value])} AS text[])"


def tsquery(node):
    """Return the tsquery text of a word or phrase, or None when it has no term."""
    if isinstance(node, Word):
        if node.prefix:
            folded = analysis.fold(node.text)
            return f"{lexeme(folded)}:*" if indexable(folded) else None
        return _phrase(analysis.terms(node.text))
    if isinstance(node, Phrase):
        return _phrase(analysis.terms(" ".join(node.words)))
    return None


def _stems_query(node):
    """Return the quoted, lower-cased words of a plain word or phrase, next to each other,
    for `to_tsquery` to stem in each language (None for a prefix)."""
    if isinstance(node, Word) and node.prefix:
        return None
    text = node.text if isinstance(node, Word) else " ".join(node.words)
    words = [word for word in analysis.WORD.findall(text.lower()) if indexable(word)]
    return " <-> ".join(lexeme(word) for word in words) or None


def _phrase(terms):
    if not terms or not all(indexable(term) for term in terms):
        return None
    if len(terms) == 1:
        return lexeme(terms[0])
    return "(" + " <-> ".join(lexeme(term) for term in terms) + ")"


def parts(node):
    """Return the parts an AND requires, ANDs within it taken apart."""
    if not isinstance(node, And):
        return [node]
    return [part for child in node.children for part in parts(child)]


def single_term(node):
    """Return the one term a group stands for, when it is a plain word of one term."""
    if isinstance(node, Word) and not node.prefix:
        terms = analysis.terms(node.text)
        if len(terms) == 1 and indexable(terms[0]):
            return terms[0]
    return None
