"""Waking the search indexer as soon as a change to searchable content is committed.

The indexer (`nanum search indexer`) sleeps between passes over the outbox. A process that
commits outbox rows wakes it at once, so that the change does not wait for the next pass:

- on one host, with one empty datagram to a socket in Linux's abstract namespace, named
  after the index folder (so the indexer of another instance on the same machine is not
  woken); sending never blocks and never fails the commit: when no indexer listens, the
  datagram is dropped;
- on PostgreSQL, the transaction that writes outbox rows also issues `NOTIFY`, which
  reaches an indexer on any host once the transaction commits, and never when it rolls back.

Either only shortens the sleep: the indexer still looks at the outbox every
`SEARCH_INDEXER_INTERVAL` seconds, which covers changes written by a process that could not
wake it. A stray datagram costs one look at the outbox.
"""

import hashlib
import os
import select
import socket
import sys

from flask import current_app, has_app_context

CHANNEL = "nanum_search_outbox"  # PostgreSQL's LISTEN/NOTIFY channel


def _address(folder):
    if not sys.platform.startswith("linux"):
        return None
    digest = hashlib.sha1(os.path.realpath(folder).encode()).hexdigest()[:20]
    return "\0nanum-search-indexer-" + digest


def _folder(config):
    return config.get("SEARCH_INDEX_DIR") or ""


_sender = None


def wanted():
    """Tell whether the app leaves the outbox to an indexer, which is then to be woken."""
    return has_app_context() and current_app.config.get("SEARCH_APPLY") == "indexer"


def notify():
    """Wake this host's indexer, if the app leaves the outbox to one."""
    global _sender
    if not wanted():
        return
    address = _address(_folder(current_app.config))
    if address is None:
        return
    try:
        if _sender is None:
            _sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            _sender.setblocking(False)
        _sender.sendto(b"", address)
    except OSError:  # nobody listens, or its queue is full: it is awake already
        pass


def notify_in_transaction(connection):
    """On PostgreSQL, ask the database to wake the indexers when this transaction commits."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"NOTIFY {CHANNEL}")


class Listener:
    """What the indexer sleeps on: the local socket and, on PostgreSQL, LISTEN."""

    def __init__(self, folder, database_url=None):
        self._socket = None
        self._pg = None
        address = _address(folder)
        if address is not None:
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                sock.bind(address)
                sock.setblocking(False)
                self._socket = sock
            except OSError:  # another indexer of this index listens: poll only
                sock.close()
        self._database_url = database_url if database_url and database_url.startswith(
            "postgresql") else None
        if self._database_url:
            self._pg = _listen(self._database_url)

    def wait(self, seconds):
        """Sleep up to `seconds`; return early when woken. Wake-ups queued meanwhile are
        taken too: one pass over the outbox serves them all."""
        if self._pg is None and self._database_url:
            self._pg = _listen(self._database_url)
        files = [f for f in (self._socket, self._pg) if f is not None]
        if not files:
            select.select([], [], [], seconds)
            return False
        ready, _w, _x = select.select(files, [], [], seconds)
        self._drain()
        return bool(ready)

    def _drain(self):
        if self._socket is not None:
            while True:
                try:
                    self._socket.recv(16)
                except OSError:  # nothing left
                    break
        if self._pg is not None:
            try:
                for _notice in self._pg.notifies(timeout=0):
                    pass
            except Exception:  # the connection dropped: listen again on the next wait
                self._pg.close()
                self._pg = None

    def close(self):
        for item in (self._socket, self._pg):
            if item is not None:
                item.close()
        self._socket = self._pg = None


class _PgListener:
    def __init__(self, connection):
        self.connection = connection

    def fileno(self):
        return self.connection.fileno()

    def notifies(self, **kwargs):
        return self.connection.notifies(**kwargs)

    def close(self):
        self.connection.close()


def _listen(database_url):
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(database_url).set(drivername="postgresql")
        connection = psycopg.connect(url.render_as_string(hide_password=False),
                                     autocommit=True, connect_timeout=5)
        connection.execute(f"LISTEN {CHANNEL}")
        return _PgListener(connection)
    except Exception:  # poll only
        return None
