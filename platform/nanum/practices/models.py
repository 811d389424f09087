"""The practice record, its tags, attachments and revisions."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.cooking import Cooked
from nanum.extensions import db
from nanum.organisations import place_names, regions
from nanum.practices import vocab
from nanum.taxonomy import sdg
from nanum.timeutil import utcnow

TEASER = 240  # characters of a summary that a practice card shows


class Practice(Cooked, db.Model):
    __tablename__ = "practices"
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
    def kind_label(self):
        return vocab.KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return vocab.STATUSES.get(self.status, self.status)

    @property
    def evidence_label(self):
        return vocab.EVIDENCE_LEVELS.get(self.evidence_level or "", "")

    @property
    def country_codes(self):
        return [c.country for c in self.countries]

    @property
    def goal_numbers(self):
        return sorted(g.goal for g in self.goals)

    @property
    def target_keys(self):
        return sorted((t.target for t in self.targets), key=sdg.target_sort_key)

    @property
    def theme_keys(self):
        return [key for key in vocab.THEMES if key in {t.theme for t in self.themes}]

    @property
    def tag_names(self):
        return sorted(t.tag for t in self.tags)  # as loaded, also before a flush

    @property
    def partner_organisations(self):
        return [p.organisation for p in self.partners]

    @property
    def regions(self):
        """Return the distinct M49 sub-regions of the practice's countries."""
        found = []
        for code in self.country_codes:
            name = regions.subregion_of(code)
            if name and name not in found:
                found.append(name)
        return found

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


class PracticeCountry(db.Model):
    __tablename__ = "practice_countries"
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    @property
    def name(self):
        return place_names.shown_country(self.country)


class PracticeGoal(db.Model):
    __tablename__ = "practice_goals"
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    goal: Mapped[int] = mapped_column(primary_key=True, index=True)


class PracticeTarget(db.Model):
    __tablename__ = "practice_targets"
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    target: Mapped[str] = mapped_column(String(6), primary_key=True, index=True)


class PracticeTheme(db.Model):
    __tablename__ = "practice_themes"
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)


class PracticeTag(db.Model):
    __tablename__ = "practice_tags"
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


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
