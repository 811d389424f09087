"""Where practices are missing: published practices per SDG target and region or country.

The overview has a column per M49 region; a drill-down has a column per country of one
region (or sub-region) that has published practices. Each cell counts distinct practices, as
the browse page does for the same filters: a practice naming Kenya and Uganda counts once in
Africa. Countries are mapped to regions by a CASE built from the M49 table, so that this
counting happens in the database: one statement per page, whatever the number of practices.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from cachetools import TTLCache
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import (
    String,
    case,
    cast,
    distinct,
    exists,
    func,
    literal_column,
    select,
    union_all,
)

from nanum import pagecache
from nanum.extensions import db
from nanum.organisations import regions
from nanum.organisations.models import Organisation
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices import vocab
from nanum.practices.models import (
    Practice,
    PracticeCountry,
    PracticeGoal,
    PracticeTarget,
    PracticeTheme,
)
from nanum.taxonomy import sdg

FEW = 2  # a target with this many published practices or fewer is highlighted as scarce
STEPS = (1, 3, 10, 30, 100)  # a cell's colour step: how many of these its count reaches
MAX_COUNTRIES = 20  # columns of a drill-down; the countries with most practices first
ALL = "__all__"  # the place of a row's total
CACHE_KEY = "nanum.coverage"

REGION_OF = {code: regions.region_of(code) for code, _ in regions.COUNTRY_CHOICES
             if regions.region_of(code)}
REGIONS = sorted(set(REGION_OF.values()))


@dataclass
class Filters:
    """What the coverage page shows: a region to drill into, a goal, a theme, a type."""

    region: str | None = None
    goal: int | None = None
    theme: str | None = None
    org_type: str | None = None
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args):
        """Read the filters, ignoring a value that names nothing and saying so in `notes`."""
        found = cls()
        region = args.get("region", "").strip()
        if region:
            named = {name.casefold(): name for name, _ in regions.tree()}
            found.region = named.get(region.casefold())
            if found.region is None:
                found.notes.append(_("There is no region “%(value)s”; all regions are shown.",
                                     value=region[:80]))
        goal = args.get("goal", "").strip()
        if goal:
            key = sdg.normalise_key(goal)
            if key is None or "." in key:
                found.notes.append(_("“%(value)s” is not a goal number from 1 to 17; every goal "
                                     "is shown.", value=goal[:20]))
            else:
                found.goal = int(key)
        for name, vocabulary, label in (("theme", vocab.THEMES, "theme"),
                                        ("org_type", ORG_TYPES, "organisation type")):
            value = args.get(name, "").strip()
            if value in vocabulary:
                setattr(found, name, value)
            elif value:
                found.notes.append(_("There is no %(label)s “%(value)s”; that filter was ignored.",
                                     label=label, value=value[:80]))
        return found

    def args(self, **changes):
        """Return these filters as query arguments, with some changed or removed (None)."""
        values = {"region": self.region, "goal": self.goal, "theme": self.theme,
                  "org_type": self.org_type, **changes}
        return {key: value for key, value in values.items() if value not in (None, "")}

    def browse_args(self):
        """Return the browse page's arguments for these filters (without region or goal)."""
        return {key: value for key, value in (("theme", self.theme),
                                              ("org_type", self.org_type)) if value}


@dataclass
class Row:
    """A goal or a target: its practices per column, and in all the columns' places."""

    key: str
    counts: list[int]
    total: int

    @property
    def is_target(self):
        return "." in self.key

    @property
    def scarce(self):
        return self.total <= FEW


@dataclass
class Block:
    goal: sdg.Goal
    row: Row
    targets: list[Row]


@dataclass
class Coverage:
    filters: Filters
    places: list[str]  # region names, or country codes on a drill-down
    by_country: bool
    blocks: list[Block]
    more_countries: int = 0  # countries with practices left out of a drill-down

    @property
    def targets(self):
        return [row for block in self.blocks for row in block.targets]

    def column_args(self):
        """Return the browse page's arguments for each column, and for the totals column."""
        extra = self.filters.browse_args()
        name = "country" if self.by_country else "region"
        columns = [{name: place, **extra} for place in self.places]
        total = {"region": self.filters.region, **extra} if self.filters.region else extra
        return columns, total

    @property
    def missing(self):
        return sum(1 for row in self.targets if row.total == 0)

    @property
    def few(self):
        return sum(1 for row in self.targets if 0 < row.total <= FEW)


def step(count):
    """Return the colour step of a count: 0 for none, up to len(STEPS)."""
    return sum(1 for bound in STEPS if count >= bound)


def _published(statement, filters):
    """Restrict a statement joined to Practice to the published practices the filters want."""
    statement = statement.where(Practice.status == "published")
    if filters.theme:
        statement = statement.where(exists().where(PracticeTheme.practice_id == Practice.id,
                                                   PracticeTheme.theme == filters.theme))
    if filters.org_type:
        statement = statement.where(exists().where(Organisation.id == Practice.organisation_id,
                                                   Organisation.type == filters.org_type))
    return statement


def _tally(filters, place, codes):
    """Return {(key, place): practices} of goals and targets, and {(key, ALL): practices}.

    One statement: a GROUP BY per kind of key (goal, target) and per grouping (`place`, a
    region or country expression; and the whole), joined by UNION ALL. `codes` limits the
    practices to those naming one of these countries (None: every practice, even one
    without a country, in the totals).
    """
    parts = []
    for key, link in ((cast(PracticeGoal.goal, String), PracticeGoal),
                      (PracticeTarget.target, PracticeTarget)):
        for grouped in (place, _TOTAL):
            statement = (select(key.label("key"), grouped.label("place"),
                                func.count(distinct(Practice.id)).label("practices"))
                         .select_from(link).join(Practice, Practice.id == link.practice_id))
            if grouped is not _TOTAL:
                statement = statement.join(PracticeCountry,
                                           PracticeCountry.practice_id == Practice.id)
            if codes is not None:
                # A semi-join: probing each practice's countries for a list of codes took
                # ten times as long on SQLite; the other countries are dropped below.
                statement = statement.where(Practice.id.in_(
                    select(PracticeCountry.practice_id)
                    .where(PracticeCountry.country.in_(sorted(codes)))))
            if filters.goal and link is PracticeGoal:
                statement = statement.where(PracticeGoal.goal == filters.goal)
            elif filters.goal:
                statement = statement.where(PracticeTarget.target.like(f"{filters.goal}.%"))
            grouping = (key,) if grouped is _TOTAL else (key, grouped)
            parts.append(_published(statement, filters).group_by(*grouping))
    rows = db.session.execute(union_all(*parts))
    return {(key, where): count for key, where, count in rows
            if codes is None or where == ALL or where in codes}


# A constant written into the SQL: PostgreSQL cannot group by, nor type, a bare parameter.
_TOTAL = literal_column(f"'{ALL}'")


class _Cache:
    def __init__(self, seconds):
        self.counts = TTLCache(maxsize=256, ttl=seconds)
        self.lock = threading.Lock()


def _counts(filters):
    """Return the cells, the places shown and the countries left out, kept per process.

    Kept until the content changes (the content version of `pagecache`), and at most
    PAGECACHE_SECONDS: the counts take a few hundred milliseconds at 20,000 practices, and
    the page is read far more often than practices are published.
    """
    seconds = current_app.config.get("PAGECACHE_SECONDS")
    cache = current_app.extensions.setdefault(CACHE_KEY, _Cache(seconds)) if seconds else None
    key = (pagecache.content_version(db.session), filters.region, filters.goal,
           filters.theme, filters.org_type)
    if cache is not None:
        with cache.lock:
            found = cache.counts.get(key)
        if found is not None:
            return found
    if filters.region:
        codes = regions.countries_in(filters.region)
        cells = _tally(filters, PracticeCountry.country, codes)
        found = (cells, *_busiest(cells))
    else:
        found = (_tally(filters, case(REGION_OF, value=PracticeCountry.country), None),
                 REGIONS, 0)
    if cache is not None:
        with cache.lock:
            cache.counts[key] = found
    return found


def build(filters):
    """Return the coverage of the goals and targets by region, or by country in a region."""
    cells, places, more = _counts(filters)
    goals = [sdg.goal(filters.goal)] if filters.goal else list(sdg.GOALS.values())
    blocks = [Block(goal=goal, row=_row(str(goal.number), places, cells),
                    targets=[_row(target.key, places, cells) for target in goal.targets])
              for goal in goals]
    return Coverage(filters=filters, places=places, by_country=bool(filters.region),
                    blocks=blocks, more_countries=more)


def _row(key, places, cells):
    return Row(key=key, counts=[cells.get((key, place), 0) for place in places],
               total=cells.get((key, ALL), 0))


def _busiest(cells):
    """Return the countries to show (most practices first, at most MAX_COUNTRIES, then
    by name) and how many were left out."""
    weight = {}
    for (key, country), count in cells.items():
        if "." not in key and country != ALL:
            weight[country] = weight.get(country, 0) + count
    ranked = sorted(weight, key=lambda code: (-weight[code], code))
    kept = sorted(ranked[:MAX_COUNTRIES], key=lambda code: regions.country_name(code) or code)
    return kept, max(0, len(ranked) - MAX_COUNTRIES)


def subregions(region):
    """Return the M49 groupings directly inside a region (empty for the smallest)."""
    names = regions.tree()
    inside, depth = [], None
    for index, (name, level) in enumerate(names):
        if name == region:
            depth = level
            for inner, inner_level in names[index + 1:]:
                if inner_level <= level:
                    break
                if inner_level == level + 1:
                    inside.append(inner)
            break
    return inside if depth is not None else []


def parent_region(region):
    """Return the M49 region holding a sub-region, or None for a region."""
    if region in REGIONS:
        return None
    code = next(iter(regions.countries_in(region)), None)
    return regions.region_of(code) if code else None
