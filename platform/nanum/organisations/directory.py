"""The organisations directory: its filters, one page of it, and the numbers of its map."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select

from nanum import pagination
from nanum.extensions import db
from nanum.organisations import place_names, regions
from nanum.organisations.models import Organisation
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices import browse
from nanum.practices.models import Practice, PracticeCountry, PracticeGoal
from nanum.taxonomy import sdg

PER_PAGE = 24
MEASURES = ("organisations", "practices")
KEYS = ("goal", "country", "region", "org_type", "verified")  # the filter panel's groups


def _practice_goal(goal):
    """Organisations with a published practice on the goal."""
    return exists().where(Practice.organisation_id == Organisation.id,
                          Practice.status == "published",
                          PracticeGoal.practice_id == Practice.id, PracticeGoal.goal == goal)


# What says that an organisation works on a goal: each entry is a function of the goal
# number giving an SQL condition on Organisation. Events add theirs with `add_goal_source`.
GOAL_SOURCES = [_practice_goal]


def add_goal_source(source):
    """Let another domain (events) say which organisations work on a goal."""
    if source not in GOAL_SOURCES:
        GOAL_SOURCES.append(source)


@dataclass
class Filters:
    """The directory's active filters, each a single value so that each is a plain link."""

    query: str = ""
    goal: int | None = None
    country: str | None = None
    region: str | None = None
    org_type: str | None = None
    verified: str | None = None
    measure: str = "organisations"  # what the map counts
    target = None  # the shared filter panel asks; organisations are not filtered by target

    @classmethod
    def from_args(cls, args):
        """Read the filters from request arguments, ignoring values that mean nothing."""
        found = cls(query=args.get("q", "").strip()[:100])
        goal = sdg.normalise_key(args.get("goal", ""))
        if goal and "." not in goal:
            found.goal = int(goal)
        country = args.get("country", "").strip().upper()
        found.country = country if regions.is_country(country) else None
        region = args.get("region", "")
        found.region = region if regions.countries_in(region) else None
        org_type = args.get("org_type") or args.get("type")  # `type`: older links
        found.org_type = org_type if org_type in ORG_TYPES else None
        found.verified = "yes" if args.get("verified") == "yes" else None
        found.measure = "practices" if args.get("map") == "practices" else "organisations"
        return found

    def args(self, **changes):
        """Return the filters as query arguments, with some changed or removed (None)."""
        values = {"q": self.query, "goal": self.goal, "country": self.country,
                  "region": self.region, "org_type": self.org_type, "verified": self.verified,
                  "map": None if self.measure == "organisations" else self.measure}
        values.update(changes)
        return {key: value for key, value in values.items() if value not in (None, "")}

    @property
    def active(self):
        """The filters that narrow the list (not the words searched, nor the map's measure)."""
        return {key: value for key, value in self.args().items() if key not in ("q", "map")}


def statement(filters, *, by_country=True):
    """Return the SELECT of listed organisations matching the filters, by name."""
    query = select(Organisation).where(Organisation.hidden.is_(False))
    if filters.query:
        query = query.where(Organisation.name.icontains(filters.query, autoescape=True))
    if filters.org_type:
        query = query.where(Organisation.type == filters.org_type)
    if filters.country and by_country:
        query = query.where(Organisation.country == filters.country)
    if filters.region:
        query = query.where(Organisation.country.in_(sorted(regions.countries_in(filters.region))))
    if filters.verified:
        query = query.where(Organisation.verified.is_(True))
    if filters.goal:
        query = query.where(or_(*(source(filters.goal) for source in GOAL_SOURCES)))
    return query.order_by(Organisation.name, Organisation.id)


def page(filters, number):
    """Return one page of the directory."""
    return pagination.paginate(statement(filters), number, PER_PAGE)


def countries_in_use():
    """Return (code, name) of the countries of listed organisations, by name."""
    codes = db.session.scalars(select(Organisation.country).distinct()
                               .where(Organisation.hidden.is_(False)))
    return sorted(((code, place_names.shown_country(code)) for code in codes if code),
                  key=lambda pair: pair[1])


def _practice_filters(filters, **changes):
    """The browse page's filters that say the same as the directory's, for practices."""
    values = {"goal": filters.goal, "region": filters.region, "org_type": filters.org_type,
              "verified": filters.verified, **changes}
    return browse.Filters(**values)


def country_counts(filters):
    """Return {country code: number} for the map: organisations (or their published practices)
    matching every filter but the country, so that the map shows where else to look."""
    if filters.measure == "practices":
        chosen = browse.statement(_practice_filters(filters)).with_only_columns(Practice.id)
        if filters.query:
            chosen = chosen.where(Practice.organisation.has(
                Organisation.name.icontains(filters.query, autoescape=True)))
        rows = db.session.execute(
            select(PracticeCountry.country, func.count(PracticeCountry.practice_id.distinct()))
            .where(PracticeCountry.practice_id.in_(chosen.order_by(None)))
            .group_by(PracticeCountry.country))
    else:
        chosen = statement(filters, by_country=False).order_by(None).subquery()
        rows = db.session.execute(select(chosen.c.country, func.count())
                                  .group_by(chosen.c.country))
    return {code: count for code, count in rows if code}


def country_href_args(filters, code):
    """Return (endpoint, arguments) of the list a country on the map leads to."""
    if filters.measure == "practices":
        return "practices.index", _practice_filters(filters, country=code).args()
    return "organisations.index", filters.args(country=code)
