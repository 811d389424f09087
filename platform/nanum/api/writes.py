"""The API's writes, with a token that has the write scope: practices as drafts or
submissions for the caller's organisation, and replies in a practice's discussion.

Each goes through the same service as the web form, so the same permission checks,
sanctions, moderation policy, review queue and posting limit apply."""

from flask import current_app, url_for
from flask.views import MethodView
from marshmallow import RAISE, Schema, fields, validate

from nanum import inputs
from nanum.api import common
from nanum.api.common import Blueprint
from nanum.api.discussions import PostSchema
from nanum.api.schemas import PracticeSchema
from nanum.discussions import services as discussions
from nanum.extensions import limiter
from nanum.practices import rules, services

bp = Blueprint("api_writes", __name__, url_prefix=common.PREFIX,
               description="Writing, with a token that has the write scope")

TOKEN = [{"token": []}]


def _post_limit():
    return current_app.config["RATELIMIT_POST"]


def _rate_key():
    from nanum.api import _rate_key as key
    return "write-" + key()


# A record's number: what an INTEGER column holds on every database (larger ones are a 400).
AN_ID = validate.Range(1, inputs.ID_MAX)


class PracticeFields(Schema):
    """The practice form's fields; lists may also be comma-separated strings."""

    class Meta:
        unknown = RAISE

    title = fields.String(validate=validate.Length(max=200))
    summary = fields.String()
    kind = fields.String()
    language = fields.String()
    period_start = fields.Integer(allow_none=True)
    period_end = fields.Integer(allow_none=True)
    evidence_level = fields.String(allow_none=True)
    budget_amount = fields.Decimal(allow_none=True, as_string=True)
    budget_currency = fields.String(allow_none=True)
    budget_year = fields.Integer(allow_none=True)
    staff_fte = fields.Decimal(allow_none=True, as_string=True)
    duration_months = fields.Integer(allow_none=True)
    adapted_from = fields.Integer(allow_none=True, validate=AN_ID)
    countries = fields.List(fields.String())
    goals = fields.List(fields.Integer())  # numbers, as the API shows them ("11" is taken)
    targets = fields.List(fields.String())
    themes = fields.List(fields.String())
    tags = fields.List(fields.String())
    partners = fields.List(fields.Integer(validate=AN_ID))


for _name in rules.SCALARS:  # the sections and context bands, as the form has them
    PracticeFields._declared_fields.setdefault(_name, fields.String(allow_none=True))


class NewPractice(PracticeFields):
    organisation = fields.Integer(required=True, validate=AN_ID)
    action = fields.String(load_default="draft", validate=validate.OneOf(["draft", "submit"]))


class PracticeChange(PracticeFields):
    action = fields.String(load_default="save",
                           validate=validate.OneOf(["save", "draft", "submit"]))


class NewReply(Schema):
    class Meta:
        unknown = RAISE

    body = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    parent_id = fields.Integer(allow_none=True, validate=AN_ID)


def _fields(data):
    """The service's field values: lists as lists, the rest as given."""
    values = {name: value for name, value in data.items()
              if name not in ("organisation", "action")}
    if "tags" in values:
        values["tags"] = ", ".join(values["tags"])
    return values


@bp.route("/practices/", methods=["POST"], endpoint="NewPractice")
class CreatePractice(MethodView):
    @bp.arguments(NewPractice)
    @bp.response(201, PracticeSchema)
    @bp.alt_response(401, response="UNAUTHORIZED")
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.doc(security=TOKEN)
    def post(self, data):
        """Write a practice for your organisation, as a draft or submitted for review"""
        user = common.require("write").user
        practice = services.create(user, data["organisation"], _fields(data),
                                   action=data["action"])
        return practice, 201, {"Location": url_for(
            "api_writes.PracticeEdit", practice_id=practice.id, _external=True)}


@bp.route("/practices/<int:practice_id>", methods=["PATCH"], endpoint="PracticeEdit")
class EditPractice(MethodView):
    @bp.arguments(PracticeChange)
    @bp.response(200, PracticeSchema)
    @bp.alt_response(401, response="UNAUTHORIZED")
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=TOKEN)
    def patch(self, data, practice_id):
        """Change some fields of a practice of your organisation; `action: submit` sends it
        for review"""
        user = common.require("write").user
        practice = services.get(practice_id, user)
        values = {**services.form_values(practice), **_fields(data)}
        return services.update(user, practice, values, action=data["action"])


@bp.route("/practices/<int:practice_id>/discussion/replies", methods=["POST"],
          endpoint="Replies")
class Replies(MethodView):
    decorators = [limiter.limit(_post_limit, methods=["POST"], key_func=_rate_key)]

    @bp.arguments(NewReply)
    @bp.response(201, PostSchema)
    @bp.alt_response(401, response="UNAUTHORIZED")
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=TOKEN)
    def post(self, data, practice_id):
        """Reply in the discussion under a published practice (held for moderation when the
        site holds new accounts' posts)"""
        user = common.require("write").user
        practice = services.get(practice_id, user)
        post = discussions.reply(user, practice=practice, body=data["body"],
                                 parent_id=data.get("parent_id"))
        state = "visible" if post.is_visible else "held"
        return {"id": post.id, "parent_id": post.parent_id, "depth": 0, "state": state,
                "author": user.name, "body": post.body, "body_html": str(post.html("body")),
                "created_at": post.created_at, "edited_at": None, "helpful_count": 0,
                "accepted": False}, 201
