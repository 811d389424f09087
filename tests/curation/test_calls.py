"""Calls for contributions: opened by moderators, announced, answered, closed on their date."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from nanum.curation import calls
from nanum.errors import Conflict, Forbidden, Invalid
from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.notifications import watching
from nanum.notifications.models import Notification
from nanum.timeutil import utcnow


def today():
    return utcnow().date()


def fields(**changes):
    return {"title": "Practices on SDG 6.b in East Africa", "description": "Water *committees*.",
            "sdgs": "6.b, 6", "countries": ["ke", "TZ"], "regions": ["Eastern Africa"],
            "closes_on": today() + timedelta(days=30), **changes}


@pytest.fixture
def water_call(moderator):
    return calls.open_call(moderator, **fields())


def close(call):
    call.closes_on = today() - timedelta(days=1)
    db.session.commit()


def test_a_moderator_opens_a_call_and_it_is_audited(moderator, water_call):
    assert water_call.sdgs == ["6", "6.b"] and water_call.countries == ["KE", "TZ"]
    assert water_call.is_open and "<em>committees</em>" in water_call.html("description")
    record = db.session.scalars(select(AuditRecord)).one()
    assert (record.action, record.target_type, record.target_id) == (
        "call.open", "calls", water_call.id)
    assert record.after["closes_on"] == water_call.closes_on.isoformat()
    assert calls.open_calls() == [water_call] and calls.closed_calls() == []


def test_only_moderators_open_and_edit_calls(member, water_call):
    with pytest.raises(Forbidden):
        calls.open_call(member, **fields())
    with pytest.raises(Forbidden):
        calls.update(member, water_call, **fields(title="Mine now"))
    assert db.session.scalar(select(db.func.count()).select_from(AuditRecord)) == 1


@pytest.mark.parametrize("changes, field", [
    ({"title": "x"}, "title"),
    ({"sdgs": "6.b, 42"}, "sdgs"),
    ({"countries": ["XX"]}, "countries"),
    ({"regions": ["Atlantis"]}, "regions"),
    ({"closes_on": None}, "closes_on"),
    ({"closes_on": date(2020, 1, 1)}, "closes_on"),
])
def test_bad_input_is_named_and_opens_nothing(moderator, changes, field):
    with pytest.raises(Invalid) as raised:
        calls.open_call(moderator, **fields(**changes))
    assert field in raised.value.errors
    assert calls.open_calls() == []


def test_a_past_date_closes_a_call(moderator, water_call):
    assert calls.update(moderator, water_call, **fields(closes_on=today() - timedelta(days=1)))
    assert not water_call.is_open
    assert calls.open_calls() == [] and calls.closed_calls() == [water_call]
    record = db.session.scalars(select(AuditRecord).where(
        AuditRecord.action == "call.edit")).one()
    assert set(record.after) == {"closes_on"}
    assert calls.update(moderator, water_call, **fields(closes_on=water_call.closes_on)) is False


def test_a_call_is_open_on_its_closing_day(moderator):
    call = calls.open_call(moderator, **fields(closes_on=today()))
    assert call.is_open and calls.open_calls() == [call]


def test_people_watching_its_goals_and_targets_are_told(make, moderator):
    goal, target, elsewhere = make.user(), make.user(), make.user()
    watching.watch(goal, "sdg", "6")
    watching.watch(target, "sdg", "6.b")
    watching.watch(elsewhere, "sdg", "11")
    call = calls.open_call(moderator, **fields(sdgs="6.b"))
    told = db.session.scalars(select(Notification).order_by(Notification.user_id)).all()
    assert {n.user_id for n in told} == {goal.id, target.id}
    assert told[0].url == f"/calls/{call.id}"
    assert told[0].message.startswith("Call for contributions: “Practices on SDG 6.b")


def test_members_of_the_practice_answer_open_calls_only(make, moderator, water_call):
    author = make.member()
    stranger = make.member()
    organisation = author.memberships[0].organisation
    practice = make.practice(organisation=organisation)
    with pytest.raises(Forbidden):
        calls.answer(stranger, practice, str(water_call.id))
    assert calls.answered_call(practice.id) is None
    assert calls.answer(author, practice, str(water_call.id)) is True
    assert calls.answered_call(practice.id) == water_call
    assert calls.answer(author, practice, str(water_call.id)) is False
    other = calls.open_call(moderator, **fields(title="Another call"))
    close(other)
    with pytest.raises(Invalid, match="closed"):
        calls.answer(author, practice, str(other.id))
    with pytest.raises(Invalid, match="closed"):
        calls.answer(author, practice, "123456")
    assert calls.answered_call(practice.id) == water_call


def test_after_closing_the_answers_stay_as_they_are(make, water_call):
    author = make.member()
    practice = make.practice(organisation=author.memberships[0].organisation)
    calls.answer(author, practice, str(water_call.id))
    close(water_call)
    with pytest.raises(Conflict, match="closed"):
        calls.answer(author, practice, None)
    assert calls.answered_call(practice.id) == water_call


def test_the_public_sees_published_answers_and_moderators_all(make, moderator, member,
                                                             water_call):
    author = make.member()
    organisation = author.memberships[0].organisation
    done = make.practice(organisation=organisation, title="Done")
    waiting = make.practice(organisation=organisation, title="Waiting", status="submitted",
                            published_at=None)
    for practice in (done, waiting):
        calls.answer(author, practice, str(water_call.id))
    assert [p.title for p in calls.answers(water_call)] == ["Done"]
    assert [p.title for p in calls.answers(water_call, member)] == ["Done"]
    assert {p.title for p in calls.answers(water_call, moderator)} == {"Done", "Waiting"}
