"""Forum categories: one per SDG, one per focus theme, and two for cooperation."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from nanum.practices.vocab import THEMES
from nanum.taxonomy import sdg


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    description: str
    group: str  # sdg | theme | cooperation
    question: bool = False  # topics here can have an accepted answer


def _all():
    found = {}
    for number, goal in sdg.GOALS.items():
        found[f"sdg-{number}"] = Category(f"sdg-{number}", _l("SDG %(number)s: %(title)s",
                                                              number=number, title=goal.title),
                                          _l("Localising Goal %(number)s.", number=number), "sdg")
    for key, title in THEMES.items():
        found[f"theme-{key}"] = Category(f"theme-{key}", title,
                                         _l("A focus area of SDG localisation."), "theme")
    found["questions"] = Category(
        "questions", _l("Questions to implementers"),
        _l("Ask the people who did it: funding, politics, staffing, what changed."),
        "cooperation", question=True)
    found["partnerships"] = Category(
        "partnerships", _l("Partnerships sought"),
        _l("Local governments looking for research partners; institutes offering expertise."),
        "cooperation")
    return found


CATEGORIES = _all()


def get(key):
    return CATEGORIES.get(key)
