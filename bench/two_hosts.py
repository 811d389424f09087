"""Two app hosts on one PostgreSQL: every acknowledged write seen from both, no mail twice.

Starts a PostgreSQL cluster of its own (nanum/pgcluster.py) and two independent instances
of the app, as `make run` starts one (gunicorn with its web workers, the search indexer and
the mail worker): separate instance folders and ports, one database, and the attachments
and search index folders that several hosts must share (`--engine postgres` needs no index
folder). Clients signed in on either host then read pages, search and reply to topics for
`--seconds`. Afterwards every reply a host acknowledged (a redirect) must be on its topic's
page and in the search results of both hosts, no mail may be queued twice, and each mail
must have been sent once, by one host's worker.

    .venv/bin/python bench/two_hosts.py [--seconds 30] [--clients 8] [--engine whoosh]
"""

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from stopping import stop_processes

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "two hosts, one database"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One signed-in client of one host."""

    def __init__(self, base):
        self.base = base
        self.location = None  # where the last redirect pointed, as a path
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

    def get(self, path):
        return self.send(path)

    def send(self, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        self.location = None
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            location = urllib.parse.urlsplit(error.headers.get("Location") or "")
            self.location = location.path + (f"?{location.query}" if location.query else "")
            return error.code, error.read().decode(errors="replace")

    def post(self, path, form, page=None):
        _status, html = self.get(page or path)
        match = TOKEN.search(html)
        return self.send(path, {**form, "csrf_token": match.group(1) if match else ""})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_up(url, process, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"a host exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def word():
    return "zq" + "".join(random.choice(string.ascii_lowercase) for _ in range(10))


def prepare(env, people):
    """Create the accounts and one topic per person, in the shared database."""
    os.environ.update(env)
    from nanum import create_app
    from nanum.accounts import services as accounts
    from nanum.accounts.models import User
    from nanum.discussions import services as discussions
    from nanum.extensions import db
    from nanum.timeutil import utcnow

    app = create_app()
    topics = []
    with app.app_context():
        for number in range(people):
            accounts.create_account(name=f"Person {number}", email=f"p{number}@example.org",
                                    password=PASSWORD)
            user = db.session.query(User).filter_by(email=f"p{number}@example.org").one()
            user.email_confirmed_at = utcnow()
            user.email_notifications = "immediate"
            db.session.commit()
            thread = discussions.start_topic(user, category="questions",
                                             title=f"How did town {number} fund it?",
                                             body="Tell us about the first year.")
            topics.append(thread.id)
        db.engine.dispose()
    return topics


def client(number, hosts, topics, until, log):
    """Sign in on one host, then read, search and reply until `until`."""
    base = hosts[number % len(hosts)]
    browser = Browser(base)
    status, _ = browser.post("/login", {"email": f"p{number}@example.org",
                                        "password": PASSWORD})
    if status != 302:
        log["errors"].append(f"sign-in of p{number} on {base}: {status}")
        return
    while time.monotonic() < until:
        started = time.perf_counter()
        roll = random.random()
        if roll < 0.4:
            status, _ = browser.get("/practices/")
            kind = "read"
        elif roll < 0.7:
            status, _ = browser.get("/search?q=" + random.choice(["water", "fund", "year"]))
            kind = "search"
        else:
            topic = random.choice([t for i, t in enumerate(topics) if i != number])
            marker = word()
            status, _ = browser.post(f"/discussions/t/{topic}/reply",
                                     {"body": f"Our first year: {marker}."},
                                     page=f"/discussions/t/{topic}")
            kind = "write"
            if status == 302:
                # The reply's page of its topic (a long topic has several pages).
                log["acknowledged"].append((browser.location or f"/discussions/t/{topic}",
                                            marker, base))
        log["times"].setdefault(kind, []).append(time.perf_counter() - started)
        log["statuses"][status] += 1


def check(hosts, acknowledged, seconds=60):
    """Return (missing from their topic's page, missing from search) over both hosts."""
    deadline = time.monotonic() + seconds
    browsers = [Browser(host) for host in hosts]
    unseen = {(page, marker, browser.base) for page, marker, _ in acknowledged
              for browser in browsers}
    unsearchable = set(unseen)
    while (unseen or unsearchable) and time.monotonic() < deadline:
        for page, marker, base in list(unseen):
            if marker in Browser(base).get(page)[1]:
                unseen.discard((page, marker, base))
        for page, marker, base in list(unsearchable):
            if marker in Browser(base).get(f"/search?q={marker}")[1]:
                unsearchable.discard((page, marker, base))
        if unseen or unsearchable:
            time.sleep(1)
    return unseen, unsearchable


def mail_figures(database_url, instances):
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        queued = connection.execute(sa.text(
            "SELECT status, count(*) FROM outgoing_mail GROUP BY status")).all()
        twice = connection.execute(sa.text(
            "SELECT count(*) FROM (SELECT body FROM outgoing_mail GROUP BY body "
            "HAVING count(*) > 1) AS doubled")).scalar()
    engine.dispose()
    files = [path.read_text(errors="replace") for instance in instances
             for path in (instance / "mail").glob("*.eml")]
    sent = Counter((re.search(r"^To: (.*)$", text, re.M).group(1), marker) for text in files
                   for marker in set(re.findall(r"zq[a-z]{10}", text)))
    return dict(queued), twice, len(files), sum(1 for n in sent.values() if n > 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--engine", default="whoosh", help="SEARCH_ENGINE of both hosts")
    options = parser.parse_args()

    from nanum import pgcluster

    folder = Path(tempfile.mkdtemp(prefix="nanum-two-hosts-"))
    folder.chmod(0o755)  # as root, the cluster runs as `postgres`, who must reach its folder
    processes = []
    failed = True
    try:
        database_url = pgcluster.start(folder / "postgresql", durable=False)
        shared = {**os.environ, "NANUM_DATABASE_URL": database_url,
                  "NANUM_SEARCH_ENGINE": options.engine,
                  "NANUM_SEARCH_INDEX_DIR": str(folder / "shared" / "search_index"),
                  "NANUM_UPLOAD_DIR": str(folder / "shared" / "uploads"),
                  "NANUM_SECRET_KEY": "two-hosts", "NANUM_RATELIMIT_ENABLED": "0",
                  "NANUM_LOGIN_THROTTLE_ACCOUNT": "1000 per minute",
                  "NANUM_DISCUSSIONS_MENTIONS_PER_HOUR": "1000"}
        subprocess.run([BIN / "nanum", "db", "upgrade"], env=shared, check=True,
                       capture_output=True)
        topics = prepare({**shared, "NANUM_INSTANCE_PATH": str(folder / "setup")},
                         options.clients)
        hosts, instances = [], []
        for name in ("host-a", "host-b"):
            instance, port = folder / name, free_port()
            env = {**shared, "NANUM_INSTANCE_PATH": str(instance), "NANUM_MAIL_BACKEND": "file",
                   "NANUM_BIND": f"127.0.0.1:{port}"}
            log = open(folder / f"{name}.log", "w")
            processes.append(subprocess.Popen(
                [BIN / "gunicorn", "--config", ROOT / "gunicorn.conf.py", "nanum:create_app()"],
                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
            hosts.append(f"http://127.0.0.1:{port}")
            instances.append(instance)
        for host, process in zip(hosts, processes, strict=True):
            wait_until_up(host + "/", process)

        log = {"acknowledged": [], "times": {}, "statuses": Counter(), "errors": []}
        until = time.monotonic() + options.seconds
        workers = [threading.Thread(target=client, args=(n, hosts, topics, until, log))
                   for n in range(options.clients)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        unseen, unsearchable = check(hosts, log["acknowledged"])
        time.sleep(12)  # two rounds of the mail workers (every 5 s)
        queued, queued_twice, sent_files, sent_twice = mail_figures(database_url, instances)

        requests = sum(log["statuses"].values())
        print(f"two hosts, {options.clients} clients, {options.seconds:g} s, "
              f"search engine {options.engine}")
        print(f"requests: {requests} ({requests / options.seconds:.1f}/s); statuses: "
              f"{dict(sorted(log['statuses'].items()))}")
        for kind, times in sorted(log["times"].items()):
            times.sort()
            print(f"  {kind:<7} {len(times):>5}  median {statistics.median(times) * 1000:6.1f} ms"
                  f"  p95 {times[int(len(times) * 0.95)] * 1000:6.1f} ms")
        acknowledged = len(log["acknowledged"])
        checks = acknowledged * len(hosts)
        print(f"acknowledged replies: {acknowledged}; on their topic's page: "
              f"{checks - len(unseen)}/{checks}; found by search: "
              f"{checks - len(unsearchable)}/{checks} (both hosts)")
        print(f"mail: {queued} by status; bodies queued twice: {queued_twice}; "
              f".eml files written: {sent_files}; replies mailed twice: {sent_twice}")
        for error in log["errors"]:
            print("error:", error)
        failed = (unseen or unsearchable or queued_twice or sent_twice or log["errors"]
                  or any(status >= 500 for status in log["statuses"]))
        print("FAILED" if failed else "OK: every acknowledged write on both hosts, no mail twice")
        return 1 if failed else 0
    finally:
        stop_processes(processes, seconds=20)
        pgcluster.remove(folder / "postgresql")
        if failed:
            print(f"The hosts' logs and instance folders are kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
