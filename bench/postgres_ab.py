"""The PostgreSQL engine's ranking and facet table, before and after, in turns on one database.

Run from the repository root:

    .venv/bin/python bench/postgres_ab.py --docs 20000
    .venv/bin/python bench/postgres_ab.py --database-url postgresql+psycopg://... --docs 20000

The corpus and the query mix are `search_bench.py`'s. With `--database-url` a database that
already holds the corpus (the same N and seed) is used as it is; otherwise, or when it holds
something else, the corpus is inserted and indexed first (a throw-away cluster when no URL is
given). Then, in one process:

1. **Ranking.** The query mix runs in rounds, "every" (every document found ranked in full:
   `SEARCH_POSTGRES_CANDIDATES = 0`, the code before) and "shortlist" (the configured
   number of candidates) taking turns, the order swapped each round. The first round is
   "cold" for both (each engine's term and facet caches are empty). Reported: p50/p95 of
   each, the ratios shortlist/every, the slowest queries, and how many queries' first
   pages are the same in both (and where they differ, how many of the first ten agree).
2. **Facet table after a change.** `--commits` times in turns: one practice is retitled and
   committed (the engine writes it in the commit), then a common word is searched, which
   counts its facets from the facet table. "reread" forgets the table first, as every
   change did before (the whole table is read again); "refresh" reads only the documents
   written since. Reported: median milliseconds from the commit to the search's answer.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from random import Random

from sqlalchemy import func, select, text

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import search_bench as bench  # noqa: E402 (beside this script)

from nanum import create_app, pgcluster  # noqa: E402
from nanum.extensions import db  # noqa: E402
from nanum.practices.browse import Filters  # noqa: E402
from nanum.practices.models import Practice  # noqa: E402
from nanum.search import engines, service  # noqa: E402

COMMON_WORD = "water"


def prepared_app(options):
    """Return an app on a database holding the corpus of `options.docs` practices."""
    settings = {"SQLALCHEMY_DATABASE_URI": options.database_url, "SEARCH_ENGINE": "postgres",
                "SECRET_KEY": "bench", "SEARCH_APPLY": "indexer"}
    folder = options.out / f"ab-{options.docs}"
    folder.mkdir(parents=True, exist_ok=True)
    app = create_app(settings, instance_path=folder)
    with app.app_context():
        try:
            held = db.session.scalar(select(func.count()).select_from(Practice))
        except Exception:  # no tables yet
            db.session.rollback()
            held = None
        db.session.remove()
    if held == options.docs:
        print(f"  the database holds {held:,} practices: used as it is")
        return app
    app = bench.make_app(folder, options)
    with app.app_context():
        bench.insert_corpus(bench.Writer(Random(options.seed)), options.docs)
        bench.advance_sequences()
        bench.clear_outbox()
        rebuild = bench.rebuild_index(options.docs + options.docs // 50)
        print(f"  inserted and indexed {rebuild['documents']:,} documents in "
              f"{rebuild['seconds']:.0f} s")
    return app


def run_round(app, engine, records, phase, pages):
    app.extensions["nanum.search"] = engine
    for record in records:
        started = time.perf_counter()
        results = service.search(record.query.q, Filters.from_args(record.query.args),
                                 page=record.query.page, sort=record.query.sort)
        record.times.setdefault(phase, []).append((time.perf_counter() - started) * 1000)
        pages[record.query.shown()] = [hit.key for hit in results.hits]


def compare_ranking(app, options):
    config = dict(app.config)
    labelled = {"every": engines.create({**config, "SEARCH_POSTGRES_CANDIDATES": 0}),
                "shortlist": engines.create(config)}
    records = {label: [bench.Record(query) for query in bench.QUERIES] for label in labelled}
    pages = {label: {} for label in labelled}
    order = list(labelled)
    for number in range(options.rounds + 1):
        phase = "cold" if number == 0 else "warm"
        for label in order:
            run_round(app, labelled[label], records[label], phase, pages[label])
        order.reverse()
        print(f"  round {number + 1} of {options.rounds + 1} done", flush=True)
    app.extensions["nanum.search"] = labelled["shortlist"]
    print(f"\nRanking: every document found vs the best "
          f"{labelled['shortlist'].candidates} candidates, {options.docs:,} practices")
    figures = {}
    for label in labelled:
        figures[label] = {phase: bench.phase_spread(records[label], phase)
                          for phase in ("cold", "warm")}
    for phase in ("cold", "warm"):
        old, new = figures["every"][phase], figures["shortlist"][phase]
        print(f"  {phase:5} every     {bench.spread_text(old)}")
        print(f"  {phase:5} shortlist {bench.spread_text(new)}")
        print(f"  {phase:5} shortlist/every  p50 x{new['p50'] / old['p50']:.2f}, "
              f"p95 x{new['p95'] / old['p95']:.2f}")
    for label in labelled:
        print(f"  slowest ({label}, median warm):")
        for entry in bench.slowest(records[label], "warm"):
            print(f"    {entry['median_ms']:8.1f} ms  {entry['query']}")
    same = [query for query, keys in pages["every"].items() if pages["shortlist"][query] == keys]
    print(f"  first pages the same: {len(same)} of {len(pages['every'])}")
    for query, keys in pages["every"].items():
        if pages["shortlist"][query] != keys:
            agree = len(set(keys[:10]) & set(pages["shortlist"][query][:10]))
            print(f"    differs: {query!r}: {agree} of the first 10 in both")
    return figures


def retitle_one(number):
    practice = db.session.get(Practice, 1 + number * 7 % 1000)
    practice.title = bench.retitle(practice.title, number)
    db.session.commit()


def compare_facet_refresh(app, options):
    engine = service.engine()
    times = {"reread": [], "refresh": []}
    service.search(COMMON_WORD, Filters())  # the table is read once
    for number in range(options.commits * 2):
        label = ("reread", "refresh")[number % 2]
        started = time.perf_counter()
        retitle_one(number)
        if label == "reread":
            engine._facets = None  # as before: a change meant reading the whole table
        results = service.search(COMMON_WORD, Filters())
        times[label].append((time.perf_counter() - started) * 1000)
        if not results.facets.get("goal"):
            print(f"  problem: {COMMON_WORD!r} found no goal facets after a change")
    print(f"\nFacet table after a change: commit, then search {COMMON_WORD!r} "
          f"({options.commits} each, in turns)")
    for label, values in times.items():
        print(f"  {label:8} median {statistics.median(values):7.0f} ms, "
              f"min {min(values):7.0f}, max {max(values):7.0f}")
    ratio = statistics.median(times["refresh"]) / statistics.median(times["reread"])
    print(f"  refresh/reread median x{ratio:.2f}")
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--database-url", help="a PostgreSQL database to use (and keep)")
    parser.add_argument("--rounds", type=int, default=3, help="warm rounds of each")
    parser.add_argument("--commits", type=int, default=5, help="changes of each kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    options = parser.parse_args(argv)
    options.engine = "postgres"
    options.out = options.out.resolve()
    cluster = None
    if not options.database_url:
        cluster = tempfile.mkdtemp(prefix="nanum-bench-postgres-")
        options.database_url = pgcluster.start(cluster, durable=False)
    try:
        app = prepared_app(options)
        with app.app_context():
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
            compare_ranking(app, options)
            compare_facet_refresh(app, options)
            db.session.remove()
            db.engine.dispose()
    finally:
        if cluster:
            pgcluster.remove(cluster)
    return 0


if __name__ == "__main__":
    sys.exit(main())
