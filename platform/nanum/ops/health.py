"""What the readiness probe and the metrics read: the database, the index and the queues.

Each check is one small query (plus one file or row for the index's stamp), read in a
deferred transaction so that a probe never queues for SQLite's write lock.
"""

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from nanum.database import reading
from nanum.extensions import db
from nanum.notifications.models import OutgoingMail
from nanum.search import documents
from nanum.search.indexing import engine
from nanum.search.models import SearchOutbox
from nanum.timeutil import utcnow

QUEUED = "pending"  # the status of mail waiting to be sent


def _age(oldest, now):
    return round(max((now - oldest).total_seconds(), 0.0), 1) if oldest else 0.0


def _oldest_waiting():
    """Return (oldest unapplied outbox row, oldest queued mail) times, in one query."""
    # Outbox ids grow with time: the first row by its key is the oldest, found by the index.
    change = select(SearchOutbox.created_at).order_by(SearchOutbox.id).limit(1).scalar_subquery()
    mail = select(func.min(OutgoingMail.created_at)).where(
        OutgoingMail.status == QUEUED).scalar_subquery()
    return db.session.execute(select(change, mail)).one()


def _index_present():
    try:
        return engine().stamped(documents.FORMAT)
    except Exception:  # unreadable is not ready; the search pages and the indexer say more
        return False


def readiness(now=None):
    """Return (ready, report): the report says what was found and, if not ready, why."""
    config = current_app.config
    report = {"database": "ok", "search_index": "ok", "search_outbox_lag_seconds": None,
              "mail_queue_age_seconds": None}
    reasons = []
    try:
        with reading():
            oldest_change, oldest_mail = _oldest_waiting()
            db.session.rollback()
    except SQLAlchemyError as error:
        current_app.logger.warning("Not ready: the database cannot be reached: %s", error)
        _forget_connection()
        report["database"] = "unreachable"
        return False, {"status": "not ready", **report,
                       "reasons": ["The database cannot be reached."]}
    now = now or utcnow()
    lag, mail_age = _age(oldest_change, now), _age(oldest_mail, now)
    report["search_outbox_lag_seconds"] = lag
    report["mail_queue_age_seconds"] = mail_age
    if not _index_present():
        report["search_index"] = "missing or being rebuilt"
        reasons.append("The search index is missing, incomplete or being rebuilt.")
    lag_max = config["READY_OUTBOX_LAG_MAX"]
    if lag_max and lag > lag_max:
        reasons.append(f"The search index is {lag:.0f} s behind the database "
                       f"(more than {lag_max:g} s).")
    mail_max = config["READY_MAIL_AGE_MAX"]
    if mail_max and mail_age > mail_max:
        reasons.append(f"The oldest queued mail has waited {mail_age:.0f} s "
                       f"(more than {mail_max:g} s).")
    status = "not ready" if reasons else "ready"
    return not reasons, {"status": status, **report, "reasons": reasons}


def _forget_connection():
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass  # the connection is gone; the pool replaces it at the next checkout


def queue_figures(now=None):
    """Return the queue gauges for /metrics as (name, help, value) triples."""
    from nanum.review.queue import waiting_count

    now = now or utcnow()
    with reading():
        changes, oldest_change = db.session.execute(
            select(func.count(), func.min(SearchOutbox.created_at))).one()
        mails, oldest_mail = db.session.execute(
            select(func.count(), func.min(OutgoingMail.created_at))
            .where(OutgoingMail.status == QUEUED)).one()
        failed = db.session.scalar(select(func.count()).select_from(OutgoingMail)
                                   .where(OutgoingMail.status == "failed"))
        reviews = waiting_count()
        db.session.rollback()
    return [
        ("nanum_search_outbox_rows", "Changes waiting to reach the search index.", changes),
        ("nanum_search_outbox_lag_seconds",
         "Age of the oldest change waiting to reach the search index.", _age(oldest_change, now)),
        ("nanum_mail_queue_size", "Mail queued to be sent.", mails),
        ("nanum_mail_queue_age_seconds", "Age of the oldest queued mail.", _age(oldest_mail, now)),
        ("nanum_mail_failed", "Mail that failed for good after its retries.", failed),
        ("nanum_review_queue_size", "Practices waiting for a moderator's review.", reviews),
    ]
