"""Cooked text: the sanitised HTML and plain text stored beside every Markdown source.

Services cook a record when its text is written, before any write statement, so pages,
feeds, notifications and search only ever read the stored results (as Discourse does).
"""

from markupsafe import Markup, escape
from sqlalchemy import JSON, func, select
from sqlalchemy.orm import Mapped, mapped_column

from nanum import markdown
from nanum.extensions import db


class Cooked:
    """Mixin for a model with Markdown fields (named in `MARKDOWN_FIELDS`)."""

    MARKDOWN_FIELDS: tuple = ()

    # {field: {"html": ..., "text": ...}}; NULL until the record is first cooked.
    cooked: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))

    def cook(self, mentions=None):
        """Cook every Markdown field; `mentions` maps handles to profile addresses."""
        self.cooked = cook_fields(self.MARKDOWN_FIELDS, lambda field: getattr(self, field),
                                  mentions)  # a new dict, so that the change is saved

    def _cooked(self, field):
        return (self.cooked or {}).get(field)

    def html(self, field):
        """Return a field's stored HTML (its escaped source if it was never cooked)."""
        found = self._cooked(field)
        if found is None:
            source = getattr(self, field) or ""
            return Markup("<p>%s</p>") % escape(source) if source.strip() else Markup("")
        return Markup(found["html"])

    def text(self, field, limit=None):
        """Return a field's stored plain text, cut at a word before `limit` characters."""
        found = self._cooked(field)
        text = found["text"] if found else " ".join((getattr(self, field) or "").split())
        return markdown.shorten(text, limit)


def cook_fields(fields, source_of, mentions=None):
    """Return the stored form of Markdown fields: {field: {"html": ..., "text": ...}}."""
    cooked = {}
    for field in fields:
        html, text = markdown.cook(source_of(field), mentions)
        cooked[field] = {"html": html, "text": text}
    return cooked


def uncooked(models, *, everything=False):
    """Return how many records `recook` would cook."""
    total = 0
    for model in models:
        statement = select(func.count()).select_from(model)
        if not everything:
            statement = statement.where(model.cooked.is_(None))
        total += db.session.scalar(statement)
    return total


def recook(models, *, everything=False, batch=200, progress=None):
    """Cook the records never cooked (or all of them), a batch per commit; return the count.

    A post's @handles are linked to the people its mentions name.
    """
    done = 0
    for model in models:
        last_id = 0
        while True:
            statement = select(model).where(model.id > last_id).order_by(model.id).limit(batch)
            if not everything:
                statement = statement.where(model.cooked.is_(None))
            records = db.session.scalars(statement).all()
            if not records:
                break
            for record in records:
                record.cook(_mentions_of(record))
            last_id = records[-1].id
            db.session.commit()
            done += len(records)
            if progress:
                progress(len(records))
    return done


def _mentions_of(record):
    from nanum.discussions.models import Post

    if not isinstance(record, Post):
        return None
    from nanum.discussions import mentions

    return mentions.profile_links(mentions.mentioned_in(record))
