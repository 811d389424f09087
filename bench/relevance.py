"""Measure how well search ranks practices: Nanum beside plain engines, on judged queries.

Run from the repository root:

    .venv/bin/python bench/relevance.py                       # every system, every query
    .venv/bin/python bench/relevance.py --system nanum --limit-queries 10
    .venv/bin/python bench/relevance.py --system nanum --nanum-config KEY=VALUE
    .venv/bin/python bench/relevance.py --system nanum nanum-postgres   # the two engines

The corpus, the queries and the judgements are in bench/relevance/ (see its README.md);
bench/README.md says what each figure means.
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "relevance"
SYSTEMS = ("fts5", "whoosh", "tantivy", "nanum", "nanum-postgres")
KINDS = ("short", "question")
CUTOFF = 10  # nDCG@10 and P@10
RECALL_DEPTH = 50


# -- the data ------------------------------------------------------------------------------

def load_corpus(folder=DATA / "corpus"):
    """Return the corpus records, in file order, each with its "id"."""
    records, seen = [], set()
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                record = json.loads(line)
                if record.get("id") in seen or not record.get("id"):
                    raise SystemExit(f"{path.name}:{number}: missing or repeated id "
                                     f"{record.get('id')!r}")
                seen.add(record["id"])
                records.append(record)
    return records


def load_queries(path=DATA / "queries.jsonl"):
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def load_judgements(path=DATA / "judgements.tsv"):
    """Return {query id: {corpus id: grade}} from the tab-separated judgements."""
    judged = {}
    if not path.exists():
        return judged
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("query\t"):
                continue
            query_id, doc_id, grade = line.split("\t")
            if grade not in ("0", "1", "2"):
                raise SystemExit(f"judgements.tsv:{number}: grade must be 0, 1 or 2")
            judged.setdefault(query_id, {})[doc_id] = int(grade)
    return judged


# -- the measures --------------------------------------------------------------------------

def dcg(grades):
    """Discounted cumulative gain of grades in rank order (gain = grade, log2 discount)."""
    return sum(grade / math.log2(rank + 2) for rank, grade in enumerate(grades))


def ndcg(ranked, judged, k=CUTOFF):
    """nDCG@k of a ranked list of ids against {id: grade}; unjudged ids count as 0.

    None when the query has no relevant document: it cannot be scored.
    """
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    if ideal == 0:
        return None
    return dcg([judged.get(doc, 0) for doc in ranked[:k]]) / ideal


def precision(ranked, judged, k=CUTOFF):
    """Share of the first k places holding a relevant (grade >= 1) document."""
    return sum(judged.get(doc, 0) >= 1 for doc in ranked[:k]) / k


def recall(ranked, judged, k=RECALL_DEPTH):
    """Share of all judged-relevant documents found in the first k places; None if none."""
    relevant = {doc for doc, grade in judged.items() if grade >= 1}
    if not relevant:
        return None
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def judged_share(ranked, judged, k=CUTOFF):
    """Share of the first k places whose document was judged (a check on the pool)."""
    top = ranked[:k]
    return sum(doc in judged for doc in top) / len(top) if top else 1.0


MEASURES = {"nDCG@10": ndcg, "P@10": precision, "R@50": recall, "judged@10": judged_share}


def score_run(run, queries, judgements):
    """Return {query id: {measure: value}} for one system's ranked lists."""
    return {q["id"]: {name: measure(run.get(q["id"], []), judgements.get(q["id"], {}))
                      for name, measure in MEASURES.items()}
            for q in queries}


def averages(per_query, queries):
    """Mean of each measure per query kind and over all queries (None values left out)."""
    groups = {kind: [q["id"] for q in queries if q["kind"] == kind] for kind in KINDS}
    groups["all"] = [q["id"] for q in queries]
    means = {}
    for group, ids in groups.items():
        means[group] = {}
        for name in MEASURES:
            values = [per_query[i][name] for i in ids if per_query[i][name] is not None]
            means[group][name] = sum(values) / len(values) if values else None
        means[group]["queries"] = len(ids)
    return means


# -- pooling -------------------------------------------------------------------------------

def unjudged_pool(runs, judgements, depth):
    """Return the sorted (query id, corpus id) pairs in any system's top `depth` not yet
    judged; sorted by id, so nothing tells which system found them."""
    pairs = set()
    for run in runs.values():
        for query_id, ranked in run.items():
            for doc in ranked[:depth]:
                if doc not in judgements.get(query_id, {}):
                    pairs.add((query_id, doc))
    return sorted(pairs)


# -- the report ----------------------------------------------------------------------------

def print_table(results, out=sys.stdout):
    names = list(results)
    width = max(9, *(len(name) + 1 for name in names))
    print(f"\n{'measure':<10} {'queries':<13}" + "".join(f"{n:>{width}}" for n in names),
          file=out)
    for measure in MEASURES:
        for group in (*KINDS, "all"):
            count = next(iter(results.values()))["means"][group]["queries"]
            cells = []
            for name in names:
                value = results[name]["means"][group][measure]
                cells.append(f"{'—' if value is None else f'{value:.3f}':>{width}}")
            print(f"{measure:<10} {f'{group} ({count})':<13}" + "".join(cells), file=out)


def print_per_query(results, queries, measure="nDCG@10", out=sys.stdout):
    names = list(results)
    print(f"\n{measure} per query", file=out)
    print(f"{'query':<6}" + "".join(f"{n:>9}" for n in names) + "  text", file=out)
    for q in queries:
        cells = []
        for name in names:
            value = results[name]["per_query"][q["id"]][measure]
            cells.append(f"{'—' if value is None else f'{value:.3f}':>9}")
        print(f"{q['id']:<6}" + "".join(cells) + f"  {q['text']}", file=out)


# -- running -------------------------------------------------------------------------------

def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--system", nargs="+", choices=SYSTEMS, default=list(SYSTEMS),
                        help="systems to run (default: all)")
    parser.add_argument("--limit-queries", type=int, metavar="N",
                        help="only the first N queries of each kind, for a quick look")
    parser.add_argument("--nanum-config", action="append", metavar="KEY=VALUE",
                        help="a setting passed to Nanum's create_app (repeatable)")
    parser.add_argument("--fresh", action="store_true",
                        help="import the corpus into Nanum again even if it is unchanged")
    parser.add_argument("--rebuild-index", action="store_true",
                        help="rebuild Nanum's index from its database before searching")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "relevance",
                        help="work folder for Nanum's database and index")
    parser.add_argument("--per-query", action="store_true", help="also print nDCG@10 per query")
    parser.add_argument("--pool", type=Path, metavar="FILE",
                        help="write the unjudged pairs of every system's top --pool-depth here")
    parser.add_argument("--pool-depth", type=int, default=CUTOFF)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    return parser.parse_args(argv)


def pick_queries(queries, limit):
    if not limit:
        return queries
    return [q for kind in KINDS for q in [q for q in queries if q["kind"] == kind][:limit]]


def main(argv=None):
    options = arguments(argv)
    sys.path.insert(0, str(HERE))
    import relevance_systems as systems

    options.nanum_settings = systems.parse_config(options.nanum_config)  # refuse typos first
    corpus = load_corpus()
    queries = pick_queries(load_queries(), options.limit_queries)
    judgements = load_judgements()
    print(f"{len(corpus):,} practices, {len(queries)} queries, "
          f"{sum(map(len, judgements.values())):,} judgements")
    runs, results, seconds = {}, {}, {}
    for name in options.system:
        started = time.perf_counter()
        run = systems.run(name, corpus, queries, options)
        if run is None:
            continue  # the system is not installed; it said so
        seconds[name] = time.perf_counter() - started
        runs[name] = run
        per_query = score_run(run, queries, judgements)
        results[name] = {"means": averages(per_query, queries), "per_query": per_query}
        print(f"  {name}: {len(queries)} queries, {seconds[name]:.1f} s in all", flush=True)
    if not results:
        return 1
    print_table(results)
    if options.per_query:
        print_per_query(results, queries)
    if options.pool:
        pairs = unjudged_pool(runs, judgements, options.pool_depth)
        options.pool.write_text("".join(f"{q}\t{d}\n" for q, d in pairs), encoding="utf-8")
        print(f"\n{len(pairs)} unjudged pairs in the top {options.pool_depth} written to "
              f"{options.pool}")
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps({
            "corpus": len(corpus), "queries": len(queries),
            "nanum_config": options.nanum_settings, "seconds": seconds,
            "systems": results, "runs": runs}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
