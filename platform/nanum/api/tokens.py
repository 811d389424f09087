"""Personal API tokens: made, listed, revoked, and checked on each request."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from nanum.api.models import SCOPES, ApiToken
from nanum.errors import DomainError, Invalid, NotFound
from nanum.extensions import db
from nanum.timeutil import utcnow

PREFIX = "nanum_"
NAME_LIMIT = 80
TOKENS_PER_PERSON = 20
USE_RECORDED_EVERY = timedelta(minutes=1)  # last-used dates need no finer grain


class Unauthorised(DomainError):
    status = 401
    title = "Not signed in"


class MissingScope(DomainError):
    status = 403
    title = "Not allowed"


def digest_of(token):
    return hashlib.sha256(token.encode()).hexdigest()


def active_tokens(user):
    """Return the person's tokens that still work, newest first."""
    return db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id.desc())).all()


def create(user, name, scopes):
    """Make a token for `user`; return (record, the token itself, shown only this once)."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Give the token a name, e.g. the system that will use it."
    elif len(name) > NAME_LIMIT:
        errors["name"] = f"Keep the name within {NAME_LIMIT} characters."
    scopes = [scope for scope in SCOPES if scope in set(scopes or ())]
    if not scopes:
        errors["scopes"] = "Choose at least one scope."
    if errors:
        raise Invalid("Please check the token's name and scopes.", errors)
    if len(active_tokens(user)) >= TOKENS_PER_PERSON:
        raise Invalid(f"You have {TOKENS_PER_PERSON} tokens already; revoke one first.")
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, name=name, digest=digest_of(token),
                      prefix=token[:len(PREFIX) + 4], scopes=" ".join(scopes))
    db.session.add(record)
    db.session.commit()
    return record, token


def revoke(user, token_id):
    """Revoke one of the person's own tokens."""
    record = db.session.get(ApiToken, token_id)
    if record is None or record.user_id != user.id or record.is_revoked:
        raise NotFound("No such token.")
    record.revoked_at = utcnow()
    db.session.commit()
    return record


def authenticate(header):
    """Return the token record an `Authorization: Bearer …` header names, or raise
    Unauthorised; a revoked token, or one of a deactivated or suspended person, fails."""
    scheme, _, token = (header or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(PREFIX) or len(token) > 100:
        raise Unauthorised("Send a personal API token as `Authorization: Bearer <token>`.")
    record = db.session.scalar(select(ApiToken).where(ApiToken.digest == digest_of(token)))
    if record is None or record.is_revoked:
        raise Unauthorised("This API token is not valid or has been revoked.")
    user = record.user
    if not user.is_active or user.is_suspended:
        raise Unauthorised("The account this token belongs to cannot use the API now.")
    now = utcnow()
    if record.last_used_at is None or now - record.last_used_at > USE_RECORDED_EVERY:
        record.last_used_at = now
        db.session.commit()
    return record


def require_scope(record, scope):
    if record is None:
        raise Unauthorised("This needs a personal API token "
                           "(`Authorization: Bearer <token>`), made on your account page.")
    if not record.allows(scope):
        raise MissingScope(f"This token lacks the “{scope}” scope.")
