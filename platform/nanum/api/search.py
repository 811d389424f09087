"""The API's full-text search: hits with snippets, facets with counts, through the same
search service as the search page."""

from flask import request, url_for
from flask.views import MethodView
from marshmallow import Schema, fields

from nanum.api import common
from nanum.api.common import Blueprint
from nanum.api.filters import SearchArgs, filters_from
from nanum.api.schemas import URL, PageSchema
from nanum.search import service

bp = Blueprint("api_search", __name__, url_prefix=common.PREFIX,
               description="Full-text search")

QUERY_LIMIT = 500  # characters of a query, as the search page keeps


class FacetValue(Schema):
    value = fields.String()
    count = fields.Integer()


class HitSchema(Schema):
    content = fields.String(metadata={"enum": ["practice", "organisation", "post",
                                                         "event"]})
    id = fields.Integer()
    title = fields.String()
    snippet_html = fields.String()
    url = fields.String(allow_none=True, metadata=URL)
    web_url = fields.String(metadata=URL)


class SearchResults(Schema):
    q = fields.String()
    total = fields.Integer()
    sort = fields.String()
    notes = fields.List(fields.String())
    suggestion = fields.String(allow_none=True)
    hits = fields.List(fields.Nested(HitSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValue)))
    paging = fields.Nested(PageSchema)


def _hit(hit):
    item = hit.item
    if hit.content == "practice":
        title, url = item.title, url_for("api_practices.PracticeDetail", practice_id=item.id,
                                          _external=True)
        web_url = url_for("practices.detail", practice_id=item.id, _external=True)
    elif hit.content == "organisation":
        title, url = item.name, url_for("api_catalogue.OrganisationDetail",
                                        organisation_id=item.id, _external=True)
        web_url = url_for("organisations.detail", organisation_id=item.id, _external=True)
    elif hit.content == "event":  # the API has no event resource yet: its web page only
        title, url = item.title, None
        web_url = url_for("events.detail", event_id=item.id, _external=True)
    else:  # a post in a discussion
        title, url = item.thread.display_title, None
        web_url = url_for("discussions.permalink", post_id=item.id, _external=True)
    return {"content": hit.content, "id": item.id, "title": title,
            "snippet_html": str(hit.snippet), "url": url, "web_url": web_url}


@bp.route("/search")
class Search(MethodView):
    @bp.arguments(SearchArgs, location="query", as_kwargs=True)
    @bp.response(200, SearchResults)
    def get(self, page, per_page, q="", sort=None, **_filters):
        """Search practices, organisations, discussions and events, with facets and counts

        Organisations and events are listed when `content` (or `is:` in `q`) asks for them;
        otherwise the facet `content` counts them.
        """
        q = q[:QUERY_LIMIT]
        filters = filters_from(request.args, extra=("year", "content"))
        sort = sort if sort in service.SORTS and sort != "similarity" else None
        results = service.search(q, filters, page=page, per_page=per_page, sort=sort)
        if results.page > results.pages:  # past the end: the last page, as every list does
            results = service.search(q, filters, page=results.pages, per_page=per_page,
                                     sort=sort)
        return {
            "q": q, "total": results.total, "sort": results.sort, "notes": results.notes,
            "suggestion": results.suggestion, "hits": [_hit(hit) for hit in results.hits],
            "facets": {name: [{"value": str(value), "count": count} for value, count in values]
                       for name, values in results.facets.items()},
            "paging": common.paging(results.page, results.pages, per_page, results.total),
        }
