"""Time the parts of a search on an index that search_bench.py built: what a first search
pays (reading postings, finding phrases), what every search pays (hits, snippets), and what
ranking by similarity to a place costs beside the plain sort, in search and on the browse page.

Run from the repository root, after `bench/search_bench.py --docs N` has left its instance:

    .venv/bin/python bench/search_parts.py                    # bench/out/20000
    .venv/bin/python bench/search_parts.py --folder bench/out/100000

Each figure is in milliseconds and also as a ratio to a reference run in the same process
(summing two million floats with numpy, 50 times), which keeps comparisons between runs
meaningful on a busy machine.
"""

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from nanum import create_app
from nanum.places.similarity import Place, likeness
from nanum.practices import browse
from nanum.practices.browse import Filters
from nanum.practices.services import card_options
from nanum.search import analysis, results, service
from nanum.search.documents import practice_text
from nanum.search.engine import TEXT_FIELDS
from nanum.search.snippets import snippet

HERE = Path(__file__).resolve().parent
COMMON = ["water", "community", "flood", "climate", "adaptation", "policies", "data", "open"]
PHRASES = [["early", "warning"], ["participatory", "budgeting"], ["e", "governance"]]


def reference_ms():
    values = np.random.default_rng(1).random(2_000_000)
    started = time.perf_counter()
    for _ in range(50):
        values.sum()
    return (time.perf_counter() - started) * 1000


def timed(function):
    started = time.perf_counter()
    found = function()
    return (time.perf_counter() - started) * 1000, found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=HERE / "out" / "20000")
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    folder = options.folder.resolve()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                      "SEARCH_INDEX_DIR": str(folder / "index"), "SEARCH_APPLY": "indexer",
                      "SECRET_KEY": "bench"}, instance_path=folder)
    with app.test_request_context():
        engine = service.engine()
        warm_ms, _ = timed(service.warm)
        reference = reference_ms()
        print(f"{folder.name}: {engine.stats()['documents']:,} documents; "
              f"warm-up {warm_ms:.0f} ms; reference {reference:.0f} ms")

        def read_common():
            return sum(len(engine._arrays(leaf, name, analysis.term(word))[0])
                       for word in COMMON for leaf in engine._leaves for name in TEXT_FIELDS)

        ms, postings = timed(read_common)
        print(f"  first read of {len(COMMON)} common words' scored postings: {ms:7.1f} ms "
              f"({postings:,} postings; {ms / reference:.2f}x reference)")
        for words in PHRASES:
            terms = tuple(analysis.terms(" ".join(words)))
            ms, found = timed(lambda terms=terms: sum(
                engine._phrase_bits(leaf, terms).bit_count() for leaf in engine._leaves))
            print(f"  first phrase {' '.join(words)!r:28} {ms:7.1f} ms ({found:,} documents; "
                  f"{ms / reference:.2f}x reference)")

        page = service.search("water flood", Filters.from_args({}))
        keys = [hit.key for hit in page.hits]
        loads, snippets = [], []
        for _ in range(options.repeat):
            ms, loaded = timed(lambda: results._load_practices(
                [int(key.partition(":")[2]) for key in keys]))
            loads.append(ms)
            texts = [practice_text(item, with_title=False) for item in loaded.values()]
            ms, _ = timed(lambda texts=texts: [snippet(text, ["water", "flood"])
                                               for text in texts])
            snippets.append(ms)
        load_ms, snippet_ms = statistics.median(loads), statistics.median(snippets)
        print(f"  loading a page's {len(keys)} practices: {load_ms:6.2f} ms "
              f"({load_ms / reference:.3f}x reference); their snippets: {snippet_ms:6.2f} ms "
              f"({snippet_ms / reference:.3f}x reference)")
        similarity_costs(options.repeat)


# A municipality's place, and places for every search after the first, so that no search
# finds the points of the one before kept.
PLACE = {"country": "KE", "government_level": "municipal", "population_band": "50k_250k",
         "settlement_type": "urban", "budget_band": "10k_100k", "infrastructure_level": "basic",
         "staff_band": "5_20"}
COUNTRIES = ["KE", "TZ", "UG", "PE", "IN", "PH", "CO", "GH", "BD", "VN", "NP", "SN"]


def similarity_costs(repeat):
    """Print the median time of searches and browse pages ranked by similarity to a place,
    and its ratio to the same search or page in its plain order."""
    for q in ("", "water", "flood early warning"):
        plain, ranked, first = [], [], None
        for run in range(repeat):
            place = Place.from_values({**PLACE, "country": COUNTRIES[run % len(COUNTRIES)]})
            ms, _ = timed(lambda q=q: service.search(q, Filters.from_args({})))
            plain.append(ms)
            ms, found = timed(lambda q=q, place=place: service.search(
                q, Filters.from_args({}), sort="similarity", place=place))
            ranked.append(ms)
            first = first or found
        plain_ms, ranked_ms = statistics.median(plain), statistics.median(ranked)
        print(f"  search {q or '(everything)'!r:22} {first.total:>7,} found: plain sort "
              f"{plain_ms:6.1f} ms, like a place {ranked_ms:6.1f} ms "
              f"({ranked_ms / plain_ms:.2f}x the plain sort)")
    plain, ranked = [], []
    for run in range(repeat):
        place = Place.from_values({**PLACE, "country": COUNTRIES[run % len(COUNTRIES)]})
        ms, _ = timed(lambda: browse.page(Filters.from_args({}), 1, 20, card_options()).items)
        plain.append(ms)
        ms, _ = timed(lambda place=place: browse.page(
            Filters.from_args({"sort": "similarity"}), 1, 20, card_options(),
            likeness=likeness(place)).items)
        ranked.append(ms)
    plain_ms, ranked_ms = statistics.median(plain), statistics.median(ranked)
    print(f"  browse page 1 (SQL): newest first {plain_ms:6.1f} ms, like a place "
          f"{ranked_ms:6.1f} ms ({ranked_ms / plain_ms:.2f}x the plain sort)")


if __name__ == "__main__":
    main()
