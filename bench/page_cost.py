"""Time what the search page costs, part by part: the search service, the filter panel, the
template, and the whole request through the test client (page cache off).

Run from the repository root, on an instance that `bench/search_bench.py` left:

    .venv/bin/python bench/page_cost.py --instance bench/out/20000
    .venv/bin/python bench/page_cost.py --instance /tmp/bench-out/100000 --requests 20

Figures are CPU milliseconds per page (median and p95 over the requests), and the median also
as a ratio to a reference run in the same process (summing two million floats with numpy,
50 times), which keeps runs under different loads comparable. The instance is only read.
"""

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from nanum.practices import facets
from nanum.search import service
from nanum.search import views as search_views

HERE = Path(__file__).resolve().parent
QUERIES = ["water", "flood early warning", "", "water&goal=6"]


def reference_ms():
    values = np.random.default_rng(1).random(2_000_000)
    started = time.process_time()
    for _ in range(50):
        values.sum()
    return (time.process_time() - started) * 1000


class Timed:
    """Wrap a module's function so that each call's CPU time is added to `spent`."""

    def __init__(self, module, name):
        self.module, self.name, self.original = module, name, getattr(module, name)
        self.spent = []
        setattr(module, name, self)

    def __call__(self, *args, **kwargs):
        started = time.process_time()
        try:
            return self.original(*args, **kwargs)
        finally:
            self.spent.append((time.process_time() - started) * 1000)

    def restore(self):
        setattr(self.module, self.name, self.original)


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def measure(client, path, requests, parts):
    """Return {part: [ms per request]} for `requests` requests of `path`."""
    found = {name: [] for name in [*parts, "request"]}
    for _ in range(requests):
        for part in parts.values():
            part.spent.clear()
        started = time.process_time()
        response = client.get(path)
        spent = (time.process_time() - started) * 1000
        assert response.status_code == 200, response.status_code
        for name, part in parts.items():
            found[name].append(sum(part.spent))
        found["request"].append(spent)
    return found, len(response.data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, default=HERE / "out" / "20000",
                        help="an instance folder of search_bench.py (only read)")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warm", type=int, default=5, help="requests per query before timing")
    options = parser.parse_args()
    from search_bench import instance_app  # beside this file

    app = instance_app(options.instance.resolve())
    client = app.test_client()
    reference = reference_ms()
    print(f"{options.instance}: reference {reference:.0f} ms CPU; "
          f"CPU ms per page, median / p95 over {options.requests} requests")
    print(f"{'query':24} {'service':>13} {'panel':>11} {'template':>13} {'request':>13}"
          f" {'x ref':>6} {'HTML':>7}")
    parts = {"service": Timed(service, "search"), "panel": Timed(facets, "panel"),
             "template": Timed(search_views, "render_template")}
    try:
        for query in QUERIES:
            path = f"/search?q={query}" if query else "/search"
            for _ in range(options.warm):
                client.get(path)
            found, size = measure(client, path, options.requests, parts)
            cells = " ".join(f"{statistics.median(found[name]):6.2f}/{p95(found[name]):6.2f}"
                             for name in ("service", "panel", "template", "request"))
            ratio = statistics.median(found["request"]) / reference
            print(f"{query or '(everything)':24} {cells} {ratio:6.3f} {size / 1024:6.0f}K")
    finally:
        for part in parts.values():
            part.restore()


if __name__ == "__main__":
    main()
