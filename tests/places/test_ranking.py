"""Ranking by similarity to a place: in every search engine, in the search service and page,
and on the browse page; each result says why."""

from datetime import datetime

import pytest

from nanum.places.similarity import Place, likeness
from nanum.practices.browse import Filters
from nanum.search import service
from nanum.search.engine import Plan
from nanum.search.planning import plan as make_plan
from nanum.search.planning import prepare
from nanum.search.query import parse

PLACE = Place.from_values({"country": "KE", "government_level": "municipal",
                           "population_band": "50k_250k", "settlement_type": "urban"})
PLACE_ARGS = {"my_country": "KE", "my_government_level": "municipal",
              "my_population_band": "50k_250k", "my_settlement_type": "urban"}

# title, text, countries, context, points for PLACE; oldest first.
CORPUS = [
    ("Water kiosks, the long version", "water water water kiosks", ["KE"],
     {"government_level": "municipal", "population_band": "50k_250k",
      "settlement_type": "urban"}, 16),
    ("National water policy", "water", ["PE"],
     {"government_level": "national", "population_band": "gt_1m"}, 0),
    ("Town water board", "water", ["UG"],
     {"government_level": "municipal", "population_band": "50k_250k",
      "settlement_type": "peri_urban"}, 13),
    ("District water audits", "water", ["TZ"],
     {"government_level": "district", "population_band": "10k_50k"}, 8),
    ("Water with no context given", "water", [], {}, 0),
    ("Council minutes on kiosks", "minutes of the council, where water came up once", ["KE"],
     {"government_level": "municipal", "population_band": "50k_250k",
      "settlement_type": "urban"}, 16),
]
BY_PLACE_THEN_NEWEST = ["Council minutes on kiosks", "Water kiosks, the long version",
                        "Town water board", "District water audits",
                        "Water with no context given", "National water policy"]


# -- each engine on its own ---------------------------------------------------------------

def _document(number, title, text, countries, context):
    regions = {"KE": ["Eastern Africa", "Sub-Saharan Africa", "Africa"],
               "UG": ["Eastern Africa", "Sub-Saharan Africa", "Africa"],
               "TZ": ["Eastern Africa", "Sub-Saharan Africa", "Africa"],
               "PE": ["South America", "Latin America and the Caribbean", "Americas"]}
    return {"key": f"practice:{number}", "content": "practice", "title": title, "body": text,
            "published": datetime(2024, 1, 1 + number), "country": countries,
            "region": sorted({name for code in countries for name in regions[code]}),
            **{name: [value] for name, value in context.items()}}


@pytest.fixture
def indexed(backend):
    for number, (title, text, countries, context, _points) in enumerate(CORPUS):
        with backend.writing() as writer:  # one segment each, in Whoosh
            writer.update(_document(number, title, text, countries, context))
    return backend


def _titles(backend, found):
    return [CORPUS[int(key.split(":")[1])][0] for key in found.keys]


def test_every_engine_ranks_by_the_places_points_then_newest(indexed):
    found = indexed.match(Plan(sort="similarity", likeness=likeness(PLACE), limit=10))
    assert _titles(indexed, found) == BY_PLACE_THEN_NEWEST
    assert found.total == len(CORPUS)


def test_every_engine_ranks_equal_points_by_relevance_when_words_are_searched(indexed):
    plan = make_plan(prepare(parse("water kiosks")), sort="similarity",
                     likeness=likeness(PLACE), limit=10)
    assert _titles(indexed, indexed.match(plan))[:2] == ["Water kiosks, the long version",
                                                         "Council minutes on kiosks"]


def test_every_engine_pages_through_the_same_order(indexed):
    pages = [indexed.match(Plan(sort="similarity", likeness=likeness(PLACE), offset=offset,
                                limit=2)) for offset in (0, 2, 4)]
    assert [title for page in pages for title in _titles(indexed, page)] == (
        BY_PLACE_THEN_NEWEST)


def test_a_region_alone_ranks_the_region_first(indexed):
    place = Place.from_values({"region": "South America"})
    found = indexed.match(Plan(sort="similarity", likeness=likeness(place), limit=1))
    assert _titles(indexed, found) == ["National water policy"]


# -- the search service and page, on every engine -----------------------------------------

@pytest.fixture(params=["whoosh", "memory", "postgres"])
def config(request, config):
    if request.param == "postgres":
        config = {**config, "SQLALCHEMY_DATABASE_URI": request.getfixturevalue("empty_postgres")}
    return {**config, "SEARCH_ENGINE": request.param}


@pytest.fixture
def corpus(app, make):
    for title, text, countries, context, _points in CORPUS:
        make.practice(title=title, summary=text, tagged={"countries": countries},
                      **context)
    service.sync()


def titles(results):
    return [hit.item.title for hit in results.hits]


def test_search_ranks_by_a_place_and_without_one_as_before(corpus):
    results = service.search("", Filters(), sort="similarity", place=PLACE)
    assert (results.sort, titles(results)) == ("similarity", BY_PLACE_THEN_NEWEST)
    results = service.search("", Filters(), sort="similarity", place=None)
    assert results.sort == "newest" and titles(results)[0] == "Council minutes on kiosks"


def test_search_page_says_why_each_practice_is_alike(client, corpus):
    page = client.get("/search", query_string={"q": "water", "sort": "similarity",
                                               **PLACE_ARGS}).get_data(as_text=True)
    assert "Ranked by likeness to the place you entered" in page
    assert page.index("Water kiosks, the long version") < page.index("Town water board")
    assert ("<strong>100% like your place</strong>: same country (Kenya), level of "
            "government, population band and settlement type") in page
    assert ("<strong>81% like your place</strong>: same region (Eastern Africa), level of "
            "government and population band; similar settlement") in page
    # Filters, pages and the other sorts keep the place.
    assert "my_population_band=50k_250k" in page.split('aria-label="Sort"')[1]


# -- the browse page ----------------------------------------------------------------------

@pytest.fixture
def listed(app, make):
    for title, text, countries, context, _points in CORPUS:
        make.practice(title=title, summary=text, tagged={"countries": countries},
                      **context)


def test_browse_ranks_by_a_place_in_the_query_string(client, listed):
    page = client.get("/practices/", query_string={"sort": "similarity", **PLACE_ARGS})
    body = page.get_data(as_text=True)
    positions = [body.index(f">{title}</a>") for title in BY_PLACE_THEN_NEWEST]
    assert positions == sorted(positions)
    assert "same region (Eastern Africa), level of government and population band" in body
    assert "not stated: country, level of government, population and settlement" in body


def test_the_sort_is_offered_only_with_a_place(client, auth, make, listed):
    assert "Like my place" not in client.get("/practices/").get_data(as_text=True)
    assert "Rank by a place like yours" in client.get("/practices/").get_data(as_text=True)
    person = make.member(email="officer@example.org")
    auth.login("officer@example.org")
    assert "Like my place" not in client.get("/practices/").get_data(as_text=True)
    from nanum.places import services
    services.save_for_person(person, {"country": "KE", "settlement_type": "urban"})
    body = client.get("/practices/").get_data(as_text=True)
    assert "Like my place" in body and "% like your place" not in body
    body = client.get("/practices/?sort=similarity").get_data(as_text=True)
    assert "Ranked by likeness to your place" in body and "Kenya · Urban" in body
    assert body.index(">Council minutes on kiosks</a>") < body.index(
        ">National water policy</a>")
    assert "100% like your place" in body
    # Without a place, the sort asked for falls back to the newest first.
    auth.logout()
    body = client.get("/practices/?sort=similarity").get_data(as_text=True)
    assert "like your place" not in body
