"""Login throttling: failed sign-ins counted per account and per client address.

The counts must be the same for every web worker and every host, so they never live in a
worker's memory: by default they are rows of the `login_failures` table (fixed windows,
one row per key and window, old rows removed as new ones come); with
LOGIN_THROTTLE_STORAGE_URI set to a `limits` storage such as `redis://host:6379` they live
there instead. Keys are hashes, so the table holds no email or network address.
"""

import hashlib
import math
import time
from datetime import datetime, timezone

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import delete, select, update

from nanum.accounts.models import LoginFailures
from nanum.database import upsert_dialect
from nanum.errors import DomainError
from nanum.extensions import db


class TooManyAttempts(DomainError):
    """Sign-in refused without checking the password: too many recent failures."""

    status = 429
    title = "Too many attempts"

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


SUBJECTS = {"account": "for this account", "address": "from your network"}


def _keys(account, address):
    """Return (key, rate, kind) for the counters a sign-in touches."""
    config = current_app.config
    found = []
    for kind, value, setting in (("account", account, "LOGIN_THROTTLE_ACCOUNT"),
                                 ("address", address, "LOGIN_THROTTLE_ADDRESS")):
        if value:
            digest = hashlib.sha256(value.encode()).hexdigest()
            found.append((f"{kind}:{digest}", parse(config[setting]), kind))
    return found


def _wait_words(seconds):
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def check(account, address):
    """Raise TooManyAttempts when the account or the address failed too often lately."""
    store = _store()
    for key, rate, kind in _keys(account, address):
        failures, resets_at = store.count(key, rate)
        if failures >= rate.amount:
            wait = max(1, math.ceil(resets_at - _now()))
            raise TooManyAttempts(
                f"Too many failed sign-ins {SUBJECTS[kind]}. Please wait {_wait_words(wait)} "
                "and try again, or reset your password.", retry_after=wait)


def record_failure(account, address):
    """Count a failed sign-in against the account and the address; the caller commits."""
    store = _store()
    for key, rate, _kind in _keys(account, address):
        store.hit(key, rate)


def clear(account):
    """Forget an account's failures (its password was just reset); the caller commits."""
    store = _store()
    for key, rate, _kind in _keys(account, None):
        store.clear(key, rate)


def _store():
    uri = current_app.config["LOGIN_THROTTLE_STORAGE_URI"]
    if uri == "database":
        return DatabaseStore
    stores = current_app.extensions.setdefault("nanum_login_throttle", {})
    if uri not in stores:
        stores[uri] = LimitsStore(uri)
    return stores[uri]


def _now():
    return time.time()


def _window(rate, now):
    length = rate.get_expiry()
    start = int(now // length * length)
    return start, start + length


class DatabaseStore:
    """Counters in the database: shared by everyone who shares the database."""

    @staticmethod
    def count(key, rate):
        start, end = _window(rate, _now())
        failures = db.session.scalar(select(LoginFailures.failures).where(
            LoginFailures.key == key, LoginFailures.window_start == start))
        return failures or 0, end

    @staticmethod
    def hit(key, rate):
        now = _now()
        start, end = _window(rate, now)
        expires_at = datetime.fromtimestamp(end, timezone.utc).replace(tzinfo=None)
        dialect = upsert_dialect(db.session.get_bind())
        if dialect is not None:
            db.session.execute(
                dialect.insert(LoginFailures)
                .values(key=key, window_start=start, failures=1, expires_at=expires_at)
                .on_conflict_do_update(index_elements=["key", "window_start"],
                                       set_={"failures": LoginFailures.failures + 1}))
        elif not db.session.execute(
                update(LoginFailures).where(LoginFailures.key == key,
                                            LoginFailures.window_start == start)
                .values(failures=LoginFailures.failures + 1)).rowcount:
            db.session.add(LoginFailures(key=key, window_start=start, failures=1,
                                         expires_at=expires_at))
        db.session.execute(delete(LoginFailures).where(
            LoginFailures.expires_at < datetime.fromtimestamp(now, timezone.utc)
            .replace(tzinfo=None)))

    @staticmethod
    def clear(key, rate):
        db.session.execute(delete(LoginFailures).where(LoginFailures.key == key))


class LimitsStore:
    """Counters in a `limits` storage (Redis, Memcached, ...) shared by the hosts using it."""

    def __init__(self, uri):
        self.limiter = FixedWindowRateLimiter(storage_from_string(uri))

    def count(self, key, rate):
        resets_at, remaining = self.limiter.get_window_stats(rate, key)
        return rate.amount - remaining, resets_at

    def hit(self, key, rate):
        self.limiter.hit(rate, key)

    def clear(self, key, rate):
        self.limiter.clear(rate, key)
