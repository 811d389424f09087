"""How much of a worker's time the garbage collector takes, with and without `gc.freeze()`
after the worker's start-up (gunicorn.conf.py's `post_worker_init`).

Run from the repository root, on an instance that `bench/search_bench.py` left:

    .venv/bin/python bench/gc_pauses.py --instance bench/out/20000 --requests 600

One process makes the app and warms the search caches as a worker does, then serves rounds
of search and browse pages through the test client (page cache off), in turn with the
start-up's objects left in the collector's generations and frozen out of them (`gc.freeze()`
/ `gc.unfreeze()`). For each it prints the collector's CPU ms per 100 requests, its
collections of the oldest generation, its longest pause, and the requests' p50/p95/p99/max
CPU ms.
"""

import argparse
import gc
import statistics
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PATHS = ["/search?q=water", "/search?q=flood+early+warning", "/search?q=budget&goal=11",
         "/practices/", "/practices/?goal=6", "/search?q=youth+employment&page=2"]


class Pauses:
    """The collector's passes, timed through `gc.callbacks`."""

    def __init__(self):
        self.times, self.oldest, self._started = [], 0, None
        gc.callbacks.append(self._note)

    def _note(self, phase, info):
        if phase == "start":
            self._started = time.process_time()
        elif self._started is not None:
            self.times.append((time.process_time() - self._started) * 1000)
            self.oldest += info["generation"] == 2
            self._started = None

    def clear(self):
        self.times, self.oldest = [], 0


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def serve(client, requests):
    spent = []
    for number in range(requests):
        started = time.process_time()
        response = client.get(PATHS[number % len(PATHS)])
        spent.append((time.process_time() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return spent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, default=HERE / "out" / "20000",
                        help="an instance folder of search_bench.py (only read)")
    parser.add_argument("--requests", type=int, default=600, help="requests per round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each way, in turn")
    options = parser.parse_args()
    from search_bench import instance_app  # beside this file

    from nanum.search import service

    app = instance_app(options.instance.resolve())
    with app.app_context():
        service.warm()
    client = app.test_client()
    serve(client, len(PATHS) * 3)  # templates compiled, caches filled
    pauses = Pauses()
    print(f"{options.instance}: {options.requests} requests a round; CPU ms")
    print(f"{'start-up objects':18} {'GC/100 req':>10} {'oldest':>6} {'longest':>8} "
          f"{'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}")
    for _ in range(options.rounds):
        for frozen in (False, True):
            if frozen:
                gc.freeze()
            gc.collect()
            pauses.clear()
            spent = serve(client, options.requests)
            print(f"{'frozen' if frozen else 'collected':18} "
                  f"{sum(pauses.times) * 100 / options.requests:10.1f} {pauses.oldest:6d} "
                  f"{max(pauses.times, default=0):8.1f} {statistics.median(spent):6.1f} "
                  f"{percentile(spent, 0.95):6.1f} {percentile(spent, 0.99):6.1f} "
                  f"{max(spent):7.1f}")
            if frozen:
                gc.unfreeze()


if __name__ == "__main__":
    main()
