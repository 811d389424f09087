"""Accounts: registration, sign-in, password reset and profiles."""

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from nanum import mail
from nanum.accounts import passwords
from nanum.accounts.models import ROLES, User
from nanum.errors import Invalid, NotFound
from nanum.extensions import db
from nanum.organisations import regions


def normalise_email(raw):
    """Return the canonical form of an email address, or raise Invalid."""
    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise Invalid("Please enter a valid email address.", {"email": str(error)}) from error
    return result.normalized.lower()


def find_by_email(email):
    return db.session.scalar(select(User).where(User.email == email))


def _check_password(password, *, email=None, name=None, field="password"):
    reason = passwords.problem(password or "", email=email, name=name)
    if reason:
        raise Invalid(reason, {field: reason})


def register(*, name, email, password, role="member"):
    """Create an account; the email must be free and the password strong."""
    name = (name or "").strip()
    if not name:
        raise Invalid("Please enter your name.", {"name": "Please enter your name."})
    email = normalise_email(email)
    if find_by_email(email):
        message = "An account with this email already exists. Try logging in instead."
        raise Invalid(message, {"email": message})
    _check_password(password, email=email, name=name)
    if role not in ROLES:
        raise Invalid(f"Unknown role {role!r}.")
    user = User(name=name, email=email, role=role, handle=free_handle(name))
    user.cook()
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def free_handle(name):
    """Return an unused @handle made from a name: "Achieng Otieno" → "achieng-otieno"."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:32] or "member"
    handle, number = base, 1
    while db.session.scalar(select(User.id).where(User.handle == handle)) is not None:
        number += 1
        handle = f"{base}-{number}"
    return handle


def authenticate(email, password):
    """Return the active user with these credentials, or None."""
    try:
        email = normalise_email(email)
    except Invalid:
        return None
    user = find_by_email(email)
    if user is None or not user.active or not user.check_password(password or ""):
        return None
    return user


def load_user(user_id):
    """Load the user of a login cookie `<id>:<session token>`."""
    identifier, _, token = (user_id or "").partition(":")
    if not identifier.isdigit() or not token:
        return None
    user = db.session.get(User, int(identifier))
    if user is None or user.session_token != token:
        return None
    return user


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user):
    """Make a reset token; it dies when the password changes, so it works once."""
    return _serializer().dumps({"id": user.id, "pw": user.password_hash[-12:]})


def request_password_reset(email):
    """Email a reset link when the address has an account; say nothing either way."""
    try:
        user = find_by_email(normalise_email(email))
    except Invalid:
        return None
    if user is None or not user.active:
        return None
    link = url_for("accounts.reset_password", token=reset_token(user), _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    mail.send(user.email, "Reset your Nanum password",
              f"Hello {user.name},\n\nTo choose a new password, open this link within "
              f"{minutes} minutes:\n\n{link}\n\nIf you did not ask for this, ignore this "
              "message; your password stays as it is.\n")
    return user


def user_for_reset_token(token):
    """Return the user a valid, unused, unexpired token belongs to, or raise Invalid."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise Invalid("This reset link has expired. Please ask for a new one.") from error
    except BadSignature as error:
        raise Invalid("This reset link is not valid. Please ask for a new one.") from error
    user = db.session.get(User, payload.get("id"))
    if user is None or user.password_hash[-12:] != payload.get("pw"):
        raise Invalid("This reset link has already been used. Please ask for a new one.")
    return user


def reset_password(token, password):
    """Set a new password with a reset token."""
    user = user_for_reset_token(token)
    _check_password(password, email=user.email, name=user.name)
    user.set_password(password)
    db.session.commit()
    return user


def change_password(user, current, new):
    """Change a password after checking the current one."""
    if not user.check_password(current or ""):
        message = "Your current password is not correct."
        raise Invalid(message, {"current_password": message})
    _check_password(new, email=user.email, name=user.name, field="new_password")
    user.set_password(new)
    db.session.commit()
    return user


PROFILE_FIELDS = ("name", "affiliation", "bio", "country", "languages")


def update_profile(user, **fields):
    """Update a person's public profile."""
    name = (fields.get("name") or "").strip()
    if not name:
        raise Invalid("Please enter your name.", {"name": "Please enter your name."})
    country = (fields.get("country") or "").strip().upper() or None
    if country and not regions.is_country(country):
        raise Invalid("Unknown country.", {"country": "Please choose a country from the list."})
    user.name = name
    user.affiliation = (fields.get("affiliation") or "").strip() or None
    user.bio = (fields.get("bio") or "").strip() or None
    user.cook()
    user.country = country
    user.languages = (fields.get("languages") or "").strip() or None
    db.session.commit()
    return user


def get_user(user_id):
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound("No such person.")
    return user


def set_role(email, role):
    """Give an existing account a role."""
    if role not in ROLES:
        raise Invalid(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    user = find_by_email(normalise_email(email))
    if user is None:
        raise NotFound(f"No account for {email}.")
    user.role = role
    db.session.commit()
    return user
