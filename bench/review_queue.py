"""Measure the review queue's pages with 10,000 practices waiting for review.

Run from the repository root:

    .venv/bin/python bench/review_queue.py [--waiting 10000] [--published 1000] [--rounds 20]

It makes a throw-away instance in a temporary folder, writes `--published` published
practices (indexed, so that each queue item looks for duplicates among them) and `--waiting`
submitted ones with their review requests (a tenth of them resubmissions, a tenth claimed),
then, signed in as a moderator, times the queue's first page, its last page, a filtered
page and one item's page through the Flask test client. It prints the median and worst
time of each and the SQL statements each ran; the count must not grow with the queue.
"""

import argparse
import random
import re
import statistics
import tempfile
import time
from datetime import timedelta
from importlib.resources import files
from pathlib import Path

from sqlalchemy import event, insert

from nanum import create_app
from nanum.accounts import services as accounts
from nanum.extensions import db
from nanum.organisations.models import Membership, Organisation
from nanum.practices import vocab
from nanum.practices.models import Practice, PracticeCountry, PracticeGoal, PracticeTarget
from nanum.review.models import ReviewRequest
from nanum.search import service as search
from nanum.timeutil import utcnow

PASSWORD = "correct horse battery"
# Words of the demo's practices, so that the texts are as varied as real ones.
WORDS = sorted({word for line in (files("nanum.demo") / "data" / "practices.jsonl")
                .read_text(encoding="utf-8").split() for word in [line.strip(".,;:()\"'")]
                if word.isalpha() and len(word) > 3})
COUNTRIES = ("KE", "TZ", "UG", "PE", "CO", "VN", "PH", "ID", "NP", "BD", "MX", "BR")
TARGETS = ("6.1", "6.b", "11.3", "11.5", "13.1", "16.7", "7.2", "4.7", "17.1", "5.5")


def _text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _practice_rows(rng, count, status, organisations, authors, start_id):
    now = utcnow()
    rows, countries, goals, targets = [], [], [], []
    for n in range(count):
        practice_id = start_id + n
        sections = {section: _text(rng, 40) for section in vocab.SECTIONS}
        summary = _text(rng, 30)
        cooked = {field: {"html": f"<p>{text}</p>", "text": text}
                  for field, text in {"summary": summary, **sections}.items()}
        rows.append({"id": practice_id, "title": f"{_text(rng, 5)[:-1]} {practice_id}",
                     "summary": summary, "teaser": summary[:240], "kind": rng.choice(
                         list(vocab.KINDS)), "status": status, "language": "en",
                     "organisation_id": rng.choice(organisations),
                     "author_id": rng.choice(authors), "evidence_level": "monitored",
                     "created_at": now, "updated_at": now,
                     "published_at": now if status == "published" else None,
                     "cooked": cooked, **sections})
        country = rng.choice(COUNTRIES)
        target = rng.choice(TARGETS)
        countries.append({"practice_id": practice_id, "country": country, "position": 0})
        targets.append({"practice_id": practice_id, "target": target})
        goals.append({"practice_id": practice_id, "goal": int(target.split(".")[0])})
    for model, values in ((Practice, rows), (PracticeCountry, countries),
                          (PracticeGoal, goals), (PracticeTarget, targets)):
        db.session.execute(insert(model), values)


def fill(waiting, published, seed=8):
    """Write the organisations, people, practices and review requests; return a moderator."""
    rng = random.Random(seed)
    moderator = accounts.create_account(name="Mona Moderator", email="mod@example.org",
                                        password=PASSWORD, role="moderator")
    other = accounts.create_account(name="Otto Moderator", email="otto@example.org",
                                    password=PASSWORD, role="moderator")
    db.session.execute(insert(Organisation), [
        {"id": n, "name": f"Organisation {n}", "type": rng.choice(["NRI", "LRG", "CSO"]),
         "country": rng.choice(COUNTRIES), "verified": False, "trusted": False,
         "created_at": utcnow()} for n in range(1, 201)])
    password_hash = db.session.get(type(moderator), moderator.id).password_hash
    db.session.execute(insert(type(moderator)), [
        {"id": 1000 + n, "name": f"Author {n}", "email": f"author{n}@example.org",
         "handle": f"author-{n}", "password_hash": password_hash, "role": "member",
         "active": True, "email_notifications": "immediate", "created_at": utcnow()}
        for n in range(200)])
    db.session.execute(insert(Membership), [
        {"user_id": 1000 + n, "organisation_id": n + 1, "role": "member", "status": "active",
         "created_at": utcnow()} for n in range(200)])
    authors = [1000 + n for n in range(200)]
    db.session.commit()
    organisations = list(range(1, 201))
    _practice_rows(rng, published, "published", organisations, authors, 1)
    _practice_rows(rng, waiting, "submitted", organisations, authors, published + 1)
    now = utcnow()
    requests = []
    for n in range(waiting):
        practice_id = published + 1 + n
        row = {"practice_id": practice_id, "round": 1, "message": "",
               "reason": rng.choice(["policy", "new_account", "untrusted"]),
               "submitted_at": now - timedelta(minutes=rng.randrange(60 * 24 * 30)),
               "submitted_by_id": rng.choice(authors)}
        if n % 10 == 0:  # a resubmission: the review before it, then the open request
            requests.append({**row, "decided_at": row["submitted_at"], "snapshot": {
                "title": "An earlier title", "results": "Earlier results."},
                "decision": "changes_requested", "decided_by_id": moderator.id})
            row["round"] = 2
        if n % 10 == 5:
            row.update(claimed_by_id=other.id, claimed_at=now)
        requests.append(row)
    db.session.execute(insert(ReviewRequest), [
        {"snapshot": None, "decided_at": None, "decision": None, "decided_by_id": None,
         "claimed_by_id": None, "claimed_at": None, **row} for row in requests])
    db.session.commit()
    return moderator


def _timed(client, engine, url, rounds):
    statements = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith(("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT",
                                     "RELEASE")):
            statements.append(statement)

    client.get(url)  # warm
    times = []
    for number in range(rounds):
        statements.clear()
        if number == 0:
            event.listen(engine, "before_cursor_execute", count)
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        if number == 0:
            event.remove(engine, "before_cursor_execute", count)
            queries = len(statements)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", type=int, default=10_000)
    parser.add_argument("--published", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                          "SEARCH_INDEX_DIR": str(folder / "index"), "RATELIMIT_ENABLED": False,
                          "PAGECACHE_SECONDS": 0},
                         instance_path=folder / "instance")
        with app.app_context():
            db.create_all()
            start = time.perf_counter()
            email = fill(options.waiting, options.published).email
            search.rebuild()
            print(f"filled {options.waiting:,} waiting and {options.published:,} published "
                  f"practices in {time.perf_counter() - start:.1f} s")
            last_page = -(-options.waiting // 20)
            item = options.published + 2
            engine = db.engine
            db.session.remove()
        client = app.test_client()
        html = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        client.post("/login", data={"email": email, "password": PASSWORD,
                                    "csrf_token": token})
        pages = {
            "queue, first page (oldest first)": "/moderation/review/",
            "queue, last page": f"/moderation/review/?page={last_page}",
            "queue, filtered (SDG 11, Eastern Africa, newest)":
                "/moderation/review/?goal=11&region=Eastern+Africa&sort=newest",
            "one item": f"/moderation/review/{item}",
        }
        print(f"{'page':52} {'median ms':>10} {'worst ms':>9} {'queries':>8}")
        for label, url in pages.items():
            median, worst, queries = _timed(client, engine, url, options.rounds)
            print(f"{label:52} {median * 1000:10.1f} {worst * 1000:9.1f} {queries:8d}")


if __name__ == "__main__":
    main()
