"""Helpers started by the server stop when the server dies, even in the middle of a wait."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the parent-death signal is Linux's")

# A stand-in for the gunicorn master: starts the helper, prints its pid, and waits.
PARENT = """
import subprocess, sys, time
helper = subprocess.Popen(sys.argv[1:])
print(helper.pid, flush=True)
time.sleep(600)
"""


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped; only its parent's reaping is missing


@pytest.mark.parametrize("command", [
    ["notifications", "worker", "--every", "600"],  # asleep between two runs
    ["search", "indexer"],
])
def test_a_helper_stops_at_once_when_its_server_is_killed(command, config, tmp_path):
    env = {**os.environ, "NANUM_INSTANCE_PATH": str(tmp_path / "instance"),
           "NANUM_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
           "NANUM_SEARCH_INDEX_DIR": config["SEARCH_INDEX_DIR"],
           "NANUM_SEARCH_INDEXER_INTERVAL": "600",
           "NANUM_MAIL_BACKEND": "file", "NANUM_MAIL_FILE_DIR": str(tmp_path / "mail")}
    nanum = str(Path(sys.executable).parent / "nanum")
    log = tmp_path / "helper.log"
    with log.open("w") as stderr:
        parent = subprocess.Popen([sys.executable, "-c", PARENT, nanum, *command], env=env,
                                  stdout=subprocess.PIPE, stderr=stderr, text=True)
    helper = int(parent.stdout.readline())
    try:
        deadline = time.monotonic() + 120
        while "started (every" not in log.read_text() and alive(helper) \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "started (every" in log.read_text(), log.read_text()
        time.sleep(1)  # now in its wait
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 20
        while alive(helper) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(helper)
    finally:
        if alive(helper):
            os.kill(helper, signal.SIGKILL)
