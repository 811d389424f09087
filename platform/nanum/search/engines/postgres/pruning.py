"""Choosing the shortlist of a search of several words without adding up every posting of
its common words (MaxScore).

The shortlist is the documents with the best BM25F without length normalisation (`b = 0`),
coordinated as the ranking does (`reading._ranking`). Each term's best possible part of that
score comes from its largest frequency in each field (kept per index generation beside its
document frequency, `stats.Statistics.maxima`). The terms are split: the rarest
(`essential`, the fewest whose postings can fill the shortlist) are read whole, and the
common ones (`rest`) only looked up for the documents holding an essential term:

1. each document holding an essential term gets its score in full, and the shortlist's
   size-th best of them is a floor that the last document of the whole shortlist reaches;
2. a document holding no essential term scores at most the rest's best: when that is below
   the floor, the shortlist is the best of the documents scored, and the rest's other
   postings are never read.

Otherwise (or when the lookups would cost more than the postings left out, or too few
documents hold an essential term) every posting is added up as before, in the same
statement. The shortlist is the same either way, but for documents whose scores differ by
a rounding of the last digit.
"""

from nanum.search.engine import TEXT_FIELDS

# The floor must beat a bound by more than rounding: the same score summed in another order
# may differ in its last digits.
MARGIN = 1e-9
# The common terms are left out only when they hold at least this share of the postings.
WORTH = 0.5
# Looking a posting up costs about as much as reading this many in a row.
LOOKUP = 3


def top(bind, ranking, terms, idfs, by_term, frequencies, maxima, weights, candidates, best):
    """Return SQL selecting the ids (`doc`) of the `candidates` best documents of `best`
    (SQL of every document with a term, best first), reading as few postings as it can.

    `weights` is [(field, average length, weight)], `by_term` {term: its share of the
    coverage} (empty: no coordination), `maxima` {term: [largest frequency in each
    field]}."""
    every = f"{best} LIMIT {int(candidates)}"
    coordination = ranking.coordination if by_term else 0
    if len(terms) < 2 or coordination == "strict":
        return every
    # Rarest first: the essential terms are the fewest whose postings can fill the
    # shortlist; the rest must hold most of the postings for the split to pay.
    ordered = sorted(terms, key=lambda term: (frequencies[term], term))
    essential, held = [], 0
    for term in ordered:
        if held >= candidates:
            break
        essential.append(term)
        held += frequencies[term]
    rest = [term for term in ordered if term not in essential]
    left_out = sum(frequencies[term] for term in rest)
    if not rest or left_out < WORTH * sum(frequencies.values()) \
            or held * len(rest) * LOOKUP > left_out:
        return every

    k1 = ranking.k1
    fields = [name for name, _average, _weight in weights]
    factor = {name: weight for name, _average, weight in weights}

    def best_part(term):
        # The saturation grows with the frequency: the largest frequencies bound it.
        maximum = dict(zip(TEXT_FIELDS, maxima[term], strict=True))
        raw = sum(factor[name] * float(maximum.get(name) or 0) for name in fields)
        return max(idfs[term] * raw * (k1 + 1) / (raw + k1), 0.0) if raw > 0 else 0.0

    rest_best = sum(best_part(term) for term in rest)
    rest_cover = sum(max(by_term.get(term, 0.0), 0.0) for term in rest)

    def combined(score, cover):
        if not coordination:
            return score
        return f"({score}) * power(greatest({cover}, 0), {float(coordination)})"

    raw = " + ".join(f"CAST({weight} AS float8) * p.{name}"
                     for name, _average, weight in weights) or "0"
    saturated = f"x.tf * {k1 + 1} / (x.tf + {k1})"

    def arrays(chosen):
        return (f"unnest(CAST({bind(chosen)} AS text[]), "
                f"CAST({bind([idfs[t] for t in chosen])} AS float8[]), "
                f"CAST({bind([by_term.get(t, 0.0) for t in chosen])} AS float8[])) "
                "AS q(term, idf, group_weight)")

    rest_best_sql = f"CAST({bind(rest_best)} AS float8)"
    rest_cover_sql = f"CAST({bind(rest_cover)} AS float8)"
    # Each document holding an essential term, its score in full: those terms' postings
    # read whole, the rest's looked up.
    full = combined("e.s + coalesce(r.s, 0)", "e.g + coalesce(r.g, 0)")
    scored = f"""SELECT e.doc, {full} AS v FROM (
            SELECT p.doc, sum(q.idf * {saturated}) AS s, sum(q.group_weight) AS g
            FROM {arrays(essential)} JOIN search_postings p ON p.term = q.term
            CROSS JOIN LATERAL (SELECT {raw} AS tf) x GROUP BY p.doc) e
            CROSS JOIN LATERAL (
                SELECT sum(q.idf * {saturated}) AS s, sum(q.group_weight) AS g
                FROM {arrays(rest)} CROSS JOIN LATERAL (
                    SELECT * FROM search_postings p WHERE p.term = q.term
                    AND p.doc = e.doc OFFSET 0) p
                CROSS JOIN LATERAL (SELECT {raw} AS tf) x) r"""
    # The best of them, and the last one's score: the floor every document shortlisted
    # reaches. It holds when no document without an essential term can reach it.
    best_of = f"SELECT doc, v FROM scored ORDER BY v DESC, doc DESC LIMIT {int(candidates)}"
    holds = (f"coalesce((SELECT min(v) FROM best_of) > "
             f"({combined(rest_best_sql, rest_cover_sql)}) * (1 + {MARGIN}) + {MARGIN} "
             f"AND (SELECT count(*) FROM best_of) = {int(candidates)}, false)")
    return f"""WITH scored AS MATERIALIZED ({scored}),
            best_of AS MATERIALIZED ({best_of}),
            pruning AS MATERIALIZED (SELECT {holds} AS yes)
            (SELECT doc FROM best_of WHERE (SELECT yes FROM pruning))
            UNION ALL
            (SELECT doc FROM ({every}) c WHERE NOT (SELECT yes FROM pruning))"""
