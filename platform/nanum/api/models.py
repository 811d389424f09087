"""Personal API tokens: only a digest of each token is stored."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.extensions import db
from nanum.timeutil import utcnow

SCOPES = {"read": _l("Read"), "write": _l("Write drafts, submissions and replies")}


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # SHA-256 of the token, hex: the token itself is shown once and never kept.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # its first characters, to tell tokens apart
    scopes: Mapped[str] = mapped_column(String(40), default="read")  # space-separated
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user = relationship("User")

    @property
    def scope_list(self):
        return self.scopes.split()

    def allows(self, scope):
        return scope in self.scope_list

    @property
    def is_revoked(self):
        return self.revoked_at is not None
