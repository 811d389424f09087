"""Published events in search, on every engine: found by their programme and tags, kept in
step with every change, and shown in a box of their own beside the practices."""

import io

import pytest
from werkzeug.datastructures import FileStorage

from nanum.events import programme, services
from nanum.events.models import Event
from nanum.extensions import db
from nanum.flags import actions
from nanum.flags import services as flags
from nanum.practices.browse import Filters
from nanum.search import service

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(params=["whoosh", "memory", "postgres"])
def config(request, config):
    """Every behaviour here holds for every engine."""
    if request.param == "postgres":  # the engine's tables live in the application's database
        config = {**config, "SQLALCHEMY_DATABASE_URI": request.getfixturevalue("empty_postgres")}
    return {**config, "SEARCH_ENGINE": request.param}


def fields(**changes):
    return {"title": "Regional forum on localising the goals", "kind": "forum",
            "starts_at": "2031-03-02 09:00", "ends_at": "2031-03-03 17:00",
            "time_zone": "Africa/Nairobi", "place": "Lakeside Conference Centre",
            "country": "KE", "background": "Cities compare their voluntary local reviews.",
            "objectives": "Agree a common reporting template", "targets": ["6.1"],
            "themes": ["local_action"], **changes}


@pytest.fixture
def organiser(make):
    organisation = make.organisation(verified=True, name="Lake Basin Institute", country="KE",
                                     type="NRI")
    return make.member(organisation=organisation, email="organiser@example.org")


def new_event(organiser, **changes):
    organisation_id = organiser.memberships[0].organisation_id
    return services.create(organiser, organisation_id, fields(**changes))


def search(q="", **filters):
    service.sync()
    return service.search(q, Filters.from_args(filters))


def found(q="", **filters):
    """The titles of the events a search finds, in their box and in the main list."""
    results = search(q, **filters)
    return [hit.item.title for hit in results.events + results.hits if hit.content == "event"]


def test_an_event_is_found_by_its_programme(organiser):
    event = new_event(organiser)
    programme.add_session(organiser, event, {
        "title": "Desalination pilots", "starts_at": "2031-03-02 10:00",
        "ends_at": "2031-03-02 11:00", "description": "How **aquifers** are recharged.",
        "speakers": "Amina Odhiambo | Coastal Water Agency"})
    session = event.sessions[0]
    upload = FileStorage(io.BytesIO(PDF), filename="slides.pdf")
    programme.add_presentation(organiser, session.id, upload,
                               {"title": "Brackish groundwater atlas", "speaker": "A. Odhiambo"})
    for words in ("desalination", "aquifer", "odhiambo", "coastal water agency",
                  "brackish atlas", "lakeside", "Lake Basin Institute", "template", "forum"):
        assert found(words) == ["Regional forum on localising the goals"], words


def test_an_event_is_found_by_its_goal_target_theme_and_place(organiser):
    new_event(organiser)
    title = ["Regional forum on localising the goals"]
    assert found("sdg:6") == title
    assert found("sdg:6.1") == title
    assert found(goal="6") == title
    assert found("theme:local_action") == title
    assert found("country:KE") == title
    assert found('region:"Eastern Africa"') == title
    assert found("kenya") == title
    assert found("sdg:7") == [] and found("country:VN") == []


def test_drafts_waiting_and_refused_events_are_not_found(organiser, make):
    organisation_id = organiser.memberships[0].organisation_id
    services.create(organiser, organisation_id, fields(title="Draft forum"), action="draft")
    waiting = new_event(organiser, title="Waiting forum")
    waiting.status = "submitted"
    refused = new_event(organiser, title="Refused forum")
    refused.status = "rejected"
    db.session.commit()
    assert found("forum") == []
    assert found("forum", content="event") == []


def test_publishing_through_review_makes_an_event_searchable(organiser, make, app):
    app.config["MODERATION_SUBMISSION_POLICY"] = "review_all"
    event = new_event(organiser)
    assert event.status == "submitted"
    assert found("forum") == []
    services.decide(make.user(role="moderator"), event, "publish")
    assert found("forum") == ["Regional forum on localising the goals"]


def test_editing_updates_the_document(organiser):
    event = new_event(organiser)
    services.update(organiser, event, fields(title="Mangrove restoration clinic",
                                             targets=["14.2"]))
    assert found("localising") == []
    assert found("mangrove") == ["Mangrove restoration clinic"]
    assert found("sdg:6") == [] and found("sdg:14") == ["Mangrove restoration clinic"]


def test_removing_a_session_removes_its_words(organiser):
    event = new_event(organiser)
    session = programme.add_session(organiser, event, {
        "title": "Desalination pilots", "starts_at": "2031-03-02 10:00",
        "ends_at": "2031-03-02 11:00", "speakers": "Amina Odhiambo"})
    assert found("odhiambo") == ["Regional forum on localising the goals"]
    programme.remove_session(organiser, session.id)
    assert found("desalination") == [] and found("odhiambo") == []


def test_renaming_the_organiser_updates_its_events(organiser):
    event = new_event(organiser)
    event.organisation.name = "Great Lakes Observatory"
    db.session.commit()
    assert found("observatory") == ["Regional forum on localising the goals"]


def test_an_event_leaves_search_when_it_stops_being_public_or_is_deleted(organiser):
    hidden = new_event(organiser, title="Hidden forum")
    deleted = new_event(organiser, title="Deleted forum")
    assert sorted(found("forum", content="event")) == ["Deleted forum", "Hidden forum"]
    hidden.status = "rejected"  # whatever takes it out of the published state
    db.session.delete(deleted)
    db.session.commit()
    assert found("forum", content="event") == []
    assert service.check() == ([], [])


def test_hiding_by_moderation_removes_an_event_and_restoring_brings_it_back(organiser, make):
    event = new_event(organiser)
    moderator, other_moderator = make.user(role="moderator"), make.user(role="moderator")
    actions.decide(moderator, flags.flag(make.user(), "event", event.id, "spam"), "hide", "spam")
    assert event.status == "hidden"
    assert found("forum") == [] and found("forum", content="event") == []
    published = new_event(organiser, title="Second forum")
    entry = flags.flag(moderator, "event", published.id, "spam")  # a moderator's flag hides
    assert published.status == "hidden" and found("second forum") == []
    actions.decide(other_moderator, entry, "restore", "policy")
    assert found("second forum") == ["Second forum"]


def test_events_have_a_box_and_practices_keep_the_main_list(organiser, make):
    make.practice(title="Reporting templates for local reviews",
                  summary="A common template for voluntary local reviews.")
    new_event(organiser)
    results = search("voluntary local reviews")
    assert [hit.content for hit in results.hits] == ["practice"]
    assert results.total == 1
    assert [hit.item.title for hit in results.events] == [
        "Regional forum on localising the goals"]
    assert results.events_total == 1
    assert dict(results.facets["content"]) == {"practice": 1, "event": 1}
    assert "<mark>" in str(results.events[0].snippet)
    listed = search("voluntary local reviews is:event")
    assert [hit.content for hit in listed.hits] == ["event"] and listed.events == []


def test_a_rebuild_includes_events(organiser):
    new_event(organiser)
    count, _seconds = service.rebuild()
    assert "event:" in " ".join(service.engine().keys())
    assert count == service.indexable_count()
    assert found("forum") == ["Regional forum on localising the goals"]
    assert db.session.query(Event).count() == 1
