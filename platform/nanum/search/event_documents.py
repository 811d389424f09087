"""What the index holds for an event, and which changes touch an event's document.

Only published events are searchable: a draft, an event waiting for review, a refused or
deleted one has no document, and one that stops being published leaves the index.
"""

from sqlalchemy import func, select

from nanum.database import keyset_batches
from nanum.events.models import (
    Event,
    EventGoal,
    EventSession,
    EventTarget,
    EventTheme,
    Presentation,
    Speaker,
    co_organisers,
)
from nanum.events.services import programme_options
from nanum.search import place_words as places

SEARCHABLE = "published"
# The organisation's columns that its events' documents carry.
ORGANISATION_FIELDS_IN_EVENTS = ("name", "type", "verified")


def _keys_of_event_part(row):
    return [f"event:{row.event_id}"]


def _keys_of_session_part(row):
    # The session's event is looked up when the document is loaded: the row may be
    # flushed before its session is loaded, and a deleted session names its event itself.
    return [f"event-session:{row.session_id}"]


AFFECTED = {
    Event: lambda event: [f"event:{event.id}"],
    EventGoal: _keys_of_event_part,
    EventTarget: _keys_of_event_part,
    EventTheme: _keys_of_event_part,
    EventSession: _keys_of_event_part,
    Speaker: _keys_of_session_part,
    Presentation: _keys_of_session_part,
}


def expand(session, kind, identifier):
    """Return {key: ("event", id)} for an event key or a group key standing for events."""
    if kind == "event":
        return {f"event:{identifier}": ("event", identifier)}
    if kind == "event-session":
        ids = session.scalars(select(EventSession.event_id).where(
            EventSession.id == identifier))
    elif kind == "organisation-events":
        ids = session.scalars(select(Event.id).where(Event.organisation_id == identifier)
                              .union(select(co_organisers.c.event_id).where(
                                  co_organisers.c.organisation_id == identifier)))
    else:
        return {}
    return {f"event:{i}": ("event", i) for i in ids}


def event_years(event):
    return [str(year) for year in range(event.starts_at.year, event.ends_at.year + 1)]


def _programme(event):
    """The words of the programme: sessions, their speakers and presentations."""
    parts = []
    for programme_session in event.sessions:
        parts += [programme_session.title, programme_session.description_text,
                  programme_session.moderator]
        for speaker in programme_session.speakers:
            parts += [speaker.shown_name, speaker.affiliation]
        for presentation in programme_session.presentations:
            parts += [presentation.title, presentation.speaker]
    return [part for part in parts if part]


def event_text(event):
    """Return the searchable text of an event below its title, for snippets."""
    return "\n".join([event.text("background"), *(event.objectives or []),
                      *_programme(event), event.text("outcome")])


def event_document(event):
    """Return the index fields of a published event."""
    organisers = [event.organisation, *event.co_organisers]
    countries = [event.country] if event.country else []
    where = [event.place] + (["online"] if event.online_url else [])
    return {
        "key": f"event:{event.id}",
        "content": "event",
        "title": event.title,
        "summary": "\n".join([event.text("background"), *(event.objectives or [])]),
        "body": "\n".join([*_programme(event), event.text("outcome")]),
        # The kind's key in words ("peer learning"), the same whatever language the
        # request that changed the event was in.
        "about": "\n".join([event.kind.replace("_", " "), *where,
                            *(organisation.name for organisation in organisers),
                            *places.country_words(countries)]),
        "spell": event.title,
        "goal": [str(goal) for goal in event.goal_numbers],
        "target": event.target_keys,
        "theme": event.theme_keys,
        "country": countries,
        "region": places.region_terms(countries),
        "org_type": sorted({organisation.type for organisation in organisers}),
        "verified": ["yes"] if event.organisation.verified else [],
        "year": event_years(event),
        "published": event.published_at or event.created_at,
        "discussed": 0,
    }


def statement():
    """The published events, loaded with what their documents and hits read."""
    return select(Event).options(*programme_options()).where(Event.status == SEARCHABLE)


def load(session, ids):
    """Return {key: document} of the published events among `ids`.

    The session may be the one that made the change (the PostgreSQL engine writes in the
    same transaction): its events are read afresh, so that a collection loaded before a
    session or speaker was deleted does not still hold it.
    """
    fresh = statement().where(Event.id.in_(ids)).execution_options(populate_existing=True)
    return {f"event:{event.id}": event_document(event) for event in session.scalars(fresh)}


def all_documents(session, batch=200):
    """Yield the documents of every published event, in batches to bound memory."""
    for chunk in keyset_batches(session, statement(), Event.id, batch):
        for event in chunk:
            yield event_document(event)


def count(session):
    return session.scalar(select(func.count(Event.id)).where(Event.status == SEARCHABLE))


def all_keys(session):
    return {f"event:{i}" for i in session.scalars(
        select(Event.id).where(Event.status == SEARCHABLE))}
