"""The partnership board: posting needs and offers, reviewing them, finding them."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy import update as update_rows
from sqlalchemy.orm import joinedload, selectinload

from nanum import pagination
from nanum.board import matching, rules, vocab
from nanum.board.models import (
    BoardCountry,
    BoardGoal,
    BoardLanguage,
    BoardPost,
    BoardTarget,
    Introduction,
)
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.flags.sanctions import check_can_post
from nanum.moderation import access, audit, dashboard
from nanum.notifications import services as notifications
from nanum.organisations import regions, signals
from nanum.organisations import services as organisations
from nanum.organisations.models import Organisation
from nanum.timeutil import utcnow

PAGE_SIZE = 20
DECISIONS = ("board.publish", "board.reject")  # what the audit log calls a moderator's decision


def today():
    return utcnow().date()


# -- permissions ---------------------------------------------------------------------------

def can_edit(user, post):
    """Members of the owning organisation and moderators may edit a post."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_moderator or organisations.is_member(user, post.organisation_id)


def can_view(user, post):
    return post.is_published or can_edit(user, post)


# -- reading -------------------------------------------------------------------------------

def _options():
    return (joinedload(BoardPost.organisation), selectinload(BoardPost.targets),
            selectinload(BoardPost.goals), selectinload(BoardPost.countries),
            selectinload(BoardPost.languages))


def get(post_id, user=None):
    """Return a post the user may see."""
    post = db.session.scalar(select(BoardPost).options(*_options())
                             .where(BoardPost.id == post_id))
    if post is None or not can_view(user, post):
        raise NotFound(_("No such post on the board."))
    return post


def get_for_edit(post_id, user):
    post = get(post_id, user)
    if not can_edit(user, post):
        raise Forbidden(_("Only members of the owning organisation can edit this post."))
    return post


def listing(*, kind=None, goal=None, target=None, region=None, language=None, page=1):
    """Return a page of published, current posts, newest first, with the filters applied."""
    return pagination.paginate(
        listing_statement(kind=kind, goal=goal, target=target, region=region,
                          language=language), page, PAGE_SIZE)


def listing_statement(*, kind=None, goal=None, target=None, region=None, language=None,
                      closed=False):
    """Return the SELECT of the published posts the filters ask for, newest first: only
    the current ones, or also those past their end date (`closed`)."""
    statement = (select(BoardPost).options(*_options())
                 .where(BoardPost.status == "published", BoardPost.hidden.is_(False))
                 .order_by(BoardPost.published_at.desc(), BoardPost.id.desc()))
    if not closed:
        statement = statement.where(BoardPost.end_date >= today())
    if kind in vocab.KINDS:
        statement = statement.where(BoardPost.kind == kind)
    if target:
        statement = statement.where(BoardPost.id.in_(
            select(BoardTarget.post_id).where(BoardTarget.target == target)))
    elif goal:
        statement = statement.where(BoardPost.id.in_(
            select(BoardGoal.post_id).where(BoardGoal.goal == goal)))
    if region:
        statement = statement.where(BoardPost.id.in_(
            select(BoardCountry.post_id).where(
                BoardCountry.country.in_(sorted(regions.countries_in(region))))))
    if language:
        statement = statement.where(BoardPost.id.in_(
            select(BoardLanguage.post_id).where(BoardLanguage.language == language)))
    return statement


def posting_organisations(user):
    """The organisations the user may post for."""
    return [m.organisation for m in organisations.active_memberships(user)]


def pending():
    """Posts waiting for a moderator, oldest first."""
    return db.session.scalars(select(BoardPost).options(joinedload(BoardPost.organisation))
                              .where(BoardPost.status == "pending")
                              .order_by(BoardPost.created_at, BoardPost.id)).all()


def of_organisations(user):
    """The posts of the user's organisations, for linking a formed partnership."""
    ids = [m.organisation_id for m in organisations.active_memberships(user)]
    if not ids:
        return []
    return db.session.scalars(select(BoardPost).where(BoardPost.organisation_id.in_(ids))
                              .order_by(BoardPost.updated_at.desc())).all()


# -- writing -------------------------------------------------------------------------------

def apply(post, values):
    for name in ("kind", "title", "description", "end_date", *vocab.CONTEXT_FIELDS):
        setattr(post, name, values[name])
    post.cook()
    post.targets = [BoardTarget(target=key) for key in values["targets"]]
    post.goals = [BoardGoal(goal=goal) for goal in values["goals"]]
    post.countries = [BoardCountry(country=code, position=i)
                      for i, code in enumerate(values["countries"])]
    post.languages = [BoardLanguage(language=code) for code in values["languages"]]


def _publishes_directly(user, organisation):
    """New posts of verified organisations (and of moderators) publish at once."""
    return user.is_moderator or organisation.verified


def create(user, organisation_id, fields):
    """Post a need or an offer for an organisation the user belongs to."""
    check_can_post(user)
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None or not organisations.is_member(user, organisation.id):
        raise Forbidden(_("You can only post for an organisation you belong to."))
    values = rules.clean(fields, today=today())
    post = BoardPost(organisation_id=organisation.id, author_id=user.id)
    apply(post, values)
    db.session.add(post)
    if _publishes_directly(user, organisation):
        post.status, post.published_at = "published", utcnow()
    else:
        post.status = "pending"
    db.session.flush()
    fresh = matching.recompute(post, today())
    db.session.commit()
    tell_matches(fresh, actor=user)
    return post


def update(user, post, fields):
    """Save an edit of a post and match it again."""
    if not can_edit(user, post):
        raise Forbidden(_("Only members of the owning organisation can edit this post."))
    check_can_post(user)
    values = rules.clean(fields, today=today(), current_end=post.end_date)
    apply(post, values)
    post.updated_at = utcnow()
    db.session.flush()
    fresh = matching.recompute(post, today())
    db.session.commit()
    tell_matches(fresh, actor=user)
    return post


def decide(moderator, post, decision):
    """Publish a waiting post, or reject it; audited."""
    access.require_moderator(moderator)
    if decision not in ("publish", "reject"):
        raise Invalid(_("Choose to publish or to reject."))
    if post.status != "pending":
        raise Invalid(_("This post is not waiting for review."))
    before = post.status
    post.status = "published" if decision == "publish" else "rejected"
    if post.status == "published":
        post.published_at = utcnow()
    audit.record(moderator, f"board.{decision}", post, before={"status": before},
                 after={"status": post.status})
    db.session.flush()
    fresh = matching.recompute(post, today())
    db.session.commit()
    if post.author is not None:
        message = (_l("Your post “%(title)s” is now on the partnership board.", title=post.title)
                   if decision == "publish" else
                   _l("A moderator did not publish your post “%(title)s”.", title=post.title))
        with notifications.site_context():
            url = url_for("board.detail", post_id=post.id)
        notifications.notify_moderation(post.author, message, url)
    tell_matches(fresh, actor=moderator)
    return post


# A post waits from when it is written: only a new post can wait, and only once.
dashboard.register(dashboard.Queue(
    "board", _l("Partnership board posts waiting for review"),
    lambda: select(BoardPost.created_at).where(BoardPost.status == "pending"),
    lambda: dashboard.first_decisions(BoardPost, BoardPost.created_at, DECISIONS),
    endpoint="board.review"))


# -- telling both sides --------------------------------------------------------------------

def tell_matches(matches, *, actor):
    """Tell the members of both organisations of each new good match."""
    for match in matches:
        for own, other in ((match.need, match.offer), (match.offer, match.need)):
            message = _l("A good match for “%(own)s”: %(other)s", own=own.title,
                         other=other.title)
            with notifications.site_context():
                url = url_for("board.detail", post_id=own.id, _anchor="matches")
            people = organisations.members([own.organisation_id])
            notifications.notify({membership.user: "board" for membership in people},
                                 event=f"board-match:{match.id}", actor=actor,
                                 messages={"board": message}, url=url,
                                 about=f"board:{own.id}", about_title=own.title,
                                 excerpt=matching.explain(match.reasons))


def counts():
    """How many published, current needs and offers there are (for the board's heading)."""
    rows = db.session.execute(select(BoardPost.kind, func.count(BoardPost.id)).where(
        BoardPost.status == "published", BoardPost.hidden.is_(False),
        BoardPost.end_date >= today()).group_by(BoardPost.kind))
    return {kind: count for kind, count in rows}


@signals.merging.connect
def _move_posts(merged, into):
    """An organisation merged into another hands it its posts and introductions."""
    db.session.execute(update_rows(BoardPost).where(BoardPost.organisation_id == merged.id)
                       .values(organisation_id=into.id))
    for column in (Introduction.from_organisation_id, Introduction.to_organisation_id):
        db.session.execute(update_rows(Introduction).where(column == merged.id)
                           .values({column.key: into.id}))
