"""Moderators hide an event through flags, as they hide practices: never deleted, shown to
its organisers and moderators with a banner, a placeholder for everyone else."""

import pytest

from events.conftest import event_fields
from nanum.errors import NotFound
from nanum.events import services
from nanum.flags import actions
from nanum.flags import services as flags


def test_a_hidden_event_is_a_placeholder_for_others_and_bannered_for_organisers(
        client, auth, make, organiser, event):
    moderator = make.user(role="moderator")
    actions.decide(moderator, flags.flag(make.user(), "event", event.id, "spam"), "hide", "spam")
    assert event.status == "hidden"
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "This event is hidden by moderation." in page
    assert event.title not in page
    assert event.title not in client.get("/events/").get_data(as_text=True)
    auth.login("organiser@example.org")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert event.title in page and "Hidden by moderation." in page


def test_members_may_flag_a_published_event_but_not_one_they_cannot_see(make, organiser):
    organisation_id = organiser.memberships[0].organisation_id
    draft = services.create(organiser, organisation_id, event_fields(), action="draft")
    stranger = make.user()
    with pytest.raises(NotFound):
        flags.flag(stranger, "event", draft.id, "spam")
    published = services.create(organiser, organisation_id, event_fields())
    assert flags.flag(stranger, "event", published.id, "spam").target_type == "event"


def test_the_event_page_offers_the_flag_form_to_members(client, auth, make, event):
    make.user(email="reader@example.org")
    assert 'action="/flag/event/' not in client.get(f"/events/{event.id}").get_data(
        as_text=True)
    auth.login("reader@example.org")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'action="/flag/event/{event.id}"' in page
