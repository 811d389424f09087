"""Introductions between the two sides of a match, and partnerships that came of them."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from nanum.board.models import BoardMatch, BoardPost, Introduction
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.flags.sanctions import check_can_post
from nanum.notifications import services as notifications
from nanum.organisations import services as organisations
from nanum.practices.models import Practice
from nanum.timeutil import utcnow

MESSAGE_LIMIT = 1000


def _match(match_id):
    match = db.session.scalar(select(BoardMatch).options(
        joinedload(BoardMatch.need).joinedload(BoardPost.organisation),
        joinedload(BoardMatch.offer).joinedload(BoardPost.organisation))
        .where(BoardMatch.id == match_id))
    if match is None or not (match.need.is_published and match.offer.is_published):
        raise NotFound(_("No such match."))
    return match


def side_of(user, match):
    """Return the post of the match whose organisation the user belongs to, or None."""
    for post in (match.need, match.offer):
        if organisations.is_member(user, post.organisation_id):
            return post
    return None


def _party_side(user, match):
    side = side_of(user, match)
    if side is None:
        raise Forbidden(_("Only members of the two organisations of a match can do that."))
    return side


def _notify(recipient_organisation_id, actor, message, introduction):
    with notifications.site_context():
        url = url_for("board.introduction", introduction_id=introduction.id)
    people = organisations.members([recipient_organisation_id])
    notifications.notify({membership.user: "board" for membership in people},
                         event=f"board-introduction:{introduction.id}:{introduction.status}",
                         actor=actor, messages={"board": message}, url=url,
                         about=f"board-introduction:{introduction.id}",
                         excerpt=introduction.message)


def send(user, match_id, message):
    """Ask the other side of a match to talk, with a short message; they are told."""
    match = _match(match_id)
    side = _party_side(user, match)
    check_can_post(user)
    message = " ".join((message or "").split()) if message else ""
    if len(message) < 10:
        raise Invalid(_("Please write a short message of at least 10 characters."),
                      {"message": _("Say who you are and what you would like to talk about.")})
    if len(message) > MESSAGE_LIMIT:
        raise Invalid(_("Keep the message under %(limit)s characters.", limit=MESSAGE_LIMIT),
                      {"message": _("Shorten the message.")})
    other = match.other(side)
    waiting = db.session.scalar(select(Introduction.id).where(
        Introduction.match_id == match.id, Introduction.status == "pending"))
    if waiting is not None:
        raise Invalid(_("An introduction for this match is already waiting for an answer."))
    introduction = Introduction(match_id=match.id, sender_id=user.id,
                                from_organisation_id=side.organisation_id,
                                to_organisation_id=other.organisation_id, message=message)
    db.session.add(introduction)
    db.session.commit()
    _notify(other.organisation_id, user,
            _l("%(organisation)s would like an introduction about “%(title)s”.",
               organisation=side.organisation.name, title=other.title), introduction)
    return introduction


def get(user, introduction_id):
    """Return an introduction; only members of its two organisations may see it."""
    introduction = db.session.scalar(select(Introduction).options(
        joinedload(Introduction.sender), joinedload(Introduction.answered_by),
        joinedload(Introduction.from_organisation), joinedload(Introduction.to_organisation),
        joinedload(Introduction.match).joinedload(BoardMatch.need),
        joinedload(Introduction.match).joinedload(BoardMatch.offer))
        .where(Introduction.id == introduction_id))
    if introduction is None:
        raise NotFound(_("No such introduction."))
    if not can_see(user, introduction):
        raise NotFound(_("No such introduction."))
    return introduction


def can_see(user, introduction):
    return any(organisations.is_member(user, organisation_id) for organisation_id in
               (introduction.from_organisation_id, introduction.to_organisation_id))


def can_answer(user, introduction):
    return introduction.status == "pending" and organisations.is_member(
        user, introduction.to_organisation_id)


def answer(user, introduction_id, decision):
    """Accept (the contacts are shared) or decline an introduction sent to one's organisation."""
    introduction = get(user, introduction_id)
    if not organisations.is_member(user, introduction.to_organisation_id):
        raise Forbidden(_("Only the organisation the introduction was sent to can answer it."))
    if decision not in ("accept", "decline"):
        raise Invalid(_("Choose to accept or to decline."))
    if introduction.status != "pending":
        raise Invalid(_("This introduction has already been answered."))
    introduction.status = "accepted" if decision == "accept" else "declined"
    introduction.answered_at, introduction.answered_by_id = utcnow(), user.id
    db.session.commit()
    message = (_l("%(organisation)s accepted your introduction: their contact is on the page.",
                  organisation=introduction.to_organisation.name)
               if decision == "accept" else
               _l("%(organisation)s declined your introduction.",
                  organisation=introduction.to_organisation.name))
    _notify(introduction.from_organisation_id, user, message, introduction)
    return introduction


def for_match_ids(user, match_ids):
    """Return {match id: [introduction]} of the matches the user's organisations are in."""
    ids = [m.organisation_id for m in organisations.active_memberships(user)]
    if not match_ids or not ids:
        return {}
    found = {}
    for introduction in db.session.scalars(
            select(Introduction).where(
                Introduction.match_id.in_(match_ids),
                or_(Introduction.from_organisation_id.in_(ids),
                    Introduction.to_organisation_id.in_(ids)))
            .order_by(Introduction.id)):
        found.setdefault(introduction.match_id, []).append(introduction)
    return found


def mark_formed(user, match_id, practice_id=None):
    """Mark a match that led to a partnership (after an accepted introduction), and name the
    published practice it produced when there is one."""
    match = _match(match_id)
    _party_side(user, match)
    accepted = db.session.scalar(select(Introduction.id).where(
        Introduction.match_id == match.id, Introduction.status == "accepted"))
    if accepted is None:
        raise Invalid(_("A partnership can be marked once an introduction was accepted."))
    if practice_id is not None:
        practice = db.session.get(Practice, practice_id)
        if practice is None or not practice.is_published:
            raise Invalid(_("Choose a published practice."),
                          {"practice": _("There is no published practice with that number.")})
        match.practice_id = practice.id
    if match.formed_at is None:
        match.formed_at, match.formed_by_id = utcnow(), user.id
    db.session.commit()
    return match
