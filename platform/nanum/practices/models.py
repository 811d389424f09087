"""The practice record, its tags, attachments and revisions."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.cooking import Cooked
from nanum.extensions import db
from nanum.organisations import place_names
from nanum.practices import vocab
from nanum.taxonomy.tagging import Tagged, tag_model
from nanum.timeutil import utcnow

TEASER = 240  # characters of a summary that a practice card shows


class Practice(Tagged, Cooked, db.Model):
    __tablename__ = "practices"
    KINDS, STATUSES = vocab.KINDS, vocab.STATUSES
    MARKDOWN_FIELDS = ("summary", *vocab.SECTIONS, *vocab.ADAPTATION_SECTIONS)
    __table_args__ = (
        Index("ix_practices_status_published", "status", "published_at"),
        # One version a language in a group of translations (an original's translation_of_id
        # is empty, and NULLs never collide).
        Index("uq_practices_translation_language", "translation_of_id", "language",
              unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    teaser: Mapped[str | None] = mapped_column(String(TEASER + 1))  # the summary cut for cards
    kind: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    language: Mapped[str] = mapped_column(String(10), default="en")
    period_start: Mapped[int | None]
    period_end: Mapped[int | None]

    context: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    implementation: Mapped[str] = mapped_column(Text, default="")
    stakeholders: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    evidence_level: Mapped[str | None] = mapped_column(String(20))
    enabling_factors: Mapped[str] = mapped_column(Text, default="")
    constraints: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    sustainability: Mapped[str] = mapped_column(Text, default="")

    budget_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    budget_year: Mapped[int | None]
    staff_fte: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    duration_months: Mapped[int | None]

    government_level: Mapped[str | None] = mapped_column(String(20), index=True)
    population_band: Mapped[str | None] = mapped_column(String(20), index=True)
    settlement_type: Mapped[str | None] = mapped_column(String(20), index=True)
    budget_band: Mapped[str | None] = mapped_column(String(20), index=True)
    infrastructure_level: Mapped[str | None] = mapped_column(String(20), index=True)
    staff_band: Mapped[str | None] = mapped_column(String(20), index=True)

    # The practice this one adapts, and what the adapters changed and saw happen. The key
    # is filled after the rows when a database is copied: an older draft may name a newer
    # original.
    adapted_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id", use_alter=True, name="fk_practices_adapted_from_id_practices"),
        index=True)
    # The original this practice is a translation of: a group of translations is an
    # original and the practices naming it, one language each (`translations.py`).
    translation_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id", use_alter=True,
                   name="fk_practices_translation_of_id_practices"), index=True)
    adaptation_changes: Mapped[str] = mapped_column(Text, default="")
    adaptation_results: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    organisation = relationship("Organisation")
    adapted_from = relationship("Practice", remote_side="Practice.id",
                                foreign_keys="Practice.adapted_from_id")
    translation_of = relationship("Practice", remote_side="Practice.id",
                                  foreign_keys="Practice.translation_of_id")
    author = relationship("User")
    countries = relationship("PracticeCountry", cascade="all, delete-orphan",
                             order_by="PracticeCountry.position")
    goals = relationship("PracticeGoal", cascade="all, delete-orphan",
                         order_by="PracticeGoal.goal")
    targets = relationship("PracticeTarget", cascade="all, delete-orphan")
    themes = relationship("PracticeTheme", cascade="all, delete-orphan")
    tags = relationship("PracticeTag", cascade="all, delete-orphan", order_by="PracticeTag.tag")
    partners = relationship("PracticePartner", cascade="all, delete-orphan")
    attachments = relationship("Attachment", back_populates="practice",
                               cascade="all, delete-orphan", order_by="Attachment.id")
    revisions = relationship("Revision", back_populates="practice",
                             cascade="all, delete-orphan", order_by="Revision.id.desc()")

    def cook(self, mentions=None):
        """Cook the Markdown fields and keep the summary's opening words for cards."""
        super().cook(mentions)
        self.teaser = self.text("summary", TEASER)

    @property
    def is_published(self):
        return self.status == "published"

    @property
    def evidence_label(self):
        return vocab.EVIDENCE_LEVELS.get(self.evidence_level or "", "")

    @property
    def tag_names(self):
        return sorted(t.tag for t in self.tags)  # as loaded, also before a flush

    @property
    def partner_organisations(self):
        return [p.organisation for p in self.partners]

    @property
    def period_label(self):
        if not self.period_start:
            return ""
        if self.period_end == self.period_start:
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end or 'ongoing'}"

    def context_profile(self):
        """Return (label, value label) pairs of the filled context fields."""
        profile = []
        for field, (label, choices) in vocab.CONTEXT_FIELDS.items():
            value = getattr(self, field)
            if value:
                profile.append((field, label, choices.get(value, value)))
        return profile

    def __repr__(self):
        return f"<Practice {self.id} {self.title!r}>"


PracticeCountry = tag_model(
    "PracticeCountry", "practice_countries", "practice_id", "practices.id", "country", String(2),
    positioned=True, name=property(lambda self: place_names.shown_country(self.country)))
PracticeGoal = tag_model("PracticeGoal", "practice_goals", "practice_id", "practices.id",
                         "goal", Integer)
PracticeTarget = tag_model("PracticeTarget", "practice_targets", "practice_id", "practices.id",
                           "target", String(6))
PracticeTheme = tag_model("PracticeTheme", "practice_themes", "practice_id", "practices.id",
                          "theme", String(30))
PracticeTag = tag_model("PracticeTag", "practice_tags", "practice_id", "practices.id", "tag",
                        String(50))


class PracticePartner(db.Model):
    __tablename__ = "practice_partners"
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"),
                                                 primary_key=True, index=True)
    organisation = relationship("Organisation")


class Attachment(db.Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    practice = relationship("Practice", back_populates="attachments")


class Revision(db.Model):
    """One saved edit of a practice: who, when, and each changed field's old and new value."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(30))  # created | edited | submitted | published
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    practice = relationship("Practice", back_populates="revisions")
    user = relationship("User")

    @property
    def changed_fields(self):
        return list(self.changes)
