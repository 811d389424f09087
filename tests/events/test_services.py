from datetime import datetime

import pytest
from sqlalchemy import select

from events.conftest import event_fields
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.events import services
from nanum.events.models import Event
from nanum.extensions import db


def test_create_stores_utc_and_cooks_markdown(organiser, event):
    # 09:00 in Seoul (UTC+9) is midnight UTC.
    assert event.starts_at == datetime(2031, 7, 14, 0, 0)
    assert event.ends_at == datetime(2031, 7, 14, 8, 30)
    assert event.local_start.strftime("%H:%M") == "09:00"
    assert "<em>meet</em>" in event.html("background")
    assert event.objectives == ["Share practices", "Build partnerships"]
    assert event.target_keys == ["17.17"] and event.goal_numbers == [17]
    assert event.theme_keys == ["nri_capacity"]
    assert event.status == "published"  # the tests' policy publishes at once


def test_bad_fields_are_all_reported_and_nothing_is_saved(organiser):
    organisation_id = organiser.memberships[0].organisation_id
    with pytest.raises(Invalid) as raised:
        services.create(organiser, organisation_id, event_fields(
            title="", kind="party", time_zone="Mars/Olympus", starts_at="tomorrow",
            ends_at="2031-07-14 08:00", place="", online_url="ftp://x", targets=["99.9"],
            capacity="-3", country="XX"))
    assert set(raised.value.errors) >= {"title", "kind", "time_zone", "starts_at",
                                        "online_url", "targets", "capacity", "country"}
    assert db.session.scalar(select(Event.id)) is None


def test_end_before_start_is_refused(organiser):
    organisation_id = organiser.memberships[0].organisation_id
    with pytest.raises(Invalid) as raised:
        services.create(organiser, organisation_id, event_fields(ends_at="2031-07-14 08:00"))
    assert "ends_at" in raised.value.errors


def test_members_of_unverified_organisations_cannot_create(make):
    member = make.member(organisation=make.organisation(verified=False))
    with pytest.raises(Forbidden):
        services.create(member, member.memberships[0].organisation_id, event_fields())
    assert not services.can_create(member)


def test_only_own_organisation(make, organiser):
    other = make.organisation(verified=True)
    with pytest.raises(Forbidden):
        services.create(organiser, other.id, event_fields())


def test_moderators_create_for_any_organisation(make):
    moderator = make.user(role="moderator")
    organisation = make.organisation()
    event = services.create(moderator, organisation.id, event_fields())
    assert event.organisation_id == organisation.id


def test_policy_sends_new_events_to_review_and_moderator_publishes(app, make, organiser):
    app.config["MODERATION_SUBMISSION_POLICY"] = "review_all"
    event = services.create(organiser, organiser.memberships[0].organisation_id, event_fields())
    assert event.status == "submitted"
    assert event in services.waiting_review()
    with pytest.raises(Forbidden):
        services.decide(organiser, event, "publish")
    moderator = make.user(role="moderator")
    services.decide(moderator, event, "publish")
    assert event.status == "published" and event.published_at is not None


def test_editing_needs_the_organisers(make, event, organiser):
    stranger = make.member(organisation=make.organisation(verified=True))
    with pytest.raises(Forbidden):
        services.update(stranger, event, event_fields(title="Taken over"))
    co_member = make.member(organisation=make.organisation(verified=True))
    services.update(organiser, event, event_fields(
        co_organisers=[str(co_member.memberships[0].organisation_id)]))
    services.update(co_member, event, event_fields(title="Edited by a co-organiser",
                    co_organisers=[str(co_member.memberships[0].organisation_id)]))
    assert event.title == "Edited by a co-organiser"


def test_drafts_are_hidden_from_others(make, organiser):
    event = services.create(organiser, organiser.memberships[0].organisation_id,
                            event_fields(), action="draft")
    assert event.status == "draft"
    assert services.get(event.id, organiser) is event
    with pytest.raises(NotFound):
        services.get(event.id, make.user())
