"""Featured practices: the published practices moderators put first on the home page."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from nanum.curation import common
from nanum.curation.models import FeaturedPractice
from nanum.errors import Invalid
from nanum.extensions import db
from nanum.moderation import audit
from nanum.practices import services as practices
from nanum.practices.models import Practice


def shown(limit=None):
    """Return (practice, note) of the featured practices that are published, in order,
    loaded for cards: a fixed number of queries whatever their number."""
    statement = (select(Practice, FeaturedPractice.note)
                 .join(FeaturedPractice, FeaturedPractice.practice_id == Practice.id)
                 .where(Practice.status == "published")
                 .order_by(FeaturedPractice.position, FeaturedPractice.id)
                 .options(*practices.card_options()))
    if limit:
        statement = statement.limit(limit)
    return db.session.execute(statement).all()


def every():
    """Return every featured row, published or not, for the moderators' page."""
    return db.session.scalars(
        select(FeaturedPractice)
        .options(joinedload(FeaturedPractice.practice).load_only(
            Practice.id, Practice.title, Practice.status))
        .order_by(FeaturedPractice.position, FeaturedPractice.id)).all()


def is_featured(practice_id):
    return db.session.scalar(select(FeaturedPractice.id).where(
        FeaturedPractice.practice_id == practice_id)) is not None


def _row(practice_id):
    return common.found(db.session.scalar(
        select(FeaturedPractice).where(FeaturedPractice.practice_id == practice_id)),
        "featured practice")


def feature(actor, reference, note=""):
    """Feature a published practice (named by number or address) at the end of the list."""
    common.require_moderator(actor)
    practice = common.published_practice(reference)
    note = common.clean_note(note)
    if is_featured(practice.id):
        message = _("This practice is already featured.")
        raise Invalid(message, {"practice": message})
    row = FeaturedPractice(practice_id=practice.id, note=note, featured_by_id=actor.id,
                           position=common.next_position(FeaturedPractice.position))
    db.session.add(row)
    audit.record(actor, "practice.feature", practice, message=note,
                 after={"featured": True, "position": row.position, "note": note})
    db.session.commit()
    return row


def unfeature(actor, practice_id):
    common.require_moderator(actor)
    row = _row(practice_id)
    audit.record(actor, "practice.unfeature", row.practice,
                 before={"featured": True, "position": row.position, "note": row.note},
                 after={"featured": False})
    db.session.delete(row)
    db.session.commit()


def move(actor, practice_id, direction):
    """Move a featured practice one place up or down; return whether it moved."""
    common.require_moderator(actor)
    row = _row(practice_id)
    before = row.position
    after = common.swap(FeaturedPractice, row, direction)
    if after is None:
        return False
    audit.record(actor, "practice.feature_move", row.practice,
                 before={"position": before}, after={"position": after})
    db.session.commit()
    return True


def set_note(actor, practice_id, note):
    common.require_moderator(actor)
    row = _row(practice_id)
    note = common.clean_note(note)
    if note == row.note:
        return False
    audit.record(actor, "practice.feature_note", row.practice, message=note,
                 before={"note": row.note}, after={"note": note})
    row.note = note
    db.session.commit()
    return True
