"""Practices, events and board posts name their kinds, statuses and tags the same way."""

import pytest

from nanum.board.models import BoardCountry, BoardGoal, BoardPost, BoardTarget
from nanum.events.models import Event, EventGoal, EventTarget, EventTheme
from nanum.practices.models import (
    Practice,
    PracticeCountry,
    PracticeGoal,
    PracticeTarget,
    PracticeTheme,
)


def tagged(model, goal, target, country):
    return dict(goals=[goal(goal=13), goal(goal=6)],
                targets=[target(target="11.5"), target(target="1.5"), target(target="11.a")],
                **({"countries": [country(country="UG", position=0),
                                  country(country="KE", position=1)]} if country else {}))


RECORDS = {
    "practice": lambda: Practice(
        kind="case_study", status="submitted",
        themes=[PracticeTheme(theme="local_action"), PracticeTheme(theme="nri_capacity")],
        **tagged(Practice, PracticeGoal, PracticeTarget, PracticeCountry)),
    "board post": lambda: BoardPost(
        kind="need", status="pending", **tagged(BoardPost, BoardGoal, BoardTarget, BoardCountry)),
    "event": lambda: Event(
        kind="workshop", status="submitted", country="KE",
        themes=[EventTheme(theme="local_action"), EventTheme(theme="nri_capacity")],
        **tagged(Event, EventGoal, EventTarget, None)),
}


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_labels_and_tags_in_the_pages_language(app, kind):
    record = RECORDS[kind]()
    with app.test_request_context("/?lang=fr"):
        assert record.goal_numbers == [6, 13]
        assert record.target_keys == ["1.5", "11.5", "11.a"]
        assert str(record.kind_label) != record.kind  # a label, not the key
        assert str(record.status_label) != record.status
        codes = ["KE"] if kind == "event" else ["UG", "KE"]
        assert record.country_codes == codes
        assert record.regions == ["Eastern Africa"]
        assert len(record.country_names) == len(codes)
        assert len(record.region_names) == 1
        if kind != "board post":  # posts have no themes
            assert record.theme_keys == ["nri_capacity", "local_action"]  # in the list's order
            assert len(record.theme_labels) == 2


def test_an_unknown_kind_or_status_shows_as_it_is(app):
    event = Event(kind="salon", status="archived")
    assert (event.kind_label, event.status_label) == ("salon", "archived")
    assert Event(kind="workshop", country=None).country_names == []
