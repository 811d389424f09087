"""Admins manage roles and site settings in the app; every change is audited."""

import pytest
from sqlalchemy import select

from nanum.errors import Conflict, Forbidden, Invalid
from nanum.extensions import db
from nanum.moderation import roles, settings
from nanum.moderation.models import AuditRecord


@pytest.fixture(autouse=True)
def review_all(app):
    """Start from the default policy (the test settings publish at once)."""
    app.config["MODERATION_SUBMISSION_POLICY"] = "review_all"


def records(action):
    return db.session.scalars(select(AuditRecord).where(AuditRecord.action == action)
                              .order_by(AuditRecord.id)).all()


def test_an_admin_changes_a_role_and_it_is_recorded(app, make):
    admin = make.user(role="admin")
    person = make.user()
    assert roles.change(admin, person, "moderator", reason="policy", message="Volunteered.")
    assert person.role == "moderator" and person.is_moderator
    [record] = records("user.role")
    assert (record.actor_id, record.target_id, record.before, record.after) == (
        admin.id, person.id, {"role": "member"}, {"role": "moderator"})
    assert record.message == "Volunteered."
    assert roles.change(admin, person, "moderator") is False  # nothing to record
    assert len(records("user.role")) == 1


def test_only_admins_change_roles(app, make):
    person = make.user()
    for actor in (make.user(role="moderator"), make.user()):
        with pytest.raises(Forbidden):
            roles.change(actor, person, "admin")
    assert person.role == "member" and records("user.role") == []


def test_a_role_must_be_one_of_the_list(app, make):
    with pytest.raises(Invalid):
        roles.change(make.user(role="admin"), make.user(), "superuser")


def test_the_last_admin_stays_an_admin(app, make):
    admin = make.user(role="admin")
    with pytest.raises(Conflict):
        roles.change(admin, admin, "member")
    db.session.expire_all()
    assert admin.role == "admin" and records("user.role") == []
    # With a second admin, either may step down, but not both.
    second = make.user(role="admin")
    assert roles.change(second, admin, "moderator")
    with pytest.raises(Conflict):
        roles.change(second, second, "member")
    db.session.expire_all()
    assert (admin.role, second.role) == ("moderator", "admin")


def test_a_deactivated_admin_does_not_count(app, make):
    admin = make.user(role="admin")
    make.user(role="admin", active=False)
    with pytest.raises(Conflict):
        roles.change(admin, admin, "member")


def test_the_people_page_lists_and_changes_roles(client, auth, post, make):
    admin = make.user(email="admin@example.org", role="admin", name="Ann Admin")
    person = make.user(email="p@example.org", name="Pat Person", handle="pat")
    auth.login("admin@example.org")
    page = client.get("/moderation/people?q=pat").get_data(as_text=True)
    assert f'id="person-{person.id}"' in page and f'id="person-{admin.id}"' not in page
    response = post(f"/moderation/people/{person.id}/role",
                    {"role": "moderator", "message": "Helps with the queue."},
                    page="/moderation/people")
    assert response.status_code == 302
    db.session.expire_all()
    assert person.role == "moderator"
    assert "Pat Person is now moderator" in client.get(response.location).get_data(
        as_text=True)
    filtered = client.get("/moderation/people?role=moderator").get_data(as_text=True)
    assert f'id="person-{person.id}"' in filtered and f'id="person-{admin.id}"' not in filtered


def test_the_people_page_refuses_to_remove_the_last_admin(client, auth, post, make):
    admin = make.user(email="admin@example.org", role="admin")
    auth.login("admin@example.org")
    response = post(f"/moderation/people/{admin.id}/role", {"role": "member"},
                    page="/moderation/people")
    assert "at least one admin" in client.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert admin.role == "admin"


def test_the_settings_page_changes_the_policy(client, auth, post, make):
    admin = make.user(email="admin@example.org", role="admin")
    auth.login("admin@example.org")
    page = client.get("/moderation/settings").get_data(as_text=True)
    assert "Submission policy" in page and "Trusted organisations publish directly" in page
    response = post("/moderation/settings",
                    {"submission_policy": "trusted_publish", "reason": "policy",
                     "message": "Enough moderators now."})
    assert response.status_code == 302
    assert settings.get("submission_policy") == "trusted_publish"
    [record] = records("setting.change")
    assert record.actor_id == admin.id and record.message == "Enough moderators now."
    assert (record.before, record.after) == ({"submission_policy": "review_all"},
                                             {"submission_policy": "trusted_publish"})


def test_the_settings_page_refuses_an_unknown_value(client, auth, post, make):
    make.user(email="admin@example.org", role="admin")
    auth.login("admin@example.org")
    response = post("/moderation/settings", {"submission_policy": "anything_goes"})
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert settings.get("submission_policy") == "review_all" and records("setting.change") == []


def test_saving_several_settings_checks_them_all_first(app, make):
    admin = make.user(role="admin")
    with pytest.raises(Invalid):
        settings.save(admin, {"submission_policy": "publish_all", "no_such_setting": 1})
    db.session.rollback()
    assert settings.get("submission_policy") == "review_all" and records("setting.change") == []


def test_only_admins_change_settings(app, make):
    for actor in (make.user(role="moderator"), make.user()):
        with pytest.raises(Forbidden):
            settings.save(actor, {"submission_policy": "publish_all"})
        with pytest.raises(Forbidden):
            settings.change(actor, "submission_policy", "publish_all")
    db.session.rollback()
    assert settings.get("submission_policy") == "review_all" and records("setting.change") == []
