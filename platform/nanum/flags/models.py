"""Flags on content, the queue entries they collect into, moderators' statements to the
people they concern (with their one appeal), and private notes on people."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.extensions import db
from nanum.timeutil import utcnow

# What can be flagged: the kind in URLs and records -> what the pages call it.
KINDS = {
    "practice": _l("practice"),
    "thread": _l("topic"),
    "post": _l("post"),
    "organisation": _l("organisation"),
    "user": _l("profile"),
    "board_post": _l("board post"),
    "event": _l("event"),
}
REASONS = {
    "spam": _l("Spam or advertising"),
    "off_topic": _l("Off-topic"),
    "inaccurate": _l("Inaccurate or misleading"),
    "offensive": _l("Offensive or abusive"),
    "private_information": _l("Private information"),
    "copyright": _l("Copyright"),
    "other": _l("Something else (please say what)"),
}
ENTRY_STATUSES = ("open", "hidden", "kept", "restored", "ignored")
APPEAL_STATUSES = ("open", "upheld", "overturned")


class FlagEntry(db.Model):
    """One queue entry: every flag on one item until a moderator decides.

    `open_key` ("post:12") is set while the entry is open and unique, so that flags on one
    item always collect into one open entry; a decided entry gives it up.
    """

    __tablename__ = "flag_entries"
    __table_args__ = (Index("ix_flag_entries_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    open_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    # Whose content it is (the person the decision concerns), when someone wrote it.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    flag_count: Mapped[int] = mapped_column(default=0)
    auto_hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_flagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    author = relationship("User", foreign_keys=[author_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    flags = relationship("Flag", back_populates="entry", order_by="Flag.id")

    @property
    def is_open(self):
        return self.status == "open"

    @property
    def kind_label(self):
        return str(KINDS.get(self.target_type, self.target_type))


class Flag(db.Model):
    """One person's flag on one item; a person flags an item once."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("user_id", "target_type", "target_id",
                                       name="uq_flags_user_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("flag_entries.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    reason: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    # Set by the moderator's decision: upheld (they agreed) or dismissed (they did not).
    outcome: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry = relationship("FlagEntry", back_populates="flags")
    user = relationship("User")

    @property
    def reason_label(self):
        return str(REASONS.get(self.reason, self.reason))


class Statement(db.Model):
    """What a moderator decided about someone's content or account, and why: sent to that
    person, who may appeal it once; another moderator then upholds or overturns it.

    A statement about an organisation belongs to the organisation (`organisation_id`, no
    `user_id`): its admins receive it, and any one of them may appeal it, once.
    """

    __tablename__ = "moderation_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("flag_entries.id"))
    action: Mapped[str] = mapped_column(String(40))  # the audit action: flag.hide, user.warn...
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None]
    target_label: Mapped[str] = mapped_column(String(300), default="")
    reason_code: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text, default="")
    until: Mapped[datetime | None]  # when a silence or suspension ends
    # What the act changed, so that overturning it can put exactly that back.
    changed: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    appeal_status: Mapped[str | None] = mapped_column(String(20), index=True)
    appeal_text: Mapped[str | None] = mapped_column(Text)
    appealed_at: Mapped[datetime | None]
    appealed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    appeal_moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    appeal_message: Mapped[str | None] = mapped_column(Text)
    appeal_decided_at: Mapped[datetime | None]

    user = relationship("User", foreign_keys=[user_id])
    organisation = relationship("Organisation")
    moderator = relationship("User", foreign_keys=[moderator_id])
    appealed_by = relationship("User", foreign_keys=[appealed_by_id])
    appeal_moderator = relationship("User", foreign_keys=[appeal_moderator_id])

    # Decisions in the favour of those they concern: nothing to appeal.
    NOT_APPEALABLE = frozenset({"flag.restore", "flag.ignore"})

    @property
    def can_be_appealed(self):
        return self.appeal_status is None and self.action not in self.NOT_APPEALABLE


class UserNote(db.Model):
    """A moderator's private note on a person, seen by moderators only."""

    __tablename__ = "user_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User", foreign_keys=[author_id])
