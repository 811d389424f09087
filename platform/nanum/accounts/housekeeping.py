"""Removing accounts that were signed up for but never confirmed."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from nanum.accounts.models import User
from nanum.extensions import db
from nanum.timeutil import utcnow


def unconfirmed(older_than_days):
    """Return the accounts never confirmed and made more than `older_than_days` ago."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    return db.session.scalars(select(User).where(
        User.email_confirmed_at.is_(None), User.created_at < cutoff).order_by(User.id)).all()


def purge_unconfirmed(older_than_days, dry_run=False):
    """Delete those accounts and commit; return (deleted, kept) lists of addresses.

    An account that other records refer to (someone @mentioned it, say) is kept: nothing
    anyone wrote is removed with it.
    """
    deleted, kept = [], []
    for user in unconfirmed(older_than_days):
        if dry_run:
            deleted.append(user.email)
            continue
        try:
            with db.session.begin_nested():
                db.session.delete(user)
                db.session.flush()
            deleted.append(user.email)
        except IntegrityError:
            kept.append(user.email)
    if not dry_run:
        db.session.commit()
    return deleted, kept
