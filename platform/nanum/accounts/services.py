"""Accounts: registration, sign-in, password reset and profiles."""

import re
import unicodedata

from flask import current_app, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from nanum.accounts import passwords, throttle
from nanum.accounts.models import ROLES, User
from nanum.database import reading
from nanum.errors import Invalid, NotFound
from nanum.extensions import db
from nanum.notifications import mailqueue
from nanum.organisations import regions
from nanum.timeutil import utcnow


def normalise_email(raw):
    """Return the canonical form of an email address, or raise Invalid."""
    raw = (raw or "").strip()
    if len(raw) > 254:  # the longest address there is; longer input would cost the parser seconds
        raise Invalid(_("Please enter a valid email address."),
                      {"email": _("An email address has at most 254 characters.")})
    from email_validator import EmailNotValidError, validate_email  # not at every start-up

    try:
        result = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as error:
        raise Invalid(_("Please enter a valid email address."), {"email": str(error)}) from error
    return result.normalized.lower()


def find_by_email(email):
    return db.session.scalar(select(User).where(User.email == email))


def _password_problem(password, *, email=None, name=None):
    return passwords.problem(password or "", email=email, name=name)


def _check_password(password, *, email=None, name=None, field="password"):
    reason = _password_problem(password, email=email, name=name)
    if reason:
        raise Invalid(reason, {field: reason})


def register_problems(*, name, email, password):
    """Return {field: problem} for a sign-up, every field at once (empty when fine)."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Please enter your name.")
    elif len(name) > 120:
        errors["name"] = _("Use at most 120 characters.")
    try:
        email = normalise_email(email)
    except Invalid as error:
        errors["email"], email = error.errors["email"], None
    reason = _password_problem(password, email=email, name=name)
    if reason:
        errors["password"] = reason
    return errors


def _cleaned_signup(name, email, password):
    """Return (name, email), or raise Invalid naming every field's problem."""
    errors = register_problems(name=name, email=email, password=password)
    if errors:
        raise Invalid(_("Please correct the highlighted fields."), errors)
    return name.strip(), normalise_email(email)


def create_account(*, name, email, password, role="member"):
    """Create a confirmed account at once (commands and the demo); the email must be free."""
    name, email = _cleaned_signup(name, email, password)
    if find_by_email(email):
        message = _("An account with this email already exists.")
        raise Invalid(message, {"email": message})
    if role not in ROLES:
        raise Invalid(_("Unknown role %(role)s.", role=repr(role)))
    user = User(name=name, email=email, role=role, handle=free_handle(name),
                email_confirmed_at=utcnow())
    user.cook()
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def register(*, name, email, password):
    """Sign someone up: mail a confirmation link to a new address, or a note to the owner
    of an address that already has an account.

    Both cases answer alike and do the same costly work (hashing the password), so that
    registering tells nobody whether an address has an account. Return the address.
    """
    name, email = _cleaned_signup(name, email, password)
    password_hash = generate_password_hash(password, method="scrypt")
    owner = find_by_email(email)
    if owner is None:
        user = User(name=name, email=email, role="member", handle=free_handle(name),
                    password_hash=password_hash, email_confirmed_at=None)
        db.session.add(user)
        try:
            db.session.flush()
        except IntegrityError:  # the same address signed up a moment ago
            db.session.rollback()
            owner = find_by_email(email)
        else:
            _queue_mail(user.email, _l("Confirm your Nanum account"),
                        "accounts/email/confirm.txt", recipient=user,
                        link=_link("accounts.confirm", token=confirm_token(user)))
    if owner is not None:
        _queue_mail(owner.email, _l("Someone tried to register with your address"),
                    "accounts/email/already_registered.txt", recipient=owner,
                    login=_link("accounts.login"), forgot=_link("accounts.forgot_password"))
    db.session.commit()
    return email


def _link(endpoint, **values):
    return mailqueue.absolute(url_for(endpoint, **values))


def _queue_mail(to, subject, template, recipient=None, **context):
    """Queue an account mail; the mail worker sends it like every other mail.

    It is written in the language the recipient chose, else in the page's: account mail
    answers what the recipient just did on the site. A lazy `subject` is translated too.
    """
    from nanum import i18n

    with i18n.in_language_of(recipient, fallback=get_locale()):
        mailqueue.queue(to, subject, render_template(template, user=recipient, **context))


def confirm_token(user):
    return _serializer("confirm-email").dumps({"id": user.id, "email": user.email})


def confirm_email(token):
    """Confirm a new account's address with the mailed link; return the account."""
    max_age = current_app.config["ACCOUNTS_CONFIRM_MAX_AGE"]
    try:
        payload = _serializer("confirm-email").loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise Invalid(_("This confirmation link has expired. Please sign in to get a new "
                      "one.")) from error
    except BadSignature as error:
        raise Invalid(_("This confirmation link is not valid.")) from error
    user = db.session.get(User, payload.get("id"))
    if user is None or user.email != payload.get("email") or not user.active:
        raise Invalid(_("This confirmation link is not valid."))
    if user.is_confirmed:
        raise Invalid(_("Your address is already confirmed. Please sign in."))
    user.email_confirmed_at = utcnow()
    db.session.commit()
    return user


def send_confirmation(user):
    """Mail a new confirmation link to a person who signed up but has not confirmed."""
    _queue_mail(user.email, _l("Confirm your Nanum account"), "accounts/email/confirm.txt",
                recipient=user, link=_link("accounts.confirm", token=confirm_token(user)))
    db.session.commit()


def free_handle(name):
    """Return an unused @handle made from a name: "Achieng Otieno" → "achieng-otieno"."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:32] or "member"
    handle, number = base, 1
    while db.session.scalar(select(User.id).where(User.handle == handle)) is not None:
        number += 1
        handle = f"{base}-{number}"
    return handle


# Checked against when an address has no account, so that the answer costs the same work;
# written out (same method and cost as User.set_password) so that even the first check does.
DUMMY_HASH = ("scrypt:32768:8:1$UXX77QCibdzgOu0y$f987bd57ae204c4bf0226db9655daf1d09f13be67f8e"
              "e99b5f75b0ed28410c490827e6a19a2d75f2a212b4aedf132ec669c8b80523ccb64c05c72fc9e7e"
              "44acd")


def authenticate(email, password, address=None):
    """Return the active user with these credentials, or None; count failures per account
    and per client address, and raise TooManyAttempts when either failed too often.

    Unknown addresses cost the same work as known ones (a dummy hash is checked), and the
    password is checked outside any transaction, so no write lock is held meanwhile.
    """
    try:
        email = normalise_email(email)
    except Invalid:
        email = None
    with reading():
        throttle.check(email, address)
        user = find_by_email(email) if email else None
        stored = user.password_hash if user is not None and user.active else None
        db.session.commit()  # end the read before the slow hash
    matches = check_password_hash(stored or DUMMY_HASH, password or "")
    if stored and matches:
        return user
    throttle.record_failure(email, address)
    db.session.commit()
    return None


def load_user(user_id):
    """Load the user of a login cookie `<id>:<session token>`."""
    identifier, _, token = (user_id or "").partition(":")
    if not identifier.isdigit() or not token:
        return None
    user = db.session.get(User, int(identifier))
    # A deactivated account is signed out everywhere, even in sessions it already had.
    if user is None or user.session_token != token or not user.active or user.is_suspended:
        return None
    return user


def sign_out(user):
    """End this session and every copy of it (remembered devices included)."""
    user.end_sessions()
    db.session.commit()


def _serializer(salt="password-reset"):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def reset_token(user):
    """Make a reset token; it dies when the password changes, so it works once."""
    return _serializer().dumps({"id": user.id, "pw": user.password_hash[-12:]})


def request_password_reset(email):
    """Queue a reset link to an address with an account, or a note saying it has none.

    Both answer alike and do the same work, so that nobody learns whether an address has
    an account.
    """
    try:
        email = normalise_email(email)
    except Invalid:
        return
    user = find_by_email(email)
    if user is not None and user.active:
        _queue_mail(user.email, _l("Reset your Nanum password"),
                    "accounts/email/reset_password.txt", recipient=user,
                    link=_link("accounts.reset_password", token=reset_token(user)),
                    minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)
    else:
        _queue_mail(email, _l("Your Nanum password reset"), "accounts/email/no_account.txt",
                    register=_link("accounts.register"))
    db.session.commit()


def user_for_reset_token(token):
    """Return the user a valid, unused, unexpired token belongs to, or raise Invalid."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise Invalid(_("This reset link has expired. Please ask for a new one.")) from error
    except BadSignature as error:
        raise Invalid(_("This reset link is not valid. Please ask for a new one.")) from error
    user = db.session.get(User, payload.get("id"))
    if user is None or user.password_hash[-12:] != payload.get("pw"):
        raise Invalid(_("This reset link has already been used. Please ask for a new one."))
    return user


def reset_password(token, password):
    """Set a new password with a reset token."""
    user = user_for_reset_token(token)
    _check_password(password, email=user.email, name=user.name)
    user.set_password(password)
    # The link came by mail: it proves the address, as confirming it would.
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    throttle.clear(user.email)
    db.session.commit()
    return user


def change_password(user, current, new):
    """Change a password after checking the current one."""
    if not user.check_password(current or ""):
        message = _("Your current password is not correct.")
        raise Invalid(message, {"current_password": message})
    _check_password(new, email=user.email, name=user.name, field="new_password")
    user.set_password(new)
    db.session.commit()
    return user


PROFILE_FIELDS = ("name", "affiliation", "bio", "country", "languages", "locale")


def update_profile(user, **fields):
    """Update a person's public profile."""
    name = (fields.get("name") or "").strip()
    if not name:
        raise Invalid(_("Please enter your name."), {"name": _("Please enter your name.")})
    country = (fields.get("country") or "").strip().upper() or None
    locale = _locale(fields["locale"]) if "locale" in fields else user.locale
    if country and not regions.is_country(country):
        raise Invalid(_("Unknown country."),
                      {"country": _("Please choose a country from the list.")})
    user.name = name
    user.affiliation = (fields.get("affiliation") or "").strip() or None
    user.bio = (fields.get("bio") or "").strip() or None
    user.cook()
    user.country = country
    user.languages = (fields.get("languages") or "").strip() or None
    user.locale = locale
    db.session.commit()
    return user


def _locale(value):
    from nanum import i18n

    value = (value or "").strip() or None
    if value is not None and not i18n.known(value):
        raise Invalid(_("Unknown language."),
                      {"locale": _("Please choose a language from the list.")})
    return value


def set_locale(user, locale):
    """Keep the interface language a person chose (None: follow the browser)."""
    user.locale = _locale(locale)
    db.session.commit()
    return user


def get_user(user_id):
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound(_("No such person."))
    return user


def set_role(email, role):
    """Give an existing account a role."""
    if role not in ROLES:
        raise Invalid(_("Unknown role %(role)s; choose one of %(join)s.",
                        role=repr(role), join=", ".join(ROLES)))
    from nanum.moderation import audit

    user = find_by_email(normalise_email(email))
    if user is None:
        raise NotFound(_("No account for %(email)s.", email=email))
    if user.role != role:
        audit.record(None, "user.role", user, message="Set from the command line.",
                     before={"role": user.role}, after={"role": role})
    user.role = role
    db.session.commit()
    return user
