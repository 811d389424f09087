"""The API's practices: the browse list with its filters, and one practice in full."""

from flask import request
from flask.views import MethodView
from sqlalchemy.orm import selectinload

from nanum.api import common
from nanum.api.common import Blueprint
from nanum.api.filters import BrowseArgs, filters_from
from nanum.api.language import LangArgs
from nanum.api.schemas import PracticeList, PracticeSchema
from nanum.practices import browse, services
from nanum.practices.models import Practice

bp = Blueprint("api_practices", __name__, url_prefix=common.PREFIX + "/practices",
               description="Published practices")


@bp.route("/")
class Practices(MethodView):
    @bp.arguments(BrowseArgs, location="query", as_kwargs=True)
    @bp.response(200, PracticeList)
    def get(self, page, per_page, **_filters):
        """List published practices, newest first, with the browse page's filters"""
        filters = filters_from(request.args)
        if filters.sort not in ("newest", "title"):
            filters.sort = "newest"  # "like my place" needs a place; the API has none yet
        found = browse.page(filters, page, per_page,
                            (*services.list_options(), selectinload(Practice.targets)))
        return {"practices": found.items, "paging": common.from_pagination(found)}


@bp.route("/<int:practice_id>")
class PracticeDetail(MethodView):
    @bp.arguments(LangArgs, location="query", as_kwargs=True)
    @bp.response(200, PracticeSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, practice_id, lang=None):
        """Read a published practice: sections, targets, context, organisation, files"""
        return services.get(practice_id, None)
