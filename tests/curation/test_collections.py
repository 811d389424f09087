"""Collections: built by moderators, ordered with notes, public once published, watched."""

import pytest
from sqlalchemy import select

from nanum.curation import collections
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.notifications import watching
from nanum.notifications.models import Notification


def actions():
    return [r.action for r in db.session.scalars(select(AuditRecord).order_by(AuditRecord.id))]


def shown(collection):
    return [(practice.title, note) for practice, note in collections.shown(collection)]


@pytest.fixture
def flood(moderator, published):
    """A published collection of A (with a note) and B."""
    collection = collections.create(moderator, "Flood early warning",
                                    "Practices for **small** towns.")
    collections.add(moderator, collection, str(published[0].id),
                    "Flood early warning for municipalities under 50,000 people")
    collections.add(moderator, collection, f"/practices/{published[1].id}")
    collections.set_published(moderator, collection, True)
    return collection


def test_a_collection_is_created_hidden_with_its_description_cooked(moderator, member):
    collection = collections.create(moderator, "  Water   points ", "A *short* list.")
    assert collection.title == "Water points" and not collection.published
    assert "<em>short</em>" in collection.html("description")
    assert actions() == ["collection.create"]
    with pytest.raises(NotFound):
        collections.get(collection.id, member)
    with pytest.raises(NotFound):
        collections.get(collection.id)
    assert collections.get(collection.id, moderator) is collection
    assert collections.listing(member) == []
    assert [c.title for c, _count in collections.listing(moderator)] == ["Water points"]


def test_only_moderators_create_and_change_collections(member, moderator, flood, published):
    with pytest.raises(Forbidden):
        collections.create(member, "Mine")
    for act in (lambda: collections.update(member, flood, "Renamed"),
                lambda: collections.set_published(member, flood, False),
                lambda: collections.add(member, flood, str(published[2].id)),
                lambda: collections.remove(member, flood, published[0].id),
                lambda: collections.move(member, flood, published[1].id, "up"),
                lambda: collections.set_note(member, flood, published[0].id, "Mine")):
        with pytest.raises(Forbidden):
            act()
    db.session.refresh(flood)
    assert flood.title == "Flood early warning" and flood.published
    assert shown(flood) == [
        ("Practice A", "Flood early warning for municipalities under 50,000 people"),
        ("Practice B", "")]


def test_bad_input_is_refused_and_changes_nothing(moderator, flood, published, make):
    with pytest.raises(Invalid) as raised:
        collections.create(moderator, "ab")
    assert "title" in raised.value.errors
    with pytest.raises(Invalid, match="already in the collection"):
        collections.add(moderator, flood, str(published[0].id))
    draft = make.practice(status="draft", published_at=None)
    with pytest.raises(Invalid, match="not published"):
        collections.add(moderator, flood, str(draft.id))
    with pytest.raises(Invalid):
        collections.set_note(moderator, flood, published[0].id, "x" * 301)
    with pytest.raises(NotFound):
        collections.remove(moderator, flood, published[2].id)
    assert len(shown(flood)) == 2
    assert actions() == ["collection.create", "collection.add", "collection.add",
                         "collection.publish"]


def test_every_curating_act_is_audited(moderator, flood, published):
    a, b, c = published
    collections.add(moderator, flood, str(c.id), "Third")
    assert collections.move(moderator, flood, c.id, "up") is True
    assert collections.move(moderator, flood, a.id, "up") is False
    assert collections.set_note(moderator, flood, b.id, "Now with a note") is True
    collections.remove(moderator, flood, a.id)
    assert collections.update(moderator, flood, "Floods", "Other words") is True
    assert collections.update(moderator, flood, "Floods", "Other words") is False
    collections.set_published(moderator, flood, False)
    assert actions()[4:] == ["collection.add", "collection.move", "collection.note",
                             "collection.remove", "collection.edit", "collection.unpublish"]
    assert shown(flood) == [("Practice C", "Third"), ("Practice B", "Now with a note")]
    edit = db.session.scalars(select(AuditRecord).where(
        AuditRecord.action == "collection.edit")).one()
    assert edit.before == {"title": "Flood early warning",
                           "description": "Practices for **small** towns."}
    assert edit.after == {"title": "Floods", "description": "Other words"}
    assert edit.target_type == "collections" and edit.target_id == flood.id


def test_the_page_shows_only_published_practices(moderator, flood, published):
    published[0].status = "archived"
    db.session.commit()
    assert shown(flood) == [("Practice B", "")]
    assert [row for _c, row in collections.listing()] == [1]
    assert [item.practice.title for item in collections.items(flood)] == [
        "Practice A", "Practice B"]


def test_watchers_hear_when_a_practice_is_added(moderator, make, flood, published):
    watcher, other = make.user(), make.user()
    target = watching.watch(watcher, "collection", str(flood.id))
    assert target.label == "Flood early warning"
    collections.add(moderator, flood, str(published[2].id), "Also rural")
    told = db.session.scalars(select(Notification)).all()
    assert [(n.user_id, n.kind) for n in told] == [(watcher.id, "watched")]
    assert told[0].message == "New in the collection “Flood early warning”: “Practice C”"
    assert told[0].url == f"/collections/{flood.id}" and told[0].excerpt == "Also rural"
    assert other.id not in {n.user_id for n in told}


def test_nobody_hears_of_additions_to_an_unpublished_collection(moderator, make, flood,
                                                                published):
    watcher = make.user()
    watching.watch(watcher, "collection", str(flood.id))
    collections.set_published(moderator, flood, False)
    collections.add(moderator, flood, str(published[2].id))
    assert db.session.scalars(select(Notification)).all() == []


def test_an_unpublished_collection_cannot_be_watched_by_members(moderator, member):
    hidden = collections.create(moderator, "Not yet")
    with pytest.raises(NotFound):
        watching.watch(member, "collection", str(hidden.id))
    assert watching.watch(moderator, "collection", str(hidden.id)).label == "Not yet"
