"""`make run`'s server: the indexer and the mail worker come back when they die."""

import os
import signal
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest


def helper_pid(master, words, deadline=30.0):
    """Return the pid of the master's child whose command line holds `words`."""
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            state = stat.rsplit(")", 1)[1].split()[0]
            if parent == master and state != "Z" and all(
                    word.encode() in command for word in words):
                return int(entry.name)
        time.sleep(0.2)
    pytest.fail(f"no running `nanum {' '.join(words)}` under the server")


def kill_and_wait_for_another(master, words):
    first = helper_pid(master, words)
    os.kill(first, signal.SIGKILL)
    until = time.monotonic() + 30
    while time.monotonic() < until:
        again = helper_pid(master, words)
        if again != first:
            return again
        time.sleep(0.2)
    pytest.fail(f"`nanum {' '.join(words)}` was not started again")


def add_reply(live_server, body):
    """Write a topic and a reply into the live instance, leaving the index to the indexer."""
    from fixtures.factories import UserFactory
    from nanum import create_app
    from nanum.discussions import services
    from nanum.extensions import db

    instance = live_server["instance"]
    app = create_app({"SQLALCHEMY_DATABASE_URI": live_server["database_url"],
                      "SEARCH_INDEX_DIR": str(instance / "search_index"),
                      "SEARCH_APPLY": "indexer", "RATELIMIT_ENABLED": False},
                     instance_path=instance)
    with app.app_context():
        author = UserFactory()
        thread = services.start_topic(author, category="questions", title="Who restarts it?",
                                      body="Asking for the indexer.")
        services.reply(author, thread=thread, body=body)
        db.session.remove()


def searchable(live_server, word, deadline=30.0):
    """Wait, within a bound, until the live search finds a word."""
    url = f"{live_server['url']}/search?" + urllib.parse.urlencode({"q": word})
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        with urllib.request.urlopen(url, timeout=10) as response:
            if "/posts/" in response.read().decode():
                return True
        time.sleep(0.3)
    return False


def test_a_killed_indexer_is_started_again(live_server):
    master = live_server["master"]
    kill_and_wait_for_another(master, ["search", "indexer"])
    add_reply(live_server, "The zanzibarite pump was restarted.")
    assert searchable(live_server, "zanzibarite")


def test_a_killed_mail_worker_is_started_again(live_server):
    master = live_server["master"]
    again = kill_and_wait_for_another(master, ["notifications", "worker"])
    time.sleep(1)  # it stays up: it was not started into a crash
    assert helper_pid(master, ["notifications", "worker"]) == again
    log = (live_server["instance"] / "server.log").read_text()
    assert "`nanum notifications worker` (pid" in log and "starting it again" in log


def test_a_worker_warms_its_search_and_keeps_start_up_out_of_collections(app, monkeypatch):
    import gc
    import runpy

    from nanum.search import service

    # The settings file sets variables of the environment for the server: not for the tests.
    monkeypatch.setattr(os, "environ", dict(os.environ))
    settings = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    warmed = []
    monkeypatch.setattr(service, "warm", lambda: warmed.append(True))

    class Worker:
        wsgi = app

    gc.unfreeze()
    try:
        settings["post_worker_init"](Worker())
        assert warmed and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
