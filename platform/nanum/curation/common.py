"""Rules shared by the curation services: who curates, which practice is meant, order."""

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from nanum import inputs
from nanum.curation.models import NOTE_LIMIT
from nanum.errors import Invalid, NotFound
from nanum.extensions import db
from nanum.moderation import access
from nanum.practices.models import Practice

# "12", "#12", "/practices/12", "https://nanum.example.org/practices/12?page=2#post-3"
_PRACTICE_URL = re.compile(r"/practices/([0-9]{1,10})(?:[/?#]|$)")


def require_moderator(actor):
    access.require_moderator(actor, _("Only moderators curate."))


def practice_id_of(reference):
    """Return the practice id a number or an address names, or None."""
    text = (reference or "").strip()
    found = _PRACTICE_URL.search(text)
    return inputs.integer(found.group(1) if found else text.lstrip("#"))


def published_practice(reference, field="practice"):
    """Return the published practice a number or address names, or raise Invalid."""
    practice_id = practice_id_of(reference)
    if practice_id is None:
        message = _("Give the practice's number or its address, such as /practices/12.")
        raise Invalid(message, {field: message})
    practice = db.session.get(Practice, practice_id)
    if practice is None:
        message = _("There is no practice number %(practice_id)s.", practice_id=practice_id)
        raise Invalid(message, {field: message})
    if not practice.is_published:
        message = _("“%(title)s” is not published; only published practices are curated.",
                    title=practice.title)
        raise Invalid(message, {field: message})
    return practice


def clean_note(note, field="note"):
    note = " ".join((note or "").split())
    if len(note) > NOTE_LIMIT:
        message = _("Keep the note under %(note_limit)s characters.", note_limit=NOTE_LIMIT)
        raise Invalid(message, {field: message})
    return note


def next_position(column, *where):
    return (db.session.scalar(select(func.max(column)).where(*where)) or 0) + 1


def swap(model, row, direction, *scope):
    """Swap `row` with its neighbour above ("up") or below ("down") among the rows of
    `model` matching `scope`; return the new position, or None at either end."""
    if direction not in ("up", "down"):
        raise Invalid(_("Move a practice up or down."))
    if direction == "up":
        statement = select(model).where(*scope, model.position < row.position).order_by(
            model.position.desc())
    else:
        statement = select(model).where(*scope, model.position > row.position).order_by(
            model.position)
    neighbour = db.session.scalars(statement.limit(1)).first()
    if neighbour is None:
        return None
    row.position, neighbour.position = neighbour.position, row.position
    return row.position


def found(row, what="practice"):
    if row is None:
        raise NotFound(_("No such %(what)s.", what=what))
    return row
