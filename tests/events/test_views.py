import io

from bs4 import BeautifulSoup
from icalendar import Calendar
from sqlalchemy import select

from events.conftest import event_fields
from events.test_programme import PDF, session_fields
from nanum.events import programme, services
from nanum.events.models import Event
from nanum.extensions import db


def test_organiser_creates_an_event_through_the_form(auth, post, organiser):
    auth.login("organiser@example.org")
    fields = {**event_fields(), "organisation": str(organiser.memberships[0].organisation_id)}
    response = post("/events/new", fields)
    event = db.session.scalar(select(Event))
    assert response.status_code == 302 and response.location.endswith(f"/events/{event.id}")
    assert event.title == fields["title"] and event.time_zone == "Asia/Seoul"


def test_bad_form_says_what_is_wrong_and_saves_nothing(auth, post, organiser):
    auth.login("organiser@example.org")
    fields = {**event_fields(starts_at="14/07/2031", time_zone="Nowhere/Else"),
              "organisation": str(organiser.memberships[0].organisation_id)}
    response = post("/events/new", fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Please give a date and time like 2023-07-14 09:30." in html
    assert "Please choose a time zone from the list" in html
    assert db.session.scalar(select(Event.id)) is None


def test_event_page_shows_programme_presentations_and_contacts(client, auth, organiser,
                                                              event, post):
    session = programme.add_session(organiser, event, session_fields(speakers="Dana | Inst"))
    auth.login("organiser@example.org")
    page = f"/events/{event.id}"
    response = post(f"/events/sessions/{session.id}/presentations",
                    {"title": "Budgets at the local level", "speaker": "Dana",
                     "file": (io.BytesIO(PDF), "budgets.pdf")}, page=page,
                    content_type="multipart/form-data")
    assert response.status_code == 302
    programme.add_contact(organiser, event, {"name": "Kim Contact", "email": "kim@example.org"})
    html = client.get(page).get_data(as_text=True)
    assert "Opening session" in html and "Budgets at the local level" in html
    assert "kim@example.org" in html
    presentation = event.sessions[0].presentations[0]
    download = client.get(f"/events/presentations/{presentation.id}")
    assert download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    auth.logout()
    html = client.get(page).get_data(as_text=True)
    assert "Kim Contact" in html and "kim@example.org" not in html


def test_every_programme_and_document_field_has_its_label(client, auth, organiser, event):
    # The presentation form is shown once per session, each control with an id of its own;
    # the label must name that id, not the form field's.
    for title in ("Opening session", "Second session"):
        programme.add_session(organiser, event, session_fields(title=title, speakers="Dana | Inst"))
    auth.login("organiser@example.org")
    soup = BeautifulSoup(client.get(f"/events/{event.id}").get_data(as_text=True), "html.parser")
    labelled = {label["for"] for label in soup.find_all("label", attrs={"for": True})}
    controls = [control for control in soup.find_all(["input", "select", "textarea"])
                if control.get("type") not in ("hidden", "submit", "button")
                and not control.get("aria-label")]
    ids = [control.get("id") for control in controls]
    assert "presentation-title-%d" % event.sessions[1].id in ids and "document-title" in ids
    assert [i for i in ids if i not in labelled] == []
    assert len(ids) == len(set(ids))


def test_ics_of_one_event_and_the_feed_parse_back(client, event):
    one = Calendar.from_ical(client.get(f"/events/{event.id}.ics").data)
    [entry] = one.walk("VEVENT")
    assert str(entry["summary"]) == event.title
    assert entry.decoded("dtstart").isoformat() == "2031-07-14T00:00:00+00:00"
    assert str(entry["url"]).endswith(f"/events/{event.id}")
    response = client.get("/events/calendar.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    feed = Calendar.from_ical(response.data)
    assert [str(e["uid"]) for e in feed.walk("VEVENT")] == [f"event-{event.id}@nanum.localhost"]


def test_calendar_lists_upcoming_and_past_with_filters(client, organiser):
    organisation_id = organiser.memberships[0].organisation_id
    services.create(organiser, organisation_id, event_fields(title="Coming forum",
                    kind="forum", targets=["11.3"], themes=[]))
    services.create(organiser, organisation_id, event_fields(
        title="Old webinar", kind="webinar", starts_at="2020-01-01 10:00",
        ends_at="2020-01-01 11:00", country="KE"))
    upcoming = client.get("/events/").get_data(as_text=True)
    assert "Coming forum" in upcoming and "Old webinar" not in upcoming
    past = client.get("/events/?when=past").get_data(as_text=True)
    assert "Old webinar" in past and "Coming forum" not in past
    assert "Coming forum" in client.get("/events/?goal=11").get_data(as_text=True)
    assert "Coming forum" not in client.get("/events/?goal=17").get_data(as_text=True)
    assert "Coming forum" not in client.get("/events/?kind=webinar").get_data(as_text=True)
    assert "Old webinar" in client.get(
        "/events/?when=past&region=Eastern+Africa").get_data(as_text=True)
    assert "Old webinar" not in client.get(
        "/events/?when=past&region=South-eastern+Asia").get_data(as_text=True)
    nonsense = client.get("/events/?goal=x&kind=<b>&region=nowhere&theme=1&page=-4")
    assert nonsense.status_code == 200


def test_watchers_hear_of_new_sessions(make, organiser, event):
    from nanum.notifications import watching
    from nanum.notifications.models import Notification

    watcher = make.user()
    watching.watch(watcher, "event", str(event.id))
    programme.add_session(organiser, event, session_fields(speakers=""))
    [note] = db.session.scalars(select(Notification)).all()
    assert note.user_id == watcher.id and event.title in note.message


def test_detail_page_runs_a_fixed_number_of_queries(client, organiser, event, count_queries):
    programme.add_session(organiser, event, session_fields(speakers="A | B"))
    client.get(f"/events/{event.id}")  # warm: the next change makes the kept page stale
    programme.add_session(organiser, event, session_fields(title="Second", speakers="G | H"))
    with count_queries() as few:
        client.get(f"/events/{event.id}")
    for number in range(3):
        programme.add_session(organiser, event, session_fields(
            title=f"More {number}", speakers="C | D\nE | F"))
    with count_queries() as more:
        client.get(f"/events/{event.id}")
    assert len(more) == len(few) > 5  # rendered both times, not taken from the page cache


def test_the_practice_page_names_the_events_it_was_presented_at(client, make, event):
    author = make.member()
    practice = make.practice(organisation=author.memberships[0].organisation)
    programme.link_practice(author, event, practice.id)
    page = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert "Presented at" in page
    assert f'href="/events/{event.id}"' in page and event.title in page


def test_a_bad_edit_keeps_what_was_typed_and_changes_nothing(auth, post, organiser, event):
    auth.login("organiser@example.org")
    fields = {**event_fields(title="A sharper title", time_zone="Nowhere/Else"),
              "organisation": str(organiser.memberships[0].organisation_id)}
    response = post(f"/events/{event.id}/edit", fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Please choose a time zone from the list" in html and "A sharper title" in html
    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    assert saved.title == event_fields()["title"] and saved.time_zone == "Asia/Seoul"
