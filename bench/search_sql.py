"""Where a whole search's time goes on the PostgreSQL engine: each SQL statement of
`service.search` timed, beside the search's own time.

Run from the repository root, on the instance `search_bench.py --engine postgres` left:

    .venv/bin/python bench/search_sql.py --docs 100000 [--repeat 5] [--explain] [QUERY ...]

The cluster beside the instance (bench/out/N-postgres) is started and stopped again. For
each query, after one warm-up search, `--repeat` searches are timed; printed are the median
of the whole search, of all its SQL, and of each statement (by the start of its text),
slowest first. `--explain` also prints EXPLAIN (ANALYZE, BUFFERS) of each statement of
the last run that took over 2 ms.
"""

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import event, text

HERE = Path(__file__).resolve().parent

from search_bench import kept_postgres_app  # noqa: E402

from nanum.extensions import db  # noqa: E402
from nanum.practices.browse import Filters  # noqa: E402
from nanum.search import service  # noqa: E402
from nanum.search.engines.postgres import schema  # noqa: E402

QUERIES = ["water", "community", "flood warning", "climate adaptation water",
           "youth employment in informal settlements", "vetiver"]
EXPLAIN_ABOVE_MS = 2.0


class Timings:
    def __init__(self):
        self.runs = []  # per search: [(statement, parameters, ms)]
        self._started = {}

    def listen(self, engine):
        @event.listens_for(engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):
            self._started[id(cursor)] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn, cursor, statement, parameters, context, executemany):
            started = self._started.pop(id(cursor), None)
            if started is not None and self.runs:
                self.runs[-1].append((statement, parameters,
                                      (time.perf_counter() - started) * 1000))


def label(statement):
    return " ".join(statement.split())[:90]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("queries", nargs="*", default=QUERIES)
    parser.add_argument("--docs", type=int, default=100000)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--sort", default="relevance", help="relevance, newest, discussed")
    options = parser.parse_args(argv)
    with kept_postgres_app(options.out, options.docs) as app, app.app_context():
        with db.engine.begin() as connection:  # the indexes the schema has now
            schema.create(connection)
        timings = Timings()
        timings.listen(db.engine)
        service.warm()
        for query in options.queries:
            profile(query, timings, options)
        db.session.remove()
        db.engine.dispose()


def profile(query, timings, options):
    whole = []
    timings.runs = []
    for run in range(options.repeat + 1):
        timings.runs.append([])
        started = time.perf_counter()
        with db.session.no_autoflush:
            results = service.search(query, Filters(), sort=options.sort)
        elapsed = (time.perf_counter() - started) * 1000
        db.session.rollback()
        if run:
            whole.append(elapsed)
        else:
            timings.runs.pop()
    by_statement = defaultdict(list)
    for statements in timings.runs:
        seen = defaultdict(float)
        for statement, _parameters, ms in statements:
            seen[label(statement)] += ms
        for name, ms in seen.items():
            by_statement[name].append(ms)
    sql = statistics.median(sum(ms for _s, _p, ms in run) for run in timings.runs)
    print(f"\n{query!r}: {results.total:,} found; search {statistics.median(whole):.1f} ms, "
          f"of which SQL {sql:.1f} ms in {len(timings.runs[-1])} statements")
    for name, values in sorted(by_statement.items(), key=lambda item: -statistics.median(
            item[1])):
        print(f"  {statistics.median(values):8.1f} ms  {name}")
    if options.explain:
        last, timings.runs = timings.runs[-1], []  # the EXPLAINs themselves are not timed
        for statement, parameters, ms in last:
            if ms < EXPLAIN_ABOVE_MS:
                continue
            print(f"\n  -- {ms:.1f} ms: {label(statement)}")
            with db.engine.begin() as connection:
                connection.execute(text("SET LOCAL enable_seqscan = off"))
                connection.execute(text("SET LOCAL jit = off"))
                connection.execute(text("SET LOCAL work_mem = '32MB'"))
                raw = connection.connection.driver_connection
                with raw.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    for (line,) in cursor.fetchall():
                        print("     " + line)


if __name__ == "__main__":
    sys.exit(main())
