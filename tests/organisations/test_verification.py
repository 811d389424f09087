"""Verification: requests with evidence, moderators' decisions, the badge and revoking."""

import pytest
from sqlalchemy import select

from nanum.errors import Conflict, Forbidden, Invalid
from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.notifications.models import Notification, OutgoingMail
from nanum.organisations import verification
from nanum.organisations.models import VerificationRequest

EVIDENCE = {"website": "https://www.lakeside.example.org/about",
            "email": "mayor@lakeside.example.org", "contact": "Amina Odhiambo, mayor"}


@pytest.fixture
def town(make):
    admin = make.user(email="admin@lakeside.example.org", name="Town Admin")
    organisation = make.organisation(name="Lakeside Town", country="KE")
    make.membership(user=admin, organisation=organisation, role="admin")
    return organisation, admin


def audit_actions():
    return [r.action for r in db.session.scalars(select(AuditRecord).order_by(AuditRecord.id))]


def test_an_admin_requests_verification_with_evidence(town):
    organisation, admin = town
    found = verification.request(admin, organisation, **EVIDENCE, note="Call any weekday.")
    assert found.status == "waiting" and found.email == "mayor@lakeside.example.org"
    assert verification.waiting_request(organisation) == found
    with pytest.raises(Conflict):
        verification.request(admin, organisation, **EVIDENCE)


@pytest.mark.parametrize("change, field", [
    ({"website": "lakeside.example.org"}, "website"),
    ({"website": "https://"}, "website"),
    ({"email": "not an address"}, "email"),
    ({"email": "mayor@gmail.example.com"}, "email"),  # not at the organisation's domain
    ({"email": "mayor@example.org"}, "email"),  # a parent domain is not the organisation's
    ({"contact": "  "}, "contact"),
    ({"contact": "x" * 201}, "contact"),
])
def test_a_request_without_good_evidence_is_refused(town, change, field):
    organisation, admin = town
    with pytest.raises(Invalid) as caught:
        verification.request(admin, organisation, **{**EVIDENCE, **change})
    assert field in caught.value.errors
    assert db.session.scalar(select(VerificationRequest)) is None


def test_an_address_at_a_subdomain_counts(town):
    organisation, admin = town
    found = verification.request(admin, organisation,
                                 **{**EVIDENCE, "email": "it@mail.lakeside.example.org"})
    assert found.status == "waiting"


def test_only_the_organisations_admins_may_ask(town, make):
    organisation, _admin = town
    member = make.member(organisation=organisation)
    moderator = make.user(role="moderator")
    for person in (member, moderator, make.user()):
        with pytest.raises(Forbidden):
            verification.request(person, organisation, **EVIDENCE)


def test_verifying_records_notifies_and_shows(town, make):
    organisation, admin = town
    moderator = make.user(role="moderator", name="Mo Derator")
    found = verification.request(admin, organisation, **EVIDENCE)
    verification.verify(moderator, found, reason="meets_criteria", message="Checked by phone.")
    assert organisation.verified and organisation.verified_by_id == moderator.id
    assert organisation.verified_at is not None
    [record] = db.session.scalars(select(AuditRecord)).all()
    assert (record.action, record.actor_id, record.target_id) == (
        "organisation.verify", moderator.id, organisation.id)
    assert record.before["verified"] is False and record.after["verified"] is True
    [note] = db.session.scalars(select(Notification).where(
        Notification.user_id == admin.id)).all()
    assert "Lakeside Town is now verified" in note.message
    assert note.url.endswith(f"/organisations/{organisation.id}/verification")
    assert [mail.to for mail in db.session.scalars(select(OutgoingMail))] == [admin.email]
    with pytest.raises(Conflict):
        verification.verify(moderator, found)


def test_declining_needs_a_reason_and_tells_the_requester(town, make):
    organisation, admin = town
    moderator = make.user(role="moderator")
    found = verification.request(admin, organisation, **EVIDENCE)
    with pytest.raises(Invalid):
        verification.decline(moderator, found, reason="", message="No.")
    assert found.status == "waiting" and audit_actions() == []
    verification.decline(moderator, found, reason="unverifiable",
                         message="Nobody answered at that address.")
    assert found.status == "declined" and not organisation.verified
    assert audit_actions() == ["organisation.decline"]
    [note] = db.session.scalars(select(Notification)).all()
    assert note.user_id == admin.id and "Cannot be verified" in note.message
    # Declined, the organisation may ask again.
    assert verification.request(admin, organisation, **EVIDENCE).status == "waiting"


def test_only_moderators_decide_or_revoke(town, make):
    organisation, admin = town
    found = verification.request(admin, organisation, **EVIDENCE)
    for act in (verification.verify, verification.decline):
        with pytest.raises(Forbidden):
            act(admin, found, reason="spam")
    organisation.verified = True
    db.session.commit()
    with pytest.raises(Forbidden):
        verification.revoke(admin, organisation, reason="spam")
    assert found.status == "waiting" and organisation.verified and audit_actions() == []


def test_revoking_needs_a_reason_and_is_recorded(town, make):
    organisation, admin = town
    moderator = make.user(role="moderator")
    found = verification.request(admin, organisation, **EVIDENCE)
    verification.verify(moderator, found)
    with pytest.raises(Invalid):
        verification.revoke(moderator, organisation, reason=None)
    assert organisation.verified
    verification.revoke(moderator, organisation, reason="inaccurate",
                        message="The website belongs to someone else.")
    assert not organisation.verified and organisation.verified_at is None
    assert audit_actions() == ["organisation.verify", "organisation.revoke"]
    revoked = db.session.scalars(select(Notification).where(
        Notification.user_id == admin.id).order_by(Notification.id)).all()[-1]
    assert "revoked" in revoked.message
    with pytest.raises(Conflict):
        verification.revoke(moderator, organisation, reason="inaccurate")


def test_the_queue_lists_waiting_requests_oldest_first(town, make):
    organisation, admin = town
    other = make.organisation(name="Hill Council", country="UG")
    other_admin = make.user(email="a@hill.example.org")
    make.membership(user=other_admin, organisation=other, role="admin")
    first = verification.request(admin, organisation, **EVIDENCE)
    second = verification.request(other_admin, other, website="https://hill.example.org",
                                  email="a@hill.example.org", contact="Ann")
    assert verification.queue(1).items == [first, second]
    assert verification.waiting_count() == 2
    verification.decline(make.user(role="moderator"), first, reason="spam")
    assert verification.queue(1).items == [second]
