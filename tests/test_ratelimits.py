"""Rate limits counted in the database: every host that shares it shares the counts."""

from sqlalchemy import select

from fixtures.app import csrf_token
from nanum import create_app
from nanum.accounts.models import LoginFailures
from nanum.extensions import db


def _host(config, folder, **settings):
    app = create_app({**config, "RATELIMIT_ENABLED": True, "RATELIMIT_REGISTER": "3 per minute",
                      **settings}, instance_path=folder)
    with app.app_context():
        db.create_all()
    return app


def _ask_for_reset(app):
    client = app.test_client()
    token = csrf_token(client, "/forgot-password")
    return client.post("/forgot-password", data={"email": "nobody@example.org",
                                                 "csrf_token": token}).status_code


def test_two_hosts_on_one_database_share_the_limit(config, tmp_path):
    first = _host(config, tmp_path / "first", RATELIMIT_STORAGE_URI="nanum+database://")
    second = _host(config, tmp_path / "second", RATELIMIT_STORAGE_URI="nanum+database://")
    statuses = [_ask_for_reset(host) for host in (first, second, first, second)]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    with second.app_context():  # the count is a row that any host reads
        counts = db.session.scalars(select(LoginFailures.failures).where(
            LoginFailures.key.startswith("limit:"))).all()
    assert counts == [4]


def test_the_limit_is_in_the_database_by_default_on_postgresql(config, tmp_path):
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://h/d"},
                     instance_path=tmp_path / "pg")
    assert app.config["RATELIMIT_STORAGE_URI"] == "nanum+database://"
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"},
                     instance_path=tmp_path / "sqlite")
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
