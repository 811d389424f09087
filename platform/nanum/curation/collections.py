"""Collections: ordered practices with a curator's note each, built by moderators."""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from nanum.curation import announce, common
from nanum.curation.models import Collection, CollectionItem
from nanum.errors import Invalid, NotFound
from nanum.extensions import db
from nanum.i18n import format_number
from nanum.moderation import audit
from nanum.practices import services as practices
from nanum.practices.models import Practice
from nanum.timeutil import utcnow

TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 5000


# -- reading -------------------------------------------------------------------------------

def _published_count():
    """How many published practices a collection shows, as a correlated subquery."""
    return (select(func.count()).select_from(CollectionItem)
            .join(Practice, Practice.id == CollectionItem.practice_id)
            .where(CollectionItem.collection_id == Collection.id,
                   Practice.status == "published")
            .correlate(Collection).scalar_subquery())


def listing_statement(viewer=None):
    """Return the statement of `listing`, to read whole or one page at a time."""
    statement = (select(Collection, _published_count())
                 .order_by(Collection.published_at.desc().nulls_first(), Collection.id.desc()))
    if not getattr(viewer, "is_moderator", False):
        statement = statement.where(Collection.published.is_(True))
    return statement


def listing(viewer=None, limit=None):
    """Return (collection, practice count) of the published collections, newest first;
    moderators also get the unpublished ones. One query."""
    statement = listing_statement(viewer)
    if limit:
        statement = statement.limit(limit)
    return db.session.execute(statement).all()


def get(collection_id, viewer=None):
    """Return a collection the viewer may see: published ones, or any for moderators."""
    collection = db.session.get(Collection, collection_id)
    if collection is None or not (collection.published
                                  or getattr(viewer, "is_moderator", False)):
        raise NotFound(_("No such collection."))
    return collection


def shown(collection):
    """Return (practice, note) of the collection's published practices, in order."""
    return db.session.execute(
        select(Practice, CollectionItem.note)
        .join(CollectionItem, CollectionItem.practice_id == Practice.id)
        .where(CollectionItem.collection_id == collection.id, Practice.status == "published")
        .order_by(CollectionItem.position, CollectionItem.id)
        .options(*practices.card_options())).all()


def items(collection):
    """Return every item, whatever its practice's state, for the moderators' page."""
    return db.session.scalars(
        select(CollectionItem)
        .options(joinedload(CollectionItem.practice).load_only(
            Practice.id, Practice.title, Practice.status))
        .where(CollectionItem.collection_id == collection.id)
        .order_by(CollectionItem.position, CollectionItem.id)).all()


def for_practice(practice_id, limit=5):
    """Return (collection, holds the practice) of the collections curated last, for the
    moderators' panel on a practice's page. One query."""
    holds = (select(CollectionItem.id).where(CollectionItem.collection_id == Collection.id,
                                             CollectionItem.practice_id == practice_id)
             .correlate(Collection).exists())
    return db.session.execute(select(Collection, holds).order_by(
        Collection.updated_at.desc(), Collection.id.desc()).limit(limit)).all()


def newest_added(collection, options, limit):
    """Return (practice, note, added_at) of the published practices added last."""
    return db.session.execute(
        select(Practice, CollectionItem.note, CollectionItem.added_at)
        .join(CollectionItem, CollectionItem.practice_id == Practice.id)
        .where(CollectionItem.collection_id == collection.id, Practice.status == "published")
        .order_by(CollectionItem.added_at.desc(), CollectionItem.id.desc())
        .options(*options).limit(limit)).all()


# -- writing -------------------------------------------------------------------------------

def _clean(title, description):
    errors = {}
    title = " ".join((title or "").split())
    if len(title) < 3:
        errors["title"] = _("Please give a title of at least 3 characters.")
    elif len(title) > TITLE_LIMIT:
        errors["title"] = _("Keep the title under %(title_limit)s characters.",
                            title_limit=TITLE_LIMIT)
    description = (description or "").strip()
    if len(description) > DESCRIPTION_LIMIT:
        errors["description"] = _("Keep the description under %(description_limit)s characters.",
                                  description_limit=format_number(DESCRIPTION_LIMIT))
    if errors:
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."), errors)
    return title, description


def create(actor, title, description=""):
    """Create an unpublished collection."""
    common.require_moderator(actor)
    title, description = _clean(title, description)
    collection = Collection(title=title, description=description, created_by_id=actor.id)
    collection.cook()
    db.session.add(collection)
    db.session.flush()
    audit.record(actor, "collection.create", collection, after={"title": title})
    db.session.commit()
    return collection


def update(actor, collection, title, description=""):
    common.require_moderator(actor)
    title, description = _clean(title, description)
    before = {"title": collection.title, "description": collection.description}
    after = {"title": title, "description": description}
    if before == after:
        return False
    collection.title, collection.description = title, description
    collection.cook()
    collection.updated_at = utcnow()
    audit.record(actor, "collection.edit", collection,
                 before={k: v for k, v in before.items() if v != after[k]},
                 after={k: v for k, v in after.items() if v != before[k]})
    db.session.commit()
    return True


def set_published(actor, collection, published):
    """Publish or unpublish a collection; return whether it changed."""
    common.require_moderator(actor)
    if collection.published == published:
        return False
    collection.published = published
    if published and collection.published_at is None:
        collection.published_at = utcnow()
    audit.record(actor, "collection.publish" if published else "collection.unpublish",
                 collection, before={"published": not published},
                 after={"published": published})
    db.session.commit()
    return True


def _item(collection, practice_id):
    return common.found(db.session.scalar(select(CollectionItem).where(
        CollectionItem.collection_id == collection.id,
        CollectionItem.practice_id == practice_id)), "practice in this collection")


def add(actor, collection, reference, note=""):
    """Add a published practice (by number or address) at the end, with a note; tell
    the collection's watchers when it is public."""
    common.require_moderator(actor)
    practice = common.published_practice(reference)
    note = common.clean_note(note)
    if db.session.scalar(select(CollectionItem.id).where(
            CollectionItem.collection_id == collection.id,
            CollectionItem.practice_id == practice.id)) is not None:
        message = _("This practice is already in the collection.")
        raise Invalid(message, {"practice": message})
    item = CollectionItem(collection_id=collection.id, practice_id=practice.id, note=note,
                          added_by_id=actor.id, position=common.next_position(
                              CollectionItem.position,
                              CollectionItem.collection_id == collection.id))
    db.session.add(item)
    collection.updated_at = utcnow()
    audit.record(actor, "collection.add", collection, message=note,
                 after={"practice_id": practice.id, "practice": practice.title,
                        "position": item.position, "note": note})
    db.session.commit()
    if collection.published:
        announce.practice_collected(collection, practice, actor, note)
    return item


def remove(actor, collection, practice_id):
    common.require_moderator(actor)
    item = _item(collection, practice_id)
    audit.record(actor, "collection.remove", collection,
                 before={"practice_id": item.practice_id, "position": item.position,
                         "note": item.note})
    db.session.delete(item)
    collection.updated_at = utcnow()
    db.session.commit()


def move(actor, collection, practice_id, direction):
    """Move a practice one place up or down; return whether it moved."""
    common.require_moderator(actor)
    item = _item(collection, practice_id)
    before = item.position
    after = common.swap(CollectionItem, item, direction,
                        CollectionItem.collection_id == collection.id)
    if after is None:
        return False
    audit.record(actor, "collection.move", collection,
                 before={"practice_id": practice_id, "position": before},
                 after={"practice_id": practice_id, "position": after})
    db.session.commit()
    return True


def set_note(actor, collection, practice_id, note):
    common.require_moderator(actor)
    item = _item(collection, practice_id)
    note = common.clean_note(note)
    if note == item.note:
        return False
    audit.record(actor, "collection.note", collection, message=note,
                 before={"practice_id": practice_id, "note": item.note},
                 after={"practice_id": practice_id, "note": note})
    item.note = note
    db.session.commit()
    return True
