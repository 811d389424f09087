"""The practice state machine through every allowed and every refused move."""

import itertools

import pytest

from nanum.errors import Conflict, Forbidden
from nanum.practices import states
from nanum.practices.models import Practice

AUTHOR, MODERATOR = states.AUTHOR, states.MODERATOR
PAIRS = list(itertools.product(states.STATES, repeat=2))


def _practice(status):
    return Practice(title="A practice", kind="case_study", status=status)


@pytest.mark.parametrize("current, new", sorted(states.TRANSITIONS))
@pytest.mark.parametrize("roles", [{AUTHOR}, {MODERATOR}, {AUTHOR, MODERATOR}],
                         ids=["author", "moderator", "both"])
def test_every_listed_move(current, new, roles):
    movers = states.TRANSITIONS[current, new]
    may = bool(movers & roles) or (MODERATOR in roles and AUTHOR in movers)
    practice = _practice(current)
    if may:
        assert states.move(practice, new, roles) == current
        assert practice.status == new
        if new == "published":
            assert practice.published_at is not None
    else:
        with pytest.raises(Forbidden):
            states.move(practice, new, roles)
        assert practice.status == current


@pytest.mark.parametrize("current, new",
                         [pair for pair in PAIRS if pair not in states.TRANSITIONS])
def test_every_move_not_listed_is_refused_to_everyone(current, new):
    practice = _practice(current)
    with pytest.raises(Conflict):
        states.move(practice, new, {AUTHOR, MODERATOR})
    assert practice.status == current


def test_nobody_moves_a_practice_without_a_role():
    for current, new in states.TRANSITIONS:
        practice = _practice(current)
        with pytest.raises(Forbidden):
            states.move(practice, new, set())


def test_only_moderators_decide_on_a_submission():
    for new in ("published", "changes_requested", "rejected", "hidden"):
        assert not states.allowed("submitted", new, {AUTHOR})
        assert states.allowed("submitted", new, {MODERATOR})


def test_the_machine_counts():
    """7 states, 49 pairs: the listed moves are allowed to someone, the rest to nobody."""
    assert len(states.STATES) == 7
    assert len(states.TRANSITIONS) == 17
    assert len(PAIRS) - len(states.TRANSITIONS) == 32
