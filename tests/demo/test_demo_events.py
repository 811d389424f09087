from sqlalchemy import func, select

from nanum.demo import loader
from nanum.events.models import Event
from nanum.extensions import db

WORKSHOP = ("Building Partnerships for Sound Policymaking and Effective Institutions to "
            "Implement the SDGs at the Local Level")


def test_demo_events_include_the_partnerships_workshop(app, client):
    loader.load()
    assert db.session.scalar(select(func.count(Event.id))) >= 4
    workshop = db.session.scalar(select(Event).where(Event.title == WORKSHOP))
    assert workshop.is_published and workshop.local_start.date().isoformat() == "2023-07-14"
    assert len(workshop.co_organisers) >= 2 and len(workshop.objectives) >= 3
    assert len(workshop.sessions) == 4
    assert all(session.presentations for session in workshop.sessions)
    assert {d.kind for d in workshop.documents} == {"concept_note", "agenda", "report"}
    assert workshop.practices and workshop.outcome
    html = client.get(f"/events/{workshop.id}").get_data(as_text=True)
    assert "Illustrative demo content" in html and "Session 3" in html
    presentation = workshop.sessions[1].presentations[0]
    download = client.get(f"/events/presentations/{presentation.id}")
    assert download.data.startswith(b"%PDF") and b"Illustrative demo file" in download.data
    upcoming = client.get("/events/").get_data(as_text=True)
    assert "Peer-learning webinar" in upcoming and WORKSHOP not in upcoming
    assert WORKSHOP in client.get("/events/?when=past").get_data(as_text=True)


def test_demo_events_load_once(app):
    loader.load()
    count = db.session.scalar(select(func.count(Event.id)))
    loader.load()
    assert db.session.scalar(select(func.count(Event.id))) == count
