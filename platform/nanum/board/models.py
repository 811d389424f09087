"""Needs and offers on the partnership board, their matches and introductions."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.board import vocab
from nanum.cooking import Cooked
from nanum.extensions import db
from nanum.practices import vocab as practice_vocab
from nanum.taxonomy.tagging import Tagged, tag_model
from nanum.timeutil import utcnow


class BoardPost(Tagged, Cooked, db.Model):
    """A need ("we need help costing ...") or an offer ("we train ...") of an organisation."""

    __tablename__ = "board_posts"
    KINDS, STATUSES = vocab.KINDS, vocab.STATUSES
    MARKDOWN_FIELDS = ("description",)
    __table_args__ = (Index("ix_board_posts_kind_status_end", "kind", "status", "end_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # need | offer
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    hidden: Mapped[bool] = mapped_column(default=False)  # by moderation (flags)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    end_date: Mapped[date] = mapped_column(Date)
    government_level: Mapped[str | None] = mapped_column(String(20))
    population_band: Mapped[str | None] = mapped_column(String(20))
    settlement_type: Mapped[str | None] = mapped_column(String(20))
    budget_band: Mapped[str | None] = mapped_column(String(20))
    infrastructure_level: Mapped[str | None] = mapped_column(String(20))
    staff_band: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    organisation = relationship("Organisation")
    author = relationship("User")
    targets = relationship("BoardTarget", cascade="all, delete-orphan")
    goals = relationship("BoardGoal", cascade="all, delete-orphan")
    countries = relationship("BoardCountry", cascade="all, delete-orphan",
                             order_by="BoardCountry.position")
    languages = relationship("BoardLanguage", cascade="all, delete-orphan")

    @property
    def is_published(self):
        return self.status == "published" and not self.hidden

    def is_expired(self, today):
        return self.end_date < today

    @property
    def language_codes(self):
        return sorted(entry.language for entry in self.languages)

    def context_profile(self):
        """Return (field, label, value label) of the filled context fields."""
        return [(field, label, choices.get(getattr(self, field), getattr(self, field)))
                for field, (label, choices) in practice_vocab.CONTEXT_FIELDS.items()
                if getattr(self, field)]

    def __repr__(self):
        return f"<BoardPost {self.id} {self.kind} {self.title!r}>"


BoardTarget = tag_model("BoardTarget", "board_targets", "post_id", "board_posts.id", "target",
                        String(6))
BoardGoal = tag_model("BoardGoal", "board_goals", "post_id", "board_posts.id", "goal", Integer)
BoardCountry = tag_model("BoardCountry", "board_countries", "post_id", "board_posts.id",
                         "country", String(2), positioned=True)
BoardLanguage = tag_model("BoardLanguage", "board_languages", "post_id", "board_posts.id",
                          "language", String(10))


class BoardMatch(db.Model):
    """A need and an offer that fit, with the score and the reasons, kept when either is
    published or edited; a match that led somewhere is marked and may name its practice."""

    __tablename__ = "board_matches"
    __table_args__ = (UniqueConstraint("need_id", "offer_id", name="uq_board_matches_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("board_posts.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("board_posts.id"), index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    told_at: Mapped[datetime | None]  # when both sides were told of it as a good match
    formed_at: Mapped[datetime | None]
    formed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id"))

    need = relationship("BoardPost", foreign_keys=[need_id])
    offer = relationship("BoardPost", foreign_keys=[offer_id])
    practice = relationship("Practice")

    @property
    def is_good(self):
        return self.score >= vocab.GOOD_SCORE

    def other(self, post):
        return self.offer if post.id == self.need_id else self.need


class Introduction(db.Model):
    """One side of a match asking the other to talk; contacts are shared once accepted."""

    __tablename__ = "board_introductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("board_matches.id"), index=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    to_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    match = relationship("BoardMatch")
    sender = relationship("User", foreign_keys=[sender_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])
    from_organisation = relationship("Organisation", foreign_keys=[from_organisation_id])
    to_organisation = relationship("Organisation", foreign_keys=[to_organisation_id])

    @property
    def status_label(self):
        return vocab.INTRODUCTION_STATUSES.get(self.status, self.status)
