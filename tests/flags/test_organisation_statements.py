"""Decisions on a flagged organisation reach its admins: a statement in the app and by mail,
with the reason and the one appeal, which any one of them may make."""

import pytest
from sqlalchemy import select

from nanum.extensions import db
from nanum.flags import actions, sanctions, services
from nanum.flags.models import Statement
from nanum.moderation.models import AuditRecord
from nanum.notifications.models import Notification, OutgoingMail
from nanum.organisations import merging


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def council(make, people):
    """An organisation with two admins, a plain member, and a pending admin request."""
    organisation = make.organisation(name="Flagged Council", country="KE")
    admins = [make.user(email=f"admin{n}@example.org", name=f"Admin {n}") for n in (1, 2)]
    for admin in admins:
        make.membership(user=admin, organisation=organisation, role="admin")
    member = make.user(email="member@example.org", name="Plain Member")
    make.membership(user=member, organisation=organisation, role="member")
    waiting = make.user(email="waiting@example.org", name="Waiting Admin")
    make.membership(user=waiting, organisation=organisation, role="admin", status="pending")
    return organisation, admins, member, waiting


def notified(user):
    return db.session.scalars(select(Notification.message).where(
        Notification.user_id == user.id).order_by(Notification.id)).all()


def mailed(user):
    return db.session.scalars(select(OutgoingMail.body).where(OutgoingMail.to == user.email)).all()


@pytest.mark.parametrize(("decision", "said", "appealable"), [
    ("hide", "A moderator hid your organisation “Flagged Council”", True),
    ("keep", "A moderator agreed with the flags on your organisation “Flagged Council” and "
             "kept it visible", True),
    ("restore", "A moderator disagreed with the flags on your organisation “Flagged Council” "
                "and showed it again", False),
])
def test_every_decision_tells_the_admins(people, council, decision, said, appealable):
    organisation, admins, member, waiting = council
    entry = services.flag(people.a, "organisation", organisation.id, "spam")
    actions.decide(people.mod, entry, decision, "duplicate", "Same as another council.")
    for admin in admins:
        [message] = notified(admin)
        assert message.startswith(said)
        assert "Reason: Duplicate of existing content. Same as another council." in message
        assert ("You may appeal this decision once." in message) == appealable
        assert any(said in body for body in mailed(admin))
    for outsider in (member, waiting, people.a):
        assert notified(outsider) == []
    statement = db.session.scalar(select(Statement))
    assert (statement.organisation_id, statement.user_id) == (organisation.id, None)


def test_ignoring_a_flag_tells_nobody(people, council):
    organisation, admins, _member, _waiting = council
    entry = services.flag(people.a, "organisation", organisation.id, "spam")
    actions.decide(people.mod, entry, "ignore", "policy")
    assert notified(admins[0]) == [] and db.session.scalar(select(Statement)) is None


def test_ignoring_flags_that_had_hidden_it_says_it_shows_again(people, council):
    organisation, admins, _member, _waiting = council
    entry = services.flag(people.mod, "organisation", organisation.id, "spam")
    actions.decide(people.mod2, entry, "ignore", "policy")
    db.session.expire_all()
    assert not organisation.hidden
    hidden, shown = notified(admins[0])
    assert hidden.startswith("Your organisation “Flagged Council” was hidden automatically")
    assert shown.startswith("A moderator set the flags on your organisation “Flagged Council” "
                            "aside and showed it again")
    assert "appeal" not in shown


def test_hidden_automatically_the_admins_are_told(people, council):
    organisation, admins, _member, _waiting = council
    services.flag(people.mod, "organisation", organisation.id, "spam")  # a moderator's flag
    db.session.expire_all()
    assert organisation.hidden
    for admin in admins:
        [message] = notified(admin)
        assert message.startswith("Your organisation “Flagged Council” was hidden "
                                  "automatically after several flags, until a moderator decides")
        assert "Reason: Spam or advertising." in message and "appeal" in message
        assert mailed(admin)


def test_the_statement_page_is_the_admins_and_moderators_only(client, auth, people, council):
    organisation, _admins, _member, _waiting = council
    entry = services.flag(people.a, "organisation", organisation.id, "spam")
    actions.decide(people.mod, entry, "hide", "spam")
    url = f"/decisions/{db.session.scalar(select(Statement.id))}"
    for email, status in (("admin2@example.org", 200), ("member@example.org", 404),
                          ("waiting@example.org", 404), ("a@example.org", 404),
                          ("mod2@example.org", 200)):
        auth.login(email)
        response = client.get(url)
        assert response.status_code == status, email
        assert ("Send the appeal" in text(response)) == (email == "admin2@example.org")
        auth.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_one_admin_appeals_for_the_organisation(client, auth, post, people, council):
    organisation, admins, _member, _waiting = council
    entry = services.flag(people.a, "organisation", organisation.id, "spam")
    actions.decide(people.mod, entry, "hide", "spam")
    statement = db.session.scalar(select(Statement))
    url = f"/decisions/{statement.id}"
    auth.login("member@example.org")
    assert post(f"{url}/appeal", {"text": "We are real."}, page="/").status_code == 404
    auth.logout()
    auth.login("admin1@example.org")
    post(f"{url}/appeal", {"text": "We are the county's council."}, page=url)
    assert "waiting for another moderator" in text(client.get(url))
    auth.logout()
    with pytest.raises(Exception, match="Another admin of the organisation has already"):
        sanctions.appeal(admins[1], statement, "Me too.")
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "appeal.open"))
    assert record.actor_id == admins[0].id
    auth.login("mod2@example.org")
    page = text(client.get("/moderation/flags"))
    assert "appealed by Admin 1 for the organisation" in page
    post(f"/moderation/appeals/{statement.id}", {"outcome": "overturn", "reason": "policy"},
         page="/moderation/flags")
    db.session.expire_all()
    assert statement.appeal_status == "overturned" and not organisation.hidden
    for admin in admins:
        assert any("overturned the decision" in message for message in notified(admin))


def test_an_appeal_against_hiding_by_flags_shows_the_organisation_again(people, council):
    organisation, admins, _member, _waiting = council
    entry = services.flag(people.mod, "organisation", organisation.id, "spam")
    statement = db.session.scalar(select(Statement))
    sanctions.appeal(admins[0], statement, "Nothing wrong here.")
    sanctions.decide_appeal(people.mod2, statement, "overturn", "policy")
    db.session.expire_all()
    assert not organisation.hidden and entry.status == "restored" and entry.open_key is None


def test_a_moderator_who_appealed_does_not_decide_the_appeal(people, council):
    organisation, _admins, _member, _waiting = council
    from nanum.organisations.models import Membership

    db.session.add(Membership(user_id=people.mod2.id, organisation_id=organisation.id,
                              role="admin", status="active"))
    db.session.commit()
    entry = services.flag(people.a, "organisation", organisation.id, "spam")
    actions.decide(people.mod, entry, "hide", "spam")
    statement = db.session.scalar(select(Statement))
    sanctions.appeal(people.mod2, statement, "This is my organisation.")
    with pytest.raises(Exception, match="Another moderator must decide"):
        sanctions.decide_appeal(people.mod2, statement, "overturn", "policy")


def test_merging_moves_the_statements_to_the_organisation_that_stays(make, people, council):
    organisation, _admins, _member, _waiting = council
    entry = services.flag(people.a, "organisation", organisation.id, "spam")
    actions.decide(people.mod, entry, "keep", "spam")
    survivor = make.organisation(name="Flagged County Council", country="KE")
    merging.merge(people.mod, organisation, survivor, reason="duplicate")
    assert db.session.scalar(select(Statement.organisation_id)) == survivor.id


@pytest.mark.parametrize(("language", "said"), [
    ("en", "A moderator hid your topic “Flood gauges”"),
    ("es", "Un moderador ocultó su tema «Flood gauges»"),
])
def test_a_statement_names_the_kind_of_thing_in_the_reader_s_language(app, language, said):
    statement = Statement(action="flag.hide", target_type="thread", target_label="Flood gauges")
    with app.app_context(), app.test_request_context(
            "/", headers={"Accept-Language": language}):
        assert actions.describe(statement) == said
