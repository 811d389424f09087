"""Gunicorn settings for `make run`: two web workers, the search indexer and the mail worker.

Each worker writes its Prometheus figures to a folder of the instance (PROMETHEUS_MULTIPROC_DIR,
emptied when the master starts), so that /metrics shows the whole site's, whichever worker
answers the scrape.

The indexer is the index's single writer; the web workers only read it, so that Whoosh
never sees several writing processes at once. The mail worker sends the notification mail
that requests only queue. The master watches both helpers and starts again one that dies.
"""

import gc
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

workers = int(os.environ.get("NANUM_WORKERS", "2"))
bind = os.environ.get("NANUM_BIND", "127.0.0.1:5000")
# The app logs one line per request, with its request id (nanum/ops/requestlog.py);
# `--access-logfile -` adds gunicorn's own.
accesslog = None
raw_env = ["NANUM_SEARCH_APPLY=indexer"]

# Set before any worker starts: prometheus-client reads it when first imported.
INSTANCE = Path(os.environ.get("NANUM_INSTANCE_PATH") or Path(__file__).parent / "instance")
METRICS_DIR = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(INSTANCE / "metrics")))

HELPERS = (("search", "indexer"), ("notifications", "worker"))
CHECK_EVERY = 0.5  # seconds between looks at the helpers
BACKOFF_MAX = 30.0  # seconds: a helper that keeps dying is started at most this often
STEADY = 60.0  # seconds a helper must live for its backoff to start again from one second


class Helper:
    """One `nanum` command run beside gunicorn, started again when it dies."""

    def __init__(self, command, log):
        self.command = command
        self.log = log
        self.process = None
        self.started = 0.0
        self.backoff = 1.0
        self.next_start = 0.0

    @property
    def name(self):
        return "nanum " + " ".join(self.command)

    def start(self):
        nanum = str(Path(sys.executable).parent / "nanum")
        self.process = subprocess.Popen([nanum, *self.command])
        self.started = time.monotonic()
        self.log.info("Started `%s` (pid %s)", self.name, self.process.pid)

    def watch(self):
        """Start the helper again if it has died and its backoff has passed."""
        now = time.monotonic()
        if self.process is not None:
            if self.process.poll() is None:
                return
            # The exit status is often lost: the gunicorn master reaps every child.
            lived = now - self.started
            self.backoff = 1.0 if lived > STEADY else min(self.backoff * 2, BACKOFF_MAX)
            self.next_start = now + (0 if lived > STEADY else self.backoff)
            self.log.error("`%s` (pid %s) stopped after %.0f s; starting it again in %.0f s",
                           self.name, self.process.pid, lived, self.next_start - now)
            self.process = None
        if now >= self.next_start:
            self.start()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self):
        if self.process is None:
            return
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


_helpers = []
_stopping = threading.Event()
_watching = threading.Lock()  # no helper is started again while the server stops them


def _supervise():
    while not _stopping.wait(CHECK_EVERY):
        with _watching:
            if _stopping.is_set():
                return
            for helper in _helpers:
                try:
                    helper.watch()
                except Exception:  # keep watching the others; try this one again next time
                    helper.log.exception("Could not start `%s`", helper.name)


def on_starting(server):
    """Start the figures from zero: files left by an earlier master's workers would add up."""
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    METRICS_DIR.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    """Let the figures of a worker that stopped stay counted, but not its live gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, str(METRICS_DIR))


def when_ready(server):
    # Links in mail (the web workers' and the mail worker's) use the address served here,
    # unless NANUM_SITE_URL says otherwise; workers and helpers start after this.
    if not (os.environ.get("NANUM_SITE_URL") or os.environ.get("NANUM_NOTIFICATIONS_SITE_URL")):
        os.environ["NANUM_SITE_URL"] = f"http://{server.cfg.bind[0]}"
    for command in HELPERS:
        helper = Helper(command, server.log)
        helper.start()
        _helpers.append(helper)
    threading.Thread(target=_supervise, name="nanum-helpers", daemon=True).start()


def post_worker_init(worker):
    """Warm each worker's search caches before it takes requests, then keep what start-up
    made (modules, routes, templates, warm caches) out of the garbage collector's passes,
    which would otherwise walk it again at each full collection (bench/gc_pauses.py)."""
    from nanum.search import service

    with worker.wsgi.app_context():
        service.warm()
    gc.freeze()


def on_exit(server):
    with _watching:
        _stopping.set()
        for helper in _helpers:
            helper.stop()
    for helper in _helpers:
        helper.wait()
