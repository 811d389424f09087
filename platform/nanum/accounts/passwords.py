"""Password rules: long enough and not among the commonly breached passwords."""

from functools import cache
from importlib.resources import files

from flask_babel import gettext as _

MIN_LENGTH = 10
MAX_LENGTH = 200


@cache
def _common():
    text = (files("nanum.accounts") / "data" / "common_passwords.txt").read_text()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def problem(password, *, email=None, name=None):
    """Return why a password is too weak, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(num)d characters.", num=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(num)d characters.", num=MAX_LENGTH)
    lowered = password.lower()
    if lowered in _common():
        return _("This password is among the most common ones; please choose another.")
    if len(set(lowered)) < 4:
        return _("This password repeats too few characters; please choose another.")
    for personal in (email and email.split("@")[0], name):
        if personal and len(personal) >= 4 and personal.lower() in lowered:
            return _("Do not build your password from your name or email address.")
    return None
