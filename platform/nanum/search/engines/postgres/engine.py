"""The PostgreSQL engine (`SEARCH_ENGINE = "postgres"`): search in the application's database.

Matching is a tsvector query on a GIN index; filters and facet counts are SQL over the
facet arrays; ranking is the BM25F of `ranking.py`, computed in SQL from the postings of
the query's terms for the documents found only, so that a common word costs a scan of its
postings rather than a look at every matching document's text.
"""

import difflib
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from nanum.search import analysis
from nanum.search.engine import CONTENT_WEIGHTS, TEXT_FIELDS, Engine, Match, WriterBusy
from nanum.search.engines.postgres import schema, writing
from nanum.search.engines.postgres.schema import TABLES, key_terms
from nanum.search.engines.postgres.translate import Conditions, single_term
from nanum.search.planning import scoring_terms
from nanum.search.ranking import Ranking

SIMILAR_TERMS = 15  # the words of a text that say what it is about
PREFIX_TERMS = 200  # the most terms a prefix stands for when ranking
# What ranking, counting and sorting read of a document found (not its text).
COLUMNS = ("d.id, d.key, d.content, d.facets, d.published, d.discussed, "
           + ", ".join(f"d.{name}_len" for name in TEXT_FIELDS))


class PostgresEngine(Engine):
    def __init__(self, bind=None, ranking=None):
        """`bind` is a SQLAlchemy engine, or None for the application's database."""
        self._bind = bind
        self.ranking = ranking or Ranking()
        self.ready = False  # the tables were seen: they stay
        self._statistics = (None, None)

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
            count = writing.rebuild(connection, documents, progress)
            writing.set_stamp(connection, stamp)
        self._vacuum()
        return count

    def _vacuum(self):
        """Let the ranking read postings from their index alone, as after any bulk load."""
        with self.bind.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in TABLES:
                connection.execute(text(f"VACUUM (ANALYZE) {table}"))

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
        conditions = Conditions()
        where = [conditions.matches(plan.node), *(conditions.sql(f) for f in plan.filters)]
        if plan.within:
            where.append(f"d.key = ANY(CAST({conditions.bind(list(plan.within))} AS text[]))")
        found = f"SELECT {COLUMNS} FROM search_documents d WHERE " + " AND ".join(where)
        with self.bind.connect() as connection:
            total = connection.execute(text(f"SELECT count(*) FROM ({found}) f"),
                                       conditions.params).scalar()
            facets = self._facets(connection, found, conditions.params, plan) if total else {}
            all_groups = None
            if plan.groups:
                all_groups = connection.execute(text(
                    f"SELECT count(*) FROM ({found} AND "
                    + " AND ".join(conditions.sql(group) for group in plan.groups) + ") f"),
                    conditions.params).scalar()
            keys = self._page(connection, found, conditions, plan) if total else []
        return Match(total=total, keys=keys, facets=facets, all_groups=all_groups)

    def _facets(self, connection, found, params, plan):
        if not plan.facets:
            return {}
        rows = connection.execute(text(
            f"SELECT v, count(*) FROM ({found}) f, unnest(f.facets) v GROUP BY v"), params)
        wanted = set(plan.facets)
        facets = {name: {} for name in plan.facets}
        for value, count in rows:
            name, _, item = value.partition(":")
            if name in wanted:
                facets[name][item] = count
        return facets

    def _page(self, connection, found, conditions, plan):
        terms = scoring_terms(plan.node) if plan.node is not None else []
        bind = conditions.bind
        if plan.sort in ("newest", "discussed") or not terms:
            order = ("f.discussed DESC" if plan.sort == "discussed"
                     else "f.published DESC NULLS LAST")
            sql = (f"SELECT f.key FROM ({found}) f ORDER BY {order}, f.key DESC "
                   f"LIMIT {bind(plan.limit)} OFFSET {bind(plan.offset)}")
            return list(connection.execute(text(sql), conditions.params).scalars())
        return _ranked(connection, self.ranking, self._corpus(connection), found, conditions,
                       plan, terms)

    def _corpus(self, connection):
        """Return (documents, average length of each text field), kept per generation."""
        generation = tuple(connection.execute(text(
            "SELECT last_value, is_called FROM search_generation")).one())
        if self._statistics[0] != generation:
            self._statistics = (generation, tuple(connection.execute(text(
                "SELECT count(*), " + ", ".join(f"coalesce(avg({name}_len), 0)"
                                                for name in TEXT_FIELDS)
                + " FROM search_documents")).one()))
        return self._statistics[1]

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
            frequencies = _frequencies(connection, [term for term, _n in wanted])
            total = max(self._corpus(connection)[0], 1)
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


def _frequencies(connection, terms):
    return dict(connection.execute(text(
        "SELECT term, count(*) FROM search_postings WHERE term = ANY(:terms) GROUP BY term"),
        {"terms": sorted(set(terms))}).all())


def _expand(connection, terms):
    """Return the terms a plan's scoring terms stand for: a prefix stands for the indexed
    terms it begins (the most frequent of them, at most PREFIX_TERMS)."""
    expanded = []
    for term in terms:
        if not term.endswith("*"):
            expanded.append(term)
            continue
        pattern = term[:-1].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        expanded += connection.execute(text(
            "SELECT term FROM search_postings WHERE term LIKE :p GROUP BY term "
            "ORDER BY count(*) DESC, term LIMIT :n"),
            {"p": pattern + "%", "n": PREFIX_TERMS}).scalars()
    return list(dict.fromkeys(expanded))


def _ranked(connection, ranking, corpus, found, conditions, plan, terms):
    """Return one page of keys ranked by BM25F and the coverage of the optional groups."""
    bind = conditions.bind
    terms = _expand(connection, terms)
    frequencies = _frequencies(connection, terms) if terms else {}
    total, *averages = corpus
    total = max(total, 1)
    idfs = {term: ranking.idf(frequencies.get(term, 0), total) for term in terms}
    weights = [float(ranking.weights.get(name, 0)) for name in TEXT_FIELDS]
    b, k1 = ranking.b, ranking.k1
    tf = " + ".join(
        f"{weight} * p.{name}::float8 / ({1 - b} + {b} * f.{name}_len::float8 / "
        f"{float(avg) or 1.0})"
        for name, weight, avg in zip(TEXT_FIELDS, weights, averages, strict=True) if weight)
    coverage_terms, coverage_sql = {}, "0"
    if len(plan.groups) > 1:
        coverage_terms, coverage_sql = _coverage(ranking, plan.groups, idfs, frequencies,
                                                 total, conditions)
    content = " ".join(f"WHEN '{name}' THEN {weight}" for name, weight in
                       sorted(CONTENT_WEIGHTS.items()))
    sql = f"""
        WITH f AS ({found}),
        scored AS (
            SELECT p.doc, sum(q.idf * x.tf * {k1 + 1} / (x.tf + {k1})) AS bm25,
                   sum(q.group_weight) AS covered
            FROM f JOIN search_postings p ON p.doc = f.id
            JOIN unnest(CAST({bind(terms)} AS text[]), CAST({bind(list(idfs.values()))}
                 AS float8[]), CAST({bind([coverage_terms.get(t, 0.0) for t in terms])}
                 AS float8[])) AS q(term, idf, group_weight) ON q.term = p.term
            CROSS JOIN LATERAL (SELECT {tf or '0'} AS tf) x
            GROUP BY p.doc),
        ranked AS (
            SELECT f.key, coalesce(s.bm25, 0) * CASE f.content {content} ELSE 1 END AS score,
                   (coalesce(s.covered, 0) + {coverage_sql}) AS coverage
            FROM f LEFT JOIN scored s ON s.doc = f.id)
        SELECT key FROM ranked ORDER BY {_coordinated(ranking, plan)} DESC, key DESC
        LIMIT {bind(plan.limit)} OFFSET {bind(plan.offset)}"""
    return list(connection.execute(text(sql), conditions.params).scalars())


def _coverage(ranking, groups, idfs, frequencies, total, conditions):
    """Return ({term: weight} for groups of one plain term, SQL adding the weight of every
    other group a document matches); weights are shares of all the groups' weight."""
    weights = []
    for group in groups:
        idf_list = [idfs[t] if t in idfs else ranking.idf(frequencies.get(t, 0), total)
                    for t in scoring_terms(group) if not t.endswith("*")]
        weights.append(ranking.group_weight(idf_list))
    share = [weight / sum(weights) for weight in weights]
    by_term, others = {}, []
    for group, weight in zip(groups, share, strict=True):
        term = single_term(group)
        if term is not None and term in idfs:
            by_term[term] = by_term.get(term, 0.0) + weight
        else:
            others.append(f"CASE WHEN f.id IN (SELECT d.id FROM search_documents d WHERE "
                          f"{conditions.sql(group)}) THEN {weight} ELSE 0 END")
    return by_term, " + ".join(others) or "0"


def _coordinated(ranking, plan):
    if len(plan.groups) <= 1:
        return "score"
    if ranking.coordination == "strict":
        return "coverage * (max(score) OVER () + 1) + score"
    if not ranking.coordination:
        return "score"
    return f"score * power(greatest(coverage, 0), {float(ranking.coordination)})"


class _Changes:
    def __init__(self):
        self.updated, self.deleted = {}, []

    def update(self, document):
        self.updated[document["key"]] = document

    def delete(self, key):
        self.deleted.append(key)
        self.updated.pop(key, None)
