"""Possible duplicates when creating, and merging one organisation into another."""

import pytest
from sqlalchemy import func, select

from fixtures.world import pdf
from nanum.discussions import services as discussions
from nanum.discussions.models import Thread
from nanum.errors import Forbidden, Invalid
from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.notifications import watching
from nanum.notifications.models import Watch
from nanum.organisations import merging, services
from nanum.organisations.models import Membership, Organisation, VerificationRequest
from nanum.practices import attachments
from nanum.practices.models import Attachment, Practice, PracticePartner


@pytest.mark.parametrize("first, second", [
    ("Nairobi City County", "Nairobi County Government"),
    ("Municipality of São Paulo", "Sao Paulo municipality"),
    ("Kisumu Water Institute", "Kisumu Water Institute Ltd"),
    ("The Lake Basin Authority", "lake basin authority"),
])
def test_similar_names_look_alike(first, second):
    assert merging.similarity(merging.normalise(first), merging.normalise(second)) >= (
        merging.THRESHOLD)


@pytest.mark.parametrize("first, second", [
    ("Organisation A", "Organisation C"),
    ("Ministry of Health", "Ministry of Education"),
    ("Kisumu County", "Nakuru County"),
])
def test_different_names_do_not(first, second):
    assert merging.similarity(merging.normalise(first), merging.normalise(second)) < (
        merging.THRESHOLD)


def test_the_quick_comparison_agrees_with_the_plain_one(app, make):
    """Cheap bounds first, difflib after: the same organisations as comparing every pair."""
    names = ["Kisumu Water Institute", "Kisumu Water Institut", "Kisumu Waters",
             "Water Institute of Kisumu", "Nakuru Water", "Institute Kisumu",
             "Kisumu County", "KWI", "Municipality of Kisumu", "The Kisumu Water Institute"]
    organisations = [make.organisation(name=name, country="KE") for name in names]
    found = merging.duplicates_of(organisations)
    for organisation in organisations:
        expected = {other.id for other in organisations if other.id != organisation.id
                    and merging.similarity(merging.normalise(organisation.name),
                                           merging.normalise(other.name)) >= merging.THRESHOLD}
        assert {other.id for other, _ in found[organisation.id]} == expected


def test_creating_a_look_alike_asks_for_confirmation(app, make):
    existing = make.organisation(name="Nairobi City County", country="KE")
    person = make.user()
    fields = {"name": "Nairobi County Government", "type": "LRG", "country": "KE"}
    with pytest.raises(services.PossibleDuplicates) as caught:
        services.create(person, **fields)
    assert [other for other, _score in caught.value.similar] == [existing]
    assert db.session.scalar(select(func.count(Organisation.id))) == 1
    created = services.create(person, confirmed=True, **fields)
    assert created.name == "Nairobi County Government"


def test_a_look_alike_in_another_country_is_no_duplicate(app, make):
    make.organisation(name="Lake Basin Institute", country="UG")
    created = services.create(make.user(), name="Lake Basin Institute Kenya", type="NRI",
                              country="KE")
    assert created.id


def test_duplicates_of_a_page_of_organisations(app, make):
    first = make.organisation(name="Kisumu Water Institute", country="KE")
    second = make.organisation(name="Kisumu Water Institute Ltd", country="KE")
    lone = make.organisation(name="Turkana Herders", country="KE")
    found = merging.duplicates_of([first, lone])
    assert [(other.id, other.name) for other, _ in found[first.id]] == [
        (second.id, "Kisumu Water Institute Ltd")]
    assert found[lone.id] == []


@pytest.fixture
def pair(make):
    """Two organisations with practices, members in both, partners, watches and threads."""
    survivor = make.organisation(name="Kisumu Water Institute", country="KE", website=None)
    merged = make.organisation(name="Kisumu Water Institute Ltd", country="KE",
                               website="https://kwi.example.org", description="Founded 1990.")
    both = make.user(name="In Both")
    make.membership(user=both, organisation=survivor, role="member")
    make.membership(user=both, organisation=merged, role="admin")
    pending_here = make.user(name="Pending here")
    make.membership(user=pending_here, organisation=survivor, status="pending")
    make.membership(user=pending_here, organisation=merged, status="active")
    only_merged = make.user(name="Only merged")
    make.membership(user=only_merged, organisation=merged, role="member")
    kept = make.practice(organisation=survivor, status="published", title="Kept practice")
    moved = make.practice(organisation=merged, status="published", title="Moved practice")
    draft = make.practice(organisation=merged, status="draft", title="Moved draft")
    other = make.organisation(name="Partner Org", country="TZ")
    partnered = make.practice(organisation=other, status="published", title="Partnered")
    db.session.add_all([PracticePartner(practice_id=partnered.id, organisation_id=merged.id),
                        PracticePartner(practice_id=kept.id, organisation_id=merged.id)])
    db.session.commit()
    attachment = attachments.add(only_merged, moved, pdf())
    reply = discussions.reply(only_merged, practice=moved, body="How did you pay for it?")
    watching.ensure_watch(both.id, "organisation", str(merged.id))
    watching.ensure_watch(both.id, "organisation", str(survivor.id))
    watching.ensure_watch(only_merged.id, "organisation", str(merged.id))
    db.session.add(VerificationRequest(organisation_id=merged.id,
                                       website="https://kwi.example.org",
                                       email="a@kwi.example.org", contact="A"))
    db.session.commit()
    return dict(survivor=survivor, merged=merged, both=both, pending_here=pending_here,
                only_merged=only_merged, kept=kept, moved=moved, draft=draft,
                partnered=partnered, attachment=attachment, thread=reply.thread_id)


def test_merging_keeps_everything(app, make, pair):
    moderator = make.user(role="moderator")
    survivor, merged = pair["survivor"], pair["merged"]
    merged_id, merged_name = merged.id, merged.name
    merging.merge(moderator, merged, survivor, reason="duplicate", message="Same institute.")
    db.session.expire_all()

    assert db.session.get(Organisation, merged_id) is None
    practices = db.session.scalars(select(Practice).where(
        Practice.organisation_id == survivor.id).order_by(Practice.title)).all()
    assert [p.title for p in practices] == ["Kept practice", "Moved draft", "Moved practice"]
    assert db.session.get(Attachment, pair["attachment"].id).practice_id == pair["moved"].id
    thread = db.session.get(Thread, pair["thread"])
    assert thread.practice_id == pair["moved"].id

    memberships = {m.user_id: (m.role, m.status) for m in db.session.scalars(
        select(Membership).where(Membership.organisation_id == survivor.id))}
    assert memberships == {pair["both"].id: ("admin", "active"),
                           pair["pending_here"].id: ("member", "active"),
                           pair["only_merged"].id: ("member", "active")}
    assert db.session.scalar(select(func.count(Membership.id)).where(
        Membership.organisation_id == merged_id)) == 0

    partners = set(db.session.execute(select(PracticePartner.practice_id,
                                             PracticePartner.organisation_id)).all())
    # The survivor's own practice does not list it as its own partner.
    assert partners == {(pair["partnered"].id, survivor.id)}

    watches = set(db.session.execute(select(Watch.user_id, Watch.target_key).where(
        Watch.target_type == "organisation")).all())
    assert watches == {(pair["both"].id, str(survivor.id)),
                       (pair["only_merged"].id, str(survivor.id))}
    assert db.session.scalar(select(VerificationRequest.organisation_id)) == survivor.id
    # What only the merged organisation said is kept.
    assert survivor.website == "https://kwi.example.org"
    assert "Founded 1990." in survivor.html("description")
    assert merging.redirect_target(merged_id) == survivor.id

    [record] = db.session.scalars(select(AuditRecord)).all()
    assert record.action == "organisation.merge" and record.actor_id == moderator.id
    assert record.reason_code == "duplicate" and record.message == "Same institute."
    assert record.before["merged"]["name"] == merged_name
    assert record.before["merged"]["description"] == "Founded 1990."
    assert record.after["moved_practices"] == 2 and record.after["moved_members"] == 1


def test_a_second_merge_keeps_old_addresses_leading_to_the_survivor(app, make):
    moderator = make.user(role="moderator")
    first = make.organisation(name="Kisumu Water", country="KE")
    second = make.organisation(name="Kisumu Water Ltd", country="KE")
    third = make.organisation(name="Kisumu Water Institute", country="KE")
    first_id = first.id
    merging.merge(moderator, first, second)
    merging.merge(moderator, second, third)
    assert merging.redirect_target(first_id) == third.id


def test_only_moderators_merge_and_not_into_itself(app, make, pair):
    survivor, merged = pair["survivor"], pair["merged"]
    with pytest.raises(Forbidden):
        merging.merge(pair["both"], merged, survivor)
    with pytest.raises(Invalid):
        merging.merge(make.user(role="moderator"), merged, merged)
    assert db.session.get(Organisation, merged.id) is not None
    assert db.session.scalar(select(func.count(AuditRecord.id))) == 0


def test_a_merged_organisations_address_redirects(client, make, pair):
    moderator = make.user(role="moderator")
    merged_id = pair["merged"].id
    merging.merge(moderator, pair["merged"], pair["survivor"])
    response = client.get(f"/organisations/{merged_id}")
    assert response.status_code == 301
    assert response.location.endswith(f"/organisations/{pair['survivor'].id}")
    assert client.get("/organisations/999999").status_code == 404
