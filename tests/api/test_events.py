"""The API's events: the calendar's list and filters, one event in full, and only what is
public (contacts' addresses only to a caller with a token, as the page shows them only to
people signed in)."""

import io

import pytest
from werkzeug.datastructures import FileStorage

from nanum.api import tokens
from nanum.events import programme, services
from nanum.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fields(**changes):
    return {"title": "Partnerships for local SDG action", "kind": "workshop",
            "starts_at": "2031-07-14 09:00", "ends_at": "2031-07-14 17:30",
            "time_zone": "Asia/Seoul", "place": "Riverside Convention Hall", "country": "KR",
            "background": "Why we *meet*.", "objectives": "Share practices\nBuild partnerships",
            "targets": ["17.17"], "themes": ["nri_capacity"], **changes}


def get_json(client, url, status=200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture
def organiser(make):
    organisation = make.organisation(verified=True, name="Verified Institute")
    return make.member(organisation=organisation, email="organiser@example.org")


@pytest.fixture
def make_event(organiser):
    def make_event(action="submit", **changes):
        return services.create(organiser, organiser.memberships[0].organisation_id,
                               fields(**changes), action=action)
    return make_event


def test_the_list_is_the_calendar_with_its_filters(client, make_event):
    forum = make_event(title="Regional forum", kind="forum", country="KE", targets=["6.1"],
                       themes=[])
    workshop = make_event()
    past = make_event(title="Last year's webinar", kind="webinar", starts_at="2020-03-01 10:00",
                      ends_at="2020-03-01 11:00")
    make_event(title="Our draft", action="draft")
    listed = get_json(client, "/api/v1/events/")
    assert [e["id"] for e in listed["events"]] == [forum.id, workshop.id]  # same start
    assert listed["paging"]["total"] == 2
    assert [e["id"] for e in get_json(client, "/api/v1/events/?when=past")["events"]] == [
        past.id]
    for query, expected in (("kind=forum", [forum.id]), ("goal=6", [forum.id]),
                            ("theme=nri_capacity", [workshop.id]),
                            ("region=Eastern+Asia", [workshop.id]),
                            ("region=Eastern+Africa&goal=17", [])):
        found = get_json(client, f"/api/v1/events/?{query}")["events"]
        assert [e["id"] for e in found] == expected, query
    [summary] = get_json(client, "/api/v1/events/?kind=workshop")["events"]
    assert summary["starts_at"] == "2031-07-14T09:00:00+09:00"
    assert summary["time_zone"] == "Asia/Seoul" and summary["organisation"]["name"] == (
        "Verified Institute")
    assert summary["url"].endswith(f"/api/v1/events/{workshop.id}")


@pytest.mark.parametrize("query, field", [
    ("when=soon", "when"), ("kind=party", "kind"), ("theme=nonsense", "theme"),
    ("region=Atlantis", "region"), ("goal=18", "goal"), ("goal=6.1", "goal")])
def test_a_filter_value_that_means_nothing_is_a_400_naming_it(client, make_event, query,
                                                              field):
    make_event()
    error = get_json(client, f"/api/v1/events/?{query}", 400)["error"]
    assert list(error["fields"]) == [field], error


def test_an_event_in_full(client, make, organiser, make_event):
    partner = make.organisation(name="Partner Town", type="LRG")
    event = make_event(co_organisers=[str(partner.id)], online_url="https://meet.example.org/x")
    speaker = make.user(handle="person-x", name="Xavi Speaker")
    session = programme.add_session(organiser, event, {
        "title": "Opening session", "starts_at": "2031-07-14 09:00",
        "ends_at": "2031-07-14 10:30", "room": "Hall A", "moderator": "A. Moderator",
        "speakers": "Dana Example | Example Institute\n@person-x",
        "description": "We *open*."})
    programme.add_presentation(organiser, session.id,
                               FileStorage(io.BytesIO(PDF), filename="budgets.pdf"),
                               {"title": "Local budgets", "speaker": "Dana"})
    programme.add_document(organiser, event, FileStorage(io.BytesIO(PDF), filename="note.pdf"),
                           {"kind": "concept_note", "title": ""})
    shown = make.practice(title="Shown practice")
    draft = make.practice(title="Draft practice", status="draft")
    event.practices = [shown, draft]
    db.session.commit()

    found = get_json(client, f"/api/v1/events/{event.id}?lang=ko")
    assert (found["title"], found["kind"], found["time_zone"]) == (
        "Partnerships for local SDG action", "workshop", "Asia/Seoul")
    assert (found["starts_at"], found["ends_at"]) == ("2031-07-14T09:00:00+09:00",
                                                      "2031-07-14T17:30:00+09:00")
    assert found["organisation"]["name"] == "Verified Institute"
    assert found["organisation"]["url"].endswith(
        f"/api/v1/organisations/{event.organisation_id}")
    assert [o["name"] for o in found["co_organisers"]] == ["Partner Town"]
    assert found["place"] == "Riverside Convention Hall" and found["country_name"] == "대한민국"
    assert found["region"] == "Eastern Asia"
    assert found["online"] and found["online_url"] == "https://meet.example.org/x"
    assert "<em>meet</em>" in found["background_html"]
    assert found["objectives"] == ["Share practices", "Build partnerships"]
    assert found["goals"] == [17] and found["themes"] == ["nri_capacity"]
    assert found["targets"][0]["key"] == "17.17" and found["targets"][0]["text"]
    [listed] = found["sessions"]
    assert (listed["title"], listed["room"], listed["moderator"]) == (
        "Opening session", "Hall A", "A. Moderator")
    assert listed["starts_at"] == "2031-07-14T09:00:00+09:00"
    assert [(s["name"], s["affiliation"]) for s in listed["speakers"]] == [
        ("Dana Example", "Example Institute"), ("Xavi Speaker", "")]
    assert listed["speakers"][1]["profile_url"] == f"http://nanum.localhost/people/{speaker.id}"
    assert listed["speakers"][0]["profile_url"] is None
    assert "<em>open</em>" in listed["description_html"]
    [presentation] = listed["presentations"]
    assert (presentation["title"], presentation["speaker"]) == ("Local budgets", "Dana")
    assert client.get(presentation["download_url"]).data == PDF
    [document] = found["documents"]
    assert document["kind"] == "concept_note" and client.get(document["download_url"]).data == PDF
    assert [p["title"] for p in found["practices"]] == ["Shown practice"]
    calendar_file = client.get(found["ics_url"])
    assert calendar_file.status_code == 200 and b"BEGIN:VCALENDAR" in calendar_file.data


def test_contact_addresses_only_to_a_caller_with_a_token(client, auth, organiser, make_event):
    event = make_event()
    programme.add_contact(organiser, event, {"name": "Kim Contact", "role": "Coordinator",
                                             "email": "kim@example.org"})
    anonymous = get_json(client, f"/api/v1/events/{event.id}")
    assert anonymous["contacts"] == [{"name": "Kim Contact", "role": "Coordinator",
                                      "email": None}]
    assert "kim@example.org" not in client.get(f"/api/v1/events/{event.id}").get_data(
        as_text=True)
    _, token = tokens.create(organiser, "Reader", ["read"])
    signed = get_json(client, f"/api/v1/events/{event.id}",
                      headers={"Authorization": f"Bearer {token}"})
    assert signed["contacts"][0]["email"] == "kim@example.org"
    # The API reads no session cookie: signed in on the site, without a token, no address.
    auth.login("organiser@example.org")
    assert get_json(client, f"/api/v1/events/{event.id}")["contacts"][0]["email"] is None


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_unpublished_events_are_not_found_even_for_their_organisers(client, organiser,
                                                                   make_event, status):
    event = make_event(action="draft")
    event.status = status
    db.session.commit()
    _, token = tokens.create(organiser, "Reader", ["read"])
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        error = get_json(client, f"/api/v1/events/{event.id}", 404, headers=headers)["error"]
        assert error["message"] == "No such event."
        assert get_json(client, "/api/v1/events/", headers=headers)["events"] == []
