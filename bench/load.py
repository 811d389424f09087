"""Nanum under a workshop's load: a bounded mixed workload against the production set-up.

Sets up a fresh instance under `--out` through the `nanum` commands (migrations, demo
content, `--practices` generated practices imported, `--clients` member accounts imported),
serves it as `make run` does (gunicorn.conf.py: NANUM_WORKERS web workers, the indexer and
the mail worker) on 127.0.0.1, and lets `--clients` signed-in members use it for `--seconds`:
browsing and SDG pages 50 %, search 30 %, writes 20 % (replying under practices, editing
their organisation's practices, flagging, watching; every write through the real form and its
CSRF token, and a browser's follow of the redirect). Then it prints requests/s and
p50/p95/p99 per route, every 5xx and timeout, and checks every acknowledged write: in the
database, and (replies and edits) found by the site's search within `--search-wait` seconds.
Last, a hello-world app on the same gunicorn settings gives the machine's ceiling.

    .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--database postgres]

Exit status 1 when a request got a 5xx or timed out, or an acknowledged write is missing.
"""

import argparse
import json
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import loadkit
from loadkit import Client, marker

HERE = Path(__file__).resolve().parent
WORDS = ["water", "community", "budget", "waste", "youth", "housing", "climate", "schools",
         "mangroves", "women", "sanitation", "transport", "sdg:6", "sdg:11 water",
         "\"participatory budgeting\"", "flood -drought", "wter"]
GOALS = [str(goal) for goal in range(1, 18)]
HELLO_APP = "def app(environ, start_response):\n" \
            "    start_response('200 OK', [('Content-Type', 'text/plain')])\n" \
            "    return [b'Hello, World!']\n"


class Log:
    """Every request's route, status and time, and every acknowledged write."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.failures = []  # (route, status) of every 5xx, timeout and refused connection
        self.writes = []  # (kind, details...) acknowledged by the site

    def record(self, route, status, seconds):
        with self.lock:
            self.times[route].append(seconds)
            self.statuses[route][status] += 1
            if not isinstance(status, int) or status >= 500:
                self.failures.append((route, status))

    def acknowledged(self, *write):
        with self.lock:
            self.writes.append(write)


class Member:
    """One signed-in member's session of the workload."""

    def __init__(self, number, email, base, pools, log):
        self.number, self.email, self.log = number, email, log
        self.client = Client(base, log.record)
        self.mine = pools["edit"][number::pools["clients"]] or pools["edit"]
        self.to_flag = list(pools["flag"][number::pools["clients"]])
        self.pools = pools
        self.summaries = {}

    def browse(self):
        pools = self.pools
        choice = random.random()
        if choice < 0.2:
            self.client.get("home", "/")
        elif choice < 0.35:
            self.client.get("practices", f"/practices/?page={random.randint(1, 5)}")
        elif choice < 0.65:
            self.client.get("practice", f"/practices/{random.choice(pools['all'])}")
        elif choice < 0.75:
            self.client.get("sdg index", "/sdg/")
        elif choice < 0.9:
            self.client.get("sdg goal", f"/sdg/{random.choice(GOALS)}")
        else:
            self.client.get("discussions", "/discussions/")

    def search(self):
        query = random.choice(WORDS)
        page = "&page=2" if random.random() < 0.1 else ""
        self.client.get("search", f"/search?q={query}{page}")

    def reply(self):
        practice = random.choice(self.mine)
        self.client.get("practice", f"/practices/{practice}")
        word = marker()
        response = self.client.post("reply", f"/practices/{practice}/discussion",
                                    {"body": f"In our town this worked too: {word}.",
                                     "parent_id": ""})
        if response is not None and response.status_code == 302:
            self.log.acknowledged("reply", word)
            self.client.follow(response)

    def edit(self):
        practice = random.choice(self.mine)
        form = self.client.get("edit form", f"/practices/{practice}/edit")
        if form is None or form.status_code != 200:
            return
        fields = loadkit.form_fields(form.text, f"/practices/{practice}/edit")
        summary = self.summaries.setdefault(practice, dict(fields).get("summary", ""))
        word = marker()
        fields = [(k, v) for k, v in fields if k not in ("summary", "action")]
        fields += [("summary", f"{summary} Updated: {word}."), ("action", "save")]
        response = self.client.post("edit", f"/practices/{practice}/edit", fields)
        if response is not None and response.status_code == 302:
            self.log.acknowledged("edit", word, practice, time.monotonic())
            self.client.follow(response)

    def flag(self):
        if not self.to_flag:
            return self.watch()
        practice = self.to_flag.pop()
        self.client.get("practice", f"/practices/{practice}")
        word = marker()
        response = self.client.post("flag", f"/flag/practice/{practice}",
                                    {"reason": "inaccurate", "message": f"Check {word}",
                                     "next": f"/practices/{practice}"})
        landing = self.client.follow(response)
        if landing and "moderators will look" in landing:
            self.log.acknowledged("flag", word, practice, self.email)

    def watch(self):
        practice = random.choice(self.pools["all"])
        self.client.get("practice", f"/practices/{practice}")
        response = self.client.post("watch", "/watch", {"type": "practice", "key": practice,
                                                        "next": f"/practices/{practice}"})
        landing = self.client.follow(response)
        if landing and "You are watching" in landing:
            self.log.acknowledged("watch", str(practice), practice, self.email)

    def sign_in(self, log, wait):
        """Sign in, waiting up to `wait` seconds for each answer, recorded in `log`."""
        self.client.record, self.client.timeout = log.record, wait
        self.signed_in = self.client.sign_in(self.email)
        if not self.signed_in:
            log.record("sign-in failed", "failed", 0.0)
        self.client.record, self.client.timeout = self.log.record, loadkit.TIMEOUT

    def run(self, until):
        if not self.signed_in:
            return
        writes = (self.reply, self.reply, self.edit, self.flag, self.watch)
        while time.monotonic() < until:
            roll = random.random()
            if roll < 0.5:
                self.browse()
            elif roll < 0.8:
                self.search()
            else:
                random.choice(writes)()


def pools_of(instance, clients):
    organisation = instance.sql("SELECT id FROM organisations WHERE name = :name",
                                name=loadkit.ORGANISATION)[0][0]
    rows = instance.sql("SELECT id, organisation_id FROM practices WHERE status = 'published' "
                        "ORDER BY id")
    edit = [pid for pid, owner in rows if owner == organisation]
    others = [pid for pid, owner in rows if owner != organisation]
    random.Random(3).shuffle(others)
    flag = others[: clients * 10]  # some will be hidden by their flags; nobody edits them
    return {"edit": edit, "flag": flag, "all": edit + others[clients * 10:],
            "clients": clients}


class Activity:
    """Snapshots of PostgreSQL's pg_stat_activity once a second during the workload: how
    many of Nanum's connections are active, idle or idle in a transaction, what they wait
    for, and the longest-running statements. Written to a JSON-lines file and summed up."""

    QUERY = ("SELECT pid, application_name AS application, backend_type AS backend, state, "
             "wait_event_type AS wait_type, wait_event AS wait, "
             "extract(epoch FROM now() - query_start) AS query_s, "
             "extract(epoch FROM now() - xact_start) AS xact_s, left(query, 120) AS query "
             "FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = "
             "current_database()")

    def __init__(self, instance, path, every=1.0):
        self.instance, self.path, self.every = instance, path, every
        self.stop = threading.Event()
        self.samples = []
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        with self.path.open("w") as out:
            while not self.stop.wait(self.every):
                try:
                    rows = self.instance.sql(self.QUERY)
                except Exception as error:  # noqa: BLE001 - a lost sample is not a failure
                    out.write(json.dumps({"error": str(error)}) + "\n")
                    continue
                sample = [dict(row._mapping) for row in rows]
                for row in sample:
                    for key in ("query_s", "xact_s"):
                        row[key] = float(row[key]) if row[key] is not None else None
                self.samples.append(sample)
                out.write(json.dumps({"t": time.time(), "rows": sample}) + "\n")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def summary(self):
        """Print the figures the snapshots give."""
        if not self.samples:
            return print("pg_stat_activity: no snapshot")
        states, waits, active, idle = Counter(), Counter(), {}, {}
        peak = 0
        for sample in self.samples:
            peak = max(peak, len(sample))
            for row in sample:
                states[row["state"] or row["backend"]] += 1
                if row["state"] == "active" and row["wait_type"]:
                    waits[f"{row['wait_type']}:{row['wait']}"] += 1
                if row["state"] == "active" and row["query_s"]:
                    active[row["query"]] = max(active.get(row["query"], 0), row["query_s"])
                if row["state"] == "idle in transaction" and row["xact_s"]:
                    idle[row["query"]] = max(idle.get(row["query"], 0), row["xact_s"])
        count = len(self.samples)
        print(f"pg_stat_activity, {count} snapshots ({self.path.name}): at most {peak} "
              "connections; on average "
              + ", ".join(f"{state} {n / count:.1f}" for state, n in states.most_common()))
        print("  waits of active statements (snapshots): "
              + (", ".join(f"{wait} {n}" for wait, n in waits.most_common(8)) or "none"))
        for title, longest in (("longest-running statements", active),
                               ("longest transactions idle between statements", idle)):
            print(f"  {title}:" + ("" if longest else " none"))
            for query, seconds in sorted(longest.items(), key=lambda kv: -kv[1])[:4]:
                print(f"    {seconds:6.2f} s  {' '.join(query.split())[:90]}")


def all_at_once(functions):
    threads = [threading.Thread(target=function) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def sign_in_all(members, wait):
    """Every member signs in at the same moment, as a workshop's room does when told to;
    return the sign-ins' log and the seconds until the last was signed in."""
    log = Log()
    started = time.monotonic()
    all_at_once([lambda member=member: member.sign_in(log, wait) for member in members])
    return log, time.monotonic() - started


def run_workload(members, seconds):
    until = time.monotonic() + seconds
    all_at_once([lambda member=member: member.run(until) for member in members])


def percentile(values, fraction):
    return values[min(len(values) - 1, int(len(values) * fraction))] * 1000


def print_routes(log, seconds):
    total = sum(len(times) for times in log.times.values())
    print(f"\n{total} requests in {seconds:g} s: {total / seconds:.1f} requests/s")
    print(f"{'route':<14}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    for route, times in sorted(log.times.items()):
        times.sort()
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(log.statuses[route].items(),
                                                             key=str))
        print(f"{route:<14}{len(times):>7}{percentile(times, .5):>9.0f}"
              f"{percentile(times, .95):>9.0f}{percentile(times, .99):>9.0f}  {statuses}")
    failures = Counter(log.failures)
    print(f"5xx, timeouts and refused connections: {sum(failures.values())}"
          + "".join(f"\n  {route}: {status} x{n}" for (route, status), n in failures.items()))
    return total


def stored(instance, kind, word, rest):
    """Whether one acknowledged write is in the database."""
    if kind == "reply":
        return instance.sql("SELECT count(*) FROM posts WHERE body LIKE :w",
                            w=f"%{word}%")[0][0]
    if kind == "edit":
        return instance.sql("SELECT count(*) FROM practices WHERE id = :p AND summary LIKE :w",
                            p=rest[0], w=f"%{word}%")[0][0]
    if kind == "flag":
        return instance.sql(
            "SELECT count(*) FROM flags JOIN users ON users.id = flags.user_id WHERE "
            "users.email = :e AND target_type = 'practice' AND target_id = :p",
            e=rest[1], p=rest[0])[0][0]
    return instance.sql(
        "SELECT count(*) FROM watches JOIN users ON users.id = watches.user_id WHERE "
        "users.email = :e AND target_type = 'practice' AND target_key = :k",
        e=rest[1], k=str(rest[0]))[0][0]


def wait_searchable(base, email, words, wait):
    """Return the words the site's search has not found within `wait` seconds, and the
    seconds it took."""
    checker = Client(base, lambda *args: None)
    checker.sign_in(email)
    started = time.monotonic()
    unsearched = set(words)
    while unsearched and time.monotonic() - started < wait:
        for word in list(unsearched):
            response = checker.get("check", f"/search?q={word}")
            if response is not None and response.status_code == 200 and word in response.text:
                unsearched.discard(word)
        if unsearched:
            time.sleep(0.5)
    return unsearched, time.monotonic() - started


def check_writes(instance, base, emails, writes, wait):
    """Return the acknowledged writes missing from the database and from search."""
    latest = {}
    for kind, word, *rest in writes:
        if kind == "edit" and (rest[0] not in latest or latest[rest[0]][1] < rest[1]):
            latest[rest[0]] = (word, rest[1])
    missing, searchable = [], []
    for kind, word, *rest in writes:
        if kind == "edit" and latest[rest[0]][0] != word:
            continue  # a later edit of the same practice replaced it
        if kind in ("reply", "edit"):
            searchable.append(word)
        if not stored(instance, kind, word, rest):
            missing.append((kind, word))
    unsearched, waited = wait_searchable(base, emails[0], searchable, wait)
    return missing, unsearched, len(searchable), waited


def ceiling(folder, clients, seconds, workers):
    """Requests/s of hello-world on the same gunicorn settings, from the same clients."""
    (folder / "hello.py").write_text(HELLO_APP)
    port = loadkit.free_port()
    server = subprocess.Popen(
        [str(loadkit.BIN / "gunicorn"), "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--access-logfile", "-", "hello:app"],
        cwd=folder, stdout=open(folder / "hello.log", "w"), stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        loadkit.wait_until_up(base + "/", server)
        log = Log()
        until = time.monotonic() + seconds

        def hammer():
            client = Client(base, log.record)
            while time.monotonic() < until:
                client.get("hello", "/")

        threads = [threading.Thread(target=hammer) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        times = sorted(log.times["hello"])
        return len(times) / seconds, percentile(times, .5), percentile(times, .99)
    finally:
        loadkit.stop_processes([server])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--practices", type=int, default=3000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--search-wait", type=float, default=30,
                        help="seconds an acknowledged write may take to become searchable")
    parser.add_argument("--sign-in-wait", type=float, default=180,
                        help="seconds a member waits for each answer while all sign in at once")
    parser.add_argument("--ceiling-seconds", type=float, default=15)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    options = parser.parse_args()

    folder = options.out / f"load-{options.database}"
    print(f"Preparing {folder} ({options.database}, {options.practices} practices, "
          f"{options.clients} members)…", flush=True)
    instance = loadkit.Instance(folder, options.database, options.workers)
    try:
        emails = instance.prepare(options.practices, options.clients)
        base = instance.serve()
        pools = pools_of(instance, options.clients)
        print(f"Serving {base} with {options.workers} workers; {options.clients} clients for "
              f"{options.seconds:g} s…", flush=True)
        log = Log()
        members = [Member(n, email, base, pools, log) for n, email in enumerate(emails)]
        signing, took = sign_in_all(members, options.sign_in_wait)
        times = sorted(signing.times["sign-in"])
        print(f"{len(members)} members signing in at once: the last was signed in after "
              f"{took:.1f} s; each request p50 {percentile(times, .5):.0f} ms, p95 "
              f"{percentile(times, .95):.0f} ms; {len(signing.failures)} failed "
              f"(waiting up to {options.sign_in_wait:g} s for an answer)", flush=True)
        if options.database == "postgres":
            with Activity(instance, folder / "pg_stat_activity.jsonl") as activity:
                run_workload(members, options.seconds)
        else:
            run_workload(members, options.seconds)
        log.failures += signing.failures
        print_routes(log, options.seconds)
        if options.database == "postgres":
            activity.summary()
        missing, unsearched, searchable, waited = check_writes(
            instance, base, emails, log.writes, options.search_wait)
        kinds = Counter(kind for kind, *_ in log.writes)
        print(f"acknowledged writes: {len(log.writes)} {dict(kinds)}; missing from the "
              f"database: {len(missing)}; not found by search: {len(unsearched)}/{searchable} "
              f"(after {waited:.1f} s)")
        for kind, word in missing:
            print(f"  missing {kind} {word}")
        for word in sorted(unsearched):
            print(f"  not searchable: {word}")
        mail = dict(instance.sql("SELECT status, count(*) FROM outgoing_mail GROUP BY status"))
        print(f"mail queue: {mail}")
    finally:
        instance.stop()
    rate, p50, p99 = ceiling(folder, options.clients, options.ceiling_seconds, options.workers)
    print(f"ceiling (hello-world, same gunicorn, {options.workers} workers, {options.clients} "
          f"clients): {rate:.0f} requests/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    failed = log.failures or missing or unsearched
    print("FAILED" if failed else "OK: no 5xx, no timeout, every acknowledged write kept and "
          "searchable")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
