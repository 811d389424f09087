"""Forum categories: one per SDG, one per focus theme, and two for cooperation."""

from dataclasses import dataclass

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
        found[f"sdg-{number}"] = Category(f"sdg-{number}", f"SDG {number}: {goal.title}",
                                          f"Localising Goal {number}.", "sdg")
    for key, title in THEMES.items():
        found[f"theme-{key}"] = Category(f"theme-{key}", title, "A focus area of SDG "
                                         "localisation.", "theme")
    found["questions"] = Category(
        "questions", "Questions to implementers",
        "Ask the people who did it: funding, politics, staffing, what changed.",
        "cooperation", question=True)
    found["partnerships"] = Category(
        "partnerships", "Partnerships sought",
        "Local governments looking for research partners; institutes offering expertise.",
        "cooperation")
    return found


CATEGORIES = _all()


def get(key):
    return CATEGORIES.get(key)
