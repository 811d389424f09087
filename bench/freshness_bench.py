"""How soon a published practice is searchable with the deployed set-up.

Starts the app as `make run` does (gunicorn with 2 workers and the search indexer beside
them, from gunicorn.conf.py) on a fresh instance, commits practices from this process with
the outbox left to the indexer, and polls the search page over HTTP until each appears.
Prints the delay from commit to searchable for every trial and the median, p95 and maximum,
and where the time went:

- picked up: the indexer began the pass that applied the change (from its timing lines,
  `SEARCH_INDEXER_TIMINGS`; code without them shows "-");
- indexed: the first index generation after the commit was seen on disk (a thread of this
  process lists the index folder every few milliseconds); "pass done" in the summary is
  when the indexer's pass ended (its timing line: index committed, outbox rows removed);
- visible: the first search page showing the practice came back; `server` is how long
  the worker took over that request (from its request log line), reopening the index
  included.

Each deployment first serves a few search pages and one untimed trial, so that the figures
are those of a server in its stride rather than of its first requests.

`--instance DIR` runs it on an instance that search_bench.py left (its `bench.sqlite` and
`index/`, e.g. bench/out/100000), to measure it at that size; the trial practices stay there.

`--baseline SRC` measures another source tree (e.g. `git worktree add /tmp/base main`, or
`git archive main | tar -x -C /tmp/base`) in the same run, on the same instance: the two
deployments take turns for `--rounds` rounds of `--trials` trials each, and the figures of
this tree are printed as ratios to the baseline's, since the machine's load changes by the
minute. The baseline runs with this virtual environment and its own `platform/` first on
the path.
"""

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from stopping import stop_processes

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
INDEXER_LINE = re.compile(r"search-indexer applied=(\d+) woke=([\d.]+) committed=([\d.]+)")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, request_id=None):
    request = urllib.request.Request(url, headers={"X-Request-ID": request_id}
                                     if request_id else {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read().decode()


def wait_for(url, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return fetch(url)
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def publish(app, word):
    """Commit one published practice whose title holds `word`; return the commit's wall
    clock time (time.time())."""
    from nanum.extensions import db
    from nanum.organisations.models import Organisation
    from nanum.practices.models import Practice, PracticeCountry, PracticeTarget
    from nanum.timeutil import utcnow

    with app.app_context():
        organisation = db.session.query(Organisation).first()
        if organisation is None:
            organisation = Organisation(name="Freshness Town", type="LRG", country="KE")
            db.session.add(organisation)
        practice = Practice(title=f"Rain gauges {word}", summary="Fresh.", kind="case_study",
                            status="published", published_at=utcnow(),
                            organisation=organisation)
        practice.countries = [PracticeCountry(country="KE")]
        practice.targets = [PracticeTarget(target="11.5")]
        db.session.add(practice)
        db.session.commit()
        committed = time.time()
        db.session.remove()
    return committed


class Generations(threading.Thread):
    """Notes when each index generation first appears in the folder."""

    def __init__(self, folder, every=0.003):
        super().__init__(daemon=True)
        self.folder, self.every = folder, every
        self.seen = {}  # generation: wall-clock time first seen
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(self.every):
            try:
                names = os.listdir(self.folder)
            except OSError:
                continue
            now = time.time()
            for name in names:
                if name.startswith("_MAIN_") and name.endswith(".toc"):
                    self.seen.setdefault(int(name[6:-4]), now)

    def first_after(self, moment):
        later = [seen for seen in self.seen.values() if seen >= moment]
        return min(later) if later else None


class Deployment:
    """gunicorn with its workers and helpers, from one source tree, on the instance."""

    def __init__(self, label, source, env, log):
        self.label, self.source, self.env, self.log = label, source, env, log
        self.server = None
        self.port = None

    def start(self):
        env = dict(self.env)
        if self.source != ROOT:
            env["PYTHONPATH"] = str(self.source / "platform")
        self.port = free_port()
        self.log_file = open(self.log, "a")
        self.server = subprocess.Popen(
            [BIN / "gunicorn", "--config", self.source / "gunicorn.conf.py", "--bind",
             f"127.0.0.1:{self.port}", "nanum:create_app()"], env=env, cwd=self.source,
            stdout=self.log_file, stderr=subprocess.STDOUT)
        wait_for(self.url("/"))
        fetch(self.url("/search?q=warmup"))

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        if self.server is not None:
            stop_processes([self.server], seconds=15)
            self.server = None
            self.log_file.close()


def trial(app, deployment, generations, word):
    """Commit a practice and poll the search page until it shows; return the figures."""
    committed = publish(app, word)
    hit = f">Rain gauges {word}</a>"  # the query is echoed: look for the hit's title link
    polls = 0
    while True:
        polls += 1
        request_id = f"fresh-{word}-{polls}"
        page = fetch(deployment.url(f"/search?q={word}"), request_id)
        seen = time.time()
        if hit in page:
            break
        if seen - committed > 10:
            raise RuntimeError(f"{word} not searchable after 10 s")
        time.sleep(0.005)
    return {"word": word, "label": deployment.label, "committed": committed, "seen": seen,
            "total": (seen - committed) * 1000, "request_id": request_id,
            "indexed": generations.first_after(committed)}


def add_log_figures(records, log):
    """Add the indexer's pick-up time and the server's time of the visible request."""
    text = Path(log).read_text(errors="replace")
    batches = [(float(woke), float(done)) for _n, woke, done in INDEXER_LINE.findall(text)]
    for record in records:
        done = [(woke, end) for woke, end in batches if end >= record["committed"]]
        first = min(done, key=lambda b: b[1]) if done else (None, None)
        record["woke"], record["applied"] = first
        found = re.search(rf"{re.escape(record['request_id'])} GET \S+ 200 ([\d.]+)ms", text)
        record["server"] = float(found.group(1)) if found else None


def p95(values):
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def phases(record):
    """(picked up, indexed, visible) in ms after the commit, each None when unknown."""
    committed = record["committed"]

    def after(moment):
        return None if moment is None else (moment - committed) * 1000

    return after(record.get("woke")), after(record["indexed"]), record["total"]


def fmt(value):
    return "-" if value is None else f"{value:,.0f}"


def summary(records):
    """{figure: (median, p95)} over the records, for the figures every record has."""
    columns = {"picked up": 0, "indexed": 1, "visible": 2}
    figures = {}
    for name, column in columns.items():
        values = [phases(r)[column] for r in records]
        if values and all(v is not None for v in values):
            figures[name] = (statistics.median(values), p95(values))
    applied = [(r["applied"] - r["committed"]) * 1000 for r in records
               if r.get("applied") is not None]
    if applied and len(applied) == len(records):  # the indexer's pass over, outbox cleared
        figures["pass done"] = (statistics.median(applied), p95(applied))
    servers = [r["server"] for r in records if r["server"] is not None]
    if servers and len(servers) == len(records):
        figures["server"] = (statistics.median(servers), p95(servers))
    return figures


def print_summary(label, records):
    figures = summary(records)
    totals = [r["total"] for r in records]
    print(f"{label}: commit -> searchable over HTTP, {len(records)} trials: median "
          f"{statistics.median(totals):,.0f} ms, p95 {p95(totals):,.0f} ms, max "
          f"{max(totals):,.0f} ms")
    for name, (median, high) in figures.items():
        print(f"  {name:>10}: median {median:,.0f} ms, p95 {high:,.0f} ms")
    return figures


def run_round(app, deployment, generations, name, trials, records):
    """Start the deployment, warm it up, run the trials, stop it."""
    deployment.start()
    try:
        # Untimed: the workers' first pages with a hit (templates, queries).
        trial(app, deployment, generations, f"zqwarm{name}{deployment.label[0]}x")
        for number in range(4):
            fetch(deployment.url(f"/search?q=water&page={number + 1}"))
        for number in range(trials):
            word = f"zqfresh{name}{deployment.label[0]}{number}x"
            records.append(trial(app, deployment, generations, word))
            figures = phases(records[-1])
            print(f"{deployment.label}, {name}, trial {number + 1}: picked up "
                  f"{fmt(figures[0])}, indexed {fmt(figures[1])}, visible {fmt(figures[2])} "
                  "ms after the commit", flush=True)
            time.sleep(random.uniform(0.1, 0.6))  # every phase of the indexer's poll
    finally:
        deployment.stop()


def print_comparison(baseline, this):
    (base, base_totals), (new, new_totals) = baseline, this
    print("this tree / baseline: median "
          f"{statistics.median(new_totals) / statistics.median(base_totals):.2f}, p95 "
          f"{p95(new_totals) / p95(base_totals):.2f}")
    for name in ("indexed", "server"):
        if name in base and name in new:
            print(f"  {name}: median {new[name][0] / base[name][0]:.2f}, "
                  f"p95 {new[name][1] / base[name][1]:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10, help="per round and deployment")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--instance", type=Path,
                        help="an instance folder left by search_bench.py (kept afterwards)")
    parser.add_argument("--baseline", type=Path, help="another source tree to compare with")
    options = parser.parse_args()
    instance = (options.instance or Path(tempfile.mkdtemp(prefix="nanum-fresh-"))).resolve()
    env = {**os.environ, "NANUM_INSTANCE_PATH": str(instance),
           "NANUM_SEARCH_INDEX_DIR": str(instance / "index"), "NANUM_SEARCH_APPLY": "indexer",
           "NANUM_SEARCH_INDEXER_TIMINGS": "1"}
    if options.instance:
        env["NANUM_DATABASE_URL"] = f"sqlite:///{instance / 'bench.sqlite'}"
    os.environ.update(env)
    if not options.instance:  # search_bench.py's instances are made by create_all, not migrations
        subprocess.run([BIN / "nanum", "db", "upgrade"], env=env, check=True,
                       capture_output=True)
    logs = Path(tempfile.mkdtemp(prefix="nanum-fresh-logs-"))
    deployments = [Deployment("this tree", ROOT, env, logs / "this.log")]
    if options.baseline:
        deployments.insert(0, Deployment("baseline", options.baseline.resolve(), env,
                                         logs / "baseline.log"))
    from nanum import create_app

    app = create_app()
    generations = Generations(instance / "index")
    generations.start()
    records = []
    run = f"{random.randrange(16 ** 6):06x}"
    try:
        for round_number in range(options.rounds):
            for deployment in deployments:
                run_round(app, deployment, generations, f"{run}r{round_number}",
                          options.trials, records)
    finally:
        generations.stop.set()
        for deployment in deployments:
            deployment.stop()
        if not options.instance:
            shutil.rmtree(instance, ignore_errors=True)
    for deployment in deployments:
        add_log_figures([r for r in records if r["label"] == deployment.label],
                        deployment.log)
    shutil.rmtree(logs, ignore_errors=True)
    print()
    results = {}
    for deployment in deployments:
        mine = [r for r in records if r["label"] == deployment.label]
        results[deployment.label] = (print_summary(deployment.label, mine),
                                     [r["total"] for r in mine])
    if options.baseline:
        print_comparison(results["baseline"], results["this tree"])
    print("(gunicorn with 2 workers and the search indexer, from gunicorn.conf.py)")


if __name__ == "__main__":
    main()
