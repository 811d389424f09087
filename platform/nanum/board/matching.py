"""Matching needs and offers: a score from shared SDG targets, places, languages and context.

Matches are computed when a post is published or edited and kept in `board_matches`, so
pages only read them. The candidates for a post are the published, current posts of the
other kind that share one of its goals, found in SQL (most shared goals first, at most
CANDIDATE_LIMIT), never every pair of posts.
"""

from dataclasses import dataclass, field

from babel import Locale
from flask_babel import gettext as _
from sqlalchemy import and_, delete, func, or_, select

from nanum import i18n
from nanum.board import vocab
from nanum.board.models import (
    BoardCountry,
    BoardGoal,
    BoardLanguage,
    BoardMatch,
    BoardPost,
    BoardTarget,
    Introduction,
)
from nanum.extensions import db
from nanum.organisations import place_names, regions
from nanum.practices import vocab as practice_vocab
from nanum.taxonomy import sdg
from nanum.timeutil import utcnow


@dataclass
class Profile:
    """What matching reads of one post."""

    post: BoardPost
    targets: set = field(default_factory=set)
    goals: set = field(default_factory=set)
    countries: list = field(default_factory=list)
    languages: set = field(default_factory=set)

    @property
    def subregions(self):
        return {regions.subregion_of(code) for code in self.countries} - {None}


def profiles(posts):
    """Return {post id: Profile}, reading each collection of all the posts in one query."""
    found = {post.id: Profile(post) for post in posts}
    if not found:
        return found
    ids = list(found)
    for model, column, name in ((BoardTarget, BoardTarget.target, "targets"),
                                (BoardGoal, BoardGoal.goal, "goals"),
                                (BoardLanguage, BoardLanguage.language, "languages")):
        for post_id, value in db.session.execute(
                select(model.post_id, column).where(model.post_id.in_(ids))):
            getattr(found[post_id], name).add(value)
    for post_id, country in db.session.execute(
            select(BoardCountry.post_id, BoardCountry.country)
            .where(BoardCountry.post_id.in_(ids))
            .order_by(BoardCountry.post_id, BoardCountry.position)):
        found[post_id].countries.append(country)
    return found


def score(first, second):
    """Return (score, reasons) of two profiles; reasons are [kind, value] pairs."""
    points, reasons = 0.0, []
    targets = sorted(first.targets & second.targets, key=sdg.target_sort_key)
    points += vocab.TARGET_POINTS * min(len(targets), vocab.TARGET_CAP)
    reasons += [["target", key] for key in targets]
    target_goals = {int(key.split(".")[0]) for key in targets}
    goals = sorted((first.goals & second.goals) - target_goals)
    points += vocab.GOAL_POINTS * len(goals[:vocab.TARGET_CAP])
    reasons += [["goal", str(goal)] for goal in goals]
    countries = [code for code in first.countries if code in second.countries]
    if countries:
        points += vocab.COUNTRY_POINTS
        reasons += [["country", code] for code in countries]
    else:
        shared = sorted(first.subregions & second.subregions)
        if shared:
            points += vocab.REGION_POINTS
            reasons += [["region", name] for name in shared]
    languages = sorted(first.languages & second.languages)
    if languages:
        points += vocab.LANGUAGE_POINTS
        reasons += [["language", code] for code in languages]
    for name in vocab.CONTEXT_FIELDS:
        value = getattr(first.post, name)
        if value and value == getattr(second.post, name):
            points += vocab.CONTEXT_POINTS
            reasons.append(["context", f"{name}:{value}"])
    return points, reasons


def candidates(post, goals, today):
    """Return the published, current posts of the other kind sharing a goal with `post`."""
    if not goals:
        return []
    other = "offer" if post.kind == "need" else "need"
    shared = func.count(BoardGoal.goal)
    ids = db.session.scalars(
        select(BoardGoal.post_id).join(BoardPost, BoardPost.id == BoardGoal.post_id)
        .where(BoardGoal.goal.in_(goals), BoardPost.kind == other,
               BoardPost.status == "published", BoardPost.hidden.is_(False),
               BoardPost.end_date >= today,
               BoardPost.organisation_id != post.organisation_id)
        .group_by(BoardGoal.post_id).order_by(shared.desc(), BoardGoal.post_id)
        .limit(vocab.CANDIDATE_LIMIT)).all()
    if not ids:
        return []
    return db.session.scalars(select(BoardPost).where(BoardPost.id.in_(ids))).all()


def _kept(match_ids):
    """The matches among these that must stay whatever their score: introduced or formed."""
    if not match_ids:
        return set()
    introduced = set(db.session.scalars(select(Introduction.match_id).where(
        Introduction.match_id.in_(match_ids))))
    formed = set(db.session.scalars(select(BoardMatch.id).where(
        BoardMatch.id.in_(match_ids), BoardMatch.formed_at.is_not(None))))
    return introduced | formed


def recompute(post, today):
    """Score the post against its candidates and keep the matches (the caller commits).

    Return the matches that became good now and were never told about.
    """
    existing = {(match.offer_id if post.kind == "need" else match.need_id): match
                for match in db.session.scalars(select(BoardMatch).where(
                    or_(BoardMatch.need_id == post.id, BoardMatch.offer_id == post.id)))}
    scored = {}
    if post.is_published and not post.is_expired(today):
        own = profiles([post])[post.id]
        others = candidates(post, own.goals, today)
        for other_id, profile in profiles(others).items():
            points, reasons = score(own, profile)
            if points >= vocab.MIN_SCORE:
                scored[other_id] = (points, reasons)
    kept = _kept([match.id for match in existing.values()])
    gone = [match.id for other_id, match in existing.items()
            if other_id not in scored and match.id not in kept]
    if gone:
        db.session.execute(delete(BoardMatch).where(BoardMatch.id.in_(gone)))
    now, fresh = utcnow(), []
    for other_id, (points, reasons) in scored.items():
        match = existing.get(other_id)
        if match is None:
            need_id, offer_id = ((post.id, other_id) if post.kind == "need"
                                 else (other_id, post.id))
            match = BoardMatch(need_id=need_id, offer_id=offer_id, created_at=now)
            db.session.add(match)
        match.score, match.reasons, match.updated_at = points, reasons, now
        if match.is_good and match.told_at is None:
            match.told_at = now
            fresh.append(match)
    db.session.flush()
    return fresh


def matches_of(post, *, today, good_only=False, limit=20):
    """Return the matches of a post whose other side is published and current, best first."""
    other_id = BoardMatch.offer_id if post.kind == "need" else BoardMatch.need_id
    own_id = BoardMatch.need_id if post.kind == "need" else BoardMatch.offer_id
    statement = (select(BoardMatch, BoardPost)
                 .join(BoardPost, BoardPost.id == other_id)
                 .where(own_id == post.id, BoardPost.status == "published",
                        BoardPost.hidden.is_(False),
                        or_(BoardPost.end_date >= today, BoardMatch.formed_at.is_not(None)))
                 .order_by(BoardMatch.score.desc(), BoardMatch.id).limit(limit))
    if good_only:
        statement = statement.where(and_(BoardMatch.score >= vocab.GOOD_SCORE))
    return [(match, other) for match, other in db.session.execute(statement)]


def _language_name(code):
    try:
        name = Locale.parse(i18n.current_language()).languages.get(code)
    except (ValueError, TypeError):
        name = None
    return name or code


def explain(reasons):
    """Say why two posts match, in the page's language: "both on 11.5 · East Africa · English"."""
    parts = []
    for kind, value in reasons:
        if kind == "target":
            parts.append(_("both on %(target)s", target=value))
        elif kind == "goal":
            parts.append(_("both on goal %(goal)s", goal=value))
        elif kind == "country":
            parts.append(place_names.shown_country(value))
        elif kind == "region":
            parts.append(place_names.shown_region(value))
        elif kind == "language":
            parts.append(_language_name(value))
        elif kind == "context":
            name, _sep, band = value.partition(":")
            label, choices = practice_vocab.CONTEXT_FIELDS.get(name, (name, {}))
            parts.append(f"{_(label)}: {_(choices.get(band, band))}")
    return " · ".join(parts)
