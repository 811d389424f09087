"""How alike a practice's context is to a place, and why, in words.

A place is what a person or an organisation says about where it works: its country (or only
its region), government level, population band, settlement type, budget band, infrastructure
level and staff capacity, in the vocabularies of a practice's context profile. A practice
earns points for each field of the place that it shares, and its similarity is their sum:

    field                 same     partly similar
    country and region    6        4 same sub-region (Eastern Africa), 3 same wider region
                                   (Sub-Saharan Africa), 2 same continent (Africa)
    government level      4        2 one level apart (a district and a city)
    population band       4        2 one band apart
    settlement type       2        1 urban and peri-urban, peri-urban and rural; mixed and any
    budget band           2        1 one band apart
    infrastructure level  2        1 one level apart
    staff capacity        2        1 one band apart

Bands further apart, and fields a practice leaves blank, earn nothing. Where a practice
worked and at what scale say most about whether it transfers, so they weigh most; means
(budget, infrastructure, staff) can be found or grown, so they weigh less. A practice's
share is its points out of the most the place's filled fields can give.

Points are whole numbers, so that every engine orders by them exactly and breaks ties the
same way: by relevance when words were searched, else newest first. The comparison is
written once, as `likeness(place)`: for each field, the points that each (facet, value) of
a search document earns, the largest counting. Search engines evaluate it on their facets,
the browse page in SQL (`places.sql`), and `explain` says what it found in words.
"""

import math
from dataclasses import dataclass, fields

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from nanum.organisations import regions
from nanum.practices import vocab

CONTEXT_FIELDS = tuple(vocab.CONTEXT_FIELDS)
PLACE_FIELDS = ("country", "region", *CONTEXT_FIELDS)

# Points for the same value and for one band apart, per field.
WEIGHTS = {
    "government_level": (4, 2),
    "population_band": (4, 2),
    "settlement_type": (2, 1),
    "budget_band": (2, 1),
    "infrastructure_level": (2, 1),
    "staff_band": (2, 1),
}
# Points for the same country, sub-region, wider (intermediate) region and continent.
PLACE_POINTS = (6, 4, 3, 2)
PLACE_LEVELS = (_l("region"), _l("wider region"), _l("continent"))

# A place given in the query string (a visitor's, or anyone's for one page): my_country=KE…
ARG_PREFIX = "my_"

# Settlement types are ordered from urban to rural; "mixed" is partly like each of them.
SETTLEMENT_ORDER = ("urban", "peri_urban", "rural")


@dataclass(frozen=True)
class Words:
    same: str  # "same population band"
    similar: str  # "similar population"
    more: str  # the practice's value is further down its vocabulary's order
    less: str
    unknown: str  # "not stated: population"


WORDS = {
    "government_level": Words(_l("level of government"), _l("level of government"),
                              _l("lower level of government"), _l("higher level of government"),
                              _l("level of government")),
    "population_band": Words(_l("population band"), _l("population"), _l("larger population"),
                             _l("smaller population"), _l("population")),
    "settlement_type": Words(_l("settlement type"), _l("settlement"), _l("different settlement"),
                             _l("different settlement"), _l("settlement")),
    "budget_band": Words(_l("budget band"), _l("budget"), _l("larger budget"),
                         _l("smaller budget"), _l("budget")),
    "infrastructure_level": Words(_l("infrastructure level"), _l("infrastructure"),
                                  _l("more advanced infrastructure"),
                                  _l("less advanced infrastructure"), _l("infrastructure")),
    "staff_band": Words(_l("staff capacity"), _l("staff"), _l("more staff"), _l("fewer staff"),
                        _l("staff")),
}


@dataclass(frozen=True)
class Place:
    """A context profile: where someone works and at what scale; every field optional."""

    country: str | None = None
    region: str | None = None  # an M49 sub-region; the country's, when a country is given
    government_level: str | None = None
    population_band: str | None = None
    settlement_type: str | None = None
    budget_band: str | None = None
    infrastructure_level: str | None = None
    staff_band: str | None = None

    @classmethod
    def from_values(cls, values):
        """Return the place that `values` (a mapping) describe, leaving out every value
        that means nothing, and taking the region from the country."""
        found = {}
        country = str(values.get("country") or "").strip().upper()
        if regions.is_country(country):
            found["country"] = country
            found["region"] = regions.subregion_of(country)
        else:
            region = str(values.get("region") or "").strip()
            if region in regions.SUBREGIONS:
                found["region"] = region
        for name in CONTEXT_FIELDS:
            value = values.get(name)
            if value in vocab.CONTEXT_FIELDS[name][1]:
                found[name] = value
        return cls(**found)

    @classmethod
    def from_args(cls, args):
        """Return the place given in query arguments (`my_country=KE&my_staff_band=lt_5`)."""
        return cls.from_values({name: args.get(ARG_PREFIX + name) for name in PLACE_FIELDS})

    def as_args(self):
        """Return the place as query arguments, the inverse of `from_args`."""
        return {ARG_PREFIX + name: value for name, value in self.values().items()
                if value and not (name == "region" and self.country)}

    def values(self):
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def __bool__(self):
        return any(self.values().values())

    def labels(self):
        """Return the place in words, field by field: ["Kenya", "City / municipality", …]."""
        found = []
        if self.country:
            found.append(regions.country_name(self.country) or self.country)
        elif self.region:
            found.append(self.region)
        for name in CONTEXT_FIELDS:
            value = getattr(self, name)
            if value:
                found.append(vocab.CONTEXT_FIELDS[name][1][value])
        return found


def distance(name, wanted, value):
    """Return how many bands apart two values of a context field are."""
    if wanted == value:
        return 0
    if name == "settlement_type":
        if "mixed" in (wanted, value):
            return 1
        order = SETTLEMENT_ORDER
    else:
        order = tuple(vocab.CONTEXT_FIELDS[name][1])
    if wanted not in order or value not in order:
        return len(order)
    return abs(order.index(wanted) - order.index(value))


def _groups(subregion):
    """Return the sub-region, its wider (intermediate) region and its continent."""
    codes = sorted(regions.countries_in(subregion)) if subregion else []
    if not codes:
        return (None, None, None)
    return (subregion, regions.intermediate_of(codes[0]), regions.region_of(codes[0]))


def likeness(place):
    """Return what a place makes of a search document's facets: a tuple of criteria, each a
    tuple of (facet, value, points), most points first. A document earns, per criterion,
    the most points of the pairs it holds."""
    criteria = []
    if place.country or place.region:
        pairs = [("country", place.country, PLACE_POINTS[0])] if place.country else []
        pairs += [("region", group, points) for group, points
                  in zip(_groups(place.region), PLACE_POINTS[1:], strict=True) if group]
        criteria.append(tuple(pairs))
    for name in CONTEXT_FIELDS:
        wanted = getattr(place, name)
        if not wanted:
            continue
        same, partly = WEIGHTS[name]
        pairs = [(name, value, same if gap == 0 else partly)
                 for value in vocab.CONTEXT_FIELDS[name][1]
                 if (gap := distance(name, wanted, value)) <= 1]
        criteria.append(tuple(sorted(pairs, key=lambda pair: -pair[2])))
    return tuple(criteria)


def maximum(criteria):
    """Return the most points a document can earn."""
    return sum(criterion[0][2] for criterion in criteria if criterion)


def score(criteria, facets):
    """Return the points of a document whose facets are {facet: values}."""
    total = 0
    for criterion in criteria:
        total += max((points for facet, value, points in criterion
                      if value in facets.get(facet, ())), default=0)
    return total


def facets_of(practice):
    """Return a practice's context as search facets: {facet: set of values}."""
    codes = practice.country_codes
    groups = {name for code in codes for name in (
        regions.subregion_of(code), regions.intermediate_of(code), regions.region_of(code))
        if name}
    found = {"country": set(codes), "region": groups}
    for name in CONTEXT_FIELDS:
        value = getattr(practice, name)
        found[name] = {value} if value else set()
    return found


@dataclass
class Explanation:
    points: int
    maximum: int
    reasons: list  # phrases, most alike first: "same population band and region (…)"

    @property
    def percent(self):
        return math.floor(100 * self.points / self.maximum + 0.5) if self.maximum else 0

    @property
    def text(self):
        return "; ".join(self.reasons)


def explain(place, practice):
    """Say how alike a practice is to a place: its points and the reasons, in words."""
    criteria = likeness(place)
    facets = facets_of(practice)
    same, similar, other, unknown = [], [], [], []
    if place.country or place.region:
        _explain_place(place, facets, practice.country_codes, same, other, unknown)
    for name in CONTEXT_FIELDS:
        wanted, value = getattr(place, name), getattr(practice, name)
        words = WORDS[name]
        if not wanted:
            continue
        if not value:
            unknown.append(words.unknown)
            continue
        gap = distance(name, wanted, value)
        if gap == 0:
            same.append(words.same)
        elif gap == 1:
            similar.append(words.similar)
        else:
            order = SETTLEMENT_ORDER if name == "settlement_type" else tuple(
                vocab.CONTEXT_FIELDS[name][1])
            further = order.index(value) > order.index(wanted)
            label = vocab.CONTEXT_FIELDS[name][1][value]
            other.append(_("%(difference)s (%(value)s)",
                           difference=words.more if further else words.less, value=label))
    reasons = []
    if same:
        reasons.append(_("same %(things)s", things=and_join(same)))
    if similar:
        reasons.append(_("similar %(things)s", things=and_join(similar)))
    reasons += other
    if unknown:
        reasons.append(_("not stated: %(things)s", things=and_join(unknown)))
    return Explanation(points=score(criteria, facets), maximum=maximum(criteria),
                       reasons=reasons)


def _explain_place(place, facets, codes, same, other, unknown):
    if not codes:
        unknown.append(_("country"))
        return
    if place.country and place.country in facets["country"]:
        same.append(_("country (%(name)s)", name=regions.country_name(place.country)))
        return
    for level, group in zip(PLACE_LEVELS, _groups(place.region), strict=True):
        if group and group in facets["region"]:
            same.append(_("%(level)s (%(name)s)", level=level, name=group))
            return
    elsewhere = sorted({regions.subregion_of(code) or code for code in codes})
    other.append(_("another region (%(names)s)", names=", ".join(elsewhere)))


def and_join(words):
    """Return "a", "a and b", "a, b and c"."""
    words = [str(word) for word in words]
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s and %(last)s", first=", ".join(words[:-1]), last=words[-1])


def explain_all(place, practices):
    """Return {practice id: Explanation} for the practices a page lists."""
    return {practice.id: explain(place, practice) for practice in practices}
