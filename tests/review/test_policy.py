"""What "submit" does under each submission policy, for new accounts, and for edits."""

import pytest
from sqlalchemy import func, select

from nanum.errors import Forbidden
from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.practices import services as practices
from nanum.review import services
from nanum.review.models import ReviewRequest

from .conftest import FIELDS


def _waiting(practice):
    return db.session.scalars(select(ReviewRequest).where(
        ReviewRequest.practice_id == practice.id, ReviewRequest.decided_at.is_(None))).all()


def _established(make, organisation=None):
    """A member who has already published as many practices as new accounts must wait for."""
    author = make.member(organisation=organisation)
    for _ in range(2):
        make.practice(organisation=author.memberships[0].organisation, author=author)
    return author


def test_every_submission_waits_by_default(app, make, submit):
    practice = submit(author=_established(make))
    assert practice.status == "submitted" and practice.published_at is None
    [request] = _waiting(practice)
    assert request.reason == "policy" and request.round == 1


def test_publish_all_publishes_at_once(app, make, submit):
    app.config["MODERATION_SUBMISSION_POLICY"] = "publish_all"
    practice = submit(author=_established(make))
    assert practice.status == "published" and _waiting(practice) == []


def test_a_new_accounts_first_practices_wait_whatever_the_policy(app, make, submit):
    app.config["MODERATION_SUBMISSION_POLICY"] = "publish_all"
    author = make.member()
    organisation = author.memberships[0].organisation
    first = submit(author=author)
    assert first.status == "submitted" and _waiting(first)[0].reason == "new_account"
    make.practice(organisation=organisation, author=author)
    assert submit(author=author).status == "submitted"  # one published: still new
    make.practice(organisation=organisation, author=author)
    assert submit(author=author).status == "published"


def test_trusted_organisations_publish_directly(app, make, submit, moderator):
    app.config["MODERATION_SUBMISSION_POLICY"] = "trusted_publish"
    author = _established(make)
    first = submit(author=author)
    assert first.status == "submitted" and _waiting(first)[0].reason == "untrusted"
    services.set_trusted(moderator, author.memberships[0].organisation_id, True)
    assert submit(author=author, title="Another one").status == "published"


def test_trusting_an_organisation_is_for_moderators_and_audited(app, make, moderator):
    organisation = make.organisation()
    member = make.member(organisation=organisation, role="admin")
    with pytest.raises(Forbidden):
        services.set_trusted(member, organisation.id, True)
    assert not organisation.trusted
    services.set_trusted(moderator, organisation.id, True, message="Known ministry")
    record = db.session.scalar(select(AuditRecord))
    assert organisation.trusted and record.action == "organisation.trust"
    assert (record.actor_id, record.before, record.after) == (
        moderator.id, {"trusted": False}, {"trusted": True})


def _published_of(make):
    author = _established(make)
    app_practice = practices.create(author, author.memberships[0].organisation_id, FIELDS)
    app_practice.status = "published"
    db.session.commit()
    return author, app_practice


def test_substantial_edits_go_back_through_review_when_set(app, make):
    app.config["MODERATION_REVIEW_EDITS"] = True
    author, practice = _published_of(make)
    practices.update(author, practice, {**FIELDS, "summary": FIELDS["summary"] + " Often."})
    assert practice.status == "published"  # a small edit
    practices.update(author, practice, {**FIELDS, "title": "River wardens everywhere"})
    assert practice.status == "submitted" and _waiting(practice)[0].reason == "edit"


def test_long_rewrites_are_substantial_too(app, make):
    app.config["MODERATION_REVIEW_EDITS"] = True
    author, practice = _published_of(make)
    practices.update(author, practice, {**FIELDS, "lessons": "Train wardens early.\n" * 20})
    assert practice.status == "submitted"


def test_edits_stay_published_when_not_set(app, make):
    author, practice = _published_of(make)
    practices.update(author, practice, {**FIELDS, "title": "River wardens everywhere"})
    assert practice.status == "published" and _waiting(practice) == []


def test_a_moderators_edit_never_goes_back_through_review(app, make, moderator):
    app.config["MODERATION_REVIEW_EDITS"] = True
    _author, practice = _published_of(make)
    practices.update(moderator, practice, {**FIELDS, "title": "River wardens everywhere"})
    assert practice.status == "published"


def test_a_rejected_practice_waits_again_even_when_everything_publishes(
        app, make, submit, moderator):
    author = _established(make)
    practice = submit(author=author)
    services.decide(moderator, practice.id, "reject", reason="off_topic", message="Not SDG.")
    app.config["MODERATION_SUBMISSION_POLICY"] = "publish_all"
    practices.update(author, practice, FIELDS, action="submit")
    assert practice.status == "submitted"
    [request] = _waiting(practice)
    assert (request.reason, request.round) == ("after_rejection", 2)
    assert db.session.scalar(select(func.count(ReviewRequest.id))) == 2
