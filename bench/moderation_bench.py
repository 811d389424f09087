"""Measure the moderation dashboard, the organisations queue and the audit log at scale.

Run from the repository root:

    .venv/bin/python bench/moderation_bench.py [--items 10000] [--rounds 5]

It makes a throw-away instance in a temporary folder with `--items` practices waiting for
review, as many organisations waiting for verification, as many events and partnership-board
posts (half waiting for review, half published with the decision in the log), and five audit
records per item (decisions, flags, appeals), signs in a moderator, and prints for each
page its median time, its number of SQL statements, and the same at a tenth of the size (the
ratio shows how the time grows with the data; the statement counts should be equal). The
CSV export's time and size are printed for the whole log.
"""

import argparse
import re
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, insert

from nanum import create_app
from nanum.accounts.models import User
from nanum.board.models import BoardPost
from nanum.events.models import Event
from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.organisations.models import Organisation, VerificationRequest
from nanum.organisations.names import normalise
from nanum.practices.models import Practice, Revision
from nanum.timeutil import utcnow

PASSWORD = "correct horse battery"
PAGES = ("/moderation/", "/moderation/organisations/", "/moderation/audit",
         "/moderation/audit?action=flag&since=2020-01-01")
ACTIONS = ("review.approve", "flag.hide", "flag.ignore", "appeal.open", "organisation.verify")


def _fill(items):
    now = utcnow()
    moderator = User(email="mod@example.org", name="Mo Moderator", handle="mo",
                     role="moderator", email_confirmed_at=now)
    moderator.set_password(PASSWORD)
    db.session.add(moderator)
    db.session.flush()
    # A bulk insert sets no model attributes: the normalised name is given as a write would.
    db.session.execute(insert(Organisation), [
        {"name": f"Town number {n}", "normalised_name": normalise(f"Town number {n}"),
         "type": "LRG", "country": ("KE", "UG", "TZ")[n % 3],
         "created_at": now - timedelta(days=n % 60)} for n in range(items)])
    db.session.execute(insert(VerificationRequest), [
        {"organisation_id": n + 1, "website": "https://town.example.org",
         "email": "a@town.example.org", "contact": "A", "note": "", "message": "",
         "status": "waiting", "created_at": now - timedelta(hours=n % 500)}
        for n in range(items)])
    db.session.execute(insert(Practice), [
        {"title": f"Practice {n}", "kind": "case_study", "status": "submitted",
         "organisation_id": n + 1, "author_id": moderator.id,
         "updated_at": now - timedelta(hours=n % 400), "created_at": now}
        for n in range(items)])
    db.session.execute(insert(Revision), [
        {"practice_id": n + 1, "action": "submitted", "changes": {},
         "created_at": now - timedelta(hours=n % 400)} for n in range(items)])
    _fill_events_and_posts(items, moderator, now)
    db.session.execute(insert(AuditRecord), [
        {"actor_id": moderator.id, "action": ACTIONS[n % len(ACTIONS)],
         "target_type": "practices", "target_id": n % items + 1, "target_label": f"P{n}",
         "message": "", "created_at": now - timedelta(minutes=n)}
        for n in range(5 * items)])
    db.session.commit()


def _fill_events_and_posts(items, moderator, now):
    """Events and board posts: the even ones wait, the odd ones were published 3 hours in."""
    starts = now + timedelta(days=30)
    waited = [now - timedelta(hours=n % 300) for n in range(items)]
    db.session.execute(insert(Event), [
        {"title": f"Event {n}", "kind": "workshop", "status": ("submitted", "published")[n % 2],
         "starts_at": starts, "ends_at": starts + timedelta(hours=2), "organisation_id": n + 1,
         "submitted_at": waited[n], "created_at": now, "updated_at": now}
        for n in range(items)])
    db.session.execute(insert(BoardPost), [
        {"kind": ("need", "offer")[n % 2], "title": f"Post {n}",
         "status": ("pending", "published")[n % 2], "organisation_id": n + 1,
         "end_date": (now + timedelta(days=60)).date(), "created_at": waited[n],
         "updated_at": now} for n in range(items)])
    db.session.execute(insert(AuditRecord), [
        {"actor_id": moderator.id, "action": action, "target_type": table, "target_id": n + 1,
         "target_label": "", "message": "", "created_at": waited[n] + timedelta(hours=3)}
        for n in range(1, items, 2)
        for action, table in (("event.publish", "events"), ("board.publish", "board_posts"))])


def _measure(app, rounds):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    client.post("/login", data={"email": "mod@example.org", "password": PASSWORD,
                                "csrf_token": token})
    results = {}
    with app.app_context():
        engine = db.engine
    statements = []

    def count(*_args):
        statements.append(1)

    for url in PAGES:
        client.get(url)  # warm
        times = []
        event.listen(engine, "before_cursor_execute", count)
        try:
            for _ in range(rounds):
                statements.clear()
                started = time.perf_counter()
                assert client.get(url).status_code == 200, url
                times.append(time.perf_counter() - started)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        results[url] = (statistics.median(times), len(statements))
    started = time.perf_counter()
    body = client.get("/moderation/audit.csv").get_data()
    results["/moderation/audit.csv"] = (time.perf_counter() - started, body.count(b"\n"))
    return results


def _run(items, rounds):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                          "SEARCH_INDEX_DIR": str(folder / "index"), "RATELIMIT_ENABLED": False,
                          "SEARCH_APPLY": "indexer"},
                         instance_path=folder / "instance")
        with app.app_context():
            db.create_all()
            _fill(items)
            db.session.remove()
        return _measure(app, rounds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    small = _run(max(options.items // 10, 1), options.rounds)
    large = _run(options.items, options.rounds)
    print(f"{'page':52} {'ms at N/10':>10} {'ms at N':>9} {'ratio':>6} {'SQL N/10':>8} "
          f"{'SQL N':>6}")
    for url in (*PAGES, "/moderation/audit.csv"):
        (small_time, small_count), (large_time, large_count) = small[url], large[url]
        print(f"{url:52} {small_time * 1000:10.1f} {large_time * 1000:9.1f} "
              f"{large_time / small_time:6.2f} {small_count:8} {large_count:6}")
    print(f"N = {options.items} waiting practices, {options.items} waiting verification "
          f"requests, {5 * options.items} audit records (for the CSV, SQL columns are lines)")


if __name__ == "__main__":
    main()
