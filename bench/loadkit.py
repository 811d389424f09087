"""What bench/load.py and bench/faults.py share: a fresh instance served as `make run` serves
it, signed-in clients that fill in the site's real forms, and the checks of their writes."""

import csv
import os
import random
import re
import shutil
import socket
import string
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
from bs4 import BeautifulSoup
from stopping import stop_processes

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "a workshop of three hundred"
ORGANISATION = "Bench Municipality 1"  # import_bench's corpus gives it two thirds of it
TIMEOUT = 30  # seconds a client waits for an answer before counting a timeout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def marker():
    """A word found nowhere else, to look a write up afterwards."""
    return "zq" + "".join(random.choice(string.ascii_lowercase) for _ in range(10))


class Instance:
    """A fresh instance folder (and, for PostgreSQL, a cluster of its own) with the demo
    content, generated practices and member accounts, made through the `nanum` commands."""

    def __init__(self, folder, database="sqlite", workers=4):
        self.folder = Path(folder).resolve()
        self.database = database
        self.workers = workers
        self.processes = []
        self.url = None
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.folder.chmod(0o755)  # as root, the cluster runs as `postgres`
        self.env = {**os.environ, "NANUM_INSTANCE_PATH": str(self.folder / "instance"),
                    "NANUM_SEARCH_INDEX_DIR": str(self.folder / "instance" / "search_index"),
                    "NANUM_SECRET_KEY": "load-bench", "NANUM_MAIL_BACKEND": "file",
                    "NANUM_RATELIMIT_ENABLED": "0", "NANUM_WORKERS": str(workers),
                    "NANUM_LOGIN_THROTTLE_ACCOUNT": "10000 per minute",
                    "NANUM_DISCUSSIONS_MENTIONS_PER_HOUR": "10000"}
        if database == "postgres":
            from nanum import pgcluster

            self.env["NANUM_DATABASE_URL"] = pgcluster.start(self.folder / "postgresql")
            self.database_url = self.env["NANUM_DATABASE_URL"]
        else:
            self.database_url = f"sqlite:///{self.folder / 'instance' / 'nanum.sqlite'}"

    def nanum(self, *args, check=True):
        result = subprocess.run([str(BIN / "nanum"), *args], env=self.env, cwd=ROOT,
                                capture_output=True, text=True, timeout=1200)
        if check and result.returncode:
            raise SystemExit(f"`nanum {' '.join(args)}` failed:\n{result.stdout}"
                             f"{result.stderr[-3000:]}")
        return result

    def prepare(self, practices, members):
        """Demo content, `practices` imported practices and `members` accounts of the
        organisation that owns most of them; return the members' emails."""
        from import_bench import write_corpus

        corpus = self.folder / "practices.jsonl"
        write_corpus(corpus, practices, seed=11)
        people = self.folder / "members.csv"
        emails = [f"member{n}@example.org" for n in range(members)]
        with people.open("w", newline="") as stream:
            out = csv.writer(stream)
            out.writerow(["email", "name", "password", "role", "organisation"])
            for n, email in enumerate(emails):
                out.writerow([email, f"Member {n}", PASSWORD, "member", ORGANISATION])
        for args in (["db", "upgrade"], ["content", "cook"], ["demo", "load", "--once"],
                     ["practices", "import", str(corpus)], ["users", "import", str(people)],
                     ["search", "rebuild", "--if-missing"]):
            started = time.perf_counter()
            self.nanum(*args)
            print(f"  nanum {args[0]} {args[1]}: {time.perf_counter() - started:.1f} s",
                  flush=True)
        return emails

    def serve(self, log_name="gunicorn.log"):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        log = open(self.folder / log_name, "a")
        self.gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"),
             "nanum:create_app()"], env={**self.env, "NANUM_BIND": f"127.0.0.1:{port}"},
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(self.gunicorn)
        wait_until_up(self.url + "/", self.gunicorn)
        return self.url

    def sql(self, statement, **params):
        import sqlalchemy as sa

        if not hasattr(self, "_engine"):
            self._engine = sa.create_engine(self.database_url, pool_pre_ping=True)
        with self._engine.connect() as connection:
            return connection.execute(sa.text(statement), params).all()

    def stop(self):
        stop_processes(self.processes)
        if hasattr(self, "_engine"):
            self._engine.dispose()
        if self.database == "postgres":
            from nanum import pgcluster

            pgcluster.remove(self.folder / "postgresql")


def wait_until_up(url, process, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"the server for {url} exited with {process.returncode}")
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def form_fields(html, action):
    """The values a browser would send with the form posting to `action`."""
    page = BeautifulSoup(html, "html.parser")
    form = page.find("form", action=lambda value: value and urlsplit(value).path == action)
    if form is None:
        return None
    fields = []
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "textarea":
            fields.append((name, element.text))
        elif element.name == "select":
            chosen = element.find_all("option", selected=True)
            if not chosen and not element.has_attr("multiple"):
                chosen = element.find_all("option")[:1]
            fields.extend((name, option.get("value", option.text)) for option in chosen)
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                fields.append((name, element.get("value", "on")))
        elif element.get("type") not in ("submit", "button", "file", "reset"):
            fields.append((name, element.get("value", "")))
    return fields


TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class Client:
    """One person's browser: a cookie jar, a CSRF token taken from the pages it reads, and
    a record of every request (route, status, seconds)."""

    def __init__(self, base, record):
        self.base = base
        self.session = requests.Session()
        self.record = record  # callable(route, status, seconds)
        self.token = None
        self.timeout = TIMEOUT

    def request(self, route, method, path, **kwargs):
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, timeout=self.timeout,
                                            allow_redirects=False, **kwargs)
        except requests.Timeout:
            self.record(route, "timeout", time.perf_counter() - started)
            return None
        except requests.ConnectionError:
            self.record(route, "refused", time.perf_counter() - started)
            return None
        self.record(route, response.status_code, time.perf_counter() - started)
        match = TOKEN.search(response.text) if response.status_code == 200 else None
        if match:
            self.token = match.group(1)
        return response

    def get(self, route, path):
        return self.request(route, "GET", path)

    def post(self, route, path, data):
        if isinstance(data, dict):
            data = {**data, "csrf_token": self.token or ""}
        else:
            data = [(k, v) for k, v in data if k != "csrf_token"]
            data.append(("csrf_token", self.token or ""))
        return self.request(route, "POST", path, data=data)

    def follow(self, response, route="(redirect)"):
        """Load the page a redirect points to, as a browser does; return its text."""
        if response is None or response.status_code not in (302, 303):
            return None
        location = urlsplit(response.headers.get("Location", ""))
        landing = self.get(route, location.path + (f"?{location.query}" if location.query
                                                     else ""))
        return landing.text if landing is not None and landing.status_code == 200 else None

    def sign_in(self, email):
        self.get("sign-in", "/login")
        response = self.post("sign-in", "/login", {"email": email, "password": PASSWORD})
        return response is not None and response.status_code == 302
