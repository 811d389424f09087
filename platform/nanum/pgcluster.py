"""A PostgreSQL cluster of Nanum's own in a folder, on 127.0.0.1: for trying Nanum on
PostgreSQL (`make run-postgres`) and for the test suite.

It uses Debian's `postgresql` binaries (`initdb`, `pg_ctl`). PostgreSQL refuses to run as
root, so as root the cluster belongs to the `postgres` system user.
"""

import glob
import os
import shutil
import socket
import subprocess
from pathlib import Path

DATABASE = "nanum"
ROLE = "nanum"


class ClusterError(RuntimeError):
    """The cluster could not be created, started or stopped."""


def binary(name):
    """The path of a PostgreSQL program: on PATH, else the newest of Debian's."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise ClusterError(f"{name} not found: install Debian's postgresql package")
    return candidates[-1]


def _as_owner(command):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command, **kwargs):
    result = subprocess.run(_as_owner(command), capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise ClusterError(f"{' '.join(command[:2])} failed: {result.stderr.strip()[-2000:]}")
    return result


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def url(port, database=DATABASE):
    return f"postgresql+psycopg://{ROLE}@127.0.0.1:{port}/{database}"


def _give_to_owner(folder):
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")


def start(folder, port=None, *, durable=True):
    """Create the cluster in `folder` if needed, start it and return its database URL.

    `durable=False` turns off fsync: for throw-away clusters (tests) only.
    """
    folder = Path(folder).resolve()
    data, sockets = folder / "data", folder / "sockets"
    running = _running_port(data)
    if running:
        return url(running)
    port = port or free_port()
    if not (data / "PG_VERSION").exists():
        folder.mkdir(parents=True, exist_ok=True)
        for path in (folder, sockets):
            path.mkdir(exist_ok=True)
            _give_to_owner(path)
        _run([binary("initdb"), "-D", str(data), "-U", ROLE, "--auth=trust",
              "--encoding=UTF8", "--locale=C.UTF-8"])
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets}"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    _run([binary("pg_ctl"), "-D", str(data), "-l", str(folder / "postgresql.log"), "-w",
          "-o", options, "start"])
    created = _run([binary("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", ROLE,
                    "-d", "postgres", "-tAc",
                    f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"])
    if created.stdout.strip() != "1":
        _run([binary("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", ROLE, DATABASE])
    return url(port)


def _running_port(data):
    """The port of the server running on `data`, or None."""
    pid_file = data / "postmaster.pid"
    if not pid_file.exists():
        return None
    status = subprocess.run(_as_owner([binary("pg_ctl"), "-D", str(data), "status"]),
                            capture_output=True, text=True)
    if status.returncode:
        return None
    return int(pid_file.read_text().splitlines()[3])


def stop(folder):
    """Stop the cluster in `folder` (if it runs)."""
    data = Path(folder).resolve() / "data"
    if (data / "postmaster.pid").exists():
        _run([binary("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])


def remove(folder):
    """Stop the cluster and delete its folder."""
    stop(folder)
    shutil.rmtree(folder, ignore_errors=True)


def main(argv=None):
    """`python -m nanum.pgcluster start|stop|remove FOLDER`: start prints the database URL."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m nanum.pgcluster", description=main.__doc__)
    parser.add_argument("action", choices=["start", "stop", "remove"])
    parser.add_argument("folder")
    parser.add_argument("--port", type=int)
    arguments = parser.parse_args(argv)
    try:
        if arguments.action == "start":
            print(start(arguments.folder, arguments.port))
        else:
            {"stop": stop, "remove": remove}[arguments.action](arguments.folder)
    except ClusterError as error:
        parser.exit(1, f"{error}\n")


if __name__ == "__main__":
    main()
