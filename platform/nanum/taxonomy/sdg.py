"""The 17 UN Sustainable Development Goals and their 169 targets."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from flask_babel import gettext as _

from nanum.taxonomy import texts as _texts


@dataclass(frozen=True)
class Target:
    """One of the 169 official SDG targets."""

    key: str
    goal: int
    text: str

    @property
    def label(self) -> str:
        """Return the display label, e.g. "Target 11.3"."""
        return _("Target %(key)s", key=self.key)

    def text_in(self, language: str) -> str:
        """Return the target's text in a language, in English when there is none."""
        return _texts.texts(language).targets.get(self.key) or self.text


@dataclass(frozen=True)
class Goal:
    """One of the 17 Sustainable Development Goals."""

    number: int
    title: str
    colour: str
    text_colour: str
    targets: tuple[Target, ...]

    def title_in(self, language: str) -> str:
        """Return the goal's short name in a language, in English when there is none."""
        return _texts.texts(language).goals.get(str(self.number)) or self.title


def _load() -> dict[int, Goal]:
    """Read the packaged SDG JSON and build the goals in official order."""
    raw = resources.files("nanum.taxonomy").joinpath("data/sdg.json").read_text("utf-8")
    goals: dict[int, Goal] = {}
    for item in sorted(json.loads(raw), key=lambda g: g["number"]):
        number = int(item["number"])
        targets = tuple(Target(key=t["key"], goal=number, text=t["text"]) for t in item["targets"])
        goals[number] = Goal(
            number=number,
            title=item["title"],
            colour=item["colour"],
            text_colour=item["text_colour"],
            targets=tuple(sorted(targets, key=lambda t: target_sort_key(t.key))),
        )
    return goals


def target_sort_key(key: str) -> tuple:
    """Return a sort key ordering targets numerically, numbers before letters."""
    goal_part, _, sub = key.partition(".")
    goal_no = int(goal_part) if goal_part.isdigit() else 0
    if not sub:
        return (goal_no, -1, 0, "")
    if sub.isdigit():
        return (goal_no, 0, int(sub), "")
    return (goal_no, 1, 0, sub)


GOALS: dict[int, Goal] = _load()
TARGETS: dict[str, Target] = {t.key: t for g in GOALS.values() for t in g.targets}

_KEY_RE = re.compile(r"^(?:sdg|goal)?\s*(\d{1,2})(?:\.(\d{1,2}|[a-z]))?$")


def goal(number: int) -> Goal | None:
    """Return the goal with this number, or None."""
    return GOALS.get(number)


def target(key: str) -> Target | None:
    """Return the target with this canonical key, or None."""
    return TARGETS.get(key)


def normalise_key(raw: str) -> str | None:
    """Return the canonical goal or target key for raw input, or None if unknown."""
    if not isinstance(raw, str):
        return None
    match = _KEY_RE.match(raw.strip().lower())
    if match is None:
        return None
    number = int(match.group(1))
    if number not in GOALS:
        return None
    sub = match.group(2)
    if sub is None:
        return str(number)
    key = f"{number}.{int(sub) if sub.isdigit() else sub}"
    return key if key in TARGETS else None


def goal_of(target_key: str) -> int:
    """Return the goal number that a target key belongs to."""
    return int(target_key.split(".", 1)[0])


def expand_goals(target_keys: Iterable[str]) -> set[int]:
    """Return the set of goals implied by the given target keys, ignoring unknown keys."""
    keys = (normalise_key(raw) for raw in target_keys)
    return {goal_of(key) for key in keys if key is not None}
