"""The browse page's filters: parsed from the query string, applied as SQL."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from nanum import inputs, pagination
from nanum.extensions import db
from nanum.i18n import language_name
from nanum.organisations import place_names, regions
from nanum.organisations.models import Organisation
from nanum.organisations.vocab import ORG_TYPES
from nanum.places import sql
from nanum.places.similarity import Place
from nanum.practices import rules, vocab
from nanum.practices.models import (
    Practice,
    PracticeCountry,
    PracticeGoal,
    PracticeTarget,
    PracticeTheme,
)
from nanum.taxonomy import sdg

SORTS = {"newest": _l("Newest"), "title": _l("Title"), "similarity": _l("Like my place")}
CONTENTS = ("practice", "organisation", "post", "event")
IGNORED = ("year", "content")  # filters of the search page that a list of practices has not
CONTEXT_KEYS = tuple(vocab.CONTEXT_FIELDS)


@dataclass
class Filters:
    """The active filters; each is a single value so that every filter is a plain link."""

    goal: int | None = None
    target: str | None = None
    country: str | None = None
    region: str | None = None
    org_type: str | None = None
    theme: str | None = None
    kind: str | None = None
    organisation: int | None = None
    year: int | None = None  # search only
    content: str | None = None  # search only: practice | organisation
    verified: str | None = None  # "yes": only practices of verified organisations
    language: str | None = None  # an ISO 639-1 code: only practices written in it
    context: dict = field(default_factory=dict)
    place: dict = field(default_factory=dict)  # a place in the query string: {"my_country": …}
    sort: str = "newest"

    @classmethod
    def from_args(cls, args):
        """Read filters from request arguments, ignoring values that mean nothing."""
        found = cls()
        goal = sdg.normalise_key(args.get("goal", ""))
        if goal and "." not in goal:
            found.goal = int(goal)
        target = sdg.normalise_key(args.get("target", ""))
        if target and "." in target:
            found.target = target
            found.goal = sdg.goal_of(target)
        country = args.get("country", "").upper()
        found.country = country if regions.is_country(country) else None
        region = args.get("region", "")
        found.region = region if regions.countries_in(region) else None
        found.org_type = args.get("org_type") if args.get("org_type") in ORG_TYPES else None
        found.theme = args.get("theme") if args.get("theme") in vocab.THEMES else None
        found.kind = args.get("kind") if args.get("kind") in vocab.KINDS else None
        found.organisation = inputs.int_arg("organisation", source=args)
        found.year = inputs.int_arg("year", low=1950, high=2100, source=args)
        found.content = args.get("content") if args.get("content") in CONTENTS else None
        found.verified = "yes" if args.get("verified") == "yes" else None
        language = args.get("language", "")
        found.language = language if (isinstance(language, str) and len(language) == 2
                                       and rules.is_language(language)) else None
        for key in CONTEXT_KEYS:
            value = args.get(key)
            if value in vocab.CONTEXT_FIELDS[key][1]:
                found.context[key] = value
        found.place = Place.from_args(args).as_args()
        found.sort = args.get("sort") if args.get("sort") in SORTS else "newest"
        return found

    def args(self, **changes):
        """Return these filters as query arguments, with some changed or removed (None)."""
        values = {
            "goal": self.goal, "target": self.target, "country": self.country,
            "region": self.region, "org_type": self.org_type, "theme": self.theme,
            "kind": self.kind, "organisation": self.organisation, "year": self.year,
            "content": self.content, "verified": self.verified, "language": self.language,
            **self.context,
            **self.place, "sort": None if self.sort == "newest" else self.sort,
        }
        if "goal" in changes:
            values["target"] = None  # a target belongs to the goal it narrows
        values.update(changes)
        return {key: value for key, value in values.items() if value not in (None, "")}

    @property
    def active(self):
        """The filters that narrow the list (not its order, nor the place it is ranked by)."""
        return {key: value for key, value in self.args().items()
                if key != "sort" and key not in self.place}


def statement(filters, likeness=()):
    """Return the SELECT of published practices matching the filters; with the criteria of
    a place (`likeness`), sort "similarity" ranks them by it, newest first among equals."""
    query = select(Practice).where(Practice.status == "published")
    if filters.target:
        query = query.where(exists().where(PracticeTarget.practice_id == Practice.id,
                                           PracticeTarget.target == filters.target))
    elif filters.goal:
        query = query.where(exists().where(PracticeGoal.practice_id == Practice.id,
                                           PracticeGoal.goal == filters.goal))
    if filters.country:
        query = query.where(exists().where(PracticeCountry.practice_id == Practice.id,
                                           PracticeCountry.country == filters.country))
    if filters.region:
        codes = regions.countries_in(filters.region)
        query = query.where(exists().where(PracticeCountry.practice_id == Practice.id,
                                           PracticeCountry.country.in_(codes)))
    if filters.theme:
        query = query.where(exists().where(PracticeTheme.practice_id == Practice.id,
                                           PracticeTheme.theme == filters.theme))
    if filters.org_type:
        query = query.where(Practice.organisation.has(Organisation.type == filters.org_type))
    if filters.organisation:
        query = query.where(Practice.organisation_id == filters.organisation)
    if filters.verified:
        query = query.where(Practice.organisation.has(Organisation.verified.is_(True)))
    if filters.kind:
        query = query.where(Practice.kind == filters.kind)
    if filters.language:
        query = query.where(Practice.language == filters.language)
    for key, value in filters.context.items():
        query = query.where(getattr(Practice, key) == value)
    return _ordered(query, filters.sort, likeness)


def _ordered(query, sort, likeness):
    if sort == "title":
        return query.order_by(Practice.title, Practice.id)
    if sort == "similarity" and likeness:
        return query.order_by(sql.points(likeness).desc(), Practice.published_at.desc(),
                              Practice.id.desc())
    return query.order_by(Practice.published_at.desc(), Practice.id.desc())


def countries_in_use():
    """Return (code, name) of the countries that published practices name, by name."""
    codes = db.session.scalars(
        select(PracticeCountry.country).distinct()
        .join(Practice, Practice.id == PracticeCountry.practice_id)
        .where(Practice.status == "published"))
    return sorted(((code, place_names.shown_country(code)) for code in codes),
                  key=lambda pair: pair[1])


def languages_in_use():
    """Return (code, name) of the languages published practices are written in, by name
    in the page's language."""
    codes = db.session.scalars(select(Practice.language).distinct()
                               .where(Practice.status == "published"))
    return sorted(((code, language_name(code)) for code in codes if code),
                  key=lambda pair: pair[1].casefold())


def page(filters, number, per_page, options=(), likeness=()):
    """Return one page of matching practices, loaded with `options`."""
    return pagination.paginate(statement(filters, likeness).options(*options), number,
                               per_page)
