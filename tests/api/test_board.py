"""The API's partnership board: the list and its filters, one post with its matches, and only
what the board shows anyone."""

from datetime import timedelta

import pytest

from nanum.api import tokens
from nanum.board import services
from nanum.board.models import BoardMatch
from nanum.extensions import db
from nanum.timeutil import utcnow

NEED = {"kind": "need", "title": "We need help costing a flood early-warning system",
        "description": "Two wards **flood** each rainy season.", "targets": "11.5, 13.1",
        "countries": "KE", "languages": "en, sw", "population_band": "10k_50k"}
OFFER = {"kind": "offer", "title": "We cost early-warning systems with town planners",
         "description": "We have costed gauges and alerts.", "targets": "11.5",
         "countries": "UG, TZ", "languages": "en", "population_band": "10k_50k"}


def in_days(days):
    return (utcnow().date() + timedelta(days=days)).isoformat()


def get_json(client, url, status=200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def ids(found):
    return [post["id"] for post in found["posts"]]


@pytest.fixture
def sides(make):
    town = make.organisation(name="Town of Mvua", type="LRG", country="KE", verified=True)
    institute = make.organisation(name="Institute of Rains", type="NRI", country="UG",
                                  verified=True)
    return (town, institute, make.member(town, email="pat@town.example.org"),
            make.member(institute, email="rae@institute.example.org"))


@pytest.fixture
def matched(sides):
    town, institute, planner, researcher = sides
    need = services.create(planner, town.id, {**NEED, "end_date": in_days(60)})
    offer = services.create(researcher, institute.id, {**OFFER, "end_date": in_days(90)})
    return need, offer


def test_the_list_with_the_boards_filters(client, matched):
    need, offer = matched
    listed = get_json(client, "/api/v1/board/")
    assert ids(listed) == [offer.id, need.id] and listed["paging"]["total"] == 2
    for query, expected in (("kind=need", [need.id]), ("goal=13", [need.id]),
                            ("target=11.5", [offer.id, need.id]), ("language=sw", [need.id]),
                            ("region=Eastern+Africa&kind=offer", [offer.id]),
                            ("region=Eastern+Asia", [])):
        assert ids(get_json(client, f"/api/v1/board/?{query}")) == expected, query
    [summary] = get_json(client, "/api/v1/board/?kind=need&lang=fr")["posts"]
    assert summary["targets"] == ["11.5", "13.1"] and summary["goals"] == [11, 13]
    assert summary["countries"] == ["KE"] and summary["languages"] == ["en", "sw"]
    assert summary["organisation"]["name"] == "Town of Mvua" and summary["status"] == "open"
    assert summary["end_date"] == in_days(60)


def test_closed_posts_only_when_asked_for(client, matched):
    need, offer = matched
    need.end_date = utcnow().date() - timedelta(days=1)
    db.session.commit()
    assert ids(get_json(client, "/api/v1/board/")) == [offer.id]
    both = get_json(client, "/api/v1/board/?include_closed=yes")["posts"]
    assert [(p["id"], p["status"]) for p in both] == [(offer.id, "open"), (need.id, "closed")]
    assert get_json(client, f"/api/v1/board/{need.id}")["status"] == "closed"  # as its page


@pytest.mark.parametrize("query, field", [
    ("kind=both", "kind"), ("goal=18", "goal"), ("goal=11.5", "goal"), ("target=11", "target"),
    ("region=Atlantis", "region"), ("language=xx", "language"), ("include_closed=no",
                                                                 "include_closed")])
def test_a_filter_value_that_means_nothing_is_a_400_naming_it(client, matched, query, field):
    error = get_json(client, f"/api/v1/board/?{query}", 400)["error"]
    assert list(error["fields"]) == [field], error


def test_a_post_in_full_with_its_matches(client, matched, sides, make):
    need, offer = matched
    found = get_json(client, f"/api/v1/board/{need.id}?lang=fr")
    assert (found["kind"], found["title"], found["status"]) == ("need", NEED["title"], "open")
    assert "<strong>flood</strong>" in found["description_html"]
    assert [t["key"] for t in found["targets"]] == ["11.5", "13.1"] and found["targets"][0][
        "text"]
    assert found["country_names"] == ["Kenya"] and found["regions"] == ["Eastern Africa"]
    assert found["languages"] == ["en", "sw"] and found["end_date"] == in_days(60)
    assert found["context_profile"] == [{"key": "population_band", "label": "Population",
                                         "value": "10k_50k", "value_label": "10,000 – 50,000"}]
    assert found["organisation"]["url"].endswith(f"/api/v1/organisations/{need.organisation_id}")
    [match] = found["matches"]
    assert match["post"]["id"] == offer.id and match["post"]["kind"] == "offer"
    assert match["why"] == (
        "both on 11.5 · Eastern Africa · English · Population: 10,000 – 50,000")
    assert match["reasons"][:2] == [{"kind": "target", "value": "11.5"},
                                    {"kind": "region", "value": "Eastern Africa"}]
    assert match["good"] is True
    assert match["formed"] is False and match["practice"] is None
    assert "score" not in match  # the page shows "good match", not the number


def test_a_formed_match_names_its_practice_only_when_published(client, matched, make):
    need, offer = matched
    match = db.session.query(BoardMatch).one()
    practice = make.practice(title="Gauges for Mvua")
    match.formed_at, match.practice_id = utcnow(), practice.id
    db.session.commit()
    [shown] = get_json(client, f"/api/v1/board/{offer.id}")["matches"]
    assert shown["formed"] is True and shown["practice"]["title"] == "Gauges for Mvua"
    assert shown["post"]["id"] == need.id
    practice.status = "draft"
    db.session.commit()
    assert get_json(client, f"/api/v1/board/{offer.id}")["matches"][0]["practice"] is None


@pytest.mark.parametrize("change", [{"status": "pending"}, {"status": "rejected"},
                                    {"hidden": True}])
def test_unpublished_and_hidden_posts_are_not_found_even_for_their_owners(client, matched,
                                                                         sides, change):
    need, offer = matched
    for name, value in change.items():
        setattr(need, name, value)
    db.session.commit()
    _, token = tokens.create(sides[2], "Reader", ["read"])
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        error = get_json(client, f"/api/v1/board/{need.id}", 404, headers=headers)["error"]
        assert error["message"] == "No such post on the board."
        assert ids(get_json(client, "/api/v1/board/?include_closed=yes",
                            headers=headers)) == [offer.id]
        # Nor as the other side of a match.
        assert get_json(client, f"/api/v1/board/{offer.id}", headers=headers)["matches"] == []
