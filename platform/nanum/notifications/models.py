"""What people watch, what they are told, and the mail waiting to tell them by email."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.extensions import db
from nanum.timeutil import utcnow

TARGET_TYPES = ("practice", "thread", "sdg", "theme", "organisation", "collection", "search",
                "event")
KINDS = ("mention", "reply", "accepted", "watched", "moderation", "join", "adapted", "contact",
         "board", "event")
EMAIL_STATES = ("pending", "sent", "skipped", "digest")
MAIL_STATUSES = ("pending", "sent", "failed")


class Watch(db.Model):
    """One person watching one thing: a practice, a thread, an SDG, a theme, an organisation,
    a collection or a saved search (whose key is its normalised query string)."""

    __tablename__ = "watches"
    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_key",
                         name="uq_watches_user_target"),
        Index("ix_watches_target", "target_type", "target_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    target_type: Mapped[str] = mapped_column(String(20))
    target_key: Mapped[str] = mapped_column(String(1000))
    label: Mapped[str | None] = mapped_column(String(300))  # saved searches: how to name it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(db.Model):
    """Something a person should know about, shown under the bell and perhaps emailed.

    `email_state` says what email did with it: `pending` waits for the daily digest,
    `sent` went to the mail queue on its own, `digest` went out in a digest, `skipped`
    is never emailed. `event` ("post:12") keeps one notification per person per event.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "event", name="uq_notifications_user_event"),
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_email_state", "email_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500))
    event: Mapped[str | None] = mapped_column(String(60))
    about: Mapped[str | None] = mapped_column(String(60))  # "thread:3": groups the digest
    about_title: Mapped[str | None] = mapped_column(String(200))
    excerpt: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]
    email_state: Mapped[str] = mapped_column(String(10), default="pending")

    user = relationship("User", foreign_keys=[user_id])
    actor = relationship("User", foreign_keys=[actor_id])

    @property
    def is_unread(self):
        return self.read_at is None


class OutgoingMail(db.Model):
    """A message waiting to be sent by `nanum notifications send`, with its retries."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class PendingSearchMatch(db.Model):
    """A published practice not yet matched against saved searches, because the search
    index had not caught up with it (or matching was left to `nanum notifications send`)."""

    __tablename__ = "pending_search_matches"

    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
