"""Time the coverage page (SDG targets x regions, and a region's countries) at 20,000 practices.

Run from the repository root:

    .venv/bin/python bench/coverage_bench.py                       # 20,000 practices, SQLite
    .venv/bin/python bench/coverage_bench.py --docs 2000 --rounds 5
    .venv/bin/python bench/coverage_bench.py --database postgres    # a throw-away PostgreSQL

It fills a throw-away instance with the search benchmark's generated practices (1 to 4
targets each, mostly of goals 6, 11 and 13, in 40 countries of every region, 30% of them in
two countries), then renders each page through the Flask test client with the page cache
off, and prints the median and worst time, the SQL statements run and the page's size,
as sent and gzipped. A visitor's second request is answered by the page cache.
"""

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path
from random import Random

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_bench  # noqa: E402  (the same generated corpus as the search benchmark)

from nanum import create_app, pgcluster  # noqa: E402
from nanum.extensions import db  # noqa: E402

PAGES = {
    "targets x regions": "/sdg/coverage",
    "targets x regions, theme + LRG": "/sdg/coverage?theme=drr_resilience&org_type=LRG",
    "one goal x regions": "/sdg/coverage?goal=11",
    "Asia's countries": "/sdg/coverage?region=Asia",
    "South-eastern Asia's countries": "/sdg/coverage?region=South-eastern+Asia",
    "a gap (wanted page)": "/sdg/coverage/wanted?target=14.4&region=Africa",
}


def _measure(client, url, rounds):
    statements = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith(("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT",
                                     "RELEASE")):
            statements.append(statement)

    response = client.get(url)  # warm: templates compiled, caches filled
    assert response.status_code == 200, (url, response.status_code)
    body = response.get_data()
    times = []
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for _ in range(rounds):
            statements.clear()
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return (statistics.median(times), max(times), len(statements), len(body),
            len(gzip.compress(body)))


def run(options):
    folder = Path(tempfile.mkdtemp(prefix="nanum-coverage-bench-"))
    settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                "SEARCH_INDEX_DIR": str(folder / "index"), "SECRET_KEY": "bench",
                "PAGECACHE_SECONDS": 0}  # time the rendering, not the page cache
    if options.database == "postgres":
        settings["SQLALCHEMY_DATABASE_URI"] = options.database_url
    app = create_app(settings, instance_path=folder / "instance")
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        search_bench.insert_corpus(search_bench.Writer(Random(13)), options.docs)
        print(f"{options.docs:,} practices written in {time.perf_counter() - started:.1f} s "
              f"({options.database})")
        client = app.test_client()
        print(f"{'page':34} {'median ms':>10} {'worst ms':>9} {'queries':>8} "
              f"{'KB':>6} {'KB gz':>6}")
        for label, url in PAGES.items():
            median, worst, queries, size, packed = _measure(client, url, options.rounds)
            print(f"{label:34} {median * 1000:10.1f} {worst * 1000:9.1f} {queries:8d} "
                  f"{size / 1024:6.0f} {packed / 1024:6.1f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite",
                        help="postgres: on a throw-away PostgreSQL cluster")
    options = parser.parse_args(argv)
    cluster = tempfile.mkdtemp(prefix="nanum-bench-postgres-") if (
        options.database == "postgres") else None
    try:
        if cluster:
            options.database_url = pgcluster.start(cluster, durable=False)
        run(options)
    finally:
        if cluster:
            pgcluster.remove(cluster)


if __name__ == "__main__":
    main()
