"""The API's organisations, SDG taxonomy and curated collections."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from nanum.api import common
from nanum.api.common import Blueprint
from nanum.api.language import LangArgs
from nanum.api.schemas import (
    CollectionList,
    CollectionSchema,
    GoalList,
    GoalSchema,
    OrganisationList,
    OrganisationSchema,
    PageArgs,
    TargetSchema,
)
from nanum.curation import collections
from nanum.errors import NotFound
from nanum.organisations import services as organisations
from nanum.organisations.vocab import ORG_TYPES
from nanum.pagination import paginate, paginate_rows
from nanum.taxonomy import sdg

bp = Blueprint("api_catalogue", __name__, url_prefix=common.PREFIX,
               description="Organisations, the SDG taxonomy and collections")


class OrganisationArgs(PageArgs):
    q = fields.String(metadata={"description": "Part of the name"})
    org_type = fields.String(validate=validate.OneOf(list(ORG_TYPES)),
                             metadata={"enum": list(ORG_TYPES)})
    country = fields.String(metadata={"description": "ISO 3166-1 alpha-2 code"})


@bp.route("/organisations/")
class Organisations(MethodView):
    @bp.arguments(OrganisationArgs, location="query", as_kwargs=True)
    @bp.response(200, OrganisationList)
    def get(self, page, per_page, q=None, org_type=None, country=None):
        """List organisations by name"""
        found = paginate(organisations.listing_statement(
            query=(q or "")[:200] or None, org_type=org_type,
            country=(country or "")[:2] or None), page, per_page)
        return {"organisations": found.items, "paging": common.from_pagination(found)}


@bp.route("/organisations/<int:organisation_id>")
class OrganisationDetail(MethodView):
    @bp.arguments(LangArgs, location="query", as_kwargs=True)
    @bp.response(200, OrganisationSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, organisation_id, lang=None):
        """Read an organisation's profile"""
        organisation = organisations.get(organisation_id)
        if organisation.hidden:
            raise NotFound("No such organisation.")
        return organisation


@bp.route("/sdg/goals")
class Goals(MethodView):
    @bp.arguments(LangArgs, location="query", as_kwargs=True)
    @bp.response(200, GoalList)
    def get(self, lang=None):
        """List the 17 goals, each with its targets"""
        return {"goals": list(sdg.GOALS.values())}


@bp.route("/sdg/goals/<int:number>")
class GoalDetail(MethodView):
    @bp.arguments(LangArgs, location="query", as_kwargs=True)
    @bp.response(200, GoalSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, number, lang=None):
        """Read one goal and its targets"""
        goal = sdg.goal(number)
        if goal is None:
            raise NotFound("There are 17 goals, numbered 1 to 17.")
        return goal


@bp.route("/sdg/targets/<key>")
class TargetDetail(MethodView):
    @bp.arguments(LangArgs, location="query", as_kwargs=True)
    @bp.response(200, TargetSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, key, lang=None):
        """Read one target, e.g. 11.3 or 6.b"""
        target = sdg.target(sdg.normalise_key(key[:12]) or "")
        if target is None:
            raise NotFound("No such target.")
        return target


@bp.route("/collections/")
class Collections(MethodView):
    @bp.arguments(PageArgs, location="query", as_kwargs=True)
    @bp.response(200, CollectionList)
    def get(self, page, per_page):
        """List the published collections, newest first"""
        found = paginate_rows(collections.listing_statement(), page, per_page)
        return {"collections": [_Counted(collection, count) for collection, count in found.items],
                "paging": common.from_pagination(found)}


@bp.route("/collections/<int:collection_id>")
class CollectionDetail(MethodView):
    @bp.arguments(LangArgs, location="query", as_kwargs=True)
    @bp.response(200, CollectionSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, collection_id, lang=None):
        """Read a published collection: its published practices, in order, with notes"""
        collection = collections.get(collection_id)
        items = [{"practice": practice, "note": note}
                 for practice, note in collections.shown(collection)]
        return _Counted(collection, len(items), items)


class _Counted:
    """A collection with what the API says of it beside its columns."""

    def __init__(self, collection, practice_count, items=()):
        self.collection = collection
        self.practice_count = practice_count
        self.items = list(items)

    def __getattr__(self, name):
        return getattr(self.collection, name)


class MeSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    handle = fields.String()
    token_name = fields.String()
    scopes = fields.List(fields.String())


@bp.route("/me")
class Me(MethodView):
    @bp.response(200, MeSchema)
    @bp.alt_response(401, response="UNAUTHORIZED")
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.doc(security=[{"token": []}])
    def get(self):
        """Say whose token this is and what it may do (needs the read scope)"""
        record = common.require("read")
        user = record.user
        return {"id": user.id, "name": user.name, "handle": user.handle,
                "token_name": record.name, "scopes": record.scope_list}
