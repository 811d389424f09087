"""The API's discussions: the thread under a practice, and forum topics, read."""

from flask import url_for
from flask.views import MethodView
from marshmallow import Schema, fields

from nanum.api import common
from nanum.api.common import Blueprint
from nanum.api.schemas import URL, DateTime, PageArgs, PageSchema
from nanum.discussions import reading
from nanum.errors import NotFound
from nanum.practices import services as practices

bp = Blueprint("api_discussions", __name__, url_prefix=common.PREFIX,
               description="Discussions under practices, and forum topics")


class PostSchema(Schema):
    id = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    depth = fields.Integer()
    state = fields.String(metadata={"enum": ["visible", "deleted", "hidden", "held"]})
    author = fields.String(allow_none=True)
    body = fields.String(allow_none=True, metadata={"description": "Markdown; null unless "
                                                    "the post is visible"})
    body_html = fields.String(allow_none=True)
    created_at = DateTime()
    edited_at = DateTime(allow_none=True)
    helpful_count = fields.Integer()
    accepted = fields.Boolean()


class ThreadSchema(Schema):
    id = fields.Integer(allow_none=True)
    title = fields.String()
    category = fields.String(allow_none=True)
    practice_id = fields.Integer(allow_none=True)
    locked = fields.Boolean()
    question = fields.Boolean()
    post_count = fields.Integer()
    last_post_at = DateTime(allow_none=True)
    url = fields.String(allow_none=True, metadata=URL)


class DiscussionSchema(Schema):
    thread = fields.Nested(ThreadSchema)
    posts = fields.List(fields.Nested(PostSchema))
    paging = fields.Nested(PageSchema)


class TopicList(Schema):
    topics = fields.List(fields.Nested(ThreadSchema))
    paging = fields.Nested(PageSchema)


class TopicArgs(PageArgs):
    category = fields.String()


def _post(node, accepted_id):
    post = node.post
    visible = post.is_visible
    state = "visible" if visible else ("deleted" if post.is_deleted else "hidden")
    return {"id": post.id, "parent_id": post.parent_id, "depth": node.depth, "state": state,
            "author": post.author.name if visible and post.author else None,
            "body": post.body if visible else None,
            "body_html": str(post.html("body")) if visible else None,
            "created_at": post.created_at, "edited_at": post.edited_at if visible else None,
            "helpful_count": post.helpful_count, "accepted": post.id == accepted_id}


def _flatten(nodes, accepted_id):
    for node in nodes:
        yield _post(node, accepted_id)
        yield from _flatten(node.children, accepted_id)


def _thread(thread):
    return {"id": thread.id, "title": thread.display_title, "category": thread.category,
            "practice_id": thread.practice_id, "locked": thread.locked,
            "question": thread.is_question, "post_count": thread.post_count,
            "last_post_at": thread.last_post_at,
            "url": url_for("api_discussions.TopicDetail", thread_id=thread.id, _external=True)
            if thread.is_topic else url_for("api_discussions.PracticeDiscussion",
                                            practice_id=thread.practice_id, _external=True)}


def _discussion(thread, page):
    """One page of a thread as every reader sees it: held posts left out, hidden and
    deleted ones as placeholders without their text."""
    shown = reading.thread_page(thread, None, page)
    accepted_id = thread.accepted_post_id
    nodes = ([shown.accepted_node, *shown.accepted_replies] if shown.accepted_node and
             page == 1 else []) + shown.nodes
    return {"thread": _thread(thread), "posts": list(_flatten(nodes, accepted_id)),
            "paging": common.paging(shown.page, shown.pages, reading.ROOTS_PER_PAGE,
                                    shown.total)}


@bp.route("/practices/<int:practice_id>/discussion")
class PracticeDiscussion(MethodView):
    @bp.arguments(PageArgs, location="query", as_kwargs=True)
    @bp.response(200, DiscussionSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, page, per_page, practice_id):
        """Read the discussion under a published practice (`per_page` is fixed: 20 threads
        of replies)"""
        practice = practices.get(practice_id, None)
        thread = reading.thread_of_practice(practice)
        if thread is None:
            return {"thread": {"id": None, "title": practice.title, "practice_id": practice.id,
                               "category": None, "locked": False, "question": False,
                               "post_count": 0, "last_post_at": None, "url": None},
                    "posts": [], "paging": common.paging(1, 1, reading.ROOTS_PER_PAGE, 0)}
        if not reading.can_see_thread(None, thread):
            raise NotFound("No such discussion.")
        return _discussion(thread, page)


@bp.route("/topics/")
class Topics(MethodView):
    @bp.arguments(TopicArgs, location="query", as_kwargs=True)
    @bp.response(200, TopicList)
    def get(self, page, per_page, category=None):
        """List forum topics, most recently active first"""
        found = reading.topics((category or "")[:40] or None, page, per_page, None)
        return {"topics": [_thread(thread) for thread in found.items],
                "paging": common.from_pagination(found)}


@bp.route("/topics/<int:thread_id>")
class TopicDetail(MethodView):
    @bp.arguments(PageArgs, location="query", as_kwargs=True)
    @bp.response(200, DiscussionSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, page, per_page, thread_id):
        """Read a forum topic and its replies"""
        thread = reading.get_thread(thread_id, None)
        if not thread.is_topic:
            raise NotFound("No such topic.")
        return _discussion(thread, page)
