"""The search outbox: changes waiting to reach the index, written with the change itself."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from nanum.extensions import db
from nanum.timeutil import utcnow


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "practice:12", "organisation:3", or "organisation-practices:3" (every practice of it)
    doc_key: Mapped[str] = mapped_column(String(60), index=True)  # a batch takes all rows of a key
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
