"""Filters typed into the search box (`sdg:6.1`, `country:kenya`, `year:2020..`)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pycountry
from flask_babel import gettext as _

from nanum.organisations.regions import (
    COUNTRY_CHOICES,
    SUBREGIONS,
    intermediate_of,
    is_country,
    region_of,
)
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices.vocab import CONTEXT_FIELDS, KINDS, THEME_SHORT, THEMES
from nanum.search.query.nodes import YEAR_MAX, YEAR_MIN, And, Field, Node, combine
from nanum.search.query.words import (
    QUIET_NAMES,
    VALUE_EDGES,
    compact,
    phrase_node,
    quoted,
    spaced,
    word_node,
)
from nanum.taxonomy.sdg import normalise_key

# -- filters ----------------------------------------------------------------------------------

_FILTER_LIST = "Filters: sdg:, country:, region:, type:, theme:, kind:, year:, is:"


def _sdg(value: str, notes: list[str]) -> Field | None:
    """Read an SDG goal or target."""
    value = value.rstrip(".").lower()
    key = normalise_key(value)
    if key is not None:
        return Field("target" if "." in key else "goal", key)
    if re.fullmatch(r"[0-9]{1,3}\.[0-9a-z]{1,3}", value):
        notes.append(_("There is no SDG target %(value)s; that filter was ignored.", value=value))
    elif re.fullmatch(r"[0-9]{1,3}", value):
        notes.append(_("There is no SDG %(value)s; that filter was ignored.", value=value))
    else:
        notes.append(_("There is no SDG %(quoted)s; that filter was ignored.",
                       quoted=quoted(value)))
    return None


def _country_index() -> dict[str, str]:
    """Map folded country names and codes to alpha-2 codes; display names win clashes."""
    index: dict[str, str] = {}
    for code, name in COUNTRY_CHOICES:
        index.setdefault(compact(name), code)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "alpha_3"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(compact(value), country.alpha_2)
    return index


_COUNTRIES = _country_index()


def _country(value: str, notes: list[str]) -> Field | None:
    """Read a country by alpha-2 code or by name."""
    text = value.strip()
    if len(text) == 2 and text.isascii() and text.isalpha() and is_country(text):
        return Field("country", text.upper())
    code = _COUNTRIES.get(compact(text))
    if code is not None:
        return Field("country", code)
    notes.append(_("There is no country %(quoted)s; that filter was ignored.", quoted=quoted(text)))
    return None


def _region_index() -> dict[str, str]:
    """Map folded M49 region, sub-region and intermediate names to their spelling."""
    codes = [code for code, _ in COUNTRY_CHOICES]
    names = set(SUBREGIONS)
    names.update(name for name in map(region_of, codes) if name)
    names.update(name for name in map(intermediate_of, codes) if name)
    return {compact(name): name for name in sorted(names)}


_REGIONS = _region_index()


def _region(value: str, notes: list[str]) -> Field | None:
    """Read an M49 region, sub-region or intermediate region by name."""
    name = _REGIONS.get(compact(value))
    if name is not None:
        return Field("region", name)
    notes.append(_("There is no region %(quoted)s; that filter was ignored.", quoted=quoted(value)))
    return None


_ORG_TYPES = {key.casefold(): key for key in ORG_TYPES} | {
    "ministry": "NGM",
    "ministries": "NGM",
    "ngo": "CSO",
    "ngos": "CSO",
    "civilsociety": "CSO",
    "university": "ACADEMIA",
    "universities": "ACADEMIA",
}


def _org_type(value: str, notes: list[str]) -> Field | None:
    """Read an organisation type by key or one of a few everyday names."""
    key = _ORG_TYPES.get(compact(value))
    if key is not None:
        return Field("org_type", key)
    notes.append(_("There is no organisation type %(quoted)s; that filter was ignored. Types: "
                   "%(join)s.", quoted=quoted(value), join=', '.join(ORG_TYPES)))
    return None


def _choices(*vocabularies: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Fold each key of a vocabulary together with its labels, for matching."""
    return {
        key: tuple(spaced(text) for text in (key, *(v.get(key, "") for v in vocabularies)) if text)
        for key in vocabularies[0]
    }


_VOCABULARIES = {
    "theme": _choices(THEMES, THEME_SHORT),
    "kind": _choices(KINDS),
    **{name: _choices(choices) for name, (_, choices) in CONTEXT_FIELDS.items()},
}


def _match_choice(value: str, choices: dict[str, tuple[str, ...]]) -> tuple[str | None, bool]:
    """Return the key the value names exactly or by word prefix, and whether it was ambiguous."""
    wanted = spaced(value)
    if not wanted:
        return None, False
    exact = [key for key, texts in choices.items() if wanted in texts]
    if len(exact) == 1:
        return exact[0], False
    hits = [key for key, texts in choices.items() if any(f" {wanted}" in f" {t}" for t in texts)]
    if len(hits) == 1:
        return hits[0], False
    return None, len(hits) > 1


def _vocabulary(name: str) -> Callable[[str, list[str]], Field | None]:
    """Make the reader of a filter whose values come from a controlled vocabulary."""
    choices = _VOCABULARIES[name]
    label = name.replace("_", " ")

    def read(value: str, notes: list[str]) -> Field | None:
        key, ambiguous = _match_choice(value, choices)
        if key is not None:
            return Field(name, key)
        listed = ", ".join(choices)
        if ambiguous:
            notes.append(_("%(quoted)s matches more than one %(label)s; that filter was ignored. "
                           "Choices: %(listed)s.",
                           quoted=quoted(value), label=label, listed=listed))
        else:
            notes.append(_("There is no %(label)s %(quoted)s; that filter was ignored. Choices: "
                           "%(listed)s.", label=label, quoted=quoted(value), listed=listed))
        return None

    return read


_YEAR_RANGE = re.compile(r"([0-9]{4})?\s*(?:\.\.|-|–|—)\s*([0-9]{4})?")


def _year(value: str, notes: list[str]) -> Field | None:
    """Read a year, a year range or an open-ended range."""
    text = value.strip()
    match = _YEAR_RANGE.fullmatch(text)
    if re.fullmatch(r"[0-9]{4}", text):
        low = high = int(text)
    elif match and any(match.groups()):
        low = int(match.group(1)) if match.group(1) else YEAR_MIN
        high = int(match.group(2)) if match.group(2) else YEAR_MAX
    else:
        notes.append(_("The year %(quoted)s was not understood; that filter was ignored. Try "
                       "year:2019 or year:2019..2023.", quoted=quoted(text)))
        return None
    if not (YEAR_MIN <= low <= YEAR_MAX and YEAR_MIN <= high <= YEAR_MAX):
        notes.append(_("Years must be between %(year_min)s and %(year_max)s; that filter was "
                       "ignored.", year_min=YEAR_MIN, year_max=YEAR_MAX))
        return None
    if low > high:
        low, high = high, low
        notes.append(_("The year range was reversed; it was read as %(low)s..%(high)s.",
                       low=low, high=high))
    return Field("year", (low, high))


_CONTENT = {
    "practice": "practice",
    "practices": "practice",
    "organisation": "organisation",
    "organisations": "organisation",
    "organization": "organisation",
    "organizations": "organisation",
    "org": "organisation",
    "orgs": "organisation",
    "post": "post",
    "posts": "post",
    "event": "event",
    "events": "event",
}


def _content(value: str, notes: list[str]) -> Field | None:
    """Read which kind of content to show."""
    content = _CONTENT.get(compact(value))
    if content is not None:
        return Field("content", content)
    notes.append(_("“is:” takes practice, organisation, post or event, not %(quoted)s; that "
                   "filter was ignored.", quoted=quoted(value)))
    return None


_READERS: dict[str, Callable[[str, list[str]], Field | None]] = {
    "sdg": _sdg,
    "country": _country,
    "region": _region,
    "org_type": _org_type,
    "year": _year,
    "content": _content,
    **{name: _vocabulary(name) for name in _VOCABULARIES},
}

# Typed names (lower-case, without "_" and "-") of each filter; canonical names work too.
_FIELD_NAMES = {
    "sdg": "sdg",
    "sdgs": "sdg",
    "goal": "sdg",
    "target": "sdg",
    "country": "country",
    "region": "region",
    "type": "org_type",
    "orgtype": "org_type",
    "theme": "theme",
    "kind": "kind",
    "year": "year",
    "years": "year",
    "is": "content",
    "content": "content",
    "level": "government_level",
    "population": "population_band",
    "budget": "budget_band",
    "settlement": "settlement_type",
    "infrastructure": "infrastructure_level",
    "staff": "staff_band",
    **{name.replace("_", ""): name for name in CONTEXT_FIELDS},
}


def field_node(name: str, value: str, quoted: bool, notes: list[str]) -> Node | None:
    """Turn name:value into a filter, or into words when there is no such filter."""
    reader = _READERS.get(_FIELD_NAMES.get(name.lower().replace("_", "").replace("-", ""), ""))
    if reader is None:
        return _unknown_field(name, value, quoted, notes)
    value = value.strip(VALUE_EDGES)
    if not value:
        notes.append(_("The “%(lower)s:” filter had no value; it was ignored.", lower=name.lower()))
        return None
    return reader(value, notes)


def _unknown_field(name: str, value: str, quoted: bool, notes: list[str]) -> Node | None:
    """Search for the words of an unknown name:value; URLs and "note:" pass quietly."""
    if value.strip() and name.lower() not in QUIET_NAMES:
        notes.append(_("There is no “%(lower)s:” filter; searched for the words instead. "
                       "%(filter_list)s", lower=name.lower(), filter_list=_FILTER_LIST))
    words = phrase_node(value) if quoted else word_node(value, notes)
    return combine(And, [node for node in (word_node(name, notes), words) if node is not None])
