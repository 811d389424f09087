"""The expert directory: people who opt in, and the contact requests they receive."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.extensions import db
from nanum.timeutil import utcnow

TAG_KINDS = ("target", "goal", "country", "language")


class ExpertProfile(db.Model):
    """A person's entry in the expert directory; shown only while `listed`."""

    __tablename__ = "expert_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    listed: Mapped[bool] = mapped_column(default=False, server_default=false())
    summary: Mapped[str] = mapped_column(String(600), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User")
    tags = relationship("ExpertTag", back_populates="profile", cascade="all, delete-orphan",
                        order_by="ExpertTag.id")

    def values(self, kind):
        """Return the profile's values of one kind (target, goal, country, language)."""
        return [tag.value for tag in self.tags if tag.kind == kind]


class ExpertTag(db.Model):
    """One SDG target (and its goal), country or language an expert offers."""

    __tablename__ = "expert_tags"
    __table_args__ = (UniqueConstraint("profile_id", "kind", "value"),
                      Index("ix_expert_tags_kind_value", "kind", "value"))

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(10))

    profile = relationship("ExpertProfile", back_populates="tags")


class ContactRequest(db.Model):
    """A message to an expert; each side's email is shown to the other only once accepted."""

    __tablename__ = "contact_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # accepted | declined
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    sender = relationship("User", foreign_keys=[sender_id])
    expert = relationship("User", foreign_keys=[expert_id])
