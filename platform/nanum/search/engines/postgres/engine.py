"""The PostgreSQL engine (`SEARCH_ENGINE = "postgres"`): search in the application's database.

Matching is a tsvector query on a GIN index; filters are SQL over the facet arrays, and
facet counts are made in Python from the ids found (`facets.py`); ranking is the BM25F of
`ranking.py`, computed in SQL from the postings of the query's terms for the documents
found only, so that a common word costs a scan of its postings rather than a look at every
matching document's text. When a search finds many documents, only a shortlist of them
(`candidates`) is ranked in full (`reading._ranking`).
"""

import difflib
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from nanum.search import analysis
from nanum.search.engine import Engine, WriterBusy
from nanum.search.engines.postgres import facets, reading, schema, stats, writing
from nanum.search.engines.postgres.schema import TABLES, key_terms
from nanum.search.ranking import Ranking

SIMILAR_TERMS = 15  # the words of a text that say what it is about
CANDIDATES = 500  # see reading._ranking


class PostgresEngine(Engine):
    def __init__(self, bind=None, ranking=None, candidates=CANDIDATES):
        """`bind` is a SQLAlchemy engine, or None for the application's database;
        `candidates`: how many of the documents a search finds are ranked in full (0: all)."""
        self._bind = bind
        self.ranking = ranking or Ranking()
        self.candidates = max(int(candidates), 0)
        self.ready = False  # the tables were seen: they stay
        self._kept = (None, None)  # (generation, stats.Statistics)
        self._facets = None  # facets.FacetTable of a settled generation

    @property
    def bind(self):
        if self._bind is not None:
            return self._bind
        from nanum.extensions import db
        return db.engine

    # -- the index's state -----------------------------------------------------------------

    def exists(self):
        if not self.ready:
            with self.bind.connect() as connection:
                self.ready = schema.exists(connection)
        return self.ready

    def is_complete(self, stamp):
        if not self.exists():
            return False
        with self.bind.connect() as connection:
            return writing.read_stamp(connection) == stamp

    def stamped(self, stamp):
        try:
            return self.is_complete(stamp)
        except DBAPIError:
            return False

    def mark_incomplete(self):
        if not self.exists():
            return
        with self.bind.begin() as connection:
            writing.set_stamp(connection, None)

    def generation(self):
        with self.bind.connect() as connection:
            return tuple(connection.execute(text(
                "SELECT last_value, is_called FROM search_generation")).one())

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def writing(self, timeout=None):
        with self.bind.begin() as connection:
            try:
                writing.lock_for_writing(connection, timeout)
            except OperationalError as error:
                raise WriterBusy("the search tables are being rebuilt") from error
            changes = _Changes()
            yield changes
            writing.apply(connection, list(changes.updated.values()), changes.deleted)

    def rebuild(self, documents, progress=None, timeout=None, procs=1, stamp=None,
                only_if_stale=False):
        if not self.exists():
            with self.bind.begin() as connection:
                schema.create(connection)
            self.ready = True
        with self.bind.begin() as connection:
            if timeout is not None:
                connection.execute(text(
                    f"SET LOCAL lock_timeout = {max(int(timeout * 1000), 1)}"))
            try:
                connection.execute(text("LOCK TABLE search_state IN EXCLUSIVE MODE"))
            except OperationalError as error:
                raise WriterBusy("the search tables are being rebuilt") from error
            if only_if_stale and stamp is not None and writing.read_stamp(connection) == stamp:
                return None
            connection.execute(text("SET LOCAL lock_timeout = 0"))
            # A full build may take longer than a request's statement timeout.
            connection.execute(text("SET LOCAL statement_timeout = 0"))
            count = writing.rebuild(connection, documents, progress)
            writing.set_stamp(connection, stamp)
        return count

    # -- reading ---------------------------------------------------------------------------

    def warm(self):
        with self.bind.connect() as connection:
            connection.execute(text("SELECT count(*) FROM search_documents"))

    def keys(self):
        with self.bind.connect() as connection:
            return set(connection.execute(text("SELECT key FROM search_documents")).scalars())

    def stats(self):
        with self.bind.connect() as connection:
            documents = connection.execute(text("SELECT count(*) FROM search_documents")).scalar()
            size = connection.execute(text(
                "SELECT sum(pg_total_relation_size(t)) FROM unnest(CAST(:t AS regclass[])) t"),
                {"t": list(TABLES)}).scalar()
        return {"documents": documents, "segments": 1, "bytes": int(size or 0)}

    def match(self, plan):
        with self.bind.begin() as connection:
            # One round trip: the generation, and settings for this transaction. The
            # planner reckons reading each matching document's tsvector cheaper than the
            # GIN index for a common word; measured, it is several times slower. Room for
            # the documents found, which would otherwise spill. No JIT compilation: the
            # seqscan penalty makes every plan without an index look costly enough for it,
            # and compiling took 0.6 s of a 0.75 s search that lists every document.
            generation = tuple(connection.execute(text(
                "SELECT last_value, is_called, set_config('enable_seqscan', 'off', true), "
                "set_config('work_mem', '32MB', true), set_config('jit', 'off', true) "
                "FROM search_generation")).one())[:2]
            return reading.match(connection, plan, self.ranking,
                                 self._statistics(connection, generation), self.candidates)

    def _statistics(self, connection, generation=None):
        if generation is None:
            generation = tuple(connection.execute(text(
                "SELECT last_value, is_called FROM search_generation")).one())
        if self._kept[0] == generation:
            return self._kept[1]
        # What is read now stands for this generation only if no writer is still to commit
        # it; otherwise it serves this search alone.
        keep = facets.settled(connection)
        statistics = stats.Statistics(
            connection, lambda connection_: self._facet_table(connection_, generation, keep))
        if keep:
            self._kept = (generation, statistics)
        return statistics

    def _facet_table(self, connection, generation, keep):
        """Return the facet table of `generation`: the one kept, brought up to date."""
        table = self._facets
        table = facets.FacetTable(connection, generation) if table is None \
            else table.refreshed(connection, generation)
        if keep:
            self._facets = table
        return table

    def unknown_words(self, words):
        wanted = {word: [term for term in analysis.terms(word)] for word in words}
        everything = sorted({term for terms in wanted.values() for term in terms})
        with self.bind.connect() as connection:
            known = set(connection.execute(text(
                "SELECT DISTINCT term FROM search_postings WHERE term = ANY(:terms)"),
                {"terms": everything}).scalars()) if everything else set()
        return [word for word, terms in wanted.items() if terms and not set(terms) & known]

    def suggest(self, word):
        folded = " ".join(analysis.words(word))
        if len(folded) < 3 or len(folded) > 100:
            return None
        with self.bind.connect() as connection:
            candidates = list(connection.execute(text(
                "SELECT word FROM search_words WHERE word % :w "
                "ORDER BY similarity(word, :w) DESC, word LIMIT 20"), {"w": folded}).scalars())
        found = difflib.get_close_matches(folded, sorted(candidates), n=1, cutoff=0.7)
        return found[0] if found else None

    def similar(self, key, text_, limit=5):
        return [found for found, _score in self.closest(text_, limit, exclude={key})]

    def closest(self, text_, limit=5, exclude=()):
        wanted = key_terms(text_, 10 * SIMILAR_TERMS)
        if not wanted:
            return []
        with self.bind.connect() as connection:
            statistics = self._statistics(connection)
            frequencies = statistics.frequencies(connection, [term for term, _n in wanted])
            total = statistics.documents
            weighted = sorted(((count * self.ranking.idf(frequencies.get(term, 0), total), term)
                               for term, count in wanted if frequencies.get(term)),
                              reverse=True)[:SIMILAR_TERMS]
            if not weighted:
                return []
            rows = connection.execute(text(
                "SELECT d.key, sum(q.weight) / sqrt(1 + d.distinct_terms) AS score "
                "FROM unnest(CAST(:terms AS text[]), CAST(:weights AS float8[])) "
                "AS q(term, weight) JOIN search_postings p ON p.term = q.term "
                "JOIN search_documents d ON d.id = p.doc "
                "WHERE d.content = 'practice' AND NOT d.key = ANY(CAST(:exclude AS text[])) "
                "GROUP BY d.key, d.distinct_terms ORDER BY score DESC, d.key DESC LIMIT :limit"),
                {"terms": [term for _w, term in weighted],
                 "weights": [weight for weight, _t in weighted],
                 "exclude": sorted(exclude), "limit": limit}).all()
        return [(key, float(score)) for key, score in rows]


class _Changes:
    def __init__(self):
        self.updated, self.deleted = {}, []

    def update(self, document):
        self.updated[document["key"]] = document

    def delete(self, key):
        self.deleted.append(key)
        self.updated.pop(key, None)

    def more_follows(self):
        """Nothing to put off: each commit is complete in itself."""
