"""Organisations and who belongs to them."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.cooking import Cooked
from nanum.extensions import db
from nanum.organisations import regions
from nanum.organisations.vocab import ORG_TYPES
from nanum.timeutil import utcnow


class Organisation(Cooked, db.Model):
    __tablename__ = "organisations"
    MARKDOWN_FIELDS = ("description",)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    government_level: Mapped[str | None] = mapped_column(String(20))
    population: Mapped[int | None]
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    verified: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False, server_default=false())  # by moderation
    # Set by moderators: under the "trusted_publish" policy its practices skip review.
    trusted: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships = relationship("Membership", back_populates="organisation",
                               cascade="all, delete-orphan")

    @property
    def type_label(self):
        return ORG_TYPES.get(self.type, self.type)

    @property
    def country_name(self):
        return regions.country_name(self.country) or self.country

    @property
    def region(self):
        return regions.region_of(self.country)

    @property
    def subregion(self):
        return regions.subregion_of(self.country)

    def __repr__(self):
        return f"<Organisation {self.name}>"


class Membership(db.Model):
    """A person's place in an organisation: `pending` until an organisation admin approves."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")  # member | admin
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | active
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", back_populates="memberships")
    organisation = relationship("Organisation", back_populates="memberships")

    @property
    def is_active(self):
        return self.status == "active"

    @property
    def is_admin(self):
        return self.status == "active" and self.role == "admin"
