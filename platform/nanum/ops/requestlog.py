"""A request id for every request, one log line for it, and its figures for /metrics.

The id is taken from the proxy's `X-Request-ID` when it is well formed (a proxy such as
nginx can set it from `$request_id`), else made here; it is sent back in `X-Request-ID`,
written on the request's log line and on any error logged for it, and shown on error pages,
so that a reference quoted by a user leads to the trace.
"""

import logging
import re
import time
import uuid

from flask import g, request

from nanum.ops import metrics

HEADER = "X-Request-ID"
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
MAX_LENGTH = 100
ENVIRON_KEY = "nanum.request_id"
STARTED = "nanum.request_started"
log = logging.getLogger("nanum.requests")


def request_id():
    """Return this request's id, choosing it on first use."""
    environ = request.environ
    rid = environ.get(ENVIRON_KEY)
    if rid is None:
        given = request.headers.get(HEADER, "")
        # The length first: a long header is refused without being read through.
        rid = given if len(given) <= MAX_LENGTH and WELL_FORMED.fullmatch(given) else (
            uuid.uuid4().hex)
        environ[ENVIRON_KEY] = rid
    return rid


def printable(text, limit=500):
    """Return `text` fit for one log line: control characters escaped, length bounded."""
    text = text[:limit]
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


def _start():
    request.environ.setdefault(STARTED, time.perf_counter())
    request_id()


def _finish(response):
    seconds = time.perf_counter() - request.environ.get(STARTED, time.perf_counter())
    rid = request_id()
    response.headers[HEADER] = rid
    endpoint = request.url_rule.endpoint if request.url_rule else None
    metrics.observe_request(endpoint, request.method, response.status_code, seconds)
    user = g.get("_login_user")  # set when the request looked at who is signed in
    log.info("%s %s %s %s %.1fms%s", rid, request.method, printable(request.full_path
             if request.query_string else request.path), response.status_code,
             seconds * 1000, f" user={user.id}" if getattr(user, "id", None) else "")
    return response


def init_app(app):
    """Run first before each request and last after it (before the session is saved).

    Registered ahead of the page cache, whose kept pages must not carry an old id."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)
    # Flask gives the app's logger ("nanum", this one's parent) a handler to the server's
    # error stream when it is first used, unless logging was configured otherwise.
    app.logger  # noqa: B018
