"""Gunicorn settings for `make run`: two web workers and one search indexer beside them.

The indexer is the index's single writer; the web workers only read it, so that Whoosh
never sees several writing processes at once.
"""

import os
import subprocess
import sys
from pathlib import Path

workers = int(os.environ.get("NANUM_WORKERS", "2"))
bind = os.environ.get("NANUM_BIND", "127.0.0.1:5000")
accesslog = "-"
raw_env = ["NANUM_SEARCH_APPLY=indexer"]

_indexer = None


def when_ready(server):
    global _indexer
    nanum = Path(sys.executable).parent / "nanum"
    _indexer = subprocess.Popen([str(nanum), "search", "indexer"])
    server.log.info("Search indexer started (pid %s)", _indexer.pid)


def post_worker_init(worker):
    """Warm each worker's search caches before it takes requests."""
    from nanum.search import service

    with worker.wsgi.app_context():
        service.warm()


def on_exit(server):
    if _indexer and _indexer.poll() is None:
        _indexer.terminate()
        try:
            _indexer.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _indexer.kill()
