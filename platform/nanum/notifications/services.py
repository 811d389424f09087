"""Telling people what happened, their notifications, and their email settings.

What can be watched, and who watches what, is in `watching`.
"""

from contextlib import contextmanager

from flask import current_app, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from nanum import pagination
from nanum.errors import Invalid, NotFound
from nanum.extensions import db
from nanum.notifications.models import Notification
from nanum.timeutil import utcnow

# When one event touches a person in several ways, they hear about the strongest one.
STRENGTH = {"moderation": 4, "mention": 3, "reply": 2, "accepted": 2, "join": 2,
            "adapted": 2, "contact": 2, "board": 2, "event": 2,
            "watched": 1}
EMAIL_CHOICES = {
    "immediate": _l("Immediately: one email for each notification"),
    "daily": _l("Daily digest: at most one email a day"),
    "off": _l("Off: no email (notifications stay on the site)"),
}
UNREAD_CAP = 100  # the bell shows "99+" beyond this; counting further is wasted work


def init_app(app):
    """Connect the receivers that turn what happens into notifications."""
    from nanum.notifications import fanout

    fanout.connect()


@contextmanager
def site_context():
    """Let `url_for` build addresses outside a request (commands, imports, other services)."""
    if has_request_context():
        yield
        return
    app = current_app._get_current_object()
    base = app.config["SITE_URL"]
    if not base and app.config.get("SERVER_NAME"):
        base = f"{app.config['PREFERRED_URL_SCHEME']}://{app.config['SERVER_NAME']}"
    with app.test_request_context("/", base_url=base or "http://localhost"):
        yield


# -- telling people ------------------------------------------------------------------------

def notify(recipients, *, event, actor, messages, url, about=None, about_title=None,
           excerpt=None):
    """Tell each recipient ({user: kind}) once about one event, and commit.

    `messages` maps kinds to text, or is a function of (user, kind); a lazy text is written
    in each recipient's language. Leaves out the actor, inactive accounts and anyone already
    told about this event; mail is queued (or held for the digest), never sent here.
    """
    from nanum import i18n
    from nanum.notifications import mailqueue

    actor_id = getattr(actor, "id", None)
    chosen = {user.id: (user, kind) for user, kind in recipients.items()
              if user.id != actor_id and user.active}
    if event and chosen:
        told = set(db.session.scalars(select(Notification.user_id).where(
            Notification.event == event, Notification.user_id.in_(chosen))))
        chosen = {user_id: pair for user_id, pair in chosen.items() if user_id not in told}
    created = []
    for user, kind in chosen.values():
        with i18n.in_language_of(user):
            message = str(messages(user, kind) if callable(messages) else messages[kind])
            title = str(about_title or "")
        notification = Notification(
            user_id=user.id, kind=kind, actor_id=actor_id, message=message[:300],
            url=url[:500], event=event, about=about, about_title=title[:200] or None,
            excerpt=(excerpt or "")[:400] or None)
        db.session.add(notification)
        created.append((notification, user))
    db.session.flush()
    with site_context():
        for notification, user in created:
            mailqueue.handle_new(notification, user)
    db.session.commit()
    return [notification for notification, _user in created]


def notify_moderation(user, message, url):
    """Tell someone about a moderation decision on their content (for the moderation queue)."""
    return notify({user: "moderation"}, event=None, actor=None,
                  messages={"moderation": message}, url=url)


# -- reading -------------------------------------------------------------------------------

def unread_count(user):
    """Count unread notifications, up to UNREAD_CAP, in one query."""
    unread = select(Notification.id).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).limit(UNREAD_CAP)
    return db.session.scalar(select(func.count()).select_from(unread.subquery()))


def notifications_page(user, page=1, per_page=30):
    statement = (select(Notification).options(joinedload(Notification.actor))
                 .where(Notification.user_id == user.id)
                 .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return pagination.paginate(statement, page, per_page)


def _own(user, notification_id):
    found = db.session.execute(select(Notification.url, Notification.read_at).where(
        Notification.id == notification_id, Notification.user_id == user.id)).first()
    if found is None:
        raise NotFound(_("No such notification."))
    return found


def notification_url(user, notification_id):
    """Return where one of the user's notifications leads, changing nothing."""
    return _own(user, notification_id).url


def open_notification(user, notification_id):
    """Mark a notification read and return where it leads."""
    found = _own(user, notification_id)
    if found.read_at is None:
        _mark_read(user.id, Notification.id == notification_id)
    return found.url


def mark_read(user, notification_id):
    if not _mark_read(user.id, Notification.id == notification_id):
        exists = db.session.scalar(select(Notification.id).where(
            Notification.id == notification_id, Notification.user_id == user.id))
        if exists is None:
            raise NotFound(_("No such notification."))


def mark_all_read(user):
    """Mark every unread notification read; return how many."""
    return _mark_read(user.id)


def _mark_read(user_id, *conditions):
    changed = db.session.execute(
        update(Notification).where(Notification.user_id == user_id,
                                   Notification.read_at.is_(None), *conditions)
        .values(read_at=utcnow())).rowcount
    db.session.commit()
    return changed


# -- email settings ------------------------------------------------------------------------

def set_email_preference(user, value):
    """Choose how notifications arrive by email: immediate, daily or off."""
    if value not in EMAIL_CHOICES:
        message = _("Choose one of: immediately, daily digest, or off.")
        raise Invalid(_("Your settings were not changed. %(message)s", message=message),
                      {"email_notifications": message})
    user.email_notifications = value
    db.session.commit()
    return user


def unsubscribe(user):
    """Turn off all notification email (the one-click link in every mail)."""
    user.email_notifications = "off"
    db.session.commit()
    return user
