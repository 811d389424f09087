"""Gunicorn settings for `make run`: two web workers, the search indexer and the mail worker.

The indexer is the index's single writer; the web workers only read it, so that Whoosh
never sees several writing processes at once. The mail worker sends the notification mail
that requests only queue.
"""

import os
import subprocess
import sys
from pathlib import Path

workers = int(os.environ.get("NANUM_WORKERS", "2"))
bind = os.environ.get("NANUM_BIND", "127.0.0.1:5000")
accesslog = "-"
raw_env = ["NANUM_SEARCH_APPLY=indexer"]

_helpers = []


def when_ready(server):
    # Links in mail (the web workers' and the mail worker's) use the address served here,
    # unless NANUM_SITE_URL says otherwise; workers and helpers start after this.
    if not (os.environ.get("NANUM_SITE_URL") or os.environ.get("NANUM_NOTIFICATIONS_SITE_URL")):
        os.environ["NANUM_SITE_URL"] = f"http://{server.cfg.bind[0]}"
    nanum = str(Path(sys.executable).parent / "nanum")
    for command in (["search", "indexer"], ["notifications", "worker"]):
        helper = subprocess.Popen([nanum, *command])
        _helpers.append(helper)
        server.log.info("Started `nanum %s` (pid %s)", " ".join(command), helper.pid)


def post_worker_init(worker):
    """Warm each worker's search caches before it takes requests."""
    from nanum.search import service

    with worker.wsgi.app_context():
        service.warm()


def on_exit(server):
    for helper in _helpers:
        if helper.poll() is None:
            helper.terminate()
    for helper in _helpers:
        try:
            helper.wait(timeout=10)
        except subprocess.TimeoutExpired:
            helper.kill()
