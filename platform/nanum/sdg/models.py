"""The SDG goals and targets suggested for a practice's text, with the author's answer."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.extensions import db
from nanum.timeutil import utcnow

# What the author made of a suggestion: chose it, said no, or not yet either.
DECISIONS = {"accepted": _l("Accepted"), "dismissed": _l("Dismissed"), "open": _l("Not answered")}


class Suggestion(db.Model):
    """A goal ("6") or target ("6.1") the suggester offered for a practice's text.

    Kept while it is still suggested, chosen or dismissed: a dismissed one is never offered
    again for the same practice.
    """

    __tablename__ = "sdg_suggestions"
    # Also the index for a practice's suggestions (practice_id leads).
    __table_args__ = (UniqueConstraint("practice_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    key: Mapped[str] = mapped_column(String(5))
    score: Mapped[float] = mapped_column(Float)
    words: Mapped[list] = mapped_column(JSON, default=list)
    sentence: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(10), default="open")
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    practice = relationship("Practice")

    @property
    def is_target(self):
        return "." in self.key

    @property
    def goal(self):
        return int(self.key.split(".")[0])

    @property
    def decision_label(self):
        return str(DECISIONS.get(self.decision, self.decision))
