"""Published events on the search page and in the API's search, as visitors see them."""

from events.conftest import event_fields
from events.test_programme import session_fields
from nanum.events import programme, services
from nanum.extensions import db
from nanum.search import service as search


def page(client, query):
    response = client.get("/search", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_search_page_shows_an_event_in_its_box_with_dates_and_place(client, organiser,
                                                                       event, make):
    programme.add_session(organiser, event, session_fields(
        title="Financing local partnerships", speakers="Dana Example | Example Institute"))
    make.practice(title="Partnership desks in city halls",
                  summary="Partnerships between city halls and universities.")
    search.sync()
    html = page(client, {"q": "partnerships"})
    box = html[html.index('id="events-title"'):html.index('class="card-list search-results"')]
    assert "Events matching “partnerships” (1)" in box
    assert f'href="/events/{event.id}"' in box
    assert "Partnerships for local SDG action" in box
    assert "14 July 2031" in box or "14 Jul 2031" in box
    assert "Riverside Convention Hall, South Korea" in box
    assert "<mark>" in box
    results = html[html.index('class="card-list search-results"'):]
    assert "Partnership desks in city halls" in results
    assert "/events/" not in results  # practices keep the main list


def test_an_event_is_found_by_a_speaker_and_listed_when_asked_for(client, organiser, event):
    programme.add_session(organiser, event, session_fields(speakers="Dana Zephyrine | Inst"))
    search.sync()
    html = page(client, {"q": "zephyrine", "content": "event"})
    assert "1 event for “zephyrine”" in html
    assert 'class="practice-card search-hit event-hit"' in html
    assert f'href="/events/{event.id}"' in html
    assert "<mark>Zephyrine</mark>" in html
    assert "Events only" in html  # the filter's chip


def test_a_draft_event_is_not_on_the_search_page(client, organiser):
    organisation_id = organiser.memberships[0].organisation_id
    services.create(organiser, organisation_id, event_fields(title="Unannounced Zephyr forum"),
                    action="draft")
    search.sync()
    html = page(client, {"q": "zephyr"})
    assert "Unannounced Zephyr forum" not in html
    assert "Nothing matched." in html


def test_events_that_stop_being_published_leave_the_page(client, event):
    search.sync()
    assert "Partnerships for local SDG action" in page(client, {"q": "partnerships"})
    event.status = "rejected"
    db.session.commit()
    search.sync()
    assert "Partnerships for local SDG action" not in page(client, {"q": "partnerships"})


def test_the_api_search_counts_events_and_lists_them_when_asked(client, event):
    search.sync()
    everything = client.get("/api/v1/search?q=partnerships").get_json()
    assert everything["hits"] == []
    assert {"value": "event", "count": 1} in everything["facets"]["content"]
    listed = client.get("/api/v1/search?q=partnerships&content=event").get_json()
    assert [(hit["content"], hit["id"], hit["title"]) for hit in listed["hits"]] == [
        ("event", event.id, "Partnerships for local SDG action")]
    assert listed["hits"][0]["web_url"].endswith(f"/events/{event.id}")
    assert listed["hits"][0]["url"] is None
    assert client.get("/api/v1/search?q=x&content=party").status_code == 400
