"""The pages of verification and duplicates: asking, the moderators' queue, revoking, merging,
and the confirmation asked when creating a look-alike."""

import pytest
from sqlalchemy import func, select

from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.organisations import verification
from nanum.organisations.models import Organisation, VerificationRequest

EVIDENCE = {"website": "https://lakeside.example.org", "email": "mayor@lakeside.example.org",
            "contact": "Amina Odhiambo, mayor"}


@pytest.fixture
def town(make):
    admin = make.user(email="admin@example.org", name="Town Admin")
    organisation = make.organisation(name="Lakeside Town", country="KE")
    make.membership(user=admin, organisation=organisation, role="admin")
    make.user(email="mod@example.org", role="moderator", name="Mo Moderator")
    return organisation, admin


def test_an_admin_asks_through_the_page(client, auth, post, town):
    organisation, _admin = town
    auth.login("admin@example.org")
    url = f"/organisations/{organisation.id}/verification"
    assert "Ask for verification" in client.get(f"/organisations/{organisation.id}").get_data(
        as_text=True)
    response = post(url, {**EVIDENCE, "email": "mayor@gmail.example.com"})
    assert response.status_code == 200
    assert "at the website" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(VerificationRequest.id))) == 0
    response = post(url, EVIDENCE)
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Waiting for a moderator" in page and "Send the request" not in page


def test_moderators_verify_from_the_queue(client, auth, post, town, make):
    organisation, admin = town
    found = verification.request(admin, organisation, **EVIDENCE)
    look_alike = make.organisation(name="Lakeside Town Council", country="KE")
    auth.login("mod@example.org")
    queue = client.get("/moderation/organisations/").get_data(as_text=True)
    assert "mayor@lakeside.example.org" in queue and "Amina Odhiambo" in queue
    assert "Lakeside Town Council" in queue  # a possible duplicate, shown beside it
    response = post(f"/moderation/organisations/requests/{found.id}/verify",
                    {"message": "Called the town hall."}, page="/moderation/organisations/")
    assert response.status_code == 302
    db.session.expire_all()
    assert organisation.verified and found.status == "verified"
    assert "No request is waiting" in client.get("/moderation/organisations/").get_data(
        as_text=True)
    assert look_alike.id


def test_declining_without_a_reason_changes_nothing(client, auth, post, town):
    organisation, admin = town
    found = verification.request(admin, organisation, **EVIDENCE)
    auth.login("mod@example.org")
    response = post(f"/moderation/organisations/requests/{found.id}/decline",
                    {"message": "No."}, page="/moderation/organisations/")
    assert "Please choose a reason" in client.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert found.status == "waiting"
    post(f"/moderation/organisations/requests/{found.id}/decline",
         {"reason": "unverifiable", "message": "Nobody answered."},
         page="/moderation/organisations/")
    db.session.expire_all()
    assert found.status == "declined"
    auth.logout()
    auth.login("admin@example.org")
    page = client.get(f"/organisations/{organisation.id}/verification").get_data(as_text=True)
    assert "Declined" in page and "Nobody answered." in page and "Send the request" in page


def test_a_moderator_revokes_from_the_organisation_page(client, auth, post, town):
    organisation, _admin = town
    organisation.verified = True
    db.session.commit()
    auth.login("mod@example.org")
    page = f"/organisations/{organisation.id}"
    assert "Revoke verification" in client.get(page).get_data(as_text=True)
    post(f"/moderation/organisations/{organisation.id}/revoke",
         {"reason": "inaccurate", "message": "Not the town's site."}, page=page)
    db.session.expire_all()
    assert not organisation.verified
    [record] = db.session.scalars(select(AuditRecord)).all()
    assert record.action == "organisation.revoke" and record.message == "Not the town's site."


def test_merging_through_the_page(client, auth, post, town, make):
    organisation, _admin = town
    duplicate = make.organisation(name="Lakeside Town Council", country="KE")
    make.practice(organisation=duplicate, status="published", title="Moved along")
    duplicate_id, organisation_id = duplicate.id, organisation.id
    auth.login("mod@example.org")
    url = f"/moderation/organisations/{duplicate_id}/merge"
    page = client.get(url).get_data(as_text=True)
    assert "1 practice and" in page and "Lakeside Town" in page
    response = post(url, {"into": str(duplicate_id)})
    assert "Choose another organisation" in response.get_data(as_text=True)
    response = post(url, {"into": "999999"})
    assert "No organisation has this number" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Organisation.id))) == 2
    response = post(url, {"into": str(organisation_id), "reason": "duplicate"})
    assert response.location.endswith(f"/organisations/{organisation_id}")
    page = client.get(response.location).get_data(as_text=True)
    assert "Moved along" in page and "Lakeside Town Council was merged into" in page
    assert client.get(f"/organisations/{duplicate_id}").status_code == 301


def test_creating_a_look_alike_asks_first(client, auth, post, town, make):
    make.user(email="new@example.org")
    auth.login("new@example.org")
    form = {"name": "Lakeside Town Council", "type": "LRG", "country": "KE"}
    response = post("/organisations/new", form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Is it one of these?" in page and "Lakeside Town" in page
    assert db.session.scalar(select(func.count(Organisation.id))) == 1
    response = post("/organisations/new", {**form, "confirmed": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Organisation.id))) == 2


def test_the_queue_runs_the_same_queries_whatever_its_length(client, auth, make,
                                                              count_queries):
    make.user(email="mod@example.org", role="moderator")
    auth.login("mod@example.org")

    def add(count):
        for _ in range(count):
            organisation = make.organisation(country="KE")
            db.session.add(VerificationRequest(organisation=organisation,
                                               requested_by=make.user(),
                                               website="https://x.example.org",
                                               email="a@x.example.org", contact="A"))
        db.session.commit()

    def queries():
        client.get("/moderation/organisations/")
        with count_queries() as statements:
            assert client.get("/moderation/organisations/").status_code == 200
        return len(statements)

    add(1)
    few = queries()
    add(15)
    assert queries() == few
