"""Signed unsubscribe tokens: a link in every mail that works without logging in."""

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from nanum.accounts.models import User
from nanum.errors import Invalid
from nanum.extensions import db

SALT = "unsubscribe"
PURPOSE = "all"  # every notification email; narrower purposes may follow


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user, purpose=PURPOSE):
    """Return a token that turns off email for this user, and nobody else."""
    return _serializer().dumps({"user": user.id, "purpose": purpose})


def user_for_token(token, max_age=None):
    """Return the user a valid token names, or raise Invalid (tampered, expired, unknown)."""
    if max_age is None:
        max_age = current_app.config["NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE"]
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise Invalid(_("This unsubscribe link has expired. Log in and change your email "
                      "settings instead; nothing was changed.")) from error
    except BadSignature as error:
        raise Invalid(_("This unsubscribe link is not valid; it may have been cut short or "
                      "changed. Nothing was changed.")) from error
    if not isinstance(payload, dict) or payload.get("purpose") != PURPOSE:
        raise Invalid(_("This unsubscribe link is not valid. Nothing was changed."))
    user = db.session.get(User, payload.get("user")) if isinstance(
        payload.get("user"), int) else None
    if user is None:
        raise Invalid(_("This unsubscribe link belongs to an account that no longer exists."))
    return user
