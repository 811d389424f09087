"""Organisers withdraw their event and put it back: it leaves the calendar, search and the
API, stays on its page for them, is audited, and the people registered are told."""

import pytest
from sqlalchemy import select

from events.conftest import event_fields
from nanum.errors import Forbidden, Invalid
from nanum.events import registrations, services, withdrawal
from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.notifications.models import Notification
from nanum.search import service as search


def _audit(action):
    return db.session.scalars(select(AuditRecord).where(AuditRecord.action == action)).all()


def test_an_organiser_withdraws_an_event_and_it_leaves_calendar_search_and_api(
        client, auth, post, organiser, event):
    search.sync()
    assert event.title in client.get("/search?q=partnerships").get_data(as_text=True)
    auth.login("organiser@example.org")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'action="/events/{event.id}/withdraw"' in page
    response = post(f"/events/{event.id}/withdraw", {"message": "Postponed to next year."},
                    page=f"/events/{event.id}")
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.status == "withdrawn"
    [record] = _audit("event.withdraw")
    assert record.actor_id == organiser.id and record.target_id == event.id
    assert record.before == {"status": "published"} and record.after == {"status": "withdrawn"}
    assert record.message == "Postponed to next year."
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Withdrawn" in page and f'action="/events/{event.id}/restore"' in page
    auth.logout()
    assert client.get(f"/events/{event.id}").status_code == 404
    assert event.title not in client.get("/events/").get_data(as_text=True)
    search.sync()
    assert event.title not in client.get("/search?q=partnerships").get_data(as_text=True)
    assert client.get(f"/api/v1/events/{event.id}").status_code == 404
    assert client.get("/api/v1/events/").get_json()["events"] == []


def test_putting_an_event_back_follows_the_moderation_policy_and_is_audited(
        client, organiser, event):
    withdrawal.withdraw(organiser, event)
    withdrawal.restore(organiser, event)
    assert event.status == "published"
    [record] = _audit("event.restore")
    assert record.before == {"status": "withdrawn"} and record.after == {"status": "published"}
    search.sync()
    assert event.title in client.get("/search?q=partnerships").get_data(as_text=True)
    assert client.get(f"/api/v1/events/{event.id}").status_code == 200


def test_the_people_registered_are_told_in_their_notifications(make, organiser, event):
    guest, queued = make.user(), make.user()
    registrations.register(guest, event)
    registrations.register(queued, event)
    registrations.cancel(queued, event)  # a cancelled registration is not told
    withdrawal.withdraw(organiser, event, "Postponed to next year.")
    [note] = db.session.scalars(select(Notification)).all()
    assert note.user_id == guest.id and note.kind == "event"
    assert event.title in note.message and "withdrawn" in note.message
    assert note.excerpt == "Postponed to next year."
    assert note.url.endswith("/events/")  # the event's own page is for its organisers now
    withdrawal.restore(organiser, event)
    notes = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert [n.user_id for n in notes] == [guest.id, guest.id]
    assert "is back" in notes[1].message and notes[1].url.endswith(f"/events/{event.id}")


def test_an_event_without_registrations_notifies_nobody(organiser, event):
    withdrawal.withdraw(organiser, event)
    assert db.session.scalars(select(Notification)).all() == []


def test_only_its_organisers_withdraw_an_event_or_put_it_back(make, organiser, event):
    stranger = make.member(organisation=make.organisation(verified=True))
    with pytest.raises(Forbidden):
        withdrawal.withdraw(stranger, event)
    assert event.status == "published"
    withdrawal.withdraw(organiser, event)
    with pytest.raises(Forbidden):
        withdrawal.restore(stranger, event)
    assert event.status == "withdrawn"
    assert not withdrawal.can_restore(stranger, event)
    assert withdrawal.can_restore(organiser, event)


def test_a_co_organiser_may_withdraw(make, organiser):
    partner = make.organisation(verified=True)
    colleague = make.member(organisation=partner)
    organisation_id = organiser.memberships[0].organisation_id
    event = services.create(organiser, organisation_id,
                            event_fields(co_organisers=[str(partner.id)]))
    withdrawal.withdraw(colleague, event)
    assert event.status == "withdrawn"


def test_a_draft_cannot_be_withdrawn_nor_a_published_event_put_back(organiser, event):
    draft = services.create(organiser, organiser.memberships[0].organisation_id,
                            event_fields(), action="draft")
    with pytest.raises(Invalid):
        withdrawal.withdraw(organiser, draft)
    with pytest.raises(Invalid):
        withdrawal.restore(organiser, event)
    assert (draft.status, event.status) == ("draft", "published")
    assert _audit("event.withdraw") == [] and _audit("event.restore") == []


def test_a_bad_withdrawal_says_why_and_changes_nothing(client, auth, post, organiser, event):
    auth.login("organiser@example.org")
    response = post(f"/events/{event.id}/withdraw", {"message": "x" * 1001},
                    page=f"/events/{event.id}", follow_redirects=True)
    assert response.status_code == 200
    assert "1000" in response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.status == "published"
    response = post(f"/events/{event.id}/restore", page=f"/events/{event.id}",
                    follow_redirects=True)
    assert "This event is not withdrawn." in response.get_data(as_text=True)


def test_withdrawing_needs_a_post_with_the_form_token(client, auth, organiser, event):
    auth.login("organiser@example.org")
    assert client.get(f"/events/{event.id}/withdraw").status_code == 405
    assert client.post(f"/events/{event.id}/withdraw").status_code == 400
    db.session.refresh(event)
    assert event.status == "published"


def test_a_withdrawn_event_offers_no_calendar_entry_and_its_file_says_cancelled(
        client, auth, organiser, event):
    from icalendar import Calendar

    ics = f"/events/{event.id}.ics"
    auth.login("organiser@example.org")
    assert ics in client.get(f"/events/{event.id}").get_data(as_text=True)
    [entry] = Calendar.from_ical(client.get(ics).data).walk("VEVENT")
    assert entry["status"] == "CONFIRMED"
    withdrawal.withdraw(organiser, event)
    assert ics not in client.get(f"/events/{event.id}").get_data(as_text=True)
    [entry] = Calendar.from_ical(client.get(ics).data).walk("VEVENT")
    assert entry["status"] == "CANCELLED"
