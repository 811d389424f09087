"""What a suspended person sees when they sign in, and their appeal from there.

A suspended person is never signed in. After a correct password they are shown their
suspension and given a token, signed and short-lived, that lets them do one thing: appeal it
(once, like every decision; another moderator decides). The token names the person and the
suspension it was given for, and dies with a new password, a new suspension, or time
(`MODERATION_SUSPENSION_APPEAL_MAX_AGE`).
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from nanum.accounts.models import User
from nanum.errors import Conflict, Invalid
from nanum.extensions import db
from nanum.flags import sanctions
from nanum.flags.models import Statement

SALT = "suspension-appeal"
EXPIRED = _l("This page has expired. Sign in again to see your suspension and appeal it; "
             "nothing was sent.")


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user):
    return {"id": user.id, "pw": user.password_hash[-12:],
            "until": user.suspended_until.isoformat()}


def appeal_token(user):
    """Make the token of a suspended person who has just given their password."""
    return _serializer().dumps(_fingerprint(user))


def person_of(token):
    """Return the suspended person a token was made for, or raise Invalid when it is
    tampered with, too old, or no longer fits (password changed, suspension changed or over)."""
    try:
        claims = _serializer().loads(token or "", max_age=current_app.config[
            "MODERATION_SUSPENSION_APPEAL_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        raise Invalid(str(EXPIRED)) from None
    user = db.session.get(User, claims.get("id")) if isinstance(claims, dict) else None
    if (user is None or not user.active or not user.is_suspended
            or _fingerprint(user) != claims):
        raise Invalid(str(EXPIRED))
    return user


@dataclass
class Suspension:
    person: User
    statement: Statement | None  # the moderator's statement of it, when there is one
    open_appeal: Statement | None  # an appeal of theirs waiting for a moderator


def suspension_of(person):
    """Return what a suspended person is told: the statement of their current suspension
    and any appeal of theirs still waiting."""
    statement = db.session.scalar(
        select(Statement).where(Statement.user_id == person.id,
                                Statement.action == "user.suspend",
                                Statement.until == person.suspended_until)
        .order_by(Statement.id.desc()).limit(1))
    waiting = db.session.scalar(
        select(Statement).where(Statement.user_id == person.id,
                                Statement.appeal_status == "open")
        .order_by(Statement.appealed_at).limit(1))
    return Suspension(person, statement, waiting)


def appeal(token, text):
    """Appeal the suspension a token was made for; return the Suspension after it.

    One open appeal at a time: while one of theirs waits, another is refused.
    """
    person = person_of(token)
    found = suspension_of(person)
    if found.statement is None:
        raise Conflict(_("This suspension has no statement to appeal; write to the "
                       "moderators instead."))
    if found.open_appeal is not None:
        raise Conflict(_("Your appeal is already waiting for a moderator; you can send "
                       "another once it is decided."))
    sanctions.appeal(person, found.statement, text)
    return suspension_of(person)
