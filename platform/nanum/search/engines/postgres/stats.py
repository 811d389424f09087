"""The figures ranking needs of the whole index, read once per index generation: the number
of documents, the average length of each field, and each term's document frequency and
largest frequency in each field (`pruning.py` bounds scores with these)."""

from sqlalchemy import text

from nanum.search.engine import TEXT_FIELDS


class Statistics:
    """The figures ranking needs of the whole index, read once per generation."""

    def __init__(self, connection, facet_table):
        """`facet_table(connection)` returns the FacetTable of this generation."""
        row = connection.execute(text(
            "SELECT count(*), " + ", ".join(f"coalesce(avg({name}_len), 0)"
                                            for name in TEXT_FIELDS)
            + " FROM search_documents")).one()
        self.documents = max(row[0], 1)
        self.averages = [float(average) or 1.0 for average in row[1:]]
        self._frequencies = {}
        self._maxima = {}  # term -> its largest frequency in each text field
        self._facet_table = facet_table
        self._facets = None

    def facets(self, connection):
        """Return the FacetTable, read the first time it is asked for."""
        if self._facets is None:
            self._facets = self._facet_table(connection)
        return self._facets

    def frequencies(self, connection, terms):
        """Return {term: how many documents hold it}."""
        self._read(connection, terms)
        return {term: self._frequencies.get(term, 0) for term in terms}

    def maxima(self, connection, terms):
        """Return {term: [its largest frequency in each text field]}: no document's score
        for the term can be above that of these frequencies."""
        self._read(connection, terms)
        return {term: self._maxima.get(term, (0,) * len(TEXT_FIELDS)) for term in terms}

    def _read(self, connection, terms):
        """Read the figures of the terms not yet read, in one pass over their postings."""
        missing = sorted(set(terms) - self._frequencies.keys())
        if missing:
            if len(self._frequencies) + len(missing) > 100_000:
                self._frequencies.clear()
                self._maxima.clear()
            self._frequencies.update(dict.fromkeys(missing, 0))
            for term, count, *maxima in connection.execute(text(
                    "SELECT term, count(*), "
                    + ", ".join(f"max({name})" for name in TEXT_FIELDS)
                    + " FROM search_postings WHERE term = ANY(:terms) GROUP BY term"),
                    {"terms": missing}):
                self._frequencies[term] = count
                self._maxima[term] = tuple(maxima)
