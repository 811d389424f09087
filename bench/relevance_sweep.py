"""Measure ranking settings side by side on the relevance benchmark, without re-indexing.

Field weights, BM25's k1 and b and the coordination of Nanum's ranking only change how
matches are scored, so one index serves every setting. Run `bench/relevance.py --system
nanum` once first (it imports the corpus into --out), then for example:

    .venv/bin/python bench/relevance_sweep.py                       # the built-in grid
    .venv/bin/python bench/relevance_sweep.py '{"coordination": 0}' '{"k1": 0.9}'

Each argument is a JSON object of `nanum.search.ranking.Ranking` fields (`weights` is
merged into the default weights). The rows give nDCG@10, P@10, R@50 and judged@10 per
query kind; a setting that brings many unjudged practices into the top 10 must have them
judged (`bench/relevance.py --pool`) before its figures are trusted.
"""

import argparse
import json
import sys
from pathlib import Path

import relevance as rel
from relevance_systems import nanum_app

from nanum.search import planning, query, service
from nanum.search.engine import FIELD_WEIGHTS
from nanum.search.query import Field
from nanum.search.ranking import Ranking

GRID = [
    {},
    {"coordination": 0},
    {"coordination": 0.5},
    {"coordination": 2},
    {"coordination": "strict"},
    {"coverage_by_idf": False},
    {"weights": {"title": 2.0}},
    {"weights": {"title": 0.5}},
    {"weights": {"summary": 1.5}},
    {"weights": {"about": 0.25}},
    {"weights": {"about": 1.0}},
    {"k1": 0.9},
    {"k1": 1.5},
    {"b": 0.5},
    {"b": 0.9},
]


def ranking_of(setting):
    options = dict(setting)
    options["weights"] = {**FIELD_WEIGHTS, **options.get("weights", {})}
    return Ranking(**options)


def ranked(engine, queries, ids, depth=50):
    run = {}
    for q in queries:
        prepared = planning.prepare(query.parse(q["text"]))
        plan = planning.plan(prepared, [Field("content", "practice")], limit=depth, facets=())
        keys = engine.match(plan).keys
        run[q["id"]] = [ids[number] for key in keys
                        if (number := int(key.partition(":")[2])) in ids]
    return run


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("settings", nargs="*", help="JSON objects of Ranking fields")
    parser.add_argument("--out", default=str(Path(__file__).parent / "out" / "relevance"),
                        help="the folder bench/relevance.py imported the corpus into")
    parser.add_argument("--judgements", default=str(rel.DATA / "judgements.tsv"))
    options = parser.parse_args(argv)
    settings = [json.loads(text) for text in options.settings] or GRID
    queries, judgements = rel.load_queries(), rel.load_judgements(Path(options.judgements))
    state = json.loads((Path(options.out) / "state.json").read_text())
    ids = {int(key): value for key, value in state["ids"].items()}
    app = nanum_app(options.out, {})
    with app.app_context():
        engine = service.engine()
        for setting in settings:
            engine.ranking = ranking_of(setting)
            means = rel.averages(rel.score_run(ranked(engine, queries, ids), queries,
                                               judgements), queries)
            print(f"{json.dumps(setting):44}", " | ".join(
                f"{kind} nDCG {m['nDCG@10']:.3f} P {m['P@10']:.3f} R {m['R@50']:.3f} "
                f"J {m['judged@10']:.2f}" for kind, m in means.items()), flush=True)


if __name__ == "__main__":
    sys.exit(main())
