"""Discussions: starting topics, replying, editing, deleting, marking and accepting.

Reading threads and topic lists is `reading`'s work; its functions are called through here.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from nanum import inputs
from nanum.accounts.models import User
from nanum.discussions import categories, mentions, signals
from nanum.discussions.models import (
    Helpful,
    Mention,
    Post,
    PostRevision,
    Thread,
    ThreadTag,
    ThreadTarget,
)
from nanum.discussions.reading import (  # noqa: F401  (read through here by views and tests)
    MAX_DEPTH,
    ROOTS_PER_PAGE,
    Node,
    ThreadPage,
    can_see_thread,
    category_counts,
    get_post,
    get_thread,
    page_of,
    thread_of_practice,
    thread_page,
    topics,
)
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.flags.sanctions import check_can_post
from nanum.i18n import format_number
from nanum.organisations import services as organisations
from nanum.taxonomy import sdg
from nanum.timeutil import utcnow

BODY_LIMIT = 20000
TITLE_LIMIT = 200


# -- writing -------------------------------------------------------------------------------

def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Please write something."), {"body": _("Please write something.")})
    if len(body) > BODY_LIMIT:
        message = _("Keep it under %(body_limit)s characters.",
                    body_limit=format_number(BODY_LIMIT))
        raise Invalid(message, {"body": message})
    return body


def _should_hold(user):
    """Hook for the moderation queue: hold a brand-new account's first posts."""
    if not current_app.config["DISCUSSIONS_HOLD_NEW_ACCOUNTS"]:
        return False
    earlier = db.session.scalar(select(func.count(Post.id)).where(
        Post.author_id == user.id, Post.held.is_(False)))
    return earlier < current_app.config["DISCUSSIONS_HOLD_FIRST_POSTS"]


def _new_post(user, body):
    """Check a body's mentions and cook it, before the caller writes anything (the cooking
    then never runs while the database's write lock is held)."""
    named = mentions.named(body)
    mentioned = mentions.to_notify(named, user)
    post = Post(author_id=user.id, body=body)
    post.cook(mentions.profile_links(named))
    return post, mentioned


def _add_post(user, thread, post, mentioned, parent=None):
    post.thread = thread
    post.parent_id = parent.id if parent else None
    post.held = _should_hold(user)
    db.session.add(post)
    db.session.flush()
    for person in mentioned:
        db.session.add(Mention(post_id=post.id, user_id=person.id))
    thread.post_count = Thread.post_count + 1  # in SQL: a concurrent reply is counted too
    thread.last_post_at = utcnow()
    return post


def _clean_topic(category, title, targets, tags):
    errors = {}
    if categories.get(category) is None:
        errors["category"] = _("Please choose a category.")
    title = (title or "").strip()
    if len(title) < 5:
        errors["title"] = _("Please give a title of at least 5 characters.")
    elif len(title) > TITLE_LIMIT:
        errors["title"] = _("Keep the title under %(title_limit)s characters.",
                            title_limit=TITLE_LIMIT)
    keys = []
    if isinstance(targets, str):
        targets = targets.replace(";", ",").split(",")
    for raw in (t for t in targets or [] if str(t).strip()):
        key = sdg.normalise_key(str(raw))
        if key is None or "." not in key:
            errors["targets"] = _("Unknown SDG target %(raw)s.", raw=repr(raw))
        elif key not in keys:
            keys.append(key)
    names = []
    for raw in (tags or "").split(",") if isinstance(tags, str) else (tags or []):
        tag = " ".join(str(raw).lower().split())
        if len(tag) > 50:
            errors["tags"] = _("Keep each tag under 50 characters.")
        elif tag and tag not in names:
            names.append(tag)
    if len(names) > 10:
        errors["tags"] = _("Use at most 10 tags.")
    return title, keys, names, errors


@dataclass
class TopicDraft:
    """A topic's cleaned fields, checked the same way for a preview and for posting."""

    category: str
    title: str
    body: str
    targets: list
    tags: list
    question: bool = False


def check_topic(*, category, title, body, targets=(), tags="", question=False):
    """Return a topic's cleaned fields, or raise Invalid naming every problem at once."""
    title, keys, names, errors = _clean_topic(category, title, targets, tags)
    try:
        body = _clean_body(body)
    except Invalid as error:
        errors.update(error.errors)
    if errors:  # every problem at once, so that one correction is enough
        raise Invalid(_("Please correct the highlighted fields; nothing was posted."), errors)
    return TopicDraft(category, title, body, keys, names, bool(question))


def start_topic(user, *, category, title, body, targets=(), tags="", question=False):
    """Open a topic in a category with its first post; a question can get an accepted answer."""
    check_can_post(user)
    draft = check_topic(category=category, title=title, body=body, targets=targets, tags=tags,
                        question=question)
    post, mentioned = _new_post(user, draft.body)
    thread = Thread(category=draft.category, title=draft.title, author_id=user.id,
                    question=draft.question,
                    targets=[ThreadTarget(target=key) for key in draft.targets],
                    tags=[ThreadTag(tag=name) for name in draft.tags])
    db.session.add(thread)
    _add_post(user, thread, post, mentioned)
    db.session.commit()
    signals.post_created.send(post, mentioned=mentioned)
    return thread


def reply(user, *, thread=None, practice=None, body, parent_id=None):
    """Post in a thread (or the thread of a practice, started on its first post)."""
    check_can_post(user)
    body = _clean_body(body)
    try:
        return _reply(user, thread, practice, body, parent_id)
    except IntegrityError:
        db.session.rollback()
        if thread is not None or practice is None or thread_of_practice(practice) is None:
            raise
        # Two first replies at once: the other one started the practice's thread; join it.
        return _reply(user, None, practice, body, parent_id)


def _reply(user, thread, practice, body, parent_id):
    if thread is None:
        from nanum.practices.services import can_view
        if practice is None or not practice.is_published or not can_view(user, practice):
            raise NotFound(_("No such practice."))
        thread = thread_of_practice(practice)
        if thread is None:
            thread = Thread(practice_id=practice.id, practice=practice)  # saved with the post
    if not can_see_thread(user, thread):
        raise NotFound(_("No such discussion."))
    if thread.locked:
        raise Forbidden(_("This discussion is locked: %(reason)s", reason=thread.lock_reason)
                        if thread.lock_reason else
                        _("This discussion is locked: no new posts."))
    parent = None
    if parent_id:
        parent_id = inputs.integer(parent_id)
        parent = db.session.get(Post, parent_id) if parent_id else None
        if parent is None or parent.thread_id != thread.id:
            raise Invalid(_("The post you are replying to is not in this discussion."))
    post, mentioned = _new_post(user, body)
    _add_post(user, thread, post, mentioned, parent)
    db.session.commit()
    signals.post_created.send(post, mentioned=mentioned)
    return post


def can_edit_post(user, post):
    return getattr(user, "is_authenticated", False) and post.author_id == user.id


def edit(user, post, body):
    """Change your own post, keeping the old text in its history."""
    if not can_edit_post(user, post) or post.is_deleted:
        raise Forbidden(_("You can only edit your own posts."))
    check_can_post(user)
    if post.thread.locked:
        raise Forbidden(_("This discussion is locked."))
    body = _clean_body(body)
    if body == post.body:
        return post
    named = mentions.named(body)
    new_mentions = mentions.to_notify(named, user)
    db.session.add(PostRevision(post_id=post.id, body=post.body, edited_by_id=user.id))
    post.body = body
    post.cook(mentions.profile_links(named))
    post.edited_at = utcnow()
    known = set(db.session.scalars(select(Mention.user_id).where(Mention.post_id == post.id)))
    for person in new_mentions:
        if person.id not in known:
            db.session.add(Mention(post_id=post.id, user_id=person.id))
    db.session.commit()
    return post


def remove(user, post):
    """Delete your own post; a placeholder keeps the replies in context."""
    if not can_edit_post(user, post):
        raise Forbidden(_("You can only delete your own posts."))
    if not post.is_deleted:
        post.deleted_at = utcnow()
        post.thread.post_count = case((Thread.post_count > 0, Thread.post_count - 1), else_=0)
        if post.thread.accepted_post_id == post.id:
            post.thread.accepted_post_id = None
        db.session.commit()
    return post


def history(user, post):
    """Return a post's earlier versions, newest first (moderators only)."""
    if not getattr(user, "is_moderator", False):
        raise Forbidden(_("Only moderators can see the history of a post."))
    return db.session.scalars(select(PostRevision).options(joinedload(PostRevision.edited_by))
                              .where(PostRevision.post_id == post.id)
                              .order_by(PostRevision.id.desc())).all()


def toggle_helpful(user, post):
    """Mark a post helpful, or take the mark back; one per person per post."""
    if not post.is_visible:
        raise Invalid(_("This post cannot be marked."))
    if post.author_id == user.id:
        raise Invalid(_("You cannot mark your own post as helpful."))
    found = db.session.get(Helpful, (post.id, user.id))
    if found is None:
        db.session.add(Helpful(post_id=post.id, user_id=user.id))
    else:
        db.session.execute(delete(Helpful).where(Helpful.post_id == post.id,
                                                 Helpful.user_id == user.id))
    db.session.flush()
    post.helpful_count = db.session.scalar(select(func.count()).select_from(Helpful).where(
        Helpful.post_id == post.id))
    db.session.commit()
    return found is None


def can_accept(user, thread):
    """The asker of a question, or the practice's organisation, picks the accepted answer."""
    if not getattr(user, "is_authenticated", False):
        return False
    if thread.practice_id is not None:
        return organisations.is_member(user, thread.practice.organisation_id)
    return thread.is_question and thread.author_id == user.id


def accept(user, post):
    """Mark a reply as the accepted answer (again to take it back)."""
    thread = post.thread
    if not can_accept(user, thread):
        raise Forbidden(_("Only the asker of a question (or the practice's organisation) "
                        "can accept an answer."))
    if not post.is_visible or post.parent_id is None and thread.is_topic and (
            _first_post_id(thread) == post.id):
        raise Invalid(_("This post cannot be the accepted answer."))
    accepted = thread.accepted_post_id != post.id
    thread.accepted_post_id = post.id if accepted else None
    db.session.commit()
    if accepted:
        signals.answer_accepted.send(post, by=user)
    return accepted


def _first_post_id(thread):
    return db.session.scalar(select(Post.id).where(Post.thread_id == thread.id)
                             .order_by(Post.created_at, Post.id).limit(1))


def lock(user, thread, reason):
    """Lock a thread so it takes no new posts (moderators)."""
    if not getattr(user, "is_moderator", False):
        raise Forbidden(_("Only moderators can lock discussions."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the discussion is locked."),
                      {"reason": _("Please give a reason.")})
    thread.locked, thread.lock_reason = True, reason[:500]
    db.session.commit()
    signals.thread_locked.send(thread, by=user, reason=reason)
    return thread


def unlock(user, thread):
    if not getattr(user, "is_moderator", False):
        raise Forbidden(_("Only moderators can unlock discussions."))
    thread.locked, thread.lock_reason = False, None
    db.session.commit()
    return thread


def people_like(prefix, limit=8):
    """Return people whose handle or name starts with a prefix, for @mention completion."""
    prefix = (prefix or "").strip().lstrip("@").lower()
    if len(prefix) < 1:
        return []
    like = prefix.replace("%", "").replace("_", "") + "%"
    return db.session.scalars(select(User).where(
        User.active.is_(True),
        (User.handle.like(like)) | (func.lower(User.name).like(like))
    ).order_by(User.name).limit(limit)).all()
