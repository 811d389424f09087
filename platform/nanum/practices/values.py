"""Many practices' countries, goals, targets, themes and tags, read as plain values.

Loading these collections as ORM objects costs several times the practices themselves (a
search page, a batch of the index); where a practice is only read, one query per collection
returning (practice id, value) rows is enough.
"""

from dataclasses import dataclass

from sqlalchemy import select

from nanum.organisations import place_names
from nanum.practices import vocab
from nanum.practices.models import (
    PracticeCountry,
    PracticeGoal,
    PracticeTag,
    PracticeTarget,
    PracticeTheme,
)
from nanum.taxonomy import sdg

# What each collection is read as, and its order (as the model's relationships order it).
COLLECTIONS = {
    "countries": (PracticeCountry.country, (PracticeCountry.position, PracticeCountry.country)),
    "goals": (PracticeGoal.goal, (PracticeGoal.goal,)),
    "targets": (PracticeTarget.target, (PracticeTarget.target,)),
    "themes": (PracticeTheme.theme, (PracticeTheme.theme,)),
    "tags": (PracticeTag.tag, (PracticeTag.tag,)),
}


@dataclass(frozen=True)
class Country:
    code: str

    @property
    def name(self):
        return place_names.shown_country(self.code)


class ReadPractice:
    """A practice to read, with the values of its collections; everything else is the
    practice's own. Never changed or saved."""

    def __init__(self, practice, values):
        self._practice = practice
        self._values = values

    def __getattr__(self, name):
        return getattr(self._practice, name)

    @property
    def countries(self):
        return [Country(code) for code in self._values["countries"]]

    @property
    def country_codes(self):
        return list(self._values["countries"])

    @property
    def goal_numbers(self):
        return list(self._values["goals"])

    @property
    def target_keys(self):
        return sorted(self._values["targets"], key=sdg.target_sort_key)

    @property
    def theme_keys(self):
        chosen = set(self._values["themes"])
        return [key for key in vocab.THEMES if key in chosen]

    @property
    def tag_names(self):
        return list(self._values["tags"])


def read(session, practices, collections=tuple(COLLECTIONS)):
    """Return the practices as `ReadPractice`s, with the named collections read in one
    query each (the others read as empty)."""
    ids = [practice.id for practice in practices]
    values = {practice_id: {name: [] for name in COLLECTIONS} for practice_id in ids}
    if ids:
        for name in collections:
            column, order = COLLECTIONS[name]
            rows = session.execute(select(column.table.c.practice_id, column)
                                   .where(column.table.c.practice_id.in_(ids))
                                   .order_by(column.table.c.practice_id, *order))
            for practice_id, value in rows:
                values[practice_id][name].append(value)
    return [ReadPractice(practice, values[practice.id]) for practice in practices]
