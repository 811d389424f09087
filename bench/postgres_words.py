"""The PostgreSQL engine's own time for common words, on a database holding the corpus.

Run from the repository root (to compare two versions of the code, run it from each):

    .venv/bin/python bench/postgres_words.py --database-url postgresql+psycopg://... \\
        --docs 100000 [--repeat 7] [QUERY ...]

The database is prepared as `postgres_ab.py` prepares it (the corpus of `search_bench.py`,
loaded when it is not there). For each query, `PostgresEngine.match` of its first page is
timed `--repeat` times after one warm-up: printed are how many documents it finds, the
median and the fastest time, and how long of the median counting its facets took.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import postgres_ab  # noqa: E402 (beside this script)

from nanum.extensions import db  # noqa: E402
from nanum.search.engines.postgres import PostgresEngine, facets  # noqa: E402
from nanum.search.planning import plan, prepare  # noqa: E402
from nanum.search.query import parse  # noqa: E402

QUERIES = ["water", "flood", "community", "climate adaptation",
           "youth employment in informal settlements", "e-governance open data"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("queries", nargs="*", default=QUERIES)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    options = parser.parse_args(argv)
    options.engine = "postgres"
    app = postgres_ab.prepared_app(options)
    counting = []
    count = facets.FacetTable.count

    def timed_count(table, found):
        started = time.perf_counter()
        result = count(table, found)
        counting.append((time.perf_counter() - started) * 1000)
        return result

    facets.FacetTable.count = timed_count
    with app.app_context():
        engine = PostgresEngine(db.engine)
        for query in options.queries:
            planned = plan(prepare(parse(query)), limit=10)
            engine.match(planned)
            runs = []
            for _ in range(options.repeat):
                counting.clear()
                started = time.perf_counter()
                found = engine.match(planned)
                runs.append(((time.perf_counter() - started) * 1000, sum(counting)))
            median = statistics.median(ms for ms, _facets in runs)
            facet_ms = statistics.median(facet for _ms, facet in runs)
            print(f"{query!r}: {found.total:,} found, median {median:.0f} ms "
                  f"(facets {facet_ms:.0f} ms), fastest {min(ms for ms, _f in runs):.0f} ms")
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
