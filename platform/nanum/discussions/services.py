"""Discussions: starting topics, replying, editing, deleting, marking and accepting."""

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import case, delete, func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from nanum import inputs, pagination
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
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.flags.sanctions import check_can_post
from nanum.organisations import services as organisations
from nanum.taxonomy import sdg
from nanum.timeutil import utcnow

BODY_LIMIT = 20000
TITLE_LIMIT = 200
MAX_DEPTH = 4  # deeper replies are shown flat, with a "replying to" link
ROOTS_PER_PAGE = 20


# -- reading -------------------------------------------------------------------------------

def can_see_thread(user, thread):
    if thread.hidden and not getattr(user, "is_moderator", False):
        return False
    if thread.practice_id is not None:
        from nanum.practices.services import can_view
        return can_view(user, thread.practice)
    return True


def get_thread(thread_id, user):
    """Return a thread the user may read."""
    thread = db.session.scalar(select(Thread).options(
        joinedload(Thread.practice), joinedload(Thread.author), selectinload(Thread.targets),
        selectinload(Thread.tags)).where(Thread.id == thread_id))
    if thread is None or not (can_see_thread(user, thread) or _author_of_hidden(user, thread)):
        raise NotFound("No such discussion.")
    return thread


def _author_of_hidden(user, thread):
    """The author of a topic hidden by moderation still reads it (marked as hidden)."""
    return (thread.hidden and thread.is_topic and thread.author_id is not None
            and thread.author_id == getattr(user, "id", None))


def thread_of_practice(practice):
    return db.session.scalar(select(Thread).where(Thread.practice_id == practice.id))


def get_post(post_id):
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound("No such post.")
    return post


@dataclass
class Node:
    """A post in the displayed tree."""

    post: Post
    depth: int
    children: list = field(default_factory=list)
    replying_to: Post | None = None  # set when nesting is flattened


@dataclass
class ThreadPage:
    thread: Thread
    nodes: list  # roots of this page, in order, each with its subtree
    accepted: Post | None
    page: int
    pages: int
    total: int
    helpful_by_me: set
    accepted_node: Node | None = None  # the accepted answer alone, shown apart
    accepted_replies: list = field(default_factory=list)  # its replies, shown after it


def _tree(posts, max_depth):
    """Arrange posts (oldest first) into nested nodes, flattening below `max_depth`."""
    by_id = {post.id: post for post in posts}
    nodes, holders, roots = {}, {}, []
    for post in posts:
        parent = nodes.get(post.parent_id)
        if parent is None:
            node, holder = Node(post, 0), roots
        elif parent.depth + 1 < max_depth:
            node, holder = Node(post, parent.depth + 1), parent.children
        else:  # too deep to indent: show it beside its parent, saying whom it answers
            node = Node(post, parent.depth, replying_to=by_id[post.parent_id])
            holder = holders[parent.post.id]
        holder.append(node)
        nodes[post.id], holders[post.id] = node, holder
    return roots


def thread_page(thread, user, page=1, per_page=ROOTS_PER_PAGE, max_depth=MAX_DEPTH):
    """Return one page of a thread: `per_page` top-level posts with all their replies."""
    posts = db.session.scalars(
        select(Post).options(joinedload(Post.author)).where(Post.thread_id == thread.id)
        .order_by(Post.created_at, Post.id)).all()
    moderator = getattr(user, "is_moderator", False)
    me = getattr(user, "id", None)
    # Held posts are shown to their authors and moderators only; the rest keep their place.
    posts = [p for p in posts if not p.held or moderator or p.author_id == me]
    roots = _tree(posts, max_depth)
    accepted = next((p for p in posts if p.id == thread.accepted_post_id), None)
    accepted_node, accepted_replies = None, []
    if accepted is not None:  # shown first, apart; a top-level one moves, its replies follow it
        moved = next((r for r in roots if r.post.id == accepted.id), None)
        roots = [r for r in roots if r.post.id != accepted.id]
        accepted_node = Node(accepted, 0)
        accepted_replies = moved.children if moved else []
    pages = max(1, -(-len(roots) // per_page))
    page = min(max(1, page), pages)
    shown = roots[(page - 1) * per_page:page * per_page]
    helpful = set()
    if me:
        helpful = set(db.session.scalars(select(Helpful.post_id).join(Post).where(
            Post.thread_id == thread.id, Helpful.user_id == me)))
    return ThreadPage(thread, shown, accepted, page, pages, len(posts), helpful, accepted_node,
                      accepted_replies)


def page_of(post, per_page=ROOTS_PER_PAGE):
    """Return the page of its thread on which a post appears."""
    root = post
    seen = set()
    while root.parent_id and root.parent_id not in seen:
        seen.add(root.id)
        root = db.session.get(Post, root.parent_id)
    thread = root.thread
    roots = db.session.scalars(select(Post.id).where(
        Post.thread_id == thread.id, Post.parent_id.is_(None), Post.held.is_(False),
        Post.id != (thread.accepted_post_id or 0)).order_by(Post.created_at, Post.id)).all()
    if root.id not in roots:
        return 1
    return roots.index(root.id) // per_page + 1


def _listed(user):
    """Which topics a person finds in lists: the visible ones, and those hidden by
    moderation to moderators (all) and to their authors (their own)."""
    if getattr(user, "is_moderator", False):
        return true()
    if getattr(user, "is_authenticated", False):
        return or_(Thread.hidden.is_(False), Thread.author_id == user.id)
    return Thread.hidden.is_(False)


def topics(category=None, page=1, per_page=30, user=None):
    """Return a page of the topics `user` may see, most recently active first."""
    statement = select(Thread).options(joinedload(Thread.author)).where(
        Thread.practice_id.is_(None), _listed(user))
    if category:
        statement = statement.where(Thread.category == category)
    return pagination.paginate(statement.order_by(Thread.last_post_at.desc()), page, per_page)


def category_counts():
    rows = db.session.execute(select(Thread.category, func.count()).where(
        Thread.practice_id.is_(None), Thread.hidden.is_(False)).group_by(Thread.category))
    return dict(rows.all())


# -- writing -------------------------------------------------------------------------------

def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise Invalid("Please write something.", {"body": "Please write something."})
    if len(body) > BODY_LIMIT:
        message = f"Keep it under {BODY_LIMIT:,} characters."
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
        errors["category"] = "Please choose a category."
    title = (title or "").strip()
    if len(title) < 5:
        errors["title"] = "Please give a title of at least 5 characters."
    elif len(title) > TITLE_LIMIT:
        errors["title"] = f"Keep the title under {TITLE_LIMIT} characters."
    keys = []
    if isinstance(targets, str):
        targets = targets.replace(";", ",").split(",")
    for raw in (t for t in targets or [] if str(t).strip()):
        key = sdg.normalise_key(str(raw))
        if key is None or "." not in key:
            errors["targets"] = f"Unknown SDG target {raw!r}."
        elif key not in keys:
            keys.append(key)
    names = []
    for raw in (tags or "").split(",") if isinstance(tags, str) else (tags or []):
        tag = " ".join(str(raw).lower().split())
        if len(tag) > 50:
            errors["tags"] = "Keep each tag under 50 characters."
        elif tag and tag not in names:
            names.append(tag)
    if len(names) > 10:
        errors["tags"] = "Use at most 10 tags."
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
        raise Invalid("Please correct the highlighted fields; nothing was posted.", errors)
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
    if thread is None:
        from nanum.practices.services import can_view
        if practice is None or not practice.is_published or not can_view(user, practice):
            raise NotFound("No such practice.")
        thread = thread_of_practice(practice)
        if thread is None:
            thread = Thread(practice_id=practice.id, practice=practice)  # saved with the post
    if not can_see_thread(user, thread):
        raise NotFound("No such discussion.")
    if thread.locked:
        raise Forbidden(f"This discussion is locked: {thread.lock_reason or 'no new posts.'}")
    parent = None
    if parent_id:
        parent_id = inputs.integer(parent_id)
        parent = db.session.get(Post, parent_id) if parent_id else None
        if parent is None or parent.thread_id != thread.id:
            raise Invalid("The post you are replying to is not in this discussion.")
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
        raise Forbidden("You can only edit your own posts.")
    check_can_post(user)
    if post.thread.locked:
        raise Forbidden("This discussion is locked.")
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
        raise Forbidden("You can only delete your own posts.")
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
        raise Forbidden("Only moderators can see the history of a post.")
    return db.session.scalars(select(PostRevision).options(joinedload(PostRevision.edited_by))
                              .where(PostRevision.post_id == post.id)
                              .order_by(PostRevision.id.desc())).all()


def toggle_helpful(user, post):
    """Mark a post helpful, or take the mark back; one per person per post."""
    if not post.is_visible:
        raise Invalid("This post cannot be marked.")
    if post.author_id == user.id:
        raise Invalid("You cannot mark your own post as helpful.")
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
        raise Forbidden("Only the asker of a question (or the practice's organisation) "
                        "can accept an answer.")
    if not post.is_visible or post.parent_id is None and thread.is_topic and (
            _first_post_id(thread) == post.id):
        raise Invalid("This post cannot be the accepted answer.")
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
        raise Forbidden("Only moderators can lock discussions.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Say why the discussion is locked.", {"reason": "Please give a reason."})
    thread.locked, thread.lock_reason = True, reason[:500]
    db.session.commit()
    signals.thread_locked.send(thread, by=user, reason=reason)
    return thread


def unlock(user, thread):
    if not getattr(user, "is_moderator", False):
        raise Forbidden("Only moderators can unlock discussions.")
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
