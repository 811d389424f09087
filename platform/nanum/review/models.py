"""A practice's passage through review, and the private conversation about it."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.extensions import db
from nanum.timeutil import utcnow

# Why a submission waits for review (the queue filters on this).
WAIT_REASONS = {
    "policy": _l("Every submission is reviewed"),
    "untrusted": _l("The organisation is not trusted to publish directly"),
    "new_account": _l("One of a new account's first practices"),
    "edit": _l("A substantial edit of a published practice"),
    "after_rejection": _l("Resubmitted after a rejection"),
}
DECISIONS = {
    "approved": _l("Approved"),
    "changes_requested": _l("Changes requested"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}


class ReviewRequest(db.Model):
    """One submission of a practice waiting for (or past) a moderator's decision.

    A request is open until it is decided; `snapshot` keeps the content that was reviewed,
    so that a resubmission can be shown as a diff since the last review.
    """

    __tablename__ = "review_requests"
    __table_args__ = (Index("ix_review_requests_open", "decided_at", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    round: Mapped[int] = mapped_column(default=1)  # 2 and more: a resubmission
    reason: Mapped[str] = mapped_column(String(20), index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    claimed_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str | None] = mapped_column(String(20))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))

    practice = relationship("Practice")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    claimed_by = relationship("User", foreign_keys=[claimed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def is_open(self):
        return self.decided_at is None

    @property
    def reason_label(self):
        return str(WAIT_REASONS.get(self.reason, self.reason))

    @property
    def decision_label(self):
        return DECISIONS.get(self.decision or "", self.decision or "")


class ReviewMessage(db.Model):
    """A message between a practice's authors and the moderators, seen only by them."""

    __tablename__ = "review_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_moderator: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User")
