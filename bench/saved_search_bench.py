"""Benchmark matching a newly published practice against saved searches.

Run from the repository root:

    .venv/bin/python bench/saved_search_bench.py                 # 20,000 practices
    .venv/bin/python bench/saved_search_bench.py --docs 100000 --searches 50

The corpus is search_bench.py's (same generator, same seed). Each saved search is one of
search_bench's queries that a person could save (words and filters). The most recently
published practice is matched against `--searches` of them, as
`notifications.fanout.match_saved_searches` does inside the request that publishes a
practice, in two ways:

- full: the search page's whole work per saved search (`service.search` with 50 newest
  hits: facets, snippets, suggestions and loading the hits), as matching did before;
- keys: `service.matching_keys`, which asks the index for the keys of the 50 newest
  matches and nothing else, as matching did next;
- within: `service.matching_keys` asked about the new practice alone (`within`), as
  matching does now: exact whatever the practices' dates.

Both must give the same answer for every saved search. Printed: milliseconds per saved
search (p50, p95) and per publication (all saved searches), and the ratio.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_bench  # noqa: E402  (the corpus and queries of the search benchmark)
from sqlalchemy import select  # noqa: E402

from nanum.extensions import db  # noqa: E402
from nanum.practices.browse import Filters  # noqa: E402
from nanum.practices.models import Practice  # noqa: E402
from nanum.search import service  # noqa: E402

DEPTH = 50  # the newest hits the earlier ways looked at


def saved_searches(count):
    """Return (label, q, args) for `count` saved searches, cycling through the mix."""
    usable = [query for query in search_bench.QUERIES
              if query.page == 1 and "malformed" not in query.label]
    return [(query.label, query.q, {**query.args, "content": "practice"})
            for query in (usable[i % len(usable)] for i in range(count))]


def full(q, args, key):
    results = service.search(q, Filters.from_args(args), per_page=DEPTH, sort="newest")
    return any(hit.key == key for hit in results.hits)


def keys_only(q, args, key):
    return key in service.matching_keys(q, Filters.from_args(args), limit=DEPTH)


def within(q, args, key):
    return service.matching_keys(q, Filters.from_args(args), limit=1, within=(key,)) == [key]


def measure(way, searches, key, repeat):
    per_search, per_publication, answers = [], [], None
    for _ in range(repeat):
        found = []
        started = time.perf_counter()
        for _label, q, args in searches:
            one = time.perf_counter()
            found.append(way(q, args, key))
            per_search.append((time.perf_counter() - one) * 1000)
        per_publication.append((time.perf_counter() - started) * 1000)
        answers = found
    return per_search, per_publication, answers


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--searches", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=search_bench.HERE / "out" / "saved")
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()

    app = search_bench.make_app(options.out / str(options.docs))
    with app.app_context():
        search_bench.insert_corpus(search_bench.Writer(Random(options.seed)), options.docs)
        search_bench.clear_outbox()
        service.rebuild()
        service.warm()
        newest = db.session.scalar(select(Practice.id).order_by(
            Practice.published_at.desc()).limit(1))
        key = f"practice:{newest}"  # as a practice published just now
        searches = saved_searches(options.searches)
        figures = {}
        for name, way in (("full", full), ("keys", keys_only), ("within", within)):
            way(*searches[0][1:], key)  # open the searcher
            figures[name] = measure(way, searches, key, options.repeat)
    for name in ("keys", "within"):
        if figures["full"][2] != figures[name][2]:
            print(f"full and {name} disagree:", [label for (label, _q, _a), a, b in zip(
                searches, figures["full"][2], figures[name][2], strict=True) if a != b])
            sys.exit(1)
    print(f"{options.docs:,} practices, {options.searches} saved searches, "
          f"{sum(figures['keys'][2])} of them match the new practice")
    for name, (per_search, per_publication, _answers) in figures.items():
        print(f"  {name:5} per saved search p50 {statistics.median(per_search):6.2f} ms, "
              f"p95 {percentile(per_search, 0.95):6.2f} ms; per publication "
              f"{statistics.median(per_publication):7.1f} ms")
    for name in ("keys", "within"):
        ratio = statistics.median(figures["full"][1]) / statistics.median(figures[name][1])
        print(f"  {name} matching is {ratio:.1f}x faster per publication than full")


if __name__ == "__main__":
    main()
