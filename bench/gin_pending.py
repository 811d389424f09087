"""Search on the PostgreSQL engine right after many single writes, with the GIN indexes'
pending list (`fastupdate`) on or off.

Run from the repository root, on the instance `search_bench.py --engine postgres` left:

    .venv/bin/python bench/gin_pending.py --docs 20000 [--writes 2000] [--repeat 3]

For each setting, `--writes` documents already indexed are written again, each in its own
transaction (as the application writes them); printed are the writes' time, then the median
search time of a few queries right after them, and again once the pending list is merged
into the index (`gin_clean_pending_list`). The documents written are the same as before, so
the instance's results do not change; the indexes are left with fastupdate on (PostgreSQL's
default).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import text

HERE = Path(__file__).resolve().parent

from search_bench import kept_postgres_app  # noqa: E402

from nanum.extensions import db  # noqa: E402
from nanum.practices.browse import Filters  # noqa: E402
from nanum.search import documents, indexing, service  # noqa: E402

QUERIES = ["water", "flood warning", "e-governance open data", "vetiver"]
INDEXES = ("search_documents_tsv", "search_documents_stems", "search_documents_facets")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)
    with kept_postgres_app(options.out, options.docs) as app, app.app_context():
        service.warm()
        keys = list(db.session.execute(text(
            "SELECT key FROM search_documents WHERE key LIKE 'practice:%' ORDER BY id "
            "LIMIT :n"), {"n": options.writes}).scalars())
        loaded = [document for document in documents.load(db.session, keys).values()
                  if document]
        db.session.rollback()
        for fastupdate in ("on", "off"):
            measure(fastupdate, loaded, options)
        set_fastupdate("on")
        db.session.remove()
        db.engine.dispose()


def set_fastupdate(value):
    with db.engine.begin() as connection:
        for index in INDEXES:
            connection.execute(text(f"ALTER INDEX {index} SET (fastupdate = {value})"))
            connection.execute(text(f"SELECT gin_clean_pending_list('{index}'::regclass)"))


def searches(options):
    times = {}
    for query in QUERIES:
        runs = []
        for _run in range(options.repeat):
            started = time.perf_counter()
            service.search(query, Filters(), sort="relevance")
            runs.append((time.perf_counter() - started) * 1000)
            db.session.rollback()
        times[query] = statistics.median(runs)
    return times


def pending_pages():
    db.session.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
    db.session.commit()
    return sum(db.session.execute(text(
        "SELECT n_pending_pages FROM gin_metapage_info(get_raw_page(:index, 0))"),
        {"index": index}).scalar() or 0 for index in INDEXES)


def measure(fastupdate, loaded, options):
    set_fastupdate(fastupdate)
    engine = indexing.engine()
    started = time.perf_counter()
    for document in loaded:
        with engine.writing() as writer:
            writer.update(document)
    writes = (time.perf_counter() - started) * 1000
    try:
        pending = pending_pages()
    except Exception:  # pageinspect missing: the count is only informative
        db.session.rollback()
        pending = "?"
    after = searches(options)
    with db.engine.begin() as connection:
        started = time.perf_counter()
        for index in INDEXES:
            connection.execute(text(f"SELECT gin_clean_pending_list('{index}'::regclass)"))
        cleaned = (time.perf_counter() - started) * 1000
    merged = searches(options)
    print(f"\nfastupdate {fastupdate}: {len(loaded)} single writes in {writes:.0f} ms "
          f"({writes / max(len(loaded), 1):.1f} ms each); pending pages after: {pending}; "
          f"merging them took {cleaned:.0f} ms")
    print(f"  {'query':30} {'right after':>12} {'merged':>10}")
    for query in QUERIES:
        print(f"  {query:30} {after[query]:9.1f} ms {merged[query]:7.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
