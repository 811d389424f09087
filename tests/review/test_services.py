"""Claims, decisions, bulk decisions and the private conversation."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from nanum.errors import Conflict, Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.notifications.models import Notification, OutgoingMail
from nanum.practices import services as practices
from nanum.review import conversation, services
from nanum.review.models import ReviewMessage, ReviewRequest

from .conftest import FIELDS


def _actions():
    return db.session.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all()


def _request(practice):
    return db.session.scalar(select(ReviewRequest).where(ReviewRequest.practice_id == practice.id)
                             .order_by(ReviewRequest.id.desc()))


def test_a_claim_keeps_other_moderators_out_until_taken_over(app, make, submit, moderator):
    practice = submit()
    other = make.user(role="moderator", name="Otto")
    services.claim(moderator, practice.id)
    with pytest.raises(Conflict):
        services.claim(other, practice.id)
    with pytest.raises(Conflict):
        services.decide(other, practice.id, "approve")
    services.claim(other, practice.id, take_over=True)
    assert _request(practice).claimed_by_id == other.id
    assert _actions() == ["review.claim", "review.claim"]


def test_claims_expire(app, submit, make, moderator):
    practice = submit()
    services.claim(moderator, practice.id)
    request = _request(practice)
    request.claimed_at -= timedelta(minutes=app.config["MODERATION_CLAIM_MINUTES"] + 1)
    db.session.commit()
    other = make.user(role="moderator")
    services.claim(other, practice.id)  # no take-over needed
    assert _request(practice).claimed_by_id == other.id


def test_members_cannot_claim_or_decide(app, make, submit):
    practice = submit()
    member = make.member(organisation=practice.organisation, role="admin")
    for act in (lambda: services.claim(member, practice.id),
                lambda: services.decide(member, practice.id, "approve"),
                lambda: services.bulk(member, [practice.id], "approve"),
                lambda: services.release(member, practice.id)):
        with pytest.raises(Forbidden):
            act()
    assert practice.status == "submitted" and _actions() == []


def test_approving_publishes_audits_and_tells_the_author(app, submit, moderator):
    practice = submit()
    mails = db.session.scalar(select(func.count(OutgoingMail.id)))
    services.decide(moderator, practice.id, "approve")
    assert practice.status == "published" and practice.published_at is not None
    record = db.session.scalar(select(AuditRecord))
    assert (record.action, record.reason_code, record.before, record.after) == (
        "review.approve", "meets_criteria", {"status": "submitted"}, {"status": "published"})
    told = db.session.scalar(select(Notification).where(
        Notification.user_id == practice.author_id))
    assert told.kind == "moderation" and "approved" in told.message
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == mails + 1
    with pytest.raises(NotFound):  # decided: no longer waiting
        services.decide(moderator, practice.id, "approve")


def test_requesting_changes_needs_a_message_the_author_sees(app, submit, moderator):
    practice = submit()
    with pytest.raises(Invalid):
        services.decide(moderator, practice.id, "request_changes", message="  ")
    assert practice.status == "submitted"
    services.decide(moderator, practice.id, "request_changes",
                    message="Please add the results.")
    assert practice.status == "changes_requested"
    assert conversation.latest_decision(practice).message == "Please add the results."
    [message] = conversation.messages(practice.author, practice)
    assert message.from_moderator and message.body == "Please add the results."
    assert "asked for changes" in db.session.scalar(select(Notification.message))


def test_rejecting_needs_a_reason(app, submit, moderator):
    practice = submit()
    with pytest.raises(Invalid):
        services.decide(moderator, practice.id, "reject", reason="no-such-reason")
    with pytest.raises(Invalid):
        services.decide(moderator, practice.id, "maybe")
    services.decide(moderator, practice.id, "reject", reason="duplicate", message="See #3.")
    request = _request(practice)
    assert practice.status == "rejected"
    assert (request.decision, request.reason_code, request.message) == (
        "rejected", "duplicate", "See #3.")
    assert _actions() == ["review.reject"]


def test_a_resubmission_shows_what_changed_since_the_review(app, submit, moderator):
    from nanum.review import queue

    practice = submit()
    services.decide(moderator, practice.id, "request_changes", message="Results?")
    practices.update(practice.author, practice,
                     {**FIELDS, "results": "Nobody drowned since 2019."}, action="submit")
    request = _request(practice)
    assert practice.status == "submitted" and request.round == 2
    [item] = queue.items_for([request], moderator, duplicates=False)
    assert item.is_resubmission and item.changed_since_review == ["Results and impact"]


def test_bulk_decides_what_no_one_else_claimed(app, make, submit, moderator):
    first, second, claimed = submit(), submit(), submit()
    other = make.user(role="moderator")
    services.claim(other, claimed.id)
    decided, skipped = services.bulk(moderator, [first.id, second.id, claimed.id], "spam")
    assert {p.id for p in decided} == {first.id, second.id} and skipped == 1
    assert (first.status, second.status, claimed.status) == ("rejected", "rejected",
                                                             "submitted")
    assert _request(first).reason_code == "spam"
    with pytest.raises(Invalid):
        services.bulk(moderator, [], "approve")
    with pytest.raises(Invalid):
        services.bulk(moderator, [claimed.id], "delete")


def test_the_conversation_is_private_to_the_authors_and_moderators(app, make, submit,
                                                                   moderator):
    practice = submit()
    services.decide(moderator, practice.id, "request_changes", message="Results?")
    colleague = make.member(organisation=practice.organisation)
    conversation.write(colleague, practice, "We are measuring them now.")
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == moderator.id)).message.startswith(colleague.name)
    outsider = make.member()
    with pytest.raises(NotFound):
        conversation.messages(outsider, practice)
    with pytest.raises(NotFound):
        conversation.write(outsider, practice, "Let me in")
    with pytest.raises(Invalid):
        conversation.write(colleague, practice, " ")
    assert db.session.scalar(select(func.count(ReviewMessage.id))) == 2
