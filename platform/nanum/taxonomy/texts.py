"""The SDG goal names and target texts in the languages Nanum shows them in.

English lives in ``data/sdg.json`` with the codes and colours; every other language is one file
in ``data/sdg-texts/`` keyed by the same codes. The UN's own texts (ar, es, fr, ru, sw, zh-Hans)
come from open-sdg/sdg-translations (MIT, ``LICENSE-sdg-translations``); the Korean ones are
Nanum's own translation. A text missing in a language falls back to English.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

ENGLISH = "en"
LANGUAGES = ("en", "es", "fr", "ko", "ar", "ru", "sw", "zh-Hans")

_TRADITIONAL = ("hant", "tw", "hk", "mo")  # Chinese written in traditional characters


@dataclass(frozen=True)
class Texts:
    """The goal names and target texts of one language (possibly incomplete)."""

    language: str
    goals: dict[str, str]
    targets: dict[str, str]


def normalise(language: object) -> str:
    """Return the language Nanum has SDG texts in for a locale code, else English.

    "es_MX" and "es-419" give "es", "zh_Hans_CN" gives "zh-Hans", "de" gives "en".
    """
    if not isinstance(language, str) or not language.strip():
        return ENGLISH
    code = language.strip().replace("-", "_").lower()
    if code == "zh" or code.startswith("zh_"):
        return ENGLISH if any(part in code.split("_") for part in _TRADITIONAL) else "zh-Hans"
    base = code.split("_", 1)[0]
    return base if base in LANGUAGES else ENGLISH


@functools.cache
def texts(language: str) -> Texts:
    """Return the SDG texts of a language, read once; English gives an empty set (use sdg.json)."""
    language = normalise(language)
    if language == ENGLISH:
        return Texts(ENGLISH, {}, {})
    raw = resources.files("nanum.taxonomy").joinpath(f"data/sdg-texts/{language}.json")
    data = json.loads(raw.read_text("utf-8"))
    return Texts(language, dict(data["goals"]), dict(data["targets"]))
