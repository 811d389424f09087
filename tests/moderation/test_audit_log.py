"""The audit log page: browsing, filtering, exporting as CSV, and no way to change it."""

import csv
import io
from datetime import datetime

import pytest
from sqlalchemy import func, select

from nanum.extensions import db
from nanum.moderation import audit, auditlog
from nanum.moderation.models import AuditRecord


@pytest.fixture
def log(app, make):
    """A moderator, another moderator, and a few records of theirs on different days."""
    mo = make.user(email="mo@example.org", name="Mo Moderator", handle="mo", role="moderator")
    ann = make.user(email="ann@example.org", name="Ann Admin", handle="ann", role="admin")
    spammer = make.user(name="Sam Spammer", handle="sam")
    rows = [
        (mo, "flag.hide", spammer, "spam", "Links to a casino.", datetime(2026, 3, 1, 9)),
        (mo, "user.silence", spammer, "spam", "=HYPERLINK(\"http://x\")",
         datetime(2026, 3, 2, 10)),
        (ann, "setting.change", None, None, "For the launch.", datetime(2026, 3, 5, 12)),
        (ann, "flag.ignore", spammer, "other", "", datetime(2026, 4, 1, 8)),
    ]
    for actor, action, target, reason, message, when in rows:
        if target is None:
            record = audit.record(actor, action, target_type="site_settings",
                                  label="submission_policy", message=message,
                                  before={"submission_policy": "review_all"},
                                  after={"submission_policy": "publish_all"})
        else:
            record = audit.record(actor, action, target, reason=reason, message=message,
                                  before={"visible": True}, after={"visible": False})
        record.created_at = when
    db.session.commit()
    return mo, ann


def sign_in(auth, email="mo@example.org"):
    assert auth.login(email).status_code == 302


def listed(page):
    """Return the actions of the records shown on an audit page, in order."""
    import re

    return re.findall(r"<td><code>([a-z_.]+)</code></td>", page)


def test_moderators_browse_the_log_newest_first(client, auth, log):
    sign_in(auth)
    page = client.get("/moderation/audit").get_data(as_text=True)
    assert listed(page) == ["flag.ignore", "setting.change", "user.silence", "flag.hide"]
    assert "Links to a casino." in page and "Spam or advertising" in page
    assert "4 records" in page


@pytest.mark.parametrize("query, expected", [
    ("actor=mo", ["user.silence", "flag.hide"]),
    ("actor=Ann", ["flag.ignore", "setting.change"]),
    ("actor=nobody", []),
    ("action=flag", ["flag.ignore", "flag.hide"]),
    ("action=flag.hide", ["flag.hide"]),
    ("target_type=site_settings", ["setting.change"]),
    ("reason=spam", ["user.silence", "flag.hide"]),
    ("since=2026-03-02&until=2026-03-05", ["setting.change", "user.silence"]),
    ("since=2026-04-01", ["flag.ignore"]),
    ("since=not-a-date&reason=nonsense", ["flag.ignore", "setting.change", "user.silence",
                                          "flag.hide"]),
    ("actor=%25&action=%25", []),
])
def test_filters(client, auth, log, query, expected):
    sign_in(auth)
    assert listed(client.get(f"/moderation/audit?{query}").get_data(as_text=True)) == expected


def test_pages_of_fifty(client, auth, log):
    mo, _ann = log
    for number in range(60):
        audit.record(mo, "review.approve", target_type="practices", label=f"P{number}")
    db.session.commit()
    sign_in(auth)
    first = client.get("/moderation/audit?action=review").get_data(as_text=True)
    second = client.get("/moderation/audit?action=review&page=2").get_data(as_text=True)
    assert len(listed(first)) == 50 and len(listed(second)) == 10
    assert "P59" in first and "P0" in second and "action=review" in first


def export(client, query=""):
    """Fetch the CSV export; `buffered` reads the streamed body inside the request's context,
    as a server does (the test client runs each request in a context of its own)."""
    return client.get(f"/moderation/audit.csv{query}", buffered=True)


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_export_the_filtered_log_as_csv(client, auth, log):
    sign_in(auth)
    response = export(client, "?reason=spam")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert [row["action"] for row in rows] == ["user.silence", "flag.hide"]
    hide = rows[1]
    assert hide["actor"] == "Mo Moderator" and hide["target"] == "Sam Spammer"
    assert hide["reason_code"] == "spam" and hide["reason"] == "Spam or advertising"
    assert hide["created_at"] == "2026-03-01T09:00:00Z"
    assert hide["before"] == '{"visible": true}' and hide["after"] == '{"visible": false}'
    # A message a spreadsheet would read as a formula is kept as text.
    assert rows[0]["message"] == "'=HYPERLINK(\"http://x\")"


def test_the_export_streams_in_batches(client, auth, log, monkeypatch):
    mo, _ann = log
    for number in range(7):
        audit.record(mo, "review.approve", target_type="practices", label=f"P{number}")
    db.session.commit()
    monkeypatch.setattr(auditlog, "EXPORT_BATCH", 3)
    chunks = list(auditlog.csv_lines(auditlog.Filters(action="review")))
    assert len(chunks) == 1 + 3  # the header, then batches of 3, 3 and 1
    sign_in(auth)
    rows = read_csv(export(client))
    assert len(rows) == 11 and rows[0]["target"] == "P6"


def test_no_route_changes_the_log(app, client, auth, log):
    """Every route under /moderation/audit only reads; writing methods are refused."""
    rules = [rule for rule in app.url_map.iter_rules() if "audit" in rule.rule]
    assert rules and all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in rules)
    sign_in(auth, "ann@example.org")
    [record_id] = db.session.scalars(select(AuditRecord.id).where(
        AuditRecord.action == "flag.hide")).all()
    before = db.session.scalar(select(func.count(AuditRecord.id)))
    for url in ("/moderation/audit", f"/moderation/audit/{record_id}", "/moderation/audit.csv"):
        for method in ("post", "put", "patch", "delete"):
            status = getattr(client, method)(url, data={"message": "rewritten"}).status_code
            assert status in (400, 404, 405), (method, url, status)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(AuditRecord.id))) == before
    assert db.session.get(AuditRecord, record_id).message == "Links to a casino."
