"""The person behind the current request."""

from flask_login import current_user


def viewer():
    """Return the signed-in user itself, not Flask-Login's proxy (services may keep it)."""
    return current_user._get_current_object()
