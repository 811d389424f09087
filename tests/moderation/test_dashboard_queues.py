"""Events and partnership-board posts waiting for review are on the moderation dashboard."""

from datetime import timedelta

from tests.board.conftest import NEED, in_days
from tests.events.conftest import event_fields

from nanum.board import services as board
from nanum.events import services as events
from nanum.extensions import db
from nanum.moderation import dashboard
from nanum.moderation.models import AuditRecord
from nanum.timeutil import utcnow


def queue(label_start):
    return next(w for w in dashboard.waiting() if str(w.label).startswith(label_start))


def waiting_event(app, make, days_ago):
    app.config["MODERATION_SUBMISSION_POLICY"] = "review_all"
    organiser = make.member(organisation=make.organisation(verified=True))
    event = events.create(organiser, organiser.memberships[0].organisation_id, event_fields())
    assert event.status == "submitted"
    event.submitted_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return event


def waiting_post(make, days_ago):
    town = make.organisation(verified=False, country="KE")
    author = make.member(town)
    post = board.create(author, town.id, {**NEED, "end_date": in_days(60)})
    assert post.status == "pending"
    post.created_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return post


def backdate_decisions(hours_after, *posts_and_events):
    """Move the audit records of decisions to `hours_after` each record began to wait."""
    for record in db.session.query(AuditRecord).all():
        for thing, began in posts_and_events:
            if (record.target_type, record.target_id) == (thing.__tablename__, thing.id):
                record.created_at = began + timedelta(hours=hours_after)
    db.session.commit()


def test_waiting_events_and_posts_show_with_counts_and_age(app, make):
    old, recent = waiting_event(app, make, 3), waiting_event(app, make, 0)
    waiting_post(make, 9)
    events_queue = queue("Events waiting for review")
    assert (events_queue.total, events_queue.over_day, events_queue.over_week) == (2, 1, 0)
    assert events_queue.oldest == old.submitted_at and events_queue.endpoint == "events.review"
    posts_queue = queue("Partnership board posts waiting for review")
    assert (posts_queue.total, posts_queue.over_day, posts_queue.over_week) == (1, 1, 1)
    assert posts_queue.endpoint == "board.review"
    assert events.waiting_review() == [old, recent]  # the review page: oldest first


def test_the_dashboard_page_shows_them_to_moderators(app, client, auth, make):
    waiting_event(app, make, 2)
    waiting_post(make, 2)
    make.user(email="mod@example.org", role="moderator")
    auth.login("mod@example.org")
    page = client.get("/moderation/").get_data(as_text=True)
    assert "Events waiting for review" in page and 'href="/events/review"' in page
    assert "Partnership board posts waiting for review" in page
    assert 'href="/board/review"' in page


def test_the_dashboard_is_for_moderators_only(app, client, auth, make):
    waiting_event(app, make, 2)
    make.user(email="member@example.org")
    auth.login("member@example.org")
    response = client.get("/moderation/")
    assert response.status_code == 403
    assert "Events waiting for review" not in response.get_data(as_text=True)


def test_decisions_on_events_and_posts_count(app, make):
    moderator = make.user(role="moderator", name="Mo Moderator")
    event, other_event = waiting_event(app, make, 2), waiting_event(app, make, 2)
    post = waiting_post(make, 2)
    events.decide(moderator, event, "publish")
    events.decide(moderator, other_event, "reject", "Not an event of the network.")
    board.decide(moderator, post, "reject")
    backdate_decisions(4, (event, event.submitted_at), (other_event, other_event.submitted_at),
                       (post, post.created_at))
    assert queue("Events waiting").total == 0 and queue("Partnership board").total == 0
    median, over = dashboard.median_first_decision()
    assert (median, over) == (timedelta(hours=4), 3)
    per = {name: count for _id, name, count in dashboard.decisions_per_moderator()}
    assert per == {"Mo Moderator": 3}


def test_only_the_first_decision_after_a_submission_counts(app, make):
    moderator = make.user(role="moderator")
    event = waiting_event(app, make, 1)
    events.decide(moderator, event, "reject")
    backdate_decisions(2, (event, event.submitted_at))
    # Edited and submitted again: the new wait has no decision yet.
    events.update(event.author, event, event_fields(title="Partnerships, again"),
                  action="submit")
    assert event.status == "submitted" and queue("Events waiting").total == 1
    assert dashboard.median_first_decision() == (None, 0)
