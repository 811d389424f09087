"""Where a fresh practice's delay goes, step by step, in one process.

On an instance left by search_bench.py (its `bench.sqlite` and `index/`), this commits
practices one at a time and times, for each:

- pass: the indexer's pass that applies it (`service.sync()`: read the outbox and the
  practice, write and commit a one-document segment, remove the outbox rows), with the
  time of each part;
- tidy: the merge of small segments the indexer runs when idle (most passes merge nothing);
- reopen: a second app's engine (as a web worker's) noticing the new generation and opening
  the new segment (`engine.generation()`);
- first page: that app's search page for the new practice, the first request after the
  new generation (the page cache is off, so every request renders);
- later page: the same page again, for what the first request paid that later ones do not.

Wall-clock and CPU milliseconds (`time.process_time`), median and maximum over the trials.
`--profile pass|page` prints cProfile's top functions of that step over all the trials.

    .venv/bin/python bench/freshness_parts.py --instance /tmp/fb/20000 --trials 20
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


class Clock:
    """Wall-clock and CPU milliseconds of named steps, over the trials."""

    def __init__(self):
        self.figures = {}

    @contextmanager
    def step(self, name, profile=None):
        wall, cpu = time.perf_counter(), time.process_time()
        if profile is not None:
            profile.enable()
        try:
            yield
        finally:
            if profile is not None:
                profile.disable()
            self.figures.setdefault(name, []).append(
                ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))

    def print(self):
        for name, pairs in self.figures.items():
            walls, cpus = [p[0] for p in pairs], [p[1] for p in pairs]
            print(f"  {name:>22}: wall median {statistics.median(walls):7.1f} ms, max "
                  f"{max(walls):7.1f}; CPU median {statistics.median(cpus):7.1f} ms, max "
                  f"{max(cpus):7.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--profile", choices=["pass", "page"])
    parser.add_argument("--top", type=int, default=30)
    options = parser.parse_args()
    instance = options.instance.resolve()
    os.environ.update({"NANUM_INSTANCE_PATH": str(instance),
                       "NANUM_SEARCH_INDEX_DIR": str(instance / "index"),
                       "NANUM_SEARCH_APPLY": "indexer", "NANUM_PAGECACHE_SECONDS": "0",
                       "NANUM_DATABASE_URL": f"sqlite:///{instance / 'bench.sqlite'}"})
    from freshness_bench import publish

    from nanum import create_app
    from nanum.search import service

    writer_app, web_app = create_app(), create_app()
    for app in (writer_app, web_app):
        with app.app_context():
            service.sync()
            service.warm()
    client = web_app.test_client()
    client.get("/search?q=water")
    profile = cProfile.Profile() if options.profile else None
    clock = Clock()
    tag = f"{os.getpid():x}{int(time.time()) % 100000:x}"
    for number in range(options.trials + 1):
        word = f"zqparts{tag}n{number}x"
        publish(writer_app, word)
        record = number > 0  # the first trial warms the pages that show a hit
        timed = clock if record else Clock()
        with writer_app.app_context():
            with timed.step("pass", profile if options.profile == "pass" and record
                            else None):
                service.sync()
            with timed.step("tidy (idle)"):  # as the idle indexer does between changes
                service.tidy()
        with web_app.app_context():
            with timed.step("reopen"):
                service.engine().generation()
        with timed.step("first page", profile if options.profile == "page" and record
                        else None):
            page = client.get(f"/search?q={word}").get_data(as_text=True)
        if f">Rain gauges {word}</a>" not in page:
            raise RuntimeError(f"{word} not found")
        with timed.step("later page"):
            client.get(f"/search?q={word}")
    print(f"{options.trials} practices committed one at a time, on {instance} "
          f"(load average {os.getloadavg()[0]:.1f}):")
    clock.print()
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(options.top)
        pstats.Stats(profile).sort_stats("tottime").print_stats(options.top)


if __name__ == "__main__":
    main()
