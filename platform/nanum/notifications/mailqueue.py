"""Notification email: queued in the request, sent (with retries) and digested by commands.

Nothing here talks to a mail server during a web request: `handle_new` only adds
`OutgoingMail` rows; `send_pending` (run by `nanum notifications send`) delivers them.
"""

from datetime import timedelta
from types import SimpleNamespace

from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select, update

from nanum import i18n
from nanum import mail as mail_backend
from nanum.accounts.models import User
from nanum.database import reading
from nanum.extensions import db
from nanum.notifications import tokens
from nanum.notifications.models import Notification, OutgoingMail
from nanum.timeutil import utcnow

# Digest sections, in this order.
DIGEST_SECTIONS = {
    "mention": _l("You were mentioned"),
    "reply": _l("Replies to your posts"),
    "accepted": _l("Your accepted answers"),
    "moderation": _l("Moderation decisions"),
    "join": _l("Requests to join your organisations"),
    "contact": _l("Contact requests"),
    "adapted": _l("Your practices adapted elsewhere"),
    "board": _l("The partnership board: matches and introductions"),
    "event": _l("Events you registered for"),
    "watched": _l("New in what you watch"),
}


# -- building mail -------------------------------------------------------------------------

def absolute(path):
    """Return a full address for a path on this site, for links in mail."""
    base = current_app.config["SITE_URL"]
    if not base and has_request_context():
        base = request.host_url
    return (base or "http://localhost").rstrip("/") + path


def _links(user):
    unsubscribe = absolute(url_for("notifications.unsubscribe",
                                   token=tokens.unsubscribe_token(user)))
    return {"unsubscribe": unsubscribe,
            "settings": absolute(url_for("notifications.settings")),
            "notifications": absolute(url_for("notifications.index"))}


def queue(to, subject, body, headers=None):
    """Queue one mail for the sender (the mail worker or `nanum notifications send`);
    the caller commits."""
    mail = OutgoingMail(to=to, subject=" ".join(subject.split())[:300], body=body,
                        headers=headers or {}, status="pending", attempts=0,
                        next_attempt_at=utcnow())
    db.session.add(mail)
    return mail


def enqueue(user, subject, template, **context):
    """Queue one notification mail to a person, with a one-click unsubscribe link (RFC 8058),
    in their language (a lazy `subject` is translated in it too)."""
    links = _links(user)
    with i18n.in_language_of(user):
        body = render_template(template, user=user, links=links, absolute=absolute, **context)
        return queue(user.email, subject, body,
                     headers={"List-Unsubscribe": f"<{links['unsubscribe']}>",
                              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def handle_new(notification, user):
    """Queue a new notification's mail, hold it for the digest, or skip it, as the person
    chose; the caller commits."""
    preference = user.email_notifications
    if preference == "immediate":
        enqueue(user, notification.message, "notifications/email/notification.txt",
                notification=notification)
        notification.email_state, notification.emailed_at = "sent", utcnow()
    elif preference == "daily":
        notification.email_state = "pending"
    else:
        notification.email_state = "skipped"


# -- sending -------------------------------------------------------------------------------

def message_id(mail):
    """The Message-ID of a queued mail: the same at every attempt, so that a mail delivered
    again (its worker killed after the server took it but before the queue heard) is one
    message to the recipient's mail system, not two."""
    made = mail.created_at.strftime("%Y%m%d%H%M%S")
    return f"<nanum.{made}.{mail.id}@{mail_backend.sender_domain(current_app.config)}>"


def deliver(mail):
    """Send one queued mail through the configured backend (log, file or SMTP)."""
    return mail_backend.send(mail.to, mail.subject, mail.body, headers=mail.headers,
                             timeout=current_app.config["NOTIFICATIONS_SMTP_TIMEOUT"],
                             message_id=message_id(mail))


def _claim(limit, now):
    """Take up to `limit` due mails, pushing their next attempt past a lease, and commit;
    a second `send` running at the same time then leaves them alone. The run renews the
    lease of what it still holds after each mail, so the lease need only outlast one
    delivery: mail held by a worker that was killed is due again soon after."""
    lease = now + timedelta(seconds=current_app.config["NOTIFICATIONS_SEND_LEASE"])
    mails = db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.status == "pending",
                                   OutgoingMail.next_attempt_at <= now)
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id).limit(limit)
        .with_for_update(skip_locked=True)).all()
    for mail in mails:
        mail.next_attempt_at = lease
    db.session.commit()
    return mails


def send_pending(limit=200, now=None):
    """Send the mail that is due; return (sent, failed attempts).

    Nothing is sent inside a database transaction: a slow mail server must never hold
    SQLite's write lock while the web workers wait for it.
    """
    config = current_app.config
    now = now or utcnow()
    sent = failed = 0
    claimed = _claim(limit, now)
    with reading():
        batch = [SimpleNamespace(id=m.id, to=m.to, subject=m.subject, body=m.body,
                                 headers=dict(m.headers or {}), created_at=m.created_at)
                 for m in claimed]
        db.session.rollback()
    lease = timedelta(seconds=config["NOTIFICATIONS_SEND_LEASE"])
    for position, message in enumerate(batch):
        try:
            deliver(message)
            error = None
        except Exception as problem:  # any failure is kept on the row and retried later
            error = problem
        mail = db.session.get(OutgoingMail, message.id)
        mail.attempts += 1
        if error is None:
            sent += 1
            mail.status, mail.sent_at = "sent", utcnow()
        else:
            failed += 1
            mail.last_error = f"{type(error).__name__}: {error}"[:1000]
            if mail.attempts >= config["NOTIFICATIONS_MAX_ATTEMPTS"]:
                mail.status = "failed"
            else:
                delay = config["NOTIFICATIONS_RETRY_BASE"] * 2 ** (mail.attempts - 1)
                mail.next_attempt_at = now + timedelta(seconds=delay)
        held = [other.id for other in batch[position + 1:]]
        if held:
            db.session.execute(update(OutgoingMail).where(
                OutgoingMail.id.in_(held), OutgoingMail.status == "pending")
                .values(next_attempt_at=utcnow() + lease))
        db.session.commit()
    return sent, failed


def status(errors=5):
    """Return the count of mail by status, the waiting digests, and the latest errors."""
    counts = dict(db.session.execute(select(OutgoingMail.status, func.count())
                                     .group_by(OutgoingMail.status)).all())
    held = db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.email_state == "pending"))
    latest = db.session.execute(
        select(OutgoingMail.id, OutgoingMail.to, OutgoingMail.status, OutgoingMail.attempts,
               OutgoingMail.last_error)
        .where(OutgoingMail.last_error.is_not(None), OutgoingMail.status != "sent")
        .order_by(OutgoingMail.id.desc()).limit(errors)).all()
    return counts, held, latest


# -- the daily digest ----------------------------------------------------------------------

def _grouped(notifications):
    """Return [(section title, [(about title, [notification])])] in digest order."""
    sections = []
    for kind, title in DIGEST_SECTIONS.items():
        groups = {}
        for notification in notifications:
            if notification.kind == kind:
                key = notification.about or f"notification:{notification.id}"
                groups.setdefault(key, (notification.about_title, []))[1].append(notification)
        if groups:
            sections.append((title, list(groups.values())))
    return sections


def send_digests(limit_users=500):
    """Gather each person's notifications held for the digest into one mail; return how
    many digests were queued. People who turned email off since have theirs skipped."""
    user_ids = db.session.scalars(select(Notification.user_id).where(
        Notification.email_state == "pending").group_by(Notification.user_id)
        .order_by(Notification.user_id).limit(limit_users)).all()
    queued = 0
    for user_id in user_ids:
        user = db.session.get(User, user_id)
        # Locked until the commit below, so that a worker on another host running the digest
        # at the same time waits, then finds them no longer pending (SQLite's write lock does
        # the same there).
        held = db.session.scalars(select(Notification).where(
            Notification.user_id == user_id, Notification.email_state == "pending")
            .order_by(Notification.created_at, Notification.id).with_for_update()).all()
        if not held:
            db.session.commit()
            continue
        now = utcnow()
        if user.active and user.email_notifications != "off":
            count = len(held)
            with i18n.in_language_of(user):
                subject = ngettext("Your Nanum digest: %(num)d notification",
                                   "Your Nanum digest: %(num)d notifications", count)
            enqueue(user, subject, "notifications/email/digest.txt",
                    sections=_grouped(held), count=count)
            state, queued = "digest", queued + 1
        else:
            state = "skipped"
        for notification in held:
            notification.email_state, notification.emailed_at = state, now
        db.session.commit()
    return queued
