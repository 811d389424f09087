"""Curation pages: the home page, collections, their feed, calls and the moderators' forms."""

import re
from datetime import timedelta

import feedparser
import pytest
from sqlalchemy import select

from nanum.curation import calls, collections, featured
from nanum.curation.models import CallAnswer, CollectionItem, FeaturedPractice
from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.practices.models import Practice
from nanum.timeutil import utcnow


def text(response):
    return response.get_data(as_text=True)


def order(html, *words):
    """Tell whether the words appear in this order."""
    places = [html.index(word) for word in words]
    return places == sorted(places)


@pytest.fixture
def flood(moderator, published):
    collection = collections.create(moderator, "Flood early warning", "For *small* towns.")
    collections.add(moderator, collection, str(published[1].id), "Under 50,000 people")
    collections.add(moderator, collection, str(published[0].id))
    collections.set_published(moderator, collection, True)
    return collection


def open_call(moderator, **changes):
    values = {"title": "Practices on SDG 6.b in East Africa", "description": "Water.",
              "sdgs": "6.b", "countries": [], "regions": ["Eastern Africa"],
              "closes_on": utcnow().date() + timedelta(days=30), **changes}
    return calls.open_call(moderator, **values)


# -- the home page -------------------------------------------------------------------------

def test_the_home_page_shows_featured_practices_collections_and_open_calls(
        client, moderator, published, flood):
    assert "Featured practices" not in text(client.get("/"))
    featured.feature(moderator, str(published[2].id), "Copied by four towns")
    water = open_call(moderator)
    html = text(client.get("/"))
    assert order(html, "Featured practices", "Practice C", "Copied by four towns",
                 "Open calls for contributions", water.title, "Collections",
                 "Flood early warning", "Explore by goal")
    assert f'href="/calls/{water.id}"' in html and f'href="/collections/{flood.id}"' in html


def test_featuring_shows_at_once_to_visitors_served_from_the_page_cache(
        app, client, auth, make, moderator, published):
    assert app.config["PAGECACHE_SECONDS"] > 0
    assert "Practice B" not in text(client.get("/")).split("Explore by goal")[0]
    visitor = app.test_client()
    assert "Featured practices" not in text(visitor.get("/"))
    assert "Featured practices" not in text(visitor.get("/"))  # kept, and served from the cache
    auth.login(moderator.email)
    response = client.post("/moderation/featured", data={
        "practice": f"/practices/{published[1].id}", "note": "Cheap and quick",
        "csrf_token": _token(client, "/moderation/featured")})
    assert response.status_code == 302
    html = text(visitor.get("/"))
    assert "Featured practices" in html and "Cheap and quick" in html


def _home_statements(client, count_queries):
    with count_queries() as statements:
        assert client.get("/").status_code == 200
    return statements


def test_the_home_page_runs_a_fixed_number_of_queries(client, make, moderator,
                                                      count_queries):
    client.get("/")  # warm what a first request loads once; every change below is seen
    organisation = make.organisation()
    first = make.practice(organisation=organisation)
    featured.feature(moderator, str(first.id), "One")
    collection = collections.create(moderator, "One collection")
    collections.add(moderator, collection, str(first.id))
    collections.set_published(moderator, collection, True)
    open_call(moderator)
    few = _home_statements(client, count_queries)
    for number in range(8):
        practice = make.practice(organisation=make.organisation(), tagged={
            "countries": ["KE", "TZ"], "targets": ["6.1", "11.3"]})
        featured.feature(moderator, str(practice.id), f"Note {number}")
        more = collections.create(moderator, f"Collection {number}")
        collections.add(moderator, more, str(practice.id))
        collections.set_published(moderator, more, True)
        open_call(moderator, title=f"Call {number}")
    many = _home_statements(client, count_queries)
    html = text(client.get("/"))
    assert len(few) == len(many), "\n".join(many)
    assert html.count("Curator's note") == 6  # FEATURED_ON_HOME
    assert len([s for s in many if "featured_practices" in s]) == 1
    assert len([s for s in many if "FROM calls" in s]) == 1
    assert len([s for s in many if "FROM collections" in s]) == 1


# -- collections ---------------------------------------------------------------------------

def test_a_collection_page_lists_its_published_practices_in_order_with_notes(
        client, flood, published):
    published[0].status = "archived"
    db.session.commit()
    html = text(client.get(f"/collections/{flood.id}"))
    assert "<em>small</em>" in html and "Under 50,000 people" in html
    assert "Practice B" in html and "Practice A" not in html
    assert f'href="/feeds/collections/{flood.id}.atom"' in html
    listing = text(client.get("/collections/"))
    assert "Flood early warning" in listing and "1 practice<" in listing


def test_an_unpublished_collection_is_shown_to_moderators_only(client, auth, moderator,
                                                               member, flood):
    collections.set_published(moderator, flood, False)
    assert client.get(f"/collections/{flood.id}").status_code == 404
    assert client.get(f"/feeds/collections/{flood.id}.atom").status_code == 404
    assert "Flood early warning" not in text(client.get("/collections/"))
    auth.login(member.email)
    assert client.get(f"/collections/{flood.id}").status_code == 404
    auth.logout()
    auth.login(moderator.email)
    html = text(client.get(f"/collections/{flood.id}"))
    assert "Not published" in html and "Curate this collection" in html


def test_a_collection_feed_has_its_practices_latest_added_first_with_notes(
        client, moderator, flood, published):
    collections.add(moderator, flood, str(published[2].id), "Added <last>")
    response = client.get(f"/feeds/collections/{flood.id}.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.data)
    assert feed.bozo == 0 and feed.feed.title == "Nanum — Flood early warning"
    assert [entry.title for entry in feed.entries] == ["Practice C", "Practice A", "Practice B"]
    assert "Curator's note:</strong> Added &lt;last&gt;" in feed.entries[0].content[0].value
    assert feed.entries[0].summary.startswith("Added <last> — ")
    assert feed.feed.link.endswith(f"/collections/{flood.id}")


def test_a_member_watches_a_collection_from_its_page(client, auth, member, moderator, flood,
                                                     published):
    auth.login(member.email)
    page = text(client.get(f"/collections/{flood.id}"))
    assert "Hear when a practice is added." in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/watch", data={"type": "collection", "key": str(flood.id),
                                           "next": f"/collections/{flood.id}",
                                           "csrf_token": token})
    assert response.status_code == 302
    assert "You are watching this collection." in text(client.get(f"/collections/{flood.id}"))
    settings = text(client.get("/account/notifications"))
    assert order(settings, "Collections", "Flood early warning")
    collections.add(moderator, flood, str(published[2].id))
    assert "New in the collection" in text(client.get("/notifications"))


def _token(client, url):
    return re.search(r'name="csrf_token"[^>]* value="([^"]+)"', text(client.get(url))).group(1)


def test_moderators_build_a_collection_through_the_pages(client, auth, moderator, published):
    auth.login(moderator.email)
    response = client.post("/collections/new", data={
        "title": "Water committees", "description": "Who keeps pumps working.",
        "csrf_token": _token(client, "/collections/new")})
    collection_id = int(response.location.rsplit("/", 2)[-2])
    edit = f"/collections/{collection_id}/edit"
    for practice in published:
        client.post(f"/collections/{collection_id}/practices", data={
            "practice": str(practice.id), "note": f"About {practice.title}",
            "csrf_token": _token(client, edit)})
    c_id = published[2].id
    client.post(f"/collections/{collection_id}/practices/{c_id}/up",
                data={"csrf_token": _token(client, edit)})
    client.post(f"/collections/{collection_id}/practices/{published[0].id}/remove",
                data={"csrf_token": _token(client, edit)})
    client.post(f"/collections/{collection_id}/practices/{c_id}/note",
                data={"note": "The cheapest", "csrf_token": _token(client, edit)})
    client.post(f"/collections/{collection_id}/publish", data={"csrf_token": _token(client, edit)})
    html = text(client.get(f"/collections/{collection_id}"))
    assert order(html, "Practice C", "The cheapest", "Practice B", "About Practice B")
    assert "Practice A" not in html
    assert db.session.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all() == [
        "collection.create", "collection.add", "collection.add", "collection.add",
        "collection.move", "collection.remove", "collection.note", "collection.publish"]


def test_a_bad_practice_reference_is_said_and_what_was_typed_is_kept(client, auth, moderator,
                                                                     flood):
    auth.login(moderator.email)
    edit = f"/collections/{flood.id}/edit"
    response = client.post(f"/collections/{flood.id}/practices", data={
        "practice": "the one about rain", "note": "A note worth keeping",
        "csrf_token": _token(client, edit)})
    html = text(response)
    assert response.status_code == 200
    assert "Give the practice&#39;s number or its address" in html
    assert 'value="the one about rain"' in html and 'value="A note worth keeping"' in html
    assert db.session.scalar(select(db.func.count()).select_from(CollectionItem)) == 2


def test_the_curate_page_finds_practices_to_add(client, auth, moderator, flood, published):
    from nanum.search import service as search

    search.sync()
    auth.login(moderator.email)
    html = text(client.get(f"/collections/{flood.id}/edit?q=Practice"))
    assert f'name="practice" value="{published[2].id}"' in html


def test_the_featured_page_orders_and_unfeatures(client, auth, moderator, published):
    auth.login(moderator.email)
    for practice in published:
        featured.feature(moderator, str(practice.id))
    page = "/moderation/featured"
    client.post(f"{page}/{published[2].id}/up", data={"csrf_token": _token(client, page)})
    client.post(f"{page}/{published[0].id}/remove", data={"csrf_token": _token(client, page)})
    html = text(client.get(page))
    assert order(html, "Practice C", "Practice B") and "Practice A" not in html
    response = client.post(page, data={"practice": "999999", "note": "Keep me",
                                       "csrf_token": _token(client, page)})
    assert "no practice number 999999" in text(response)
    assert 'value="Keep me"' in text(response)
    assert db.session.scalar(select(db.func.count()).select_from(FeaturedPractice)) == 2


# -- calls ---------------------------------------------------------------------------------

def _practice_form(organisation_id, **changes):
    return {"organisation": organisation_id, "title": "Village water committees",
            "kind": "case_study", "summary": "Committees keep the pumps working.",
            "countries": "KE", "targets": "6.b", "action": "submit", **changes}


def test_a_practice_answers_a_call_from_its_form_and_is_listed_on_the_call_page(
        app, client, auth, make, moderator):
    app.config["PRACTICES_AUTO_PUBLISH"] = True
    water = open_call(moderator)
    author = make.member()
    organisation = author.memberships[0].organisation
    auth.login(author.email)
    form = text(client.get("/practices/new"))
    assert "Answering a call for contributions" in form and water.title in form
    response = client.post("/practices/new", data={
        **_practice_form(organisation.id, call=str(water.id)),
        "csrf_token": _token(client, "/practices/new")})
    assert response.status_code == 302
    practice = db.session.scalars(select(Practice)).one()
    assert calls.answered_call(practice.id) == water
    auth.logout()
    html = text(client.get(f"/calls/{water.id}"))
    assert "Village water committees" in html and "open until" in html


def test_a_call_closed_meanwhile_is_said_and_nothing_is_saved(client, auth, make, moderator):
    water = open_call(moderator)
    author = make.member()
    auth.login(author.email)
    token = _token(client, "/practices/new")
    water.closes_on = utcnow().date() - timedelta(days=1)
    other = open_call(moderator, title="Still open")  # the field is offered
    assert other.is_open
    response = client.post("/practices/new", data={
        **_practice_form(author.memberships[0].organisation_id, call=str(water.id)),
        "csrf_token": token})
    assert response.status_code == 200
    assert "That call for contributions is closed" in text(response)
    assert db.session.scalars(select(Practice)).all() == []


def test_a_closed_call_says_so_and_its_answers_stay(client, auth, make, moderator):
    water = open_call(moderator)
    author = make.member()
    practice = make.practice(organisation=author.memberships[0].organisation)
    calls.answer(author, practice, str(water.id))
    water.closes_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    html = text(client.get(f"/calls/{water.id}"))
    assert "This call closed on" in html and practice.title in html
    assert "No call is open" in text(client.get("/calls/"))
    auth.login(author.email)
    form = text(client.get(f"/practices/{practice.id}/edit"))
    assert "which has closed" in form and 'name="call"' not in form
    assert db.session.get(CallAnswer, practice.id).call_id == water.id


def test_a_moderator_opens_and_edits_a_call_through_the_pages(client, auth, moderator):
    auth.login(moderator.email)
    closes = (utcnow().date() + timedelta(days=10)).isoformat()
    response = client.post("/calls/new", data={
        "title": "Flood early warning in Southern Asia", "description": "Rain gauges.",
        "sdgs": "11.5 13.1", "regions": "Southern Asia", "closes_on": closes,
        "csrf_token": _token(client, "/calls/new")})
    assert response.status_code == 302
    call = calls.open_calls()[0]
    assert call.sdgs == ["11.5", "13.1"] and call.regions == ["Southern Asia"]
    html = text(client.get(f"/calls/{call.id}/edit"))
    assert 'value="11.5, 13.1"' in html
    response = client.post(f"/calls/{call.id}/edit", data={
        "title": "Flood early warning in Southern Asia", "sdgs": "11.5 13.1 99",
        "closes_on": closes, "csrf_token": _token(client, f"/calls/{call.id}/edit")})
    assert response.status_code == 200 and "Unknown SDG goal or target" in text(response)
    assert 'value="11.5 13.1 99"' in text(response)


def test_moderators_curate_from_a_practice_page(client, auth, member, moderator, flood,
                                                published):
    page = f"/practices/{published[2].id}"
    assert "Feature on the home page" not in text(client.get(page))
    auth.login(member.email)
    assert "Feature on the home page" not in text(client.get(page))
    auth.logout()
    auth.login(moderator.email)
    html = text(client.get(page))
    assert "Feature on the home page" in html
    assert f'action="/collections/{flood.id}/practices"' in html
    client.post("/moderation/featured", data={"practice": str(published[2].id), "note": "",
                                              "csrf_token": _token(client, page)})
    client.post(f"/collections/{flood.id}/practices", data={
        "practice": str(published[2].id), "csrf_token": _token(client, page)})
    html = text(client.get(page))
    assert "Featured on the home page." in html and "holds it" in html
    assert f'action="/collections/{flood.id}/practices"' not in html
