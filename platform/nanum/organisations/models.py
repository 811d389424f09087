"""Organisations and who belongs to them."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from nanum.cooking import Cooked
from nanum.extensions import db
from nanum.organisations import names, place_names, regions
from nanum.organisations.vocab import ORG_TYPES
from nanum.timeutil import utcnow


class Organisation(Cooked, db.Model):
    __tablename__ = "organisations"
    MARKDOWN_FIELDS = ("description",)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # `names.normalise(name)`, kept in step with the name, for finding look-alikes.
    normalised_name: Mapped[str] = mapped_column(Text, default="", server_default="")
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
    # Set by the moderator who verified the organisation; cleared when it is revoked.
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships = relationship("Membership", back_populates="organisation",
                               cascade="all, delete-orphan")

    @validates("name")
    def _keep_normalised_name(self, _key, name):
        self.normalised_name = names.normalise(name)
        return name

    @property
    def type_label(self):
        return str(ORG_TYPES.get(self.type, self.type))

    @property
    def country_name(self):
        return place_names.shown_country(self.country)

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


class VerificationRequest(db.Model):
    """An organisation admin's request to be verified, with its evidence and the decision."""

    __tablename__ = "verification_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    website: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(254))  # an address at the website's domain
    contact: Mapped[str] = mapped_column(String(200))  # a person who can confirm it
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="waiting", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text, default="")

    organisation = relationship("Organisation")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    STATUSES = {"waiting": _l("Waiting for a moderator"), "verified": _l("Verified"),
                "declined": _l("Declined")}

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)


class OrganisationRedirect(db.Model):
    """Where the address of an organisation merged into another now leads."""

    __tablename__ = "organisation_redirects"

    old_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    old_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
