"""Two organisations with a member each, and a need and an offer that match."""

from datetime import timedelta

import pytest

from nanum.board import services
from nanum.timeutil import utcnow


def in_days(days):
    return (utcnow().date() + timedelta(days=days)).isoformat()


NEED = {"kind": "need", "title": "We need help costing a flood early-warning system",
        "description": "Two wards **flood** each rainy season.", "targets": "11.5, 13.1",
        "countries": "KE", "languages": "en, sw", "population_band": "10k_50k"}
OFFER = {"kind": "offer", "title": "We cost early-warning systems with town planners",
         "description": "We have costed gauges and alerts.", "targets": "11.5",
         "countries": "UG, TZ", "languages": "en", "population_band": "10k_50k"}


@pytest.fixture
def sides(make):
    """A town council (verified LRG) and an institute (verified NRI), one member each."""
    town = make.organisation(name="Town of Mvua", type="LRG", country="KE", verified=True)
    institute = make.organisation(name="Institute of Rains", type="NRI", country="UG",
                                  verified=True)
    planner = make.member(town, name="Pat Planner", email="pat@town.example.org")
    researcher = make.member(institute, name="Rae Researcher", email="rae@institute.example.org")
    return town, institute, planner, researcher


@pytest.fixture
def matched(sides):
    town, institute, planner, researcher = sides
    need = services.create(planner, town.id, {**NEED, "end_date": in_days(60)})
    offer = services.create(researcher, institute.id, {**OFFER, "end_date": in_days(90)})
    return need, offer
