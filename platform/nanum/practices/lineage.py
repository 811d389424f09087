"""How practices travel: adaptations of a practice, their originals and the lineage tree.

An adaptation is a practice of its own whose `adapted_from_id` names the practice it
adapts. Only a published practice can be adapted, and never by itself or by one of its
own adaptations, so that every lineage is a tree. Pages count and show only published
adaptations; a draft shows on the lineage page of its own writers.
"""

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from nanum.errors import Invalid
from nanum.extensions import db
from nanum.practices.models import Practice, PracticeCountry

LISTED = 50  # adaptations a practice's page lists
GENERATIONS = 6  # generations below the first original that the lineage page shows
SHOWN = 200  # practices the lineage page shows at most
ANCESTORS = 50  # originals followed upwards, far beyond any real chain
KEPT_WHEN_ADAPTING = ("title", "summary", "kind", "language", "objectives", "implementation",
                      "stakeholders", "goals", "targets", "themes", "tags")

# "42", "#42", "/practices/42", "https://example.org/practices/42/lineage"
_REFERENCE = re.compile(r"^(?:#?|.*/practices/)([0-9]{1,9})(?:[/?#].*)?$")


def _invalid(message):
    return Invalid(_("Please correct the highlighted fields; nothing was saved."),
                   {"adapted_from": message})


def parse_reference(raw):
    """Return the practice id that a number or a practice's address names (None if empty)."""
    text = (raw or "").strip() if isinstance(raw, str) or raw is None else str(raw)
    if not text:
        return None
    found = _REFERENCE.match(text) if len(text) <= 500 else None
    if found is None:
        raise _invalid("Give the number or the address of the practice you adapted, "
                       "such as 42 or https://…/practices/42.")
    return int(found.group(1))


def ancestor_ids(practice_id):
    """Return the ids of a practice's originals, nearest first (bounded, and safe from a
    cycle that concurrent edits could have made)."""
    found = []
    current = practice_id
    while len(found) < ANCESTORS:
        current = db.session.scalar(select(Practice.adapted_from_id)
                                    .where(Practice.id == current))
        if current is None or current in found or current == practice_id:
            break
        found.append(current)
    return found


def original_for(practice, raw):
    """Return the original that `raw` names for `practice` (None for a new one, or None:
    no original), or raise Invalid saying why it cannot be.

    A link that does not change is kept as it is, even to an original no longer published,
    so that an adaptation stays editable after its original is archived.
    """
    original_id = parse_reference(raw)
    if original_id is None:
        return None
    if practice is not None and original_id == practice.adapted_from_id:
        return practice.adapted_from
    original = db.session.get(Practice, original_id)
    if original is None or not original.is_published:
        raise _invalid(_("Practice %(number)s is not a published practice: only published "
                         "practices can be adapted.", number=original_id))
    if practice is not None and practice.id is not None:
        if original.id == practice.id:
            raise _invalid(_("A practice cannot be adapted from itself."))
        if practice.id in ancestor_ids(original.id):
            raise _invalid(f"“{original.title}” is an adaptation of this practice: a practice "
                           "cannot be adapted from one of its own adaptations.")
    return original


def link(practice, original):
    """Point `practice` at its original (or at none); tell whether the link changed."""
    original_id = original.id if original is not None else None
    if practice.adapted_from_id == original_id:
        return False
    practice.adapted_from_id = original_id
    practice.adapted_from = original
    return True


def adaptable(practice_id):
    """Return the published practice to adapt, or None."""
    if practice_id is None:
        return None
    practice = db.session.get(Practice, practice_id)
    return practice if practice is not None and practice.is_published else None


def form_values_from(original, values):
    """Return new-practice form values that start from an original's (`values`, as the
    practice form reads them): its aims and methods, not its place, results or resources."""
    start = {key: values[key] for key in KEPT_WHEN_ADAPTING if key in values}
    start["adapted_from"] = str(original.id)
    return start


# -- reading ----------------------------------------------------------------------------------

@dataclass
class Travel:
    """Where a practice travelled: its published adaptations (up to LISTED of them), and
    how many organisations and countries adapted it."""

    adaptations: list
    total: int
    organisations: int
    countries: int


def _published_adaptations(practice_id):
    return (Practice.adapted_from_id == practice_id, Practice.status == "published")


def travel(practice):
    """Return where a practice travelled, in at most four queries (two when it did not)."""
    adaptations = db.session.scalars(
        select(Practice).options(joinedload(Practice.organisation),
                                 selectinload(Practice.countries))
        .where(*_published_adaptations(practice.id))
        .order_by(Practice.published_at, Practice.id).limit(LISTED)).all()
    if len(adaptations) < LISTED:
        countries = {c.country for a in adaptations for c in a.countries}
        return Travel(adaptations, len(adaptations),
                      len({a.organisation_id for a in adaptations}), len(countries))
    where = _published_adaptations(practice.id)
    total, organisations = db.session.execute(
        select(func.count(Practice.id), func.count(distinct(Practice.organisation_id)))
        .where(*where)).one()
    countries = db.session.scalar(
        select(func.count(distinct(PracticeCountry.country)))
        .join(Practice, Practice.id == PracticeCountry.practice_id).where(*where))
    return Travel(adaptations, total, organisations, countries)


@dataclass
class Node:
    practice: Practice
    children: list = field(default_factory=list)


@dataclass
class Lineage:
    """The tree of a practice's first published original and everything adapted from it."""

    root: Node
    practice: Practice
    size: int
    cut: bool  # more generations or practices than are shown
    earlier_unpublished: bool  # the first original shown adapts one no longer published


def _first_original(practice):
    """Walk up to the first published original (bounded); say whether it adapts another."""
    root = practice
    seen = {practice.id}
    while root.adapted_from_id is not None and len(seen) <= ANCESTORS:
        original = db.session.get(Practice, root.adapted_from_id)
        if original is None or not original.is_published or original.id in seen:
            return root, original is not None and not original.is_published
        seen.add(original.id)
        root = original
    return root, False


def tree(practice):
    """Return the lineage of a practice: one query a generation, at most SHOWN practices."""
    root, earlier = _first_original(practice)
    top = Node(root)
    level = [top]
    seen = {root.id}
    cut = False
    for _generation in range(GENERATIONS):
        by_id = {node.practice.id: node for node in level}
        children = db.session.scalars(
            select(Practice).options(joinedload(Practice.organisation),
                                     selectinload(Practice.countries))
            .where(Practice.adapted_from_id.in_(by_id),
                   or_(Practice.status == "published", Practice.id == practice.id))
            .order_by(Practice.published_at, Practice.id)
            .limit(SHOWN - len(seen) + 1)).all()
        level = []
        for child in children:
            if child.id in seen:
                continue
            if len(seen) >= SHOWN:
                cut = True
                break
            seen.add(child.id)
            node = Node(child)
            by_id[child.adapted_from_id].children.append(node)
            level.append(node)
        if not level or cut:
            break
    else:
        cut = bool(db.session.scalar(select(Practice.id).where(
            Practice.adapted_from_id.in_([node.practice.id for node in level]),
            Practice.status == "published").limit(1)))
    return Lineage(top, practice, len(seen), cut, earlier)
