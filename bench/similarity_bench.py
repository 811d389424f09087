"""Time ranking by similarity to a place beside the plain sort, on each engine, at N documents.

The documents are short (a title and a sentence) with every facet a practice has, so that
an index of 100,000 is built in minutes even on a busy machine; what is timed is the engine's
match of a plan: counting, facets, and the page's order. Run from the repository root:

    .venv/bin/python bench/similarity_bench.py --docs 100000
    .venv/bin/python bench/similarity_bench.py --docs 100000 --engine postgres

Each figure is the median of `--repeat` matches, the similarity sort with a different place
each time (so that no match finds the points of the one before kept), and the ratio of the
similarity sort to the plain sort of the same query.
"""

import argparse
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from random import Random

from nanum import pgcluster
from nanum.places.similarity import Place, likeness
from nanum.practices import vocab
from nanum.search.engines.whoosh import WhooshEngine
from nanum.search.planning import plan as make_plan
from nanum.search.planning import prepare
from nanum.search.query import parse

COUNTRIES = ["KE", "TZ", "UG", "PE", "IN", "PH", "CO", "GH", "BD", "VN", "NP", "SN", "FR",
             "BR", "ID", "MX", "NG", "ET", "ZA", "KR"]
WORDS = ["water", "flood", "budget", "school", "health", "waste", "road", "market", "data",
         "climate", "housing", "youth", "women", "energy", "transport", "farming"]
PLACE = {"government_level": "municipal", "population_band": "50k_250k",
         "settlement_type": "urban", "budget_band": "10k_100k", "infrastructure_level": "basic",
         "staff_band": "5_20"}


def documents(count, seed=3):
    from nanum.search.documents import region_terms

    rng = Random(seed)
    start = datetime(2015, 1, 1)
    for number in range(count):
        countries = rng.sample(COUNTRIES, rng.choice((1, 1, 1, 2)))
        words = rng.sample(WORDS, 4)
        document = {
            "key": f"practice:{number}", "content": "practice",
            "title": " ".join(words[:2]).capitalize(),
            "summary": f"A practice about {words[0]}, {words[2]} and {words[3]}.",
            "country": countries, "region": region_terms(countries), "kind": ["case_study"],
            "published": start + timedelta(minutes=number * 7),
        }
        for name, (_label, choices) in vocab.CONTEXT_FIELDS.items():
            if rng.random() < 0.85:
                document[name] = [rng.choice(list(choices))]
        yield document


def timed(function):
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--engine", choices=["whoosh", "postgres"], default="whoosh")
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nanum-similarity-") as folder:
        if options.engine == "postgres":
            from sqlalchemy import create_engine

            from nanum.search.engines.postgres import PostgresEngine, schema

            bind = create_engine(pgcluster.start(folder, durable=False))
            with bind.begin() as connection:
                schema.create(connection)
            engine = PostgresEngine(bind)
        else:
            engine = WhooshEngine(Path(folder) / "index", writer_timeout=60)
        try:
            run(engine, options)
        finally:
            if options.engine == "postgres":
                bind.dispose()
                pgcluster.remove(folder)


def run(engine, options):
    started = time.perf_counter()
    engine.rebuild(documents(options.docs), procs=1, stamp="bench")
    print(f"{options.engine}: {options.docs:,} documents indexed in "
          f"{time.perf_counter() - started:.0f} s")
    engine.warm()
    for q in ("", "water", "flood budget"):
        prepared = prepare(parse(q))
        plain_sort = "relevance" if q else "newest"
        engine.match(make_plan(prepared, sort=plain_sort))  # the words' postings, read once
        plain, ranked = [], []
        for run in range(options.repeat):
            place = Place.from_values({**PLACE, "country": COUNTRIES[run % len(COUNTRIES)]})
            plain.append(timed(lambda prepared=prepared, plain_sort=plain_sort: engine.match(
                make_plan(prepared, sort=plain_sort))))
            ranked.append(timed(lambda prepared=prepared, place=place: engine.match(
                make_plan(prepared, sort="similarity", likeness=likeness(place)))))
        total = engine.match(make_plan(prepared, sort=plain_sort)).total
        plain_ms, ranked_ms = statistics.median(plain), statistics.median(ranked)
        print(f"  {q or '(everything)'!r:16} {total:>8,} found: {plain_sort} "
              f"{plain_ms:7.1f} ms, like a place {ranked_ms:7.1f} ms "
              f"({ranked_ms / plain_ms:.2f}x the plain sort)", flush=True)


if __name__ == "__main__":
    main()
