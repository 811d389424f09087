"""Fault drills: processes of the `make run` set-up killed in the middle of a write burst.

Sets up a small fresh instance as bench/load.py does (the same `nanum` commands), serves it
with gunicorn.conf.py and, for each drill in turn, lets signed-in members reply under
practices (which queues mail to the members watching them) for `--burst` seconds while the
drill strikes halfway through. After each drill it checks and prints:

- every reply the site acknowledged (a redirect) is in the database and found by search;
- the web workers and both helpers (indexer, mail worker) are running again, and how long
  they took to come back;
- the mail queue drains: nothing pending or failed, and no reply's mail written twice
  (the mail goes to .eml files, the project's file backend).

Drills, in order: `worker` (kill -9 of one web worker), `indexer`, `mailer` (kill -9 of the
helpers), `master` (kill -9 of the gunicorn master, then the server is started again as a
service manager would: no helper of the old server may linger beside the new one's),
`index-deleted` and `index-corrupted` (the search index folder removed, or every file of it
overwritten, while serving: search must answer without a 5xx, say it is being rebuilt, and
recover unaided).

    .venv/bin/python bench/faults.py [--drills worker indexer mailer master] [--burst 12]

Exit status 1 when a check failed.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import loadkit
from loadkit import Client, marker

HERE = Path(__file__).resolve().parent
DRILLS = {"worker": "kill -9 of a web worker", "indexer": "kill -9 of the search indexer",
          "mailer": "kill -9 of the mail worker", "master": "kill -9 of the gunicorn master",
          "index-deleted": "the search index folder deleted",
          "index-corrupted": "every file of the search index overwritten with garbage",
          "sqlite-busy": "SQLite's write lock held by another process longer than the wait",
          "pg-restart": "PostgreSQL stopped for a few seconds and started again",
          "smtp-down": "the mail server hanging up on every connection",
          "disk-full": "the uploads folder full (a 256 KB tmpfs mounted on it)"}
HELPERS = {"indexer": "search indexer", "mailer": "notifications worker"}


def children(pid):
    """(pid, command line) of the processes whose parent is `pid`."""
    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True,
                         text=True).stdout
    return [(int(line.split(None, 1)[0]), line.split(None, 1)[1]) for line in
            out.strip().splitlines() if line.strip()]


def processes(master):
    found = {"worker": [], "indexer": [], "mailer": []}
    for pid, args in children(master):
        kind = next((k for k, words in HELPERS.items() if words in args), "worker")
        found[kind].append(pid)
    return found


def helpers_anywhere(instance):
    """(pid, command line) of every `nanum search indexer` and `nanum notifications worker`
    of this instance, whoever their parent is."""
    out = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout
    mine = f"NANUM_INSTANCE_PATH={instance.folder / 'instance'}".encode()
    found = []
    for line in out.splitlines():
        pid, _, args = line.strip().partition(" ")
        if "nanum" not in args or not any(words in args for words in HELPERS.values()):
            continue
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile
        if mine in environ:
            found.append((int(pid), args))
    return found


class Burst:
    """Members replying under practices until stopped; the acknowledged replies."""

    def __init__(self, base, emails, practices):
        self.base, self.emails, self.practices = base, emails, practices
        self.acknowledged, self.errors = [], Counter()
        self.failed_at = []  # time.monotonic() of every 5xx, timeout or refused connection
        self.acknowledged_at = []
        self.signed_in = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def record(self, route, status, seconds):
        if not isinstance(status, int) or status >= 500:
            with self.lock:
                self.errors[f"{route} {status}"] += 1
                self.failed_at.append(time.monotonic())

    def member(self, number):
        client = Client(self.base, self.record)
        while not client.sign_in(self.emails[number]) and not self.stop.is_set():
            time.sleep(0.5)
        with self.lock:
            self.signed_in += 1
        while not self.stop.is_set():
            practice = self.practices[number % len(self.practices)]
            client.get("practice", f"/practices/{practice}")
            word = marker()
            response = client.post("reply", f"/practices/{practice}/discussion",
                                   {"body": f"Noted, {word}.", "parent_id": ""})
            if response is not None and response.status_code == 302:
                with self.lock:
                    self.acknowledged.append(word)
                    self.acknowledged_at.append(time.monotonic())

    def run(self, seconds, strike, at, after=None):
        threads = [threading.Thread(target=self.member, args=(n,))
                   for n in range(len(self.emails))]
        for thread in threads:
            thread.start()
        # The burst begins once every member is signed in (a sign-in costs seconds on a
        # busy machine), so that the strike meets members writing.
        wait_for(lambda: self.signed_in == len(threads), 120)
        time.sleep(at)
        struck_at = time.monotonic()
        struck = strike()
        self.after = after(struck) if after and struck is not None else None
        time.sleep(max(0.0, seconds - at - (time.monotonic() - struck_at)))
        self.stop.set()
        for thread in threads:
            thread.join()
        return struck


def connected(pid, port):
    """Whether process `pid` has an established TCP connection to 127.0.0.1:`port`."""
    try:
        sockets = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        table = Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return False
    for line in table:
        fields = line.split()
        remote, state, inode = fields[2], fields[3], fields[9]
        if (state == "01" and int(remote.split(":")[1], 16) == port
                and f"socket:[{inode}]" in sockets):
            return True
    return False


def wait_for(condition, seconds):
    """Seconds until `condition()` held, or None after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.25)
    return None


class Drills:
    def __init__(self, instance, emails, practices, burst, workers):
        self.instance, self.emails, self.practices = instance, emails, practices
        self.burst, self.workers = burst, workers
        self.failed = []

    def check(self, label, ok, detail=""):
        print(f"  [{'ok' if ok else 'FAILED'}] {label}{': ' + detail if detail else ''}")
        if not ok:
            self.failed.append(label)

    def strike(self, drill):
        master = self.instance.gunicorn.pid
        if drill in ("index-deleted", "index-corrupted"):
            return self.break_index(drill)
        if drill == "pg-restart":
            return self.restart_postgres()
        if drill == "master":
            os.kill(master, signal.SIGKILL)
            return master
        victims = processes(master)[drill]
        if not victims:
            return None
        os.kill(victims[0], signal.SIGKILL)
        return victims[0]

    def run(self, drill):
        if drill == "sqlite-busy":
            return self.sqlite_busy()
        if drill == "smtp-down":
            return self.smtp_down()
        if drill == "disk-full":
            return self.disk_full()
        if drill == "pg-restart" and self.instance.database != "postgres":
            return print(f"\nDrill: {DRILLS[drill]}\n  (skipped: not on PostgreSQL)")
        print(f"\nDrill: {DRILLS[drill]} in the middle of a write burst")
        before = self.before = processes(self.instance.gunicorn.pid)
        burst = Burst(self.instance.url, self.emails, self.practices)
        helper = drill in ("worker", "indexer", "mailer")
        victim = burst.run(self.burst, lambda: self.strike(drill), self.burst / 2,
                           self.back if helper else None)
        self.check(f"struck: {DRILLS[drill]}", victim is not None, str(victim))
        if drill == "master":
            self.restart(before)
        elif drill in ("index-deleted", "index-corrupted"):
            self.check("the burst went on: replies acknowledged, no client error",
                       burst.acknowledged and not burst.errors,
                       f"{len(burst.acknowledged)} acknowledged; errors: {dict(burst.errors)}")
            self.index_recovers()
        elif drill == "pg-restart":
            self.postgres_recovered(burst)
        else:
            waited = burst.after
            self.check(f"{self.workers} workers, the indexer and the mail worker running again",
                       waited is not None, f"{waited:.1f} s after the kill, during the burst"
                       if waited is not None else "not within 30 s")
        self.writes(burst)
        self.mail()

    def break_index(self, drill):
        folder = self.instance.folder / "instance" / "search_index"
        if drill == "index-deleted":
            shutil.rmtree(folder)
            return str(folder)
        for path in folder.rglob("*"):
            if path.is_file():
                path.write_bytes(b"\x00garbage" * 16)
        return str(folder)

    def index_recovers(self):
        client = Client(self.instance.url, self.record_search)
        self.search_errors, seen = Counter(), {"rebuilding": False}

        def recovered():
            response = client.get("search", "/search?q=water")
            if response is None or response.status_code != 200:
                return False
            if "Search is being rebuilt" in response.text:
                seen["rebuilding"] = True
                return False
            return 'href="/practices/' in response.text

        waited = wait_for(recovered, 180)
        self.check("search answered while the index was rebuilt, never with a 5xx",
                   not self.search_errors, str(dict(self.search_errors)))
        self.check("search said it was being rebuilt, or had already recovered",
                   True, "it said so" if seen["rebuilding"] else "already recovered")
        self.check("search recovered unaided", waited is not None,
                   f"{waited:.1f} s after the burst" if waited is not None else "not in 180 s")

    def restart_postgres(self):
        from nanum import pgcluster

        cluster = self.instance.folder / "postgresql"
        port = int(self.instance.database_url.rsplit(":", 1)[1].split("/")[0])
        self.stopping_at = time.monotonic()
        pgcluster.stop(cluster)
        self.down_at = time.monotonic()
        time.sleep(3)
        pgcluster.start(cluster, port)
        self.up_at = time.monotonic()
        return (f"stopped in {self.down_at - self.stopping_at:.1f} s, down 3 s, started "
                f"in {self.up_at - self.down_at - 3:.1f} s, on port {port}")

    def postgres_recovered(self, burst):
        """Failures only while the server stopped, was down or started; then every worker
        and helper works again, without restarting Nanum."""
        statuses = dict(burst.errors)
        self.check("while it was down, requests failed with 503 only (no 500)",
                   not any(" 500" in key for key in statuses), str(statuses or "none"))
        grace = 2.0  # a request sent just before the server was back may still fail
        late = [at - self.up_at for at in burst.failed_at if at > self.up_at + grace]
        early = [at for at in burst.failed_at if at < self.stopping_at]
        self.check("requests failed only while PostgreSQL was stopping, down or starting",
                   not late and not early,
                   f"{len(burst.failed_at)} failed; {len(early)} before the stop, "
                   f"{len(late)} later than {grace:g} s after the start"
                   + (f" (the last {max(late):.1f} s after)" if late else ""))
        before = sum(1 for at in burst.acknowledged_at if at < self.stopping_at)
        after = sum(1 for at in burst.acknowledged_at if at > self.up_at)
        self.check("replies acknowledged before the outage and after it, during the burst",
                   before > 0 and after > 0, f"{before} before, {after} after")
        master = self.instance.gunicorn.pid
        now = processes(master)
        self.check("no web worker or helper was restarted: the same processes serve",
                   sorted(sum(now.values(), [])) == sorted(sum(self.before.values(), [])),
                   f"before {self.before}, after {now}")
        served = self.every_worker_serves()
        self.check("every web worker answers again (no worker stuck on a dead connection)",
                   served == set(now["worker"]), f"{len(served)}/{len(now['worker'])} "
                   "workers answered a signed-in page and a reply")

    def every_worker_serves(self):
        """The pids of the web workers holding a connection to the restarted server after
        two signed-in requests per worker at once all answered (sync workers take one
        request each, so every worker gets some); each reconnected by itself."""
        port = int(self.instance.database_url.rsplit(":", 1)[1].split("/")[0])
        workers = processes(self.instance.gunicorn.pid)["worker"]
        clients = [Client(self.instance.url, lambda *args: None) for _ in workers * 2]
        answers = []

        def ask(client):
            client.sign_in(self.emails[0])
            page = client.get("practice", f"/practices/{self.practices[0]}")
            answers.append(page is not None and page.status_code == 200)

        threads = [threading.Thread(target=ask, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if not all(answers):
            return set()
        return {pid for pid in workers if connected(pid, port)}

    def smtp_down(self):
        """Serve again with SMTP pointed at a server that hangs up at once; a burst of
        replies must be as quick as before and its mail must wait, retried with backoff."""
        print(f"\nDrill: {DRILLS['smtp-down']} (the server is started again to send by SMTP)")
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]

        def hang_up():
            while True:
                try:
                    connection, _ = listener.accept()
                except OSError:
                    return
                connection.close()

        threading.Thread(target=hang_up, daemon=True).start()
        since = self.instance.sql("SELECT coalesce(max(id), 0) FROM outgoing_mail")[0][0]
        loadkit.stop_processes([self.instance.gunicorn], seconds=60)
        self.instance.env.update(NANUM_MAIL_BACKEND="smtp", NANUM_MAIL_SERVER="127.0.0.1",
                                 NANUM_MAIL_PORT=str(port))
        self.instance.serve()
        burst = Burst(self.instance.url, self.emails, self.practices)
        burst.run(self.burst, lambda: "nothing", self.burst / 2)
        self.check("every acknowledged reply is in the database while mail fails",
                   len(burst.acknowledged) > 0 and not burst.errors,
                   f"{len(burst.acknowledged)} acknowledged; errors: {dict(burst.errors)}")

        def tried():
            """Every mail queued since the drill began has had its first attempt."""
            return not self.instance.sql(
                "SELECT count(*) FROM outgoing_mail WHERE id > :i AND attempts = 0",
                i=since)[0][0]

        waited = wait_for(tried, 60)
        rows = self.instance.sql(
            "SELECT status, attempts, last_error, next_attempt_at FROM outgoing_mail "
            "WHERE id > :i", i=since)
        waiting = [row for row in rows if row[0] == "pending" and row[1] >= 1 and row[2]]
        self.check("the mail stays queued, with its error and a later next attempt",
                   waited is not None and len(waiting) == len(rows) and rows,
                   f"{len(waiting)}/{len(rows)} pending after a failed attempt; e.g. "
                   f"{rows[0][2] if rows else ''!s:.80}")
        listener.close()

    def disk_full(self):
        print(f"\nDrill: {DRILLS['disk-full']}")
        folder = self.instance.folder / "instance" / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs",
                                  str(folder)], capture_output=True, text=True)
        if mounted.returncode:
            return print(f"  (skipped: no tmpfs: {mounted.stderr.strip()}; the test "
                         "test_a_full_disk_is_told_and_leaves_no_half_written_file covers it)")
        try:
            try:
                with open(folder / "filler", "wb") as filler:
                    while True:
                        filler.write(b"\0" * 4096)
                        filler.flush()
            except OSError:
                pass  # full
            client = Client(self.instance.url, self.record_search)
            self.search_errors = Counter()
            client.sign_in(self.emails[0])
            practice = self.practices[0]
            client.get("practice", f"/practices/{practice}")
            pdf = b"%PDF-1.4\n" + b"0" * 100_000 + b"\n%%EOF\n"
            response = client.request("upload", "POST", f"/practices/{practice}/attachments",
                                      data={"csrf_token": client.token or ""},
                                      files={"file": ("full-disk.pdf", pdf, "application/pdf")})
            landing = client.follow(response) or ""
            self.check("the upload was answered without a 5xx", response is not None
                       and response.status_code < 500 and not self.search_errors,
                       str(response.status_code if response is not None else "no answer"))
            self.check("the uploader reads that nothing was saved",
                       "no room for it just now" in landing)
            left = sorted(path.name for path in folder.iterdir())
            self.check("no half-written file in the uploads folder", left == ["filler"],
                       str(left))
            self.check("no attachment recorded", not self.instance.sql(
                "SELECT count(*) FROM attachments WHERE original_name = 'full-disk.pdf'")[0][0])
        finally:
            subprocess.run(["umount", str(folder)], capture_output=True)

    def sqlite_busy(self):
        print(f"\nDrill: {DRILLS['sqlite-busy']}")
        if self.instance.database != "sqlite":
            return print("  (skipped: not on SQLite)")
        import sqlite3

        client = Client(self.instance.url, lambda *args: None)
        client.sign_in(self.emails[0])
        practice = self.practices[0]
        client.get("practice", f"/practices/{practice}")
        holder = sqlite3.connect(self.instance.folder / "instance" / "nanum.sqlite",
                                 isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer that keeps the lock
        word = marker()
        try:
            started = time.monotonic()
            response = client.post("reply", f"/practices/{practice}/discussion",
                                   {"body": f"Busy, {word}.", "parent_id": ""})
            waited = time.monotonic() - started
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        status = response.status_code if response is not None else "no answer"
        self.check("the reply waited, then was refused with 503 and Retry-After, not 500",
                   status == 503 and response.headers.get("Retry-After") is not None,
                   f"{status} after {waited:.1f} s")
        self.check("the page asks to try again and says nothing was changed",
                   response is not None and "Nothing was changed" in response.text
                   and "try again" in response.text)
        self.check("nothing of the refused reply was stored", not self.instance.sql(
            "SELECT count(*) FROM posts WHERE body LIKE :w", w=f"%{word}%")[0][0])
        client.get("practice", f"/practices/{practice}")
        again = client.post("reply", f"/practices/{practice}/discussion",
                            {"body": f"Busy, {word}.", "parent_id": ""})
        self.check("the same reply goes through once the lock is released",
                   again is not None and again.status_code == 302)

    def record_search(self, route, status, seconds):
        if not isinstance(status, int) or status >= 500:
            self.search_errors[status] += 1

    def back(self, victim):
        """Seconds until the master runs every worker and helper again, without `victim`."""
        master = self.instance.gunicorn.pid

        def whole():
            now = processes(master)
            return (len(now["worker"]) == self.workers and len(now["indexer"]) == 1
                    and len(now["mailer"]) == 1 and victim not in sum(now.values(), []))

        return wait_for(whole, 30)

    def restart(self, before):
        old_helpers = set(before["indexer"] + before["mailer"])
        old = wait_for(lambda: not {pid for pid, _ in helpers_anywhere(self.instance)}
                       & old_helpers, 20)
        self.check("the old server's helpers stopped by themselves", old is not None,
                   f"{old:.1f} s" if old is not None else "still running after 20 s")
        workers = wait_for(lambda: not any(
            os.path.exists(f"/proc/{pid}") for pid in before["worker"]), 20)
        self.check("the old server's web workers stopped", workers is not None)
        self.instance.serve()  # as systemd's Restart=always would
        waited = wait_for(lambda: len(helpers_anywhere(self.instance)) == 2, 30)
        self.check("the new server runs exactly one indexer and one mail worker",
                   waited is not None, str(helpers_anywhere(self.instance)))

    def writes(self, burst):
        acknowledged = burst.acknowledged
        stored = sum(1 for word in acknowledged if self.instance.sql(
            "SELECT count(*) FROM posts WHERE body LIKE :w", w=f"%{word}%")[0][0])
        self.check("every acknowledged reply is in the database", stored == len(acknowledged),
                   f"{stored}/{len(acknowledged)}; errors seen by clients: "
                   f"{dict(burst.errors) or 'none'}")
        checker = Client(self.instance.url, lambda *args: None)
        checker.sign_in(self.emails[0])
        left = set(acknowledged)

        def searchable():
            for word in list(left):
                response = checker.get("check", f"/search?q={word}")
                if response is not None and word in response.text:
                    left.discard(word)
            return not left

        waited = wait_for(searchable, 60)
        self.check("the index caught up: every acknowledged reply found by search",
                   waited is not None, f"{waited:.1f} s after the burst" if waited is not None
                   else f"{len(left)} not found after 60 s")

    def mail(self):
        def drained():
            return not self.instance.sql("SELECT count(*) FROM outgoing_mail WHERE status "
                                         "<> 'sent'")[0][0]

        # Mail claimed by a killed mail worker is due again after its lease (60 s).
        waited = wait_for(drained, 90)
        statuses = dict(self.instance.sql(
            "SELECT status, count(*) FROM outgoing_mail GROUP BY status"))
        self.check("the mail queue drained (nothing pending or failed)", waited is not None,
                   str(statuses))
        folder = self.instance.folder / "instance" / "mail"
        sent = Counter()
        for path in folder.glob("*.eml"):
            text = path.read_text(errors="replace")
            to = re.search(r"^To: (.*)$", text, re.M)
            for word in set(re.findall(r"zq[a-z]{10}", text)):
                sent[(to.group(1) if to else "", word)] += 1
        twice = [key for key, count in sent.items() if count > 1]
        self.check("no reply mailed twice to anyone", not twice,
                   f"{len(sent)} (recipient, reply) mails written; twice: {twice[:5]}")


def watch_everything(instance, emails, practices):
    """Every member watches the burst's practices and asks for immediate mail."""
    for email in emails:
        client = Client(instance.url, lambda *args: None)
        client.sign_in(email)
        client.get("settings", "/account/notifications")
        client.post("settings", "/account/notifications",
                    {"email_notifications": "immediate"})
        for practice in practices:
            client.get("practice", f"/practices/{practice}")
            client.post("watch", "/watch", {"type": "practice", "key": practice,
                                            "next": f"/practices/{practice}"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drills", nargs="+", default=list(DRILLS), choices=list(DRILLS))
    parser.add_argument("--burst", type=float, default=12, help="seconds of each write burst")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--practices", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    options = parser.parse_args()

    folder = options.out / f"faults-{options.database}"
    print(f"Preparing {folder} ({options.database})…", flush=True)
    instance = loadkit.Instance(folder, options.database, options.workers)
    try:
        emails = instance.prepare(options.practices, options.clients)
        instance.serve()
        organisation = instance.sql("SELECT id FROM organisations WHERE name = :n",
                                    n=loadkit.ORGANISATION)[0][0]
        practices = [row[0] for row in instance.sql(
            "SELECT id FROM practices WHERE organisation_id = :o AND status = 'published' "
            "ORDER BY id LIMIT 4", o=organisation)]
        watch_everything(instance, emails[:3], practices)
        drills = Drills(instance, emails, practices, options.burst, options.workers)
        # In the table's order whatever the command line's: the SMTP drill, which leaves
        # the mail undeliverable, comes after every drill that checks the mail queue.
        for drill in [name for name in DRILLS if name in options.drills]:
            drills.run(drill)
    finally:
        instance.stop()
    print("\nFAILED: " + "; ".join(drills.failed) if drills.failed else "\nOK: every check held")
    return 1 if drills.failed else 0


if __name__ == "__main__":
    sys.exit(main())
