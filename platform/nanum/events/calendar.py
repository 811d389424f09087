"""The calendar: upcoming and past events, filtered by region, SDG, theme and kind."""

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, selectinload

from nanum import pagination
from nanum.events import vocab
from nanum.events.models import Event, EventGoal, EventTheme, presented_practices
from nanum.extensions import db
from nanum.organisations import regions
from nanum.practices.vocab import THEMES
from nanum.taxonomy import sdg
from nanum.timeutil import utcnow

PER_PAGE = 20


@dataclass
class Filters:
    when: str = "upcoming"  # or "past"
    region: str | None = None
    goal: int | None = None
    theme: str | None = None
    kind: str | None = None

    @classmethod
    def from_args(cls, args):
        """Read filters from request arguments, ignoring values that mean nothing."""
        found = cls()
        found.when = "past" if args.get("when") == "past" else "upcoming"
        region = args.get("region", "")[:100]
        found.region = region if region and regions.countries_in(region) else None
        goal = sdg.normalise_key(args.get("goal", "")[:10])
        found.goal = int(goal) if goal and "." not in goal else None
        found.theme = args.get("theme") if args.get("theme") in THEMES else None
        found.kind = args.get("kind") if args.get("kind") in vocab.KINDS else None
        return found

    def args(self, **changes):
        """Return the filters as query arguments, with `changes` applied."""
        values = {"when": self.when, "region": self.region, "goal": self.goal,
                  "theme": self.theme, "kind": self.kind, **changes}
        return {key: value for key, value in values.items() if value not in (None, "")}


def statement(filters, now=None):
    """Return the SELECT of the published events the filters ask for, in calendar order."""
    now = now or utcnow()
    query = select(Event).where(Event.status == "published")
    if filters.when == "past":
        query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id)
    else:
        query = query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    if filters.region:
        query = query.where(Event.country.in_(sorted(regions.countries_in(filters.region))))
    if filters.goal:
        query = query.where(exists().where(EventGoal.event_id == Event.id,
                                           EventGoal.goal == filters.goal))
    if filters.theme:
        query = query.where(exists().where(EventTheme.event_id == Event.id,
                                           EventTheme.theme == filters.theme))
    if filters.kind:
        query = query.where(Event.kind == filters.kind)
    return query


def list_options():
    """Eager loads for lists of events: a fixed number of queries per page."""
    return (joinedload(Event.organisation), selectinload(Event.co_organisers),
            selectinload(Event.goals), selectinload(Event.themes))


def page(filters, number):
    return pagination.paginate(statement(filters).options(*list_options()), number, PER_PAGE)


def all_published(limit=500):
    """Return the published events for the feed: the coming ones and the latest past ones."""
    return db.session.scalars(select(Event).options(joinedload(Event.organisation))
                              .where(Event.status == "published")
                              .order_by(Event.starts_at.desc()).limit(limit)).all()


def presented_at(practice_id):
    """Return the published events a practice was presented at, the latest first."""
    return db.session.scalars(
        select(Event).join(presented_practices, presented_practices.c.event_id == Event.id)
        .where(presented_practices.c.practice_id == practice_id, Event.status == "published")
        .order_by(Event.starts_at.desc())).all()
