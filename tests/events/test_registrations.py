import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from events.conftest import event_fields
from nanum.errors import Forbidden, Invalid
from nanum.events import registrations, services
from nanum.extensions import db
from nanum.notifications.models import OutgoingMail
from nanum.notifications.services import site_context
from nanum.timeutil import utcnow


@pytest.fixture
def small_event(organiser):
    return services.create(organiser, organiser.memberships[0].organisation_id,
                           event_fields(capacity="1"))


def test_capacity_waiting_list_and_promotion(make, small_event):
    first, second = make.user(), make.user()
    assert registrations.register(first, small_event, "Town of A").state == "registered"
    assert registrations.register(second, small_event).state == "waiting"
    with pytest.raises(Invalid):
        registrations.register(first, small_event)
    with site_context():
        promoted = registrations.cancel(first, small_event)
    assert promoted.user_id == second.id and promoted.state == "registered"
    mail = db.session.scalars(select(OutgoingMail)).all()
    assert [m.to for m in mail] == [second.email]
    assert "place" in mail[0].subject
    assert registrations.counts(small_event) == {"registered": 1, "waiting": 0}


def test_participant_list_is_for_organisers(make, organiser, small_event):
    person = make.user(name="=cmd|calc")
    registrations.register(person, small_event, "@Org", visible=True)
    with pytest.raises(Forbidden):
        registrations.participants(person, small_event)
    rows = list(csv.reader(io.StringIO(registrations.participants_csv(organiser, small_event))))
    assert rows[0][:3] == ["Name", "Email", "Organisation"]
    assert rows[1][0] == "'=cmd|calc" and rows[1][2] == "'@Org"  # no formulas


def test_participants_see_only_those_who_opt_in(make, small_event, organiser):
    services.update(organiser, small_event, event_fields(capacity="5"))
    shown, hidden, outsider = make.user(), make.user(), make.user()
    registrations.register(shown, small_event, visible=True)
    registrations.register(hidden, small_event, visible=False)
    assert [r.user_id for r in registrations.visible_participants(hidden, small_event)] == [
        shown.id]
    assert registrations.visible_participants(outsider, small_event) == []


def test_reminders_go_once(make, organiser):
    soon = (utcnow() + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M")
    later = (utcnow() + timedelta(hours=7)).strftime("%Y-%m-%d %H:%M")
    event = services.create(organiser, organiser.memberships[0].organisation_id,
                            event_fields(time_zone="UTC", starts_at=soon, ends_at=later))
    person = make.user()
    registrations.register(person, event)
    with site_context():
        assert registrations.send_reminders() == 1
        assert registrations.send_reminders() == 0
    mail = db.session.scalars(select(OutgoingMail)).one()
    assert mail.to == person.email and event.title in mail.body


def test_no_registration_for_drafts(make, organiser):
    draft = services.create(organiser, organiser.memberships[0].organisation_id,
                            event_fields(), action="draft")
    with pytest.raises(Invalid):
        registrations.register(make.user(), draft)


def test_remind_command_queues_once(runner, make, organiser):
    soon = (utcnow() + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    later = (utcnow() + timedelta(hours=4)).strftime("%Y-%m-%d %H:%M")
    event = services.create(organiser, organiser.memberships[0].organisation_id,
                            event_fields(time_zone="UTC", starts_at=soon, ends_at=later))
    registrations.register(make.user(), event)
    assert "Queued 1 reminder" in runner.invoke(args=["events", "remind"]).output
    assert "Queued 0 reminder" in runner.invoke(args=["events", "remind"]).output
    assert "between 1 and 1440" in runner.invoke(args=["events", "remind", "--hours",
                                                       "0"]).output
