"""`/healthz` and `/readyz` for load balancers, answered before Flask's request cycle.

Probes come every few seconds from every balancer: they get no session, cookie, CSRF
token, page cache, compression or rate limit, and no line in the request log (a readiness
failure is logged, with its reasons).

- `/healthz`: the process answers; nothing else is touched (200, text).
- `/readyz`: the database answers, the search index is present and not lagging, the mail
  queue is moving (200 with a small JSON report, or 503 with the reasons).
"""

import json

from flask import current_app

from nanum.ops import health

HEADERS = [("Cache-Control", "no-store")]


def _answer(start_response, status, content_type, body):
    body = body.encode()
    start_response(status, [("Content-Type", content_type),
                            ("Content-Length", str(len(body))), *HEADERS])
    return [body]


class Probes:
    """WSGI middleware answering the probe paths and passing every other request on."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO")
        if path == "/healthz":
            return _answer(start_response, "200 OK", "text/plain; charset=utf-8", "ok\n")
        if path == "/readyz":
            return self.ready(start_response)
        return self.wsgi_app(environ, start_response)

    def ready(self, start_response):
        with self.app.app_context():
            ready, report = health.readiness()
            if not ready:
                current_app.logger.warning("Not ready: %s", " ".join(report["reasons"]))
        status = "200 OK" if ready else "503 Service Unavailable"
        return _answer(start_response, status, "application/json",
                       json.dumps(report, sort_keys=True) + "\n")


def init_app(app):
    app.wsgi_app = Probes(app, app.wsgi_app)
