"""Threads, posts, their edit history, helpful marks and mentions."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nanum.cooking import Cooked
from nanum.discussions import categories
from nanum.extensions import db
from nanum.timeutil import utcnow


class Thread(db.Model):
    """The discussion under a practice, or a standalone topic in a category."""

    __tablename__ = "threads"
    __table_args__ = (Index("ix_threads_category_last", "category", "last_post_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id"), unique=True)
    category: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    post_count: Mapped[int] = mapped_column(default=0)
    locked: Mapped[bool] = mapped_column(default=False)
    lock_reason: Mapped[str | None] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(default=False)
    # Asked as a question, in any category: a reply can be accepted as the answer.
    question: Mapped[bool] = mapped_column(default=False, server_default=false())
    accepted_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", use_alter=True, name="fk_threads_accepted_post_id_posts"))

    practice = relationship("Practice")
    author = relationship("User")
    targets = relationship("ThreadTarget", cascade="all, delete-orphan")
    tags = relationship("ThreadTag", cascade="all, delete-orphan", order_by="ThreadTag.tag")

    @property
    def is_topic(self):
        return self.practice_id is None

    @property
    def category_info(self):
        return categories.get(self.category) if self.category else None

    @property
    def is_question(self):
        """Whether an answer can be accepted: asked as a question, or in a questions category."""
        info = self.category_info
        return self.is_topic and (self.question or bool(info and info.question))

    @property
    def display_title(self):
        return self.title or (self.practice.title if self.practice else "Discussion")

    @property
    def target_keys(self):
        from nanum.taxonomy.sdg import target_sort_key
        return sorted((t.target for t in self.targets), key=target_sort_key)

    @property
    def tag_names(self):
        return [t.tag for t in self.tags]


class ThreadTarget(db.Model):
    __tablename__ = "thread_targets"
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), primary_key=True)
    target: Mapped[str] = mapped_column(String(6), primary_key=True, index=True)


class ThreadTag(db.Model):
    __tablename__ = "thread_tags"
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


class Post(Cooked, db.Model):
    __tablename__ = "posts"
    MARKDOWN_FIELDS = ("body",)
    __table_args__ = (Index("ix_posts_thread_created", "thread_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]  # by its author: the text stays, unseen
    hidden: Mapped[bool] = mapped_column(default=False)  # by a moderator, reversibly
    held: Mapped[bool] = mapped_column(default=False)  # waiting for moderation
    helpful_count: Mapped[int] = mapped_column(default=0)

    thread = relationship("Thread", foreign_keys=[thread_id])
    author = relationship("User")

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_visible(self):
        """Whether the text is shown to readers (a deleted post leaves a placeholder)."""
        return not (self.is_deleted or self.hidden or self.held)


class PostRevision(db.Model):
    """A post's text before an edit."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    edited_by = relationship("User")


class Helpful(db.Model):
    __tablename__ = "helpful_marks"
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mention(db.Model):
    __tablename__ = "mentions"
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
