"""Answering one of a practice's kept SDG suggestions from its page: accept or dismiss it."""

from flask_babel import gettext as _

from nanum.errors import Forbidden, Invalid
from nanum.extensions import db
from nanum.practices import services as practices
from nanum.sdg import suggestions
from nanum.taxonomy import sdg as taxonomy
from nanum.timeutil import utcnow

ANSWERS = ("accept", "dismiss")


def answer(user, practice, key, choice):
    """Accept one of the practice's open suggestions (tag the practice with it, as an edit
    would) or dismiss it (it is not offered again); return the suggestion."""
    if not practices.can_edit(user, practice):
        raise Forbidden(_("Only members of the owning organisation can answer its suggestions."))
    if choice not in ANSWERS:
        raise Invalid(_("Please choose to accept or to dismiss the suggestion."))
    key = taxonomy.normalise_key(str(key or ""))
    found = next((row for row in suggestions.open_for(practice) if row.key == key), None)
    if found is None:
        raise Invalid(_("That suggestion is no longer waiting for an answer; nothing was changed."))
    if choice == "dismiss":
        found.decision, found.decided_at = "dismissed", utcnow()
        db.session.commit()
        return found
    fields = practices.form_values(practice)
    chosen = "targets" if found.is_target else "goals"
    fields[chosen] = [*fields[chosen], key]
    practices.update(user, practice, fields, action="save")  # records the answer too
    return found
