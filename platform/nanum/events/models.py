"""The event record: its programme, presentations, documents, contacts and registrations."""

from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum import markdown
from nanum.cooking import Cooked
from nanum.events import vocab
from nanum.extensions import db
from nanum.taxonomy.tagging import Tagged, tag_model
from nanum.timeutil import utcnow

co_organisers = Table(
    "event_co_organisers", db.metadata,
    Column("event_id", ForeignKey("events.id"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True, index=True),
)

# "Presented at": a practice can name the events it was presented at.
presented_practices = Table(
    "event_practices", db.metadata,
    Column("event_id", ForeignKey("events.id"), primary_key=True),
    Column("practice_id", ForeignKey("practices.id"), primary_key=True, index=True),
)


def _aware(moment):
    return moment.replace(tzinfo=ZoneInfo("UTC")) if moment else None


class Event(Tagged, Cooked, db.Model):
    __tablename__ = "events"
    KINDS, STATUSES = vocab.KINDS, vocab.STATUSES
    MARKDOWN_FIELDS = ("background", "outcome")
    __table_args__ = (Index("ix_events_status_starts", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # Stored as naive UTC; `time_zone` (IANA) is where the event happens, for display.
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    place: Mapped[str] = mapped_column(String(300), default="")
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    online_url: Mapped[str] = mapped_column(String(500), default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    background: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    capacity: Mapped[int | None]  # None: no limit
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]  # when it was last submitted for review

    organisation = relationship("Organisation")
    author = relationship("User")
    co_organisers = relationship("Organisation", secondary=co_organisers,
                                 order_by="Organisation.name")
    practices = relationship("Practice", secondary=presented_practices,
                             order_by="Practice.title")
    goals = relationship("EventGoal", cascade="all, delete-orphan", order_by="EventGoal.goal")
    targets = relationship("EventTarget", cascade="all, delete-orphan")
    themes = relationship("EventTheme", cascade="all, delete-orphan")
    sessions = relationship("EventSession", back_populates="event",
                            cascade="all, delete-orphan",
                            order_by="(EventSession.starts_at, EventSession.id)")
    documents = relationship("EventDocument", back_populates="event",
                             cascade="all, delete-orphan", order_by="EventDocument.id")
    contacts = relationship("ContactPerson", back_populates="event",
                            cascade="all, delete-orphan", order_by="ContactPerson.id")

    @property
    def is_published(self):
        return self.status == "published"

    @property
    def country_codes(self):
        """An event happens in one country at most."""
        return [self.country] if self.country else []

    @property
    def zone(self):
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return _aware(self.starts_at).astimezone(self.zone)

    @property
    def local_end(self):
        return _aware(self.ends_at).astimezone(self.zone)

    @property
    def is_past(self):
        return self.ends_at < utcnow()

    def __repr__(self):
        return f"<Event {self.id} {self.title!r}>"


EventGoal = tag_model("EventGoal", "event_goals", "event_id", "events.id", "goal", Integer)
EventTarget = tag_model("EventTarget", "event_targets", "event_id", "events.id", "target",
                        String(6))
EventTheme = tag_model("EventTheme", "event_themes", "event_id", "events.id", "theme",
                       String(30))


class EventSession(db.Model):
    __tablename__ = "event_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    room: Mapped[str] = mapped_column(String(200), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    moderator: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")

    event = relationship("Event", back_populates="sessions")
    speakers = relationship("Speaker", back_populates="session", cascade="all, delete-orphan",
                            order_by="Speaker.id")
    presentations = relationship("Presentation", back_populates="session",
                                 cascade="all, delete-orphan", order_by="Presentation.id")

    @property
    def description_markup(self):
        """The description's HTML, sanitised when it was cooked on write."""
        return Markup(self.description_html)

    @property
    def description_text(self):
        """The description's plain text, from the HTML cooked on write."""
        return markdown.plain_text(self.description_html or "")

    @property
    def local_start(self):
        return _aware(self.starts_at).astimezone(self.event.zone)

    @property
    def local_end(self):
        return _aware(self.ends_at).astimezone(self.event.zone)


class Speaker(db.Model):
    """A person who speaks in a session: a Nanum user, or a free name and affiliation."""

    __tablename__ = "event_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("event_sessions.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    affiliation: Mapped[str] = mapped_column(String(200), default="")

    session = relationship("EventSession", back_populates="speakers")
    user = relationship("User")

    @property
    def shown_name(self):
        return self.user.name if self.user is not None else self.name


class _StoredFile:
    """Columns of a file checked and stored as practice attachments are."""

    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Presentation(_StoredFile, db.Model):
    __tablename__ = "event_presentations"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("event_sessions.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    speaker: Mapped[str] = mapped_column(String(200), default="")

    session = relationship("EventSession", back_populates="presentations")

    @property
    def event(self):
        return self.session.event


class EventDocument(_StoredFile, db.Model):
    __tablename__ = "event_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))

    event = relationship("Event", back_populates="documents")

    @property
    def kind_label(self):
        return vocab.DOCUMENT_KINDS.get(self.kind, self.kind)


class ContactPerson(db.Model):
    __tablename__ = "event_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")  # signed-in users only

    event = relationship("Event", back_populates="contacts")


class Registration(db.Model):
    __tablename__ = "event_registrations"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(20), default="registered", index=True)
    visible: Mapped[bool] = mapped_column(default=False)  # shown to other participants
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None]

    event = relationship("Event")
    user = relationship("User")

    @property
    def state_label(self):
        return vocab.REGISTRATION_STATES.get(self.state, self.state)
