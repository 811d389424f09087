"""What the boxes beside the search results cost: the search page's query mix with the
organisations' box alone and with the events' box too, alternately, on one corpus.

Run from the repository root:

    .venv/bin/python bench/boxes_cost.py --docs 2000 --repeat 5

Each box is one more small match per search; this prints the service's p50/p95 (ms) with
and without the events' box, and how many events the corpus holds (a few, published).
"""

import argparse
import sys
import tempfile
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import search_bench  # noqa: E402  (beside this script)

from nanum.events.models import Event  # noqa: E402
from nanum.extensions import db  # noqa: E402
from nanum.search import service  # noqa: E402
from nanum.timeutil import utcnow  # noqa: E402

EVENTS = 40


def add_events(count):
    """Add published events whose words the query mix uses (flood, water, budget...)."""
    words = ["flood warning", "water kiosks", "participatory budgeting", "solar pumps",
             "waste collection", "open data"]
    for number in range(count):
        topic = words[number % len(words)]
        db.session.add(Event(
            title=f"Workshop on {topic} {number}", kind="workshop", status="published",
            starts_at=utcnow(), ends_at=utcnow(), time_zone="UTC", place="Town hall",
            organisation_id=1, background=f"Cities compare {topic}.", objectives=[topic],
            published_at=utcnow()))
    db.session.commit()


def timed_mix(records, repeat):
    times = []
    for _ in range(repeat):
        for record in records:
            ms, _results = search_bench.run_search(record.query)
            if ms is not None:
                times.append(ms)
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args(argv)
    search_bench.MEASURE["what"] = "service"  # the service's figures, as before
    with tempfile.TemporaryDirectory(prefix="nanum-boxes-") as folder:
        app = search_bench.make_app(Path(folder) / "instance")
        with app.app_context():
            corpus = search_bench.insert_corpus(search_bench.Writer(Random(7)), options.docs)
            search_bench.advance_sequences()
            search_bench.clear_outbox()
            add_events(EVENTS)
            count, _seconds = service.rebuild()
            print(f"{options.docs:,} practices, {corpus['organisations']} organisations, "
                  f"{EVENTS} events: {count:,} documents")
            records = [search_bench.Record(query) for query in search_bench.QUERIES]
            timed_mix(records, 1)  # warm the caches
            figures = {"organisations' box": [], "organisations' and events' boxes": []}
            for _ in range(options.repeat):
                for label, boxed in (("organisations' box", ("organisation",)),
                                     ("organisations' and events' boxes",
                                      ("organisation", "event"))):
                    service.BOXED = boxed
                    figures[label] += timed_mix(records, 1)
            service.BOXED = tuple(service.BOX_SIZES)
            for label, times in figures.items():
                print(f"  {label:<34} p50 {search_bench.percentile(times, 0.5):6.1f} ms  "
                      f"p95 {search_bench.percentile(times, 0.95):6.1f} ms  "
                      f"({len(times)} searches)")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
