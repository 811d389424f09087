"""Featuring practices: moderators only, published practices only, ordered and audited."""

import pytest
from sqlalchemy import select

from nanum.curation import featured
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.moderation.models import AuditRecord


def actions():
    return [(r.action, r.target_id, r.before, r.after)
            for r in db.session.scalars(select(AuditRecord).order_by(AuditRecord.id))]


def shown_titles():
    return [(practice.title, note) for practice, note in featured.shown()]


def test_a_moderator_features_practices_by_number_or_address(moderator, published):
    a, b, _c = published
    featured.feature(moderator, str(a.id), "  For small   towns ")
    featured.feature(moderator, f"https://nanum.example.org/practices/{b.id}?page=2#top")
    assert shown_titles() == [("Practice A", "For small towns"), ("Practice B", "")]
    assert actions() == [
        ("practice.feature", a.id, None, {"featured": True, "position": 1,
                                          "note": "For small towns"}),
        ("practice.feature", b.id, None, {"featured": True, "position": 2, "note": ""})]


def test_only_moderators_feature(member, published):
    with pytest.raises(Forbidden):
        featured.feature(member, str(published[0].id))
    assert shown_titles() == [] and actions() == []


@pytest.mark.parametrize("reference, message", [
    ("", "number or its address"),
    ("practice twelve", "number or its address"),
    ("999999", "no practice number 999999"),
])
def test_a_bad_reference_is_said_and_changes_nothing(moderator, reference, message):
    with pytest.raises(Invalid) as raised:
        featured.feature(moderator, reference)
    assert message in raised.value.errors["practice"]
    assert actions() == []


def test_drafts_cannot_be_featured_and_nothing_twice(make, moderator, published):
    draft = make.practice(status="draft", published_at=None, title="Unfinished")
    with pytest.raises(Invalid, match="not published"):
        featured.feature(moderator, str(draft.id))
    featured.feature(moderator, str(published[0].id))
    with pytest.raises(Invalid, match="already featured"):
        featured.feature(moderator, str(published[0].id))
    assert len(actions()) == 1


def test_a_long_note_is_refused(moderator, published):
    with pytest.raises(Invalid):
        featured.feature(moderator, str(published[0].id), "x" * 301)
    assert shown_titles() == []


def test_moving_swaps_neighbours_and_stops_at_the_ends(moderator, published):
    for practice in published:
        featured.feature(moderator, str(practice.id))
    a, b, c = published
    assert featured.move(moderator, c.id, "up") is True
    assert [t for t, _ in shown_titles()] == ["Practice A", "Practice C", "Practice B"]
    assert featured.move(moderator, a.id, "up") is False  # already first: no act, no record
    assert featured.move(moderator, b.id, "down") is False
    assert actions()[-1] == ("practice.feature_move", c.id, {"position": 3}, {"position": 2})
    assert len(actions()) == 4
    with pytest.raises(Invalid):
        featured.move(moderator, a.id, "sideways")


def test_notes_and_unfeaturing_are_audited(moderator, member, published):
    a = published[0]
    featured.feature(moderator, str(a.id), "First note")
    with pytest.raises(Forbidden):
        featured.set_note(member, a.id, "Mine")
    with pytest.raises(Forbidden):
        featured.unfeature(member, a.id)
    with pytest.raises(Forbidden):
        featured.move(member, a.id, "down")
    assert featured.set_note(moderator, a.id, "Second note") is True
    assert featured.set_note(moderator, a.id, "Second note") is False
    featured.unfeature(moderator, a.id)
    assert shown_titles() == []
    assert [entry[0] for entry in actions()] == [
        "practice.feature", "practice.feature_note", "practice.unfeature"]
    assert actions()[-1][2] == {"featured": True, "position": 1, "note": "Second note"}
    with pytest.raises(NotFound):
        featured.unfeature(moderator, a.id)


def test_practices_no_longer_published_are_not_shown(moderator, published):
    for practice in published:
        featured.feature(moderator, str(practice.id))
    published[1].status = "hidden"
    db.session.commit()
    assert [t for t, _ in shown_titles()] == ["Practice A", "Practice C"]
    assert [p.title for p, _note in featured.shown(limit=1)] == ["Practice A"]
    assert len(featured.every()) == 3  # moderators still see it, to unfeature it
