"""UN M49 geographic regions for ISO 3166-1 alpha-2 country codes."""

from __future__ import annotations

import json
import unicodedata
from importlib.resources import files

import pycountry

__all__ = [
    "COUNTRY_CHOICES",
    "SUBREGIONS",
    "countries_in",
    "country_name",
    "intermediate_of",
    "is_country",
    "region_of",
    "subregion_of",
]


def _load() -> dict[str, dict[str, str | None]]:
    """Read the bundled M49 table from package data."""
    resource = files("nanum.organisations") / "data" / "m49.json"
    return json.loads(resource.read_text(encoding="utf-8"))


_M49: dict[str, dict[str, str | None]] = _load()


def _normalise(code: object) -> str | None:
    """Return the canonical upper-case form of a country code, or None."""
    if not isinstance(code, str):
        return None
    code = code.strip().upper()
    return code or None


def _field(code: object, key: str) -> str | None:
    """Look up one M49 field for a country code."""
    canonical = _normalise(code)
    if canonical is None:
        return None
    entry = _M49.get(canonical)
    return entry.get(key) if entry else None


def region_of(country_code: str) -> str | None:
    """Return the M49 region of a country, e.g. "Africa"."""
    return _field(country_code, "region")


def subregion_of(country_code: str) -> str | None:
    """Return the M49 sub-region of a country, e.g. "Eastern Africa"."""
    return _field(country_code, "subregion")


def intermediate_of(country_code: str) -> str | None:
    """Return the M49 intermediate grouping of a country, e.g. "Sub-Saharan Africa"."""
    return _field(country_code, "intermediate")


def _lookup(country_code: object):
    """Return the pycountry record for a code, or None."""
    canonical = _normalise(country_code)
    if canonical is None or len(canonical) != 2:
        return None
    return pycountry.countries.get(alpha_2=canonical)


def country_name(country_code: str) -> str | None:
    """Return the display name of a country, preferring its common name."""
    country = _lookup(country_code)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


def country_names(country_code: str) -> list[str]:
    """Return the English names of a country: common, ISO and official, each once."""
    country = _lookup(country_code)
    if country is None:
        return []
    names = (getattr(country, attr, None) for attr in ("common_name", "name", "official_name"))
    return list(dict.fromkeys(name for name in names if name))


def is_country(country_code: str) -> bool:
    """Return whether the code is a known ISO 3166-1 alpha-2 country code."""
    return _lookup(country_code) is not None


def _sort_key(name: str) -> str:
    """Fold accents and case so names sort alphabetically."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


COUNTRY_CHOICES: list[tuple[str, str]] = sorted(
    ((c.alpha_2, getattr(c, "common_name", None) or c.name) for c in pycountry.countries),
    key=lambda choice: (_sort_key(choice[1]), choice[0]),
)

SUBREGIONS: list[str] = sorted({e["subregion"] for e in _M49.values() if e.get("subregion")})


def countries_in(group: str) -> set[str]:
    """Return the codes whose region, sub-region or intermediate grouping matches."""
    wanted = group.strip().casefold()
    if not wanted:
        return set()
    return {
        code
        for code, entry in _M49.items()
        if any(
            (entry.get(key) or "").casefold() == wanted
            for key in ("region", "subregion", "intermediate")
        )
    }


def _tree() -> list[tuple[str, int]]:
    """Return every M49 grouping once, each region followed by what it holds."""
    nested: dict[str, dict[str, set[str]]] = {}
    for entry in _M49.values():
        if not entry.get("region"):
            continue
        middle = nested.setdefault(entry["region"], {})
        if entry.get("intermediate"):
            middle.setdefault(entry["intermediate"], set()).add(entry.get("subregion") or "")
        elif entry.get("subregion"):
            middle.setdefault("", set()).add(entry["subregion"])
    found: list[tuple[str, int]] = []
    for region in sorted(nested):
        found.append((region, 0))
        for intermediate in sorted(nested[region]):
            depth = 1
            if intermediate:
                found.append((intermediate, 1))
                depth = 2
            found += [(name, depth) for name in sorted(nested[region][intermediate]) if name]
    return list(dict.fromkeys(found))


TREE: list[tuple[str, int]] = _tree()


def tree(names: object = None) -> list[tuple[str, int]]:
    """Return (grouping, depth) in tree order: e.g. Africa, Sub-Saharan Africa, Eastern Africa.

    With `names`, only those groupings, in the same order.
    """
    if names is None:
        return list(TREE)
    wanted = set(names)
    return [(name, depth) for name, depth in TREE if name in wanted]
