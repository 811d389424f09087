"""People and their credentials."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from nanum.cooking import Cooked
from nanum.extensions import db
from nanum.timeutil import utcnow

ROLES = ("member", "moderator", "admin")


def _new_session_token():
    return secrets.token_urlsafe(24)


class User(UserMixin, Cooked, db.Model):
    __tablename__ = "users"
    MARKDOWN_FIELDS = ("bio",)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    # What others type after "@" to mention this person: unique, lower-case.
    handle: Mapped[str] = mapped_column(String(40), unique=True)
    email_notifications: Mapped[str] = mapped_column(String(10), default="immediate")
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of the login cookie: rotating it signs out every other session.
    session_token: Mapped[str] = mapped_column(String(64), default=_new_session_token)
    role: Mapped[str] = mapped_column(String(20), default="member")
    affiliation: Mapped[str | None] = mapped_column(String(200))
    bio: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    languages: Mapped[str | None] = mapped_column(String(200))
    # The interface's language for this person, on pages and in mail (nanum.i18n.LANGUAGES);
    # None follows the chooser and the browser.
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    # None until the person opens the link mailed at registration; accounts made by
    # commands and by the demo are confirmed when created.
    email_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Moderation (nanum/flags): a silenced person reads but cannot post until the date; a
    # suspended one cannot sign in until the date; a hidden profile shows a placeholder.
    silenced_until: Mapped[datetime | None]
    suspended_until: Mapped[datetime | None]
    hidden: Mapped[bool] = mapped_column(default=False, server_default=false())

    memberships = relationship("Membership", back_populates="user",
                               cascade="all, delete-orphan")

    def set_password(self, password):
        """Hash and store a new password, signing out other sessions."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.end_sessions()

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def end_sessions(self):
        """Sign out every session and remembered device of this person."""
        self.session_token = _new_session_token()

    @property
    def is_confirmed(self):
        return self.email_confirmed_at is not None

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self):
        return self.active

    @property
    def is_silenced(self):
        return self.silenced_until is not None and self.silenced_until > utcnow()

    @property
    def is_suspended(self):
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_moderator(self):
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self):
        return self.role == "admin"

    def __repr__(self):
        return f"<User {self.email}>"


class LoginFailures(db.Model):
    """Failed sign-ins counted per key (an account or a client address) and time window,
    so that every worker and every host sees the same counts."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # "account:<sha256>"
    window_start: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    failures: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime] = mapped_column(index=True)
