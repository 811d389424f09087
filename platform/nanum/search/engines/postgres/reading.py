"""Evaluating a plan in one SQL statement: the documents found, their count and ids, how
many match every optional group, and one page of keys in order.

The documents found are selected once (a materialised CTE): those of plain words from the
postings' index alone, their ids only (`_found`), any other plan by the tsvector's GIN index
and the facet arrays; every figure is read from them. Their facets are counted in Python from
their ids (`facets.py`). Ranking is the BM25F of `ranking.py`:
each query term's postings give its frequency in each field of the documents found (an
index-only scan of `search_postings`), and the idfs and average field lengths come from
Python, where they are kept per index generation. A document's text is never read. When
more documents are found than a shortlist holds, only the shortlist is ranked in full.
"""

from sqlalchemy import text

from nanum.search.engine import CONTENT_WEIGHTS, TEXT_FIELDS, Match
from nanum.search.engines.postgres import group_sets, pruning
from nanum.search.engines.postgres.facets import parse_ids
from nanum.search.engines.postgres.translate import Conditions, single_term
from nanum.search.planning import scoring_terms
from nanum.search.query import Or

# What ranking, counting and sorting read of a document found (not its text).
COLUMNS = ("d.id, d.key, d.content, d.published, d.discussed, "
           + ", ".join(f"d.{name}_len" for name in TEXT_FIELDS))
PREFIX_TERMS = 200  # the most terms a prefix stands for when ranking
# Up to this many documents found, their facets are counted in SQL, which needs no facet
# table (so the first search after a change that finds few does not read one); above it,
# from their ids against the facet table.
COUNTED_IN_SQL = 1000
# Up to this many documents found, ranking looks up each one's postings of the query's
# terms; above it, the terms' postings are read whole and joined to them.
LOOKED_UP = 1000
# Sorted newest first, the documents are walked by date when at least this share of them
# is found (so that a page is among the first pages' worth times its inverse).
WALKED = 0.05


def match(connection, plan, ranking, statistics, candidates=0):
    """Evaluate a plan; `statistics` is a Statistics of the current generation. With
    `candidates`, when more documents are found only that many are ranked in full (see
    `_ranking`)."""
    conditions = Conditions()
    bind = conditions.bind
    # A place's likeness is read from the facets; nothing else needs them here.
    columns = COLUMNS + (", d.facets" if plan.sort == "similarity" else "")
    ctes, rows, all_found = _found(conditions, plan, columns)
    # Counted once: the count decides how facets are counted and what is ranked.
    ctes.append("counted AS MATERIALIZED (SELECT count(*) AS n FROM found)")
    parts = ["SELECT 'total', NULL, n FROM counted"]
    if plan.facets:
        few = f"(SELECT n FROM counted) <= {int(COUNTED_IN_SQL)}"
        parts.append(f"SELECT 'facet', v, count(*) FROM (SELECT unnest(d.facets) AS v "
                     f"FROM found JOIN search_documents d ON d.id = found.id WHERE {few}) f "
                     "GROUP BY v")
        parts.append("SELECT 'ids', string_agg(CAST(id AS text), ','), NULL FROM found "
                     f"WHERE NOT {few} HAVING count(*) > 0")
    if plan.groups and conditions.groups:  # the documents found know their groups
        parts.append(f"SELECT 'all', NULL, ({group_sets.every_group(plan)})")
    elif plan.groups:
        # Few documents found (a box): each one is looked at; many: from the postings.
        every = " AND ".join(conditions.sql(group) for group in plan.groups)
        looked_at = ("SELECT count(*) FROM found WHERE found.id IN "
                     f"(SELECT d.id FROM search_documents d WHERE {every})")
        read = ("SELECT count(*) FROM found WHERE found.id IN "
                f"({_every_group(conditions, plan.groups)})")
        parts.append(f"SELECT 'all', NULL, CASE WHEN (SELECT n FROM counted) <= "
                     f"{int(LOOKED_UP)} THEN ({looked_at}) ELSE ({read}) END")
    order, source = _order(connection, plan, ranking, statistics, conditions, ctes,
                           candidates, rows, all_found)
    page = (f"SELECT {source}.key, {order} AS o FROM {source} "
            f"ORDER BY o DESC NULLS LAST, {source}.key DESC "
            f"LIMIT {bind(plan.limit)} OFFSET {bind(plan.offset)}")
    if plan.sort == "newest" and source == "found_rows":
        # When many are found, the newest documents are walked (an index of the date)
        # until a page of them is among the documents found: the others are never read.
        # (`IS TRUE`: a filter on each document walked, never a join.)
        many = f"(SELECT n FROM counted) >= {int(statistics.documents * WALKED)}"
        page = (f"(SELECT d.key, d.published AS o FROM search_documents d "
                f"WHERE (d.id IN (SELECT id FROM found)) IS TRUE AND {many} "
                f"ORDER BY d.published DESC NULLS LAST, d.key DESC "
                f"LIMIT {bind(plan.limit)} OFFSET {bind(plan.offset)}) "
                f"UNION ALL (SELECT * FROM ({page}) p WHERE NOT {many})")
    parts.append(
        "SELECT 'key', key, row_number() OVER (ORDER BY o DESC NULLS LAST, key DESC) "
        f"FROM ({page}) page")
    sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(f"({part})" for part in parts)
    total, all_groups, found, counts, page = 0, None, None, {}, []
    for part, value, number in connection.execute(text(sql), conditions.params):
        if part == "total":
            total = number
        elif part == "all":
            all_groups = number
        elif part == "facet":
            counts[value] = number
        elif part == "ids":
            found = parse_ids(value)
        else:
            page.append((number, value))
    if found is not None:
        counts = statistics.facets(connection).count(found)
    return Match(total=total, keys=[key for _n, key in sorted(page)],
                 facets=_by_field(plan, counts) if total else {},
                 all_groups=all_groups if plan.groups else None)


def _found(conditions, plan, columns):
    """Return the CTEs of the documents found (`found`, their ids), the name of the one
    holding the columns ranking and sorting read of them, and whether every posting of the
    plan's term is a document found.

    A plan of plain words (any of several parts, all of them, some less others) with no
    filter finds its documents from the postings' index (`Conditions.ids`; a plan of
    optional groups group by group, `group_sets`), and only the documents ranked or listed
    are read; otherwise they are found by the GIN indexes and read once."""
    if plan.filters or plan.within:
        ids = None
    elif (grouped := group_sets.found(conditions, plan)) is not None:
        ids = grouped
    else:
        ids = conditions.ids(plan.node) if plan.node is not None else None
        ids = [f"found AS MATERIALIZED (SELECT id FROM ({ids}) x)"] if ids else None
    if ids is not None:
        return [*ids, f"found_rows AS NOT MATERIALIZED (SELECT {columns} FROM found "
                "JOIN search_documents d ON d.id = found.id)"], "found_rows", \
            _plain(plan.node)
    where = [conditions.matches(plan.node), *(conditions.sql(node) for node in plan.filters)]
    if plan.within:
        where.append(f"d.key = ANY(CAST({conditions.bind(list(plan.within))} AS text[]))")
    return [f"found AS MATERIALIZED (SELECT {columns} FROM search_documents d "
            f"WHERE {' AND '.join(where)})"], "found", False


def _every_group(conditions, groups):
    """SQL selecting the ids of the documents matching every group, group by group: the
    postings of plain words, the GIN indexes for the rest (a look at each document found
    would read the text of most of the corpus for a common word)."""
    return " INTERSECT ".join(f"({conditions.ids(group) or conditions.scan(group)})"
                              for group in groups)


def _plain(node):
    """Whether a node is plain words of one term each, any of them matching: then every
    posting of its terms is a document found."""
    children = node.children if isinstance(node, Or) else (node,)
    return all(single_term(child) is not None for child in children)


def _by_field(plan, counts):
    """Return {facet: {value: count}} from {`field:value`: count}."""
    facets = {name: {} for name in plan.facets}
    for value, count in counts.items():
        name, _, item = value.partition(":")
        if name in facets:
            facets[name][item] = count
    return facets


def _order(connection, plan, ranking, statistics, conditions, ctes, candidates=0,
           rows="found", all_found=False):
    """Return the SQL the documents found are ordered by, and the CTE it reads; the
    ranking's CTEs are added to `ctes` when words are ranked. `rows`: the CTE holding the
    columns of the documents found."""
    terms = scoring_terms(plan.node) if plan.node is not None else []
    if plan.sort in ("newest", "discussed") or not terms:
        source = rows
        order = f"{rows}.discussed" if plan.sort == "discussed" else f"{rows}.published"
    else:
        # A place's likeness may lift any document found: every one is ranked in full.
        shortlist = candidates if plan.sort != "similarity" else 0
        ctes += _ranking(connection, ranking, statistics, conditions, plan, terms, shortlist,
                         rows, all_found)
        order, source = _coordinated(ranking, plan), "ranked"
    if plan.sort == "similarity":
        order = _by_likeness(conditions.bind, plan.likeness, source, order, ranked=bool(terms))
    return order, source


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


def _ranking(connection, ranking, statistics, conditions, plan, terms, candidates=0,
             rows="found", all_found=False):
    """Return the CTEs `scored` (BM25F and covered groups of each document found with a
    query term) and `ranked` (the documents found, with their score and coverage).

    With `candidates`, when more documents are found than that, only the candidates are
    ranked in full: the documents with the best BM25F without length normalisation (b = 0),
    which reads the query terms' postings alone, never the documents. Should fewer of the
    candidates be among the documents found than the page needs (a narrow filter), every
    document found is ranked as before."""
    bind = conditions.bind
    terms = _expand(connection, terms)
    frequencies = statistics.frequencies(connection, terms)
    idfs = {term: ranking.idf(frequencies[term], statistics.documents) for term in terms}
    b, k1 = ranking.b, ranking.k1
    weights = [(name, average, float(weight))
               for name, average in zip(TEXT_FIELDS, statistics.averages, strict=True)
               if (weight := ranking.weights.get(name, 0))]
    tf = " + ".join(f"{weight} * p.{name}::float8 / ({1 - b} + {b} * f.{name}_len::float8 / "
                    f"{average})" for name, average, weight in weights) or "0"
    by_term, others = {}, "0"
    if len(plan.groups) > 1:
        by_term, others = _coverage(connection, ranking, statistics, conditions, plan.groups)
    content = " ".join(f"WHEN '{name}' THEN CAST({float(weight)} AS float8)"
                       for name, weight in sorted(CONTENT_WEIGHTS.items()))
    facets = ", f.facets" if plan.sort == "similarity" else ""
    saturated = f"x.tf * {k1 + 1} / (x.tf + {k1})"
    arrays = (f"unnest(CAST({bind(terms)} AS text[]), CAST({bind(list(idfs.values()))} "
              f"AS float8[]), CAST({bind([by_term.get(t, 0.0) for t in terms])} AS float8[]))")
    query = f"{arrays} AS q(term, idf, group_weight)"
    if len(terms) == 1:
        # One term: a document has one posting of it, and nothing to add up.
        scored = f"""scored AS (
            SELECT p.doc, CAST({bind(idfs[terms[0]])} AS float8) * {saturated} AS bm25,
                   CAST({bind(by_term.get(terms[0], 0.0))} AS float8) AS covered
            FROM search_postings p JOIN {rows} f ON f.id = p.doc
            CROSS JOIN LATERAL (SELECT {tf} AS tf) x
            WHERE p.term = {bind(terms[0])})"""
    else:
        scored = f"""scored AS (
            SELECT p.doc, sum(q.idf * {saturated}) AS bm25,
                   sum(q.group_weight) AS covered
            FROM {query}
            JOIN search_postings p ON p.term = q.term
            JOIN {rows} f ON f.id = p.doc
            CROSS JOIN LATERAL (SELECT {tf} AS tf) x
            GROUP BY p.doc)"""
    columns = (f"f.key{facets}, coalesce(s.bm25, 0) * CASE f.content {content} ELSE 1 END "
               f"AS score, coalesce(s.covered, 0) + {others} AS coverage")
    # Summed in the query's order for every document, so that equal scores stay equal.
    def looked_up(source):
        return f"""SELECT {columns} FROM {source} f CROSS JOIN LATERAL (
            SELECT sum(q.idf * {saturated} ORDER BY q.n) AS bm25,
                   sum(q.group_weight ORDER BY q.n) AS covered
            FROM {arrays} WITH ORDINALITY AS q(term, idf, group_weight, n)
            CROSS JOIN LATERAL (SELECT * FROM search_postings p
                                WHERE p.term = q.term AND p.doc = f.id) p
            CROSS JOIN LATERAL (SELECT {tf} AS tf) x) s"""

    # Few documents found (a box's organisations or events, a narrow filter): each one's
    # postings are looked up, rather than every posting of the terms read to join them.
    few = f"(SELECT n FROM counted) <= {int(LOOKED_UP)}"
    every = f"""({looked_up(rows)} WHERE {few})
            UNION ALL
            (SELECT {columns} FROM {rows} f LEFT JOIN scored s ON s.doc = f.id
             WHERE NOT {few})"""
    if not candidates:
        return [scored, f"ranked AS ({every})"]
    raw = " + ".join(f"CAST({weight} AS float8) * p.{name}"
                     for name, _average, weight in weights) or "0"
    if len(terms) == 1:
        best = (f"SELECT p.doc FROM search_postings p WHERE p.term = {bind(terms[0])} "
                f"ORDER BY {raw} DESC, p.doc DESC")
    else:
        bound = f"sum(q.idf * {saturated})"
        if by_term and ranking.coordination == "strict":
            bound = f"sum(q.group_weight) DESC, {bound}"
        elif by_term and ranking.coordination:
            bound = f"{bound} * power(sum(q.group_weight), {float(ranking.coordination)})"
        best = (f"SELECT p.doc FROM {query} JOIN search_postings p ON p.term = q.term "
                f"CROSS JOIN LATERAL (SELECT {raw} AS tf) x "
                f"GROUP BY p.doc ORDER BY {bound} DESC, p.doc DESC")
    top = pruning.top(bind, ranking, terms, idfs, by_term, frequencies,
                      statistics.maxima(connection, terms), weights, int(candidates), best)
    wanted = int(plan.offset) + int(plan.limit)
    # When every posting of the terms is a document found, the candidates need no look
    # among the documents found.
    # Otherwise, when only the ids of the documents found are at hand, the candidates
    # among them are found first, and only their rows read.
    # Each candidate's row is looked up (a fence): a merge join would read every row.
    row = (f"CROSS JOIN LATERAL (SELECT {COLUMNS} FROM search_documents d "
           "WHERE d.id = c.doc OFFSET 0) d")
    candidate = (f"SELECT d.* FROM ({top}) c {row}" if all_found else
                 f"SELECT d.* FROM (SELECT c.doc FROM ({top}) c "
                 f"JOIN found ON found.id = c.doc OFFSET 0) c {row}"  # a fence: joined first
                 if rows == "found_rows" else
                 f"SELECT f.* FROM ({top}) c JOIN {rows} f "
                 "ON f.id = c.doc")
    shortlisted = looked_up("shortlist")
    return [
        scored,
        f"shortlist AS MATERIALIZED ({candidate})",
        f"""shortlisted AS MATERIALIZED (SELECT (SELECT n FROM counted) > {int(candidates)}
            AND (SELECT count(*) FROM shortlist) >= {wanted} AS yes)""",
        f"""ranked AS (
            ({shortlisted} WHERE (SELECT yes FROM shortlisted))
            UNION ALL
            (SELECT * FROM ({every}) e WHERE NOT (SELECT yes FROM shortlisted)))"""]


def _coverage(connection, ranking, statistics, conditions, groups):
    """Return ({term: weight} for the groups of one plain term, SQL adding the weight of
    every other group a document matches); each weight is a share of all the groups'."""
    weights = []
    for group in groups:
        terms = [term for term in scoring_terms(group) if not term.endswith("*")]
        frequencies = statistics.frequencies(connection, terms)
        weights.append(ranking.group_weight(
            [ranking.idf(frequencies[term], statistics.documents) for term in terms]))
    by_term, others = {}, []
    for index, (group, weight) in enumerate(zip(groups, weights, strict=True)):
        share = weight / sum(weights)
        term = single_term(group)
        if term is not None:
            by_term[term] = by_term.get(term, 0.0) + share
        else:
            found = (f"SELECT id FROM {conditions.groups[index]}" if index in conditions.groups
                     else f"SELECT d.id FROM search_documents d WHERE {conditions.sql(group)}")
            others.append(f"CASE WHEN f.id IN ({found}) THEN {share} ELSE 0 END")
    return by_term, " + ".join(others) or "0"


def _by_likeness(bind, criteria, source, order, ranked):
    """The SQL ordering documents by their points for a place, then by relevance when
    words are ranked (scaled below 1), else the newest first."""
    if not ranked:
        order = f"coalesce(extract(epoch FROM {source}.published), 0) / 1e11"
    else:
        order = f"({order}) / (1 + ({order}))"
    return f"{_likeness(bind, criteria, source)} + {order}"


def _likeness(bind, criteria, source):
    """The SQL of a document's points for a place's criteria (see `Plan.likeness`): per
    criterion, the first (the largest) points whose `facet:value` the document holds."""
    terms = []
    for criterion in criteria:
        cases = " ".join(
            f"WHEN {bind(f'{facet}:{value}')} = ANY({source}.facets) THEN {int(points)}"
            for facet, value, points in criterion)
        if cases:
            terms.append(f"CASE {cases} ELSE 0 END")
    return "(" + (" + ".join(terms) or "0") + ")"


def _coordinated(ranking, plan):
    """The SQL of a document's rank from its score and coverage (`ranking.coordinate`)."""
    if len(plan.groups) <= 1 or not ranking.coordination:
        return "ranked.score"
    if ranking.coordination == "strict":
        return "ranked.coverage * (max(ranked.score) OVER () + 1) + ranked.score"
    return f"ranked.score * power(greatest(ranked.coverage, 0), {float(ranking.coordination)})"
