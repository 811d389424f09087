"""Rate limits (Flask-Limiter) counted in the database, shared by every worker and host.

A `limits` storage (the library under Flask-Limiter) registered as `nanum+database://`: the
counters are rows of the `login_failures` table, beside the failed sign-ins, under keys of
their own ("limit:<sha256>"). Each count is written in a short transaction of its own,
apart from the request's, so that it holds whatever the request does afterwards.
"""

import hashlib
import time
from datetime import datetime, timezone

from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.exc import SQLAlchemyError

from nanum.accounts.models import LoginFailures
from nanum.database import upsert_dialect
from nanum.extensions import db

SCHEME = "nanum+database"
PREFIX = "limit:"


def _key(key):
    return PREFIX + hashlib.sha256(key.encode()).hexdigest()


def _moment(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).replace(tzinfo=None)


class DatabaseStorage(Storage):
    """Fixed-window counters in the app's database."""

    STORAGE_SCHEME = [SCHEME]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    @staticmethod
    def _engine():
        return db.engine

    def incr(self, key, expiry, amount=1):
        now = time.time()
        expired = LoginFailures.expires_at <= _moment(now)
        dialect = upsert_dialect(self._engine())
        insert = dialect.insert(LoginFailures).values(
            key=_key(key), window_start=0, failures=amount, expires_at=_moment(now + expiry))
        statement = insert.on_conflict_do_update(
            index_elements=["key", "window_start"],
            set_={"failures": case((expired, amount), else_=LoginFailures.failures + amount),
                  "expires_at": case((expired, insert.excluded.expires_at),
                                     else_=LoginFailures.expires_at)},
        ).returning(LoginFailures.failures)
        with self._engine().begin() as connection:
            count = connection.execute(statement).scalar_one()
            connection.execute(delete(LoginFailures).where(
                LoginFailures.key.startswith(PREFIX), expired))
        return count

    def _row(self, key):
        with self._engine().connect() as connection:
            return connection.execute(
                select(LoginFailures.failures, LoginFailures.expires_at).where(
                    LoginFailures.key == _key(key), LoginFailures.window_start == 0,
                    LoginFailures.expires_at > _moment(time.time()))).first()

    def get(self, key):
        row = self._row(key)
        return row.failures if row else 0

    def get_expiry(self, key):
        row = self._row(key)
        if row is None:
            return time.time()
        return row.expires_at.replace(tzinfo=timezone.utc).timestamp()

    def check(self):
        try:
            with self._engine().connect() as connection:
                connection.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self):
        with self._engine().begin() as connection:
            return connection.execute(delete(LoginFailures).where(
                LoginFailures.key.startswith(PREFIX))).rowcount

    def clear(self, key):
        with self._engine().begin() as connection:
            connection.execute(delete(LoginFailures).where(LoginFailures.key == _key(key)))
