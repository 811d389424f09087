"""Operating Nanum: health and readiness probes, Prometheus metrics, request ids and logs.

- `/healthz` and `/readyz` (`probes.py`) are answered before Flask's request cycle: no
  session, cookie, page cache, compression or rate limit applies to them.
- `/metrics` (`views.py`) serves `metrics.py`'s figures in Prometheus' text format.
- `requestlog.py` gives each request an id, logs one line for it and times it.
"""


def init_app(app):
    """Install the request log and the probes; the metrics blueprint is registered apart."""
    from nanum.ops import probes, requestlog

    requestlog.init_app(app)
    probes.init_app(app)
