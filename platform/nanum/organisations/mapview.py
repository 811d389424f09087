"""The directory's map and its table: each country's number, colour band, label and link."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from nanum.organisations import directory, place_names, worldmap

BANDS = (1, 2, 5, 10, 25)  # the lowest number of each colour band above "none"
MEASURE_LABELS = {"organisations": _l("Organisations"), "practices": _l("Practices")}


@dataclass
class Country:
    code: str | None
    name: str
    count: int
    band: int  # 0 (none) to len(BANDS)
    href: str | None  # the filtered list; None where there is nothing to list
    d: str = ""

    @property
    def label(self):
        return f"{self.name}: {self.count_label}"

    @property
    def count_label(self):
        return (ngettext("%(num)d organisation", "%(num)d organisations", self.count)
                if self.measure == "organisations"
                else ngettext("%(num)d practice", "%(num)d practices", self.count))

    measure: str = "organisations"


@dataclass
class Map:
    width: int
    height: int
    countries: list  # every shape, for the drawing
    rows: list  # the countries with a number, most first, for the table
    legend: list  # (band, label)
    measure: str


def band(count):
    """Return the colour band of a number."""
    return sum(count >= low for low in BANDS)


def _legend():
    labels = []
    for index, low in enumerate(BANDS):
        high = BANDS[index + 1] - 1 if index + 1 < len(BANDS) else None
        labels.append((index + 1, str(low) if high == low else
                       f"{low}–{high}" if high else f"{low}+"))
    return labels


def build(filters):
    """Return the map of the directory under these filters."""
    counts = directory.country_counts(filters)
    drawing = worldmap.drawing()
    countries = []
    for shape in drawing.shapes:
        count = counts.get(shape.code, 0) if shape.code else 0
        countries.append(_country(filters, shape.code, count, shape.name, shape.d))
    rows = [_country(filters, code, count) for code, count in counts.items() if count]
    rows.sort(key=lambda country: (-country.count, country.name))
    return Map(width=drawing.width, height=drawing.height, countries=countries, rows=rows,
               legend=_legend(), measure=filters.measure)


def _country(filters, code, count, fallback="", d=""):
    name = place_names.shown_country(code) if code else fallback
    href = None
    if code and count:
        endpoint, args = directory.country_href_args(filters, code)
        href = url_for(endpoint, **args)
    return Country(code=code, name=name or fallback or code or "", count=count, band=band(count),
                   href=href, d=d, measure=filters.measure)
