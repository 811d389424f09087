"""Context profiles: the place a person or an organisation works in."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.extensions import db
from nanum.places.similarity import PLACE_FIELDS, Place
from nanum.timeutil import utcnow


class PlaceProfile(db.Model):
    """The place of one person or one organisation (exactly one of the two owns it).

    A person may instead rank by the place of an organisation they belong to
    (`uses_organisation_id`); their own fields are kept meanwhile.
    """

    __tablename__ = "place_profiles"
    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (organisation_id IS NULL)",
                        name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"),
                                                        unique=True)
    uses_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(60))
    government_level: Mapped[str | None] = mapped_column(String(20))
    population_band: Mapped[str | None] = mapped_column(String(20))
    settlement_type: Mapped[str | None] = mapped_column(String(20))
    budget_band: Mapped[str | None] = mapped_column(String(20))
    infrastructure_level: Mapped[str | None] = mapped_column(String(20))
    staff_band: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    uses_organisation = relationship("Organisation", foreign_keys=[uses_organisation_id])

    @property
    def place(self):
        return Place.from_values({name: getattr(self, name) for name in PLACE_FIELDS})
