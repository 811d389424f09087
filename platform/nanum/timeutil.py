"""Time helpers: all stored times are naive UTC."""

from datetime import datetime, timezone


def utcnow():
    """Return the current time as naive UTC, as stored in the database."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
