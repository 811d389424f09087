"""How soon a published practice is searchable with the deployed set-up.

Starts the app as `make run` does (gunicorn with 2 workers and the search indexer beside
them, from gunicorn.conf.py) on a fresh instance, commits practices from this process with
the outbox left to the indexer, and polls the search page over HTTP until each appears.
Prints the delay from commit to searchable for every trial and the median, p95 and maximum.

`--instance DIR` runs it on an instance that search_bench.py left (its `bench.sqlite` and
`index/`, e.g. bench/out/100000), to measure it at that size; the trial practices stay there.
"""

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from stopping import stop_processes

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return fetch(url)
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def publish(app, word):
    """Commit one published practice whose title holds `word`; return the commit time."""
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
        committed = time.perf_counter()
        db.session.remove()
    return committed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--instance", type=Path,
                        help="an instance folder left by search_bench.py (kept afterwards)")
    options = parser.parse_args()
    instance = (options.instance or Path(tempfile.mkdtemp(prefix="nanum-fresh-"))).resolve()
    env = {**os.environ, "NANUM_INSTANCE_PATH": str(instance),
           "NANUM_SEARCH_INDEX_DIR": str(instance / "index"), "NANUM_SEARCH_APPLY": "indexer"}
    if options.instance:
        env["NANUM_DATABASE_URL"] = f"sqlite:///{instance / 'bench.sqlite'}"
    os.environ.update(env)
    if not options.instance:  # search_bench.py's instances are made by create_all, not migrations
        subprocess.run([BIN / "nanum", "db", "upgrade"], env=env, check=True,
                       capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", "--config", ROOT / "gunicorn.conf.py", "--bind",
         f"127.0.0.1:{port}", "nanum:create_app()"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from nanum import create_app

    app = create_app()
    delays = []
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        for trial in range(options.trials):
            word = f"zqfresh{trial}x"
            committed = publish(app, word)
            # The query is echoed on the page: look for the hit's title link instead.
            hit = f">Rain gauges {word}</a>"
            while hit not in fetch(f"http://127.0.0.1:{port}/search?q={word}"):
                if time.perf_counter() - committed > 10:
                    raise RuntimeError(f"{word} not searchable after 10 s")
                time.sleep(0.01)
            delays.append((time.perf_counter() - committed) * 1000)
            print(f"trial {trial + 1}: searchable {delays[-1]:.0f} ms after the commit")
            time.sleep(random.uniform(0.1, 0.6))  # sample every phase of the indexer's poll
    finally:
        stop_processes([server], seconds=15)
        if not options.instance:
            shutil.rmtree(instance, ignore_errors=True)
    p95 = statistics.quantiles(delays, n=20)[-1] if len(delays) > 1 else delays[0]
    print(f"commit -> searchable over HTTP, {len(delays)} trials: "
          f"median {statistics.median(delays):.0f} ms, p95 {p95:.0f} ms, "
          f"max {max(delays):.0f} ms (indexer polling every 0.2 s, gunicorn 2 workers)")


if __name__ == "__main__":
    main()
