"""Requests per second of Nanum's main pages, against a hello-world Flask app on the same gunicorn.

Starts a fresh instance as `make run` does (migrations, demo content, search index, gunicorn
with gunicorn.conf.py and 2 workers on 127.0.0.1) and a one-route Flask app under gunicorn with
the same worker settings, drives each page with `wrk` (a fixed number of connections for a fixed
time), and prints requests/s per page and its ratio to hello-world. See bench/README.md.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from stopping import stop_processes

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGET_RATIO = 0.15
WEIGHT_BUDGET = 60 * 1024  # bytes a first visit of a page may transfer
# What a browser sends: the pages are measured as browsers receive them.
HEADERS = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
           "Accept-Encoding": "gzip, deflate, br"}

HELLO_APP = '''\
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
'''

# (label, path or a function of the discovered ids)
PAGES = [
    ("home", "/"),
    ("practices", "/practices/"),
    ("practice", "/practices/{practice}"),
    ("search", "/search?q=water"),
    ("sdg", "/sdg/11"),
    ("discussions", "/discussions/"),
    ("thread", "/discussions/t/{thread}"),
    ("organisations", "/organisations/"),
    ("organisation", "/organisations/{organisation}"),
    ("feed", "/feeds/practices.atom"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    request = urllib.request.Request(url, headers={"Accept": HEADERS["Accept"]})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8", "replace")


def wait_until_up(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server for {url} exited with {process.returncode}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


class Servers:
    """The processes this script starts; `stop()` ends every one of them."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.processes = []
        self.logs = []

    def start(self, name, command, env, cwd):
        log = open(self.workdir / f"{name}.log", "w")
        self.logs.append(log)
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log,
                                   stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def stop(self):
        stop_processes(self.processes, seconds=20)
        for log in self.logs:
            log.close()


def run_nanum_command(args, env):
    result = subprocess.run([str(BIN / "nanum"), *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    if result.returncode:
        raise SystemExit(f"`nanum {' '.join(args)}` failed:\n{result.stdout}{result.stderr}")


def start_nanum(servers, workdir, workers):
    """Set up a fresh instance and serve it as `make run` does; return its base URL."""
    instance = workdir / "instance"
    env = {**os.environ, "NANUM_INSTANCE_PATH": str(instance),
           "NANUM_SEARCH_INDEX_DIR": str(instance / "search_index")}
    print("Setting up a fresh instance (migrations, demo content, search index)…", flush=True)
    for args in (["db", "upgrade"], ["demo", "load"], ["search", "rebuild"]):
        run_nanum_command(args, env)
    port = free_port()
    process = servers.start("nanum", [
        str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"),
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "nanum:create_app()"],
        env={**env, "NANUM_BIND": f"127.0.0.1:{port}"}, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/", process)
    return url


def start_hello(servers, workdir, workers):
    """Serve the hello-world app with the web settings of gunicorn.conf.py; return its URL."""
    (workdir / "hello.py").write_text(HELLO_APP)
    port = free_port()
    process = servers.start("hello", [
        str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--access-logfile", "-", "hello:app"], env=dict(os.environ), cwd=workdir)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/", process)
    return url


def discover(base):
    """Find a practice, a thread and an organisation from the pages that list them."""
    found = {}
    for key, listing, pattern in (
            ("practice", "/practices/", r'href="/practices/(\d+)"'),
            ("thread", "/discussions/", r'href="/discussions/t/(\d+)"'),
            ("organisation", "/organisations/", r'href="/organisations/(\d+)"')):
        match = re.search(pattern, fetch(base + listing)[1])
        if not match:
            raise SystemExit(f"no {key} link on {listing}")
        found[key] = match.group(1)
    return found


class Assets(HTMLParser):
    """Collect what a browser fetches with a page: stylesheets, scripts, icons, images."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").split()
        if tag == "link" and ({"stylesheet", "icon"} & set(rel)) and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])


def transfer(url, encoding):
    """GET `url` as a browser would; return (bytes over the wire, body as received, headers)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                           headers={"Accept": HEADERS["Accept"], "Accept-Encoding": encoding})
        response = connection.getresponse()
        body = response.read()
        head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n\r\n") + sum(
            len(f"{name}: {value}\r\n") for name, value in response.getheaders())
        return head + len(body), body, response
    finally:
        connection.close()


def first_visit(url, encoding):
    """Return the bytes a first visit of `url` transfers: the page and everything it loads."""
    size, body, response = transfer(url, encoding)
    html = body
    if response.getheader("Content-Encoding"):  # read the links from an identity copy
        html = transfer(url, "identity")[1]
    parser = Assets()
    parser.feed(html.decode("utf-8", "replace"))
    sizes = {"html": size}
    for asset in dict.fromkeys(parser.urls):
        asset_size, _, asset_response = transfer(urljoin(url, asset), encoding)
        if asset_response.status != 200:
            raise SystemExit(f"{asset} (on {url}) answered {asset_response.status}")
        kind = asset.rsplit(".", 1)[-1].split("?")[0]
        sizes[kind] = sizes.get(kind, 0) + asset_size
    return sizes


def weigh(targets):
    """Print the first-visit weight of each page, for Brotli and gzip browsers."""
    print()
    print(f"First visit (bytes over the wire, headers included; budget {WEIGHT_BUDGET // 1024} KB)")
    print(f"{'page':<14} {'encoding':<9} {'html':>7} {'css':>7} {'js':>6} {'other':>6} "
          f"{'total':>8}")
    over = []
    for label, url in targets:
        for encoding in ("gzip, deflate, br", "gzip, deflate"):
            sizes = first_visit(url, encoding)
            total = sum(sizes.values())
            other = total - sizes["html"] - sizes.get("css", 0) - sizes.get("js", 0)
            name = "br" if "br" in encoding else "gzip"
            mark = "" if total <= WEIGHT_BUDGET else "  > budget"
            if mark:
                over.append((label, name))
            print(f"{label:<14} {name:<9} {sizes['html']:>7} {sizes.get('css', 0):>7} "
                  f"{sizes.get('js', 0):>6} {other:>6} {total:>8}{mark}")
    return over


def wrk(url, seconds, connections, threads):
    """Drive `url` for `seconds`; return requests/s, or raise on errors and bad statuses."""
    command = ["wrk", "--threads", str(threads), "--connections", str(connections),
               "--duration", f"{int(seconds)}s", "--timeout", "10s"]
    for name, value in HEADERS.items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True,
                            timeout=seconds + 60).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if bad:
        raise SystemExit(f"{url}: {bad.group(1)} responses were not 2xx or 3xx\n{output}")
    errors = re.search(r"Socket errors: (.*)", output)
    if errors and re.search(r"(read|write|timeout) [1-9]", errors.group(1)):
        raise SystemExit(f"{url}: socket errors: {errors.group(1)}\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def measure(targets, args):
    """Run every target once per round (interleaved, so drift hits all alike); return medians."""
    for _label, url in targets:  # warm caches and connections; also checks every page answers
        status, _ = fetch(url)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        wrk(url, 1, args.connections, args.threads)
    rates = {label: [] for label, _ in targets}
    for round_number in range(1, args.rounds + 1):
        print(f"Round {round_number} of {args.rounds}…", flush=True)
        for label, url in targets:
            rates[label].append(wrk(url, args.seconds, args.connections, args.threads))
    return {label: statistics.median(values) for label, values in rates.items()}, rates


def report(targets, medians, rates):
    hello = medians["hello-world"]
    print()
    print(f"{'page':<14} {'path':<28} {'req/s':>8} {'ratio':>6}   rounds")
    below = []
    for label, url in targets:
        ratio = medians[label] / hello
        path = "/" + url.split("/", 3)[3]
        mark = "" if label == "hello-world" or ratio >= TARGET_RATIO else "  < target"
        if mark:
            below.append(label)
        spread = " ".join(f"{value:.0f}" for value in rates[label])
        print(f"{label:<14} {path:<28} {medians[label]:>8.0f} {ratio:>6.3f}   {spread}{mark}")
    print()
    pages = [label for label, _ in targets if label != "hello-world"]
    print(f"Lowest ratio: {min(medians[label] / hello for label in pages):.3f} "
          f"(target ≥ {TARGET_RATIO}); {len(pages) - len(below)} of {len(pages)} pages meet it.")
    print(f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}.")
    return below


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per page (median)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each app")
    parser.add_argument("--only", nargs="+", metavar="PAGE",
                        help="measure only these pages (labels from the table, or paths)")
    parser.add_argument("--weight-only", action="store_true",
                        help="only measure what a first visit of each page transfers")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make wrk` installs Debian's package")

    workdir = Path(tempfile.mkdtemp(prefix="nanum-pages-bench-"))
    servers = Servers(workdir)
    try:
        nanum = start_nanum(servers, workdir, args.workers)
        hello = start_hello(servers, workdir, args.workers)
        ids = discover(nanum)
        pages = [(label, path.format(**ids)) for label, path in PAGES]
        if args.only:
            known = dict(pages)
            pages = [(name, known.get(name, name)) for name in args.only]
        targets = [("hello-world", hello + "/")] + [(label, nanum + path)
                                                    for label, path in pages]
        over = weigh(targets[1:])
        if args.weight_only:
            return 1 if over else 0
        medians, rates = measure(targets, args)
        below = report(targets, medians, rates) + over
        if args.json:
            args.json.write_text(json.dumps({
                "hello_world": medians["hello-world"],
                "pages": {label: {"url": "/" + url.split("/", 3)[3], "rps": medians[label],
                                  "rounds": rates[label],
                                  "ratio": medians[label] / medians["hello-world"]}
                          for label, url in targets if label != "hello-world"},
                "settings": vars(args) | {"json": str(args.json)}}, indent=2))
    finally:
        servers.stop()
        if args.keep:
            print(f"Work folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
