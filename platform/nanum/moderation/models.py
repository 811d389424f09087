"""The audit log and the site settings that moderators and admins change."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.extensions import db
from nanum.timeutil import utcnow


class AuditRecord(db.Model):
    """One moderation or admin act: who, when, on what, why, and the state before and after.

    Records are only ever added: no page or service edits or deletes them.
    """

    __tablename__ = "audit_records"
    __table_args__ = (Index("ix_audit_records_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    # What the target was called when the act happened (it may be renamed or merged later).
    target_label: Mapped[str] = mapped_column(String(300), default="")
    reason_code: Mapped[str | None] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))

    actor = relationship("User")


class SiteSetting(db.Model):
    """A setting changed in the app (its default lives in the configuration)."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict | list | str | int | bool | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
