"""The verified badge and the "verified organisations only" filter, in pages and search."""

import pytest

from nanum.organisations import verification
from nanum.practices.browse import Filters
from nanum.search import service

BADGE = 'verified-badge'


@pytest.fixture
def two(app, make):
    verified = make.organisation(name="Lakeside Town", country="KE", verified=True)
    plain = make.organisation(name="Hill Council", country="UG")
    ours = make.practice(organisation=verified, status="published",
                         title="Flood warnings by SMS")
    theirs = make.practice(organisation=plain, status="published",
                           title="Flood wardens on the river")
    service.sync()
    return verified, plain, ours, theirs


def test_the_badge_shows_on_the_organisation_its_practices_and_cards(client, two):
    verified, plain, ours, theirs = two
    assert BADGE in client.get(f"/organisations/{verified.id}").get_data(as_text=True)
    assert BADGE not in client.get(f"/organisations/{plain.id}").get_data(as_text=True)
    assert BADGE in client.get(f"/practices/{ours.id}").get_data(as_text=True)
    assert BADGE not in client.get(f"/practices/{theirs.id}").get_data(as_text=True)
    cards = client.get("/practices/").get_data(as_text=True)
    assert cards.count(BADGE) == 1
    listing = client.get("/organisations/").get_data(as_text=True)
    assert listing.count(BADGE) == 1


def test_the_badge_shows_in_search_results(client, two):
    page = client.get("/search?q=flood").get_data(as_text=True)
    assert "Flood warnings by SMS" in page and "Flood wardens on the river" in page
    assert page.count(BADGE) == 1


def test_browse_filter_keeps_practices_of_verified_organisations(client, two):
    page = client.get("/practices/?verified=yes").get_data(as_text=True)
    assert "Flood warnings by SMS" in page and "Flood wardens on the river" not in page
    assert "Verified organisations only" in page
    # Anything else is no filter at all.
    page = client.get("/practices/?verified=maybe").get_data(as_text=True)
    assert "Flood wardens on the river" in page


def test_search_filter_and_facet(client, two):
    results = service.search("flood", Filters(verified="yes"))
    assert [hit.item.title for hit in results.hits] == ["Flood warnings by SMS"]
    everything = service.search("flood", Filters())
    assert dict(everything.facets["verified"]) == {"yes": 1}
    page = client.get("/search?q=flood&verified=yes").get_data(as_text=True)
    assert "Flood wardens on the river" not in page and "Flood warnings by SMS" in page


def test_verifying_an_organisation_reaches_the_index(app, make, two):
    _verified, plain, _ours, _theirs = two
    admin = make.user(email="a@hill.example.org")
    make.membership(user=admin, organisation=plain, role="admin")
    found = verification.request(admin, plain, website="https://hill.example.org",
                                 email="a@hill.example.org", contact="Ann")
    verification.verify(make.user(role="moderator"), found)
    service.sync()
    titles = {hit.item.title for hit in service.search("flood", Filters(verified="yes")).hits}
    assert titles == {"Flood warnings by SMS", "Flood wardens on the river"}
    organisations = service.search("hill", Filters(verified="yes", content="organisation"))
    assert [hit.item.name for hit in organisations.hits] == ["Hill Council"]
