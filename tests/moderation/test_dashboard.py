"""The moderation dashboard: waiting items by age, time to decide, decisions and appeals."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from nanum.extensions import db
from nanum.moderation import audit, dashboard
from nanum.organisations.models import VerificationRequest
from nanum.practices.models import Practice
from nanum.review.models import ReviewRequest
from nanum.timeutil import utcnow


def waiting_practice(make, days):
    practice = make.practice(status="submitted", published_at=None)
    db.session.add(ReviewRequest(practice=practice, reason="policy",
                                 submitted_at=utcnow() - timedelta(days=days)))
    return practice


def decide(moderator, action, target, waited_hours, *, target_type=None):
    record = audit.record(moderator, action, target, target_type=target_type)
    record.created_at = utcnow() - timedelta(days=30) + timedelta(hours=waited_hours)
    return record


def fill(make, size):
    """A site with `size` of everything the dashboard counts."""
    moderator = make.user(role="moderator", name="Mo Moderator")
    other = make.user(role="moderator", name="Ola Other")
    for number in range(size):
        waiting_practice(make, days=number * 2)
        organisation = make.organisation()
        db.session.add(VerificationRequest(organisation=organisation, website="https://x.org",
                                           email="a@x.org", contact="A"))
        decided = make.practice(status="published")
        submitted = utcnow() - timedelta(days=30)
        db.session.add(ReviewRequest(practice=decided, reason="policy", submitted_at=submitted,
                                     decided_at=submitted + timedelta(hours=2),
                                     decision="approve"))
        decide(moderator if number % 3 else other, "review.approve", decided, waited_hours=2)
        decide(moderator, "flag.hide", None, 1, target_type="posts")
        decide(other, "flag.ignore", None, 1, target_type="posts")
        decide(other, "appeal.open", None, 1, target_type="appeals")
        decide(moderator, "collection.add", None, 1, target_type="collections")
    decide(moderator, "appeal.uphold", None, 1, target_type="appeals")
    db.session.commit()
    return moderator, other


def test_counts_ages_median_and_decisions(app, make):
    moderator, other = fill(make, 6)
    summary = dashboard.summary()
    practices = next(w for w in summary["waiting"] if w.label.startswith("Practices"))
    assert (practices.total, practices.over_day, practices.over_week) == (6, 5, 2)
    organisations = next(w for w in summary["waiting"] if w.label.startswith("Organisations"))
    assert organisations.total == 6 and organisations.endpoint
    assert summary["median"] == timedelta(hours=2) and summary["median_over"] == 6
    per = {name: count for _id, name, count in summary["per_moderator"]}
    # Appeals opened and curation are not decisions; approvals, flag decisions and upheld
    # appeals are.
    assert per == {"Mo Moderator": 4 + 6 + 1, "Ola Other": 2 + 6}
    assert (summary["flags_upheld"], summary["flags_dismissed"]) == (6, 6)
    assert (summary["appeals_opened"], summary["appeals_upheld"],
            summary["appeals_waiting"]) == (6, 1, 5)


def test_an_empty_site(app):
    summary = dashboard.summary()
    assert summary["median"] is None and summary["per_moderator"] == []
    assert all(queue.total == 0 for queue in summary["waiting"])


@pytest.mark.parametrize("size", [1, 12])
def test_the_page_runs_the_same_queries_whatever_the_size(client, auth, make, count_queries,
                                                          size):
    fill(make, size)
    make.user(email="mod@example.org", role="moderator")
    auth.login("mod@example.org")
    client.get("/moderation/")  # warm: the first request loads what every later one reuses
    with count_queries() as statements:
        page = client.get("/moderation/").get_data(as_text=True)
    assert "Practices waiting for review" in page
    assert re.search(rf"<td class=\"text-end\">{size}</td>", page)
    # One per queue for what waits and one for its decisions (when it has any), one for
    # decisions per moderator, one for flags and appeals, one for the latest decisions, the
    # viewer and their unread notifications.
    queues = dashboard.QUEUES.values()
    expected = len(queues) + sum(queue.decided is not None for queue in queues) + 5
    assert len(statements) == expected, "\n".join(
        statement[:80] for statement in statements)


def test_an_area_registers_its_queue(app, make, monkeypatch):
    monkeypatch.setattr(dashboard, "QUEUES", dict(dashboard.QUEUES))
    dashboard.register(dashboard.Queue(
        "drafts", "Drafts", lambda: select(Practice.created_at).where(
            Practice.status == "draft")))
    make.practice(status="draft", published_at=None)
    db.session.commit()
    [drafts] = [w for w in dashboard.waiting() if w.label == "Drafts"]
    assert drafts.total == 1 and drafts.over_day == 0
