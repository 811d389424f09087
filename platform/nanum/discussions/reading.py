"""Discussions, read: who may see a thread, its page of posts as a tree, topic lists."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from nanum import pagination
from nanum.discussions.models import Helpful, Post, Thread
from nanum.errors import NotFound
from nanum.extensions import db

MAX_DEPTH = 4  # deeper replies are shown flat, with a "replying to" link
ROOTS_PER_PAGE = 20


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
        raise NotFound(_("No such discussion."))
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
        raise NotFound(_("No such post."))
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


