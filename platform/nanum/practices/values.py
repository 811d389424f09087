"""Many practices' countries, goals, targets, themes and tags, read as plain values.

Loading these collections as ORM objects costs several times the practices themselves (a
search page, a batch of the index); where a practice is only read, one query per collection
returning (practice id, value) rows is enough.
"""

from dataclasses import dataclass

from sqlalchemy import String, cast, literal_column, select, union_all

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

# What each collection is read as, and its order (as the model's relationships order it):
# by a number column first where there is one, then by the value.
COLLECTIONS = {
    "countries": (PracticeCountry.country, PracticeCountry.position),
    "goals": (PracticeGoal.goal, PracticeGoal.goal),
    "targets": (PracticeTarget.target, None),
    "themes": (PracticeTheme.theme, None),
    "tags": (PracticeTag.tag, None),
}
NUMBERS = ("goals",)  # read back as integers


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
    query for them all (the others read as empty)."""
    ids = [practice.id for practice in practices]
    values = {practice_id: {name: [] for name in COLLECTIONS} for practice_id in ids}
    names = list(collections)
    if ids and names:
        parts = []
        for index, name in enumerate(names):
            column, number = COLLECTIONS[name]
            parts.append(select(column.table.c.practice_id.label("practice_id"),
                                literal_column(str(index)).label("collection"),
                                (literal_column("0") if number is None else number).label("number"),
                                cast(column, String).label("value"))
                         .where(column.table.c.practice_id.in_(ids)))
        statement = union_all(*parts) if len(parts) > 1 else parts[0]
        rows = session.execute(statement.order_by("practice_id", "collection", "number",
                                                  "value"))
        for practice_id, index, _number, value in rows:
            name = names[index]
            values[practice_id][name].append(int(value) if name in NUMBERS else value)
    return [ReadPractice(practice, values[practice.id]) for practice in practices]
