"""What moderators curate: featured practices, collections and calls for contributions."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.cooking import Cooked
from nanum.extensions import db
from nanum.timeutil import utcnow

NOTE_LIMIT = 300


class FeaturedPractice(db.Model):
    """A published practice that the home page shows first, in `position` order."""

    __tablename__ = "featured_practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(NOTE_LIMIT), default="")
    featured_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    featured_at: Mapped[datetime] = mapped_column(default=utcnow)

    practice = relationship("Practice")


class Collection(Cooked, db.Model):
    """An ordered list of practices, each with a curator's note, under a title."""

    __tablename__ = "collections"
    MARKDOWN_FIELDS = ("description",)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=False, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    def __repr__(self):
        return f"<Collection {self.id} {self.title!r}>"


class CollectionItem(db.Model):
    """One practice in a collection, at a position, with the curator's note."""

    __tablename__ = "collection_items"
    __table_args__ = (UniqueConstraint("collection_id", "practice_id",
                                       name="uq_collection_items_practice"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(NOTE_LIMIT), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    practice = relationship("Practice")


class ContributionCall(Cooked, db.Model):
    """A call for contributions: practices on some SDGs and places, until a closing date.

    It is open up to and including `closes_on` (a UTC date).
    """

    __tablename__ = "calls"
    MARKDOWN_FIELDS = ("description",)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    sdgs: Mapped[list] = mapped_column(JSON, default=list)  # goal and target keys: "6", "6.b"
    countries: Mapped[list] = mapped_column(JSON, default=list)  # ISO 3166-1 alpha-2
    regions: Mapped[list] = mapped_column(JSON, default=list)  # M49 sub-regions
    closes_on: Mapped[date] = mapped_column(index=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_open(self):
        return self.closes_on >= utcnow().date()

    def __repr__(self):
        return f"<ContributionCall {self.id} {self.title!r}>"


class CallAnswer(db.Model):
    """A practice submitted in answer to a call (a practice answers at most one call)."""

    __tablename__ = "call_answers"

    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    tagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    tagged_at: Mapped[datetime] = mapped_column(default=utcnow)

    call = relationship("ContributionCall")
