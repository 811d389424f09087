"""The review queue: what waits, filtered and sorted, with what a moderator needs to decide.

A page of the queue runs a fixed number of SQL queries whatever the queue's length and
whatever is on the page: every per-item fact is read for the whole page at once.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from nanum import pagination
from nanum.extensions import db
from nanum.moderation import dashboard, settings
from nanum.organisations import regions
from nanum.organisations.models import Organisation
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices import services as practices
from nanum.practices import vocab
from nanum.practices.models import Practice, PracticeCountry, PracticeGoal
from nanum.review import checks, diffs, history
from nanum.review.models import WAIT_REASONS, ReviewRequest
from nanum.sdg import suggestions as sdg_suggestions
from nanum.search import service as search
from nanum.timeutil import utcnow

PER_PAGE = 20
SORTS = {"oldest": _l("Waiting longest"), "newest": _l("Newest first")}


@dataclass
class Filters:
    kind: str | None = None
    org_type: str | None = None
    reason: str | None = None
    goal: int | None = None
    region: str | None = None
    mine: bool = False
    sort: str = "oldest"

    @classmethod
    def from_args(cls, args):
        """Read the filters from request arguments, ignoring values that mean nothing."""
        goal = args.get("goal", "")
        region = args.get("region", "")
        return cls(
            kind=args.get("kind") if args.get("kind") in vocab.KINDS else None,
            org_type=args.get("org_type") if args.get("org_type") in ORG_TYPES else None,
            reason=args.get("reason") if args.get("reason") in WAIT_REASONS else None,
            goal=int(goal) if goal.isascii() and goal.isdigit() and 1 <= int(goal) <= 17
            else None,
            region=region if region in regions.SUBREGIONS else None,
            mine=args.get("mine") == "1",
            sort=args.get("sort") if args.get("sort") in SORTS else "oldest")

    @property
    def narrowed(self):
        """Tell whether the filters leave out part of the queue (sorting does not)."""
        return any((self.kind, self.org_type, self.reason, self.goal, self.region, self.mine))

    def args(self, **changes):
        values = {"kind": self.kind, "org_type": self.org_type, "reason": self.reason,
                  "goal": self.goal, "region": self.region, "mine": "1" if self.mine else None,
                  "sort": None if self.sort == "oldest" else self.sort, **changes}
        return {key: value for key, value in values.items() if value is not None}


@dataclass
class Item:
    """One waiting practice and what the queue says about it."""

    request: ReviewRequest
    practice: Practice
    checks: list
    duplicates: list = field(default_factory=list)  # [(practice, score)]
    author_history: dict = field(default_factory=dict)
    organisation_history: dict = field(default_factory=dict)
    changed_since_review: list = field(default_factory=list)  # labels of changed fields
    sdg_answers: sdg_suggestions.Answers = field(default_factory=sdg_suggestions.Answers)
    claim: str = "free"  # free | mine | other | expired
    waited: timedelta = timedelta()

    @property
    def verified(self):
        organisation = self.practice.organisation
        if hasattr(organisation, "verified_at"):  # verification with its date and evidence
            return organisation.verified_at is not None
        return bool(organisation.verified)

    @property
    def is_resubmission(self):
        return self.request.round > 1


def open_requests(*practice_conditions):
    """The statement of every open request whose practice still waits (and meets the
    conditions).

    The practices are picked in a subquery, which reads their narrow indexes rather than
    their wide rows: counting and paging a long queue stays cheap.
    """
    waiting = select(Practice.id).where(Practice.status == "submitted", *practice_conditions)
    return select(ReviewRequest).where(ReviewRequest.decided_at.is_(None),
                                       ReviewRequest.practice_id.in_(waiting))


def _filtered(filters, moderator):
    conditions = []
    if filters.kind:
        conditions.append(Practice.kind == filters.kind)
    if filters.org_type:
        conditions.append(Practice.organisation_id.in_(
            select(Organisation.id).where(Organisation.type == filters.org_type)))
    if filters.goal:
        conditions.append(Practice.id.in_(
            select(PracticeGoal.practice_id).where(PracticeGoal.goal == filters.goal)))
    if filters.region:
        conditions.append(Practice.id.in_(
            select(PracticeCountry.practice_id).where(
                PracticeCountry.country.in_(sorted(regions.countries_in(filters.region))))))
    statement = open_requests(*conditions)
    if filters.reason:
        statement = statement.where(ReviewRequest.reason == filters.reason)
    if filters.mine:
        statement = statement.where(ReviewRequest.claimed_by_id == moderator.id)
    order = ReviewRequest.submitted_at.asc() if filters.sort == "oldest" else (
        ReviewRequest.submitted_at.desc())
    return statement.order_by(order, ReviewRequest.id)


def _page_options():
    # Loaded by id in queries of their own, so that the page's query stays on the indexes.
    return (
        selectinload(ReviewRequest.practice).options(
            joinedload(Practice.organisation), joinedload(Practice.author),
            selectinload(Practice.countries), selectinload(Practice.goals),
            selectinload(Practice.targets), selectinload(Practice.tags),
            selectinload(Practice.themes), selectinload(Practice.partners),
            selectinload(Practice.attachments)),
        selectinload(ReviewRequest.claimed_by),
    )


def claim_state(request, moderator, now, minutes):
    if request.claimed_by_id is None:
        return "free"
    if request.claimed_at is None or now - request.claimed_at > timedelta(minutes=minutes):
        return "expired"
    return "mine" if request.claimed_by_id == moderator.id else "other"


def last_reviews(practice_ids):
    """Return {practice id: the latest decided request}, in one query."""
    found = {}
    if not practice_ids:
        return found
    rows = db.session.scalars(
        select(ReviewRequest).where(ReviewRequest.practice_id.in_(practice_ids),
                                    ReviewRequest.decided_at.is_not(None),
                                    ReviewRequest.snapshot.is_not(None))
        .order_by(ReviewRequest.decided_at))
    for request in rows:
        found[request.practice_id] = request
    return found


def items_for(requests, moderator, *, duplicates=True):
    """Build the queue's items for some requests (their practices loaded for the queue)."""
    now, minutes = utcnow(), settings.get("claim_minutes")
    practices_on_page = [request.practice for request in requests]
    ids = [practice.id for practice in practices_on_page]
    users, organisations = history.counts([p.author_id for p in practices_on_page],
                                          [p.organisation_id for p in practices_on_page])
    previous = last_reviews(ids)
    closest = search.closest(practices_on_page) if duplicates else {}
    answers = sdg_suggestions.for_review(practices_on_page)
    items = []
    for request in requests:
        practice = request.practice
        item = Item(request=request, practice=practice, checks=checks.completeness(practice),
                    duplicates=closest.get(practice.id, []),
                    author_history=users.get(practice.author_id, {}),
                    organisation_history=organisations.get(practice.organisation_id, {}),
                    claim=claim_state(request, moderator, now, minutes),
                    waited=now - request.submitted_at, sdg_answers=answers[practice.id])
        if practice.id in previous:
            item.changed_since_review = [
                change.label for change in diffs.compare(previous[practice.id].snapshot,
                                                         practices.snapshot(practice))]
        items.append(item)
    return items


def page(filters, moderator, number=1):
    """Return a page of the queue (`page.items` are Items)."""
    found = pagination.paginate(_filtered(filters, moderator).options(*_page_options()),
                                number, PER_PAGE)
    found.items = items_for(found.items, moderator)
    return found


def waiting_count():
    return db.session.scalar(select(db.func.count()).select_from(open_requests().subquery()))


def open_request_of(practice_id):
    """Return the practice's open request (with the practice loaded), or None."""
    return db.session.scalar(
        open_requests().where(ReviewRequest.practice_id == practice_id)
        .options(*_page_options()))



def _waiting_since():
    return select(ReviewRequest.submitted_at).where(ReviewRequest.decided_at.is_(None))


def _decided():
    return select(ReviewRequest.submitted_at, ReviewRequest.decided_at).where(
        ReviewRequest.decided_at.is_not(None))


dashboard.register(dashboard.Queue("practices", _l("Practices waiting for review"), _waiting_since,
                                   _decided, endpoint="review.index"))
