"""Prometheus metrics, summed over every gunicorn worker.

Request and search figures are counted where they happen, with prometheus-client's
metric types. Under gunicorn, `PROMETHEUS_MULTIPROC_DIR` (set by gunicorn.conf.py) makes
each worker write its figures to a file of that folder, and a scrape sums the files, so
that the figures are the whole site's, whichever worker answers. Queue figures (the search
outbox, the mail queue, the review queue) are read from the database at each scrape.
"""

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # the endpoint label of a request no route matched (a 404)

# Per process (one worker's) unless PROMETHEUS_MULTIPROC_DIR is set; see `exposition()`.
REGISTRY = CollectorRegistry()

REQUESTS = Counter("nanum_http_requests", "Requests answered, by endpoint, method and status.",
                   ["endpoint", "method", "status"], registry=REGISTRY)
REQUEST_SECONDS = Histogram("nanum_http_request_duration_seconds",
                            "Time to answer a request, by endpoint.", ["endpoint"],
                            registry=REGISTRY)
SEARCH_SECONDS = Histogram("nanum_search_duration_seconds",
                           "Time the search service took for one search page.",
                           buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
                           registry=REGISTRY)


def observe_request(endpoint, method, status, seconds):
    """Count one answered request; labels stay few: endpoint names, not addresses."""
    endpoint = endpoint or UNMATCHED
    REQUESTS.labels(endpoint, method if method in METHODS else "other", str(status)).inc()
    REQUEST_SECONDS.labels(endpoint).observe(seconds)


def observe_search(seconds):
    SEARCH_SECONDS.observe(seconds)


def multiprocess_dir():
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get(
        "prometheus_multiproc_dir")


class _Queues:
    """The queue gauges, read from the database when scraped."""

    def __init__(self, figures):
        self.figures = figures

    def collect(self):
        for name, documentation, value in self.figures:
            yield GaugeMetricFamily(name, documentation, value=value)


class _Scrape:
    """What one scrape shows: the counted figures and the queues."""

    def __init__(self, *collectors):
        self.collectors = collectors

    def collect(self):
        for collector in self.collectors:
            yield from collector.collect()


def exposition(queue_figures):
    """Return the metrics in Prometheus' text format, with `queue_figures` as gauges:
    (name, help, value) triples."""
    folder = multiprocess_dir()
    if folder and os.path.isdir(folder):
        counted = CollectorRegistry()
        MultiProcessCollector(counted, path=folder)
    else:
        counted = REGISTRY
    return generate_latest(_Scrape(counted, _Queues(queue_figures)))
