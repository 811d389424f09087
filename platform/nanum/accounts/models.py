"""People and their credentials."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String, Text
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
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships = relationship("Membership", back_populates="user",
                               cascade="all, delete-orphan")

    def set_password(self, password):
        """Hash and store a new password, signing out other sessions."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_token = _new_session_token()

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self):
        return self.active

    @property
    def is_moderator(self):
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self):
        return self.role == "admin"

    def __repr__(self):
        return f"<User {self.email}>"
