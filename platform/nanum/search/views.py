"""The search page."""

from flask import Blueprint, render_template, request

from nanum import inputs
from nanum.accounts.session import viewer
from nanum.extensions import db
from nanum.places import services as places
from nanum.places import similarity
from nanum.practices import browse, facets
from nanum.search import documents, service

bp = Blueprint("search", __name__)

IGNORED = ("organisation",)  # the organisation filter belongs to the browse page


@bp.route("/search")
def index():
    q = request.args.get("q", "")[:500]
    filters = browse.Filters.from_args(request.args)
    sort = request.args.get("sort")
    sort = sort if sort in service.SORTS else None
    ranking = places.ranking_for(viewer(), request.args)
    place = ranking.place if ranking else None
    results = service.search(q, filters, page=inputs.page_arg(), sort=sort, place=place)
    if results.page > results.pages:  # past the end: the last page, as every list does
        results = service.search(q, filters, page=results.pages, sort=sort, place=place)
    likeness = None
    if results.sort == "similarity":
        likeness = similarity.explain_all(place, [hit.item for hit in results.hits
                                                  if hit.content == "practice"])

    own = {**filters.args(sort=None, organisation=None), "q": q or None, "sort": sort}

    def link(**changes):
        """Return the arguments of this search with some changed; None removes one."""
        args = {**own, **changes}
        if "goal" in changes:
            args["target"] = None
        return {key: value for key, value in args.items() if value not in (None, "")}

    panel = facets.panel(filters, "search.index", link, IGNORED, counts=results.facets)
    posts = [hit.item for hit in results.hits if hit.content == "post"]
    return render_template("search/index.html", q=q, filters=filters, results=results,
                           link=link, sorts=places.sorts(service.SORTS, ranking), panel=panel,
                           ranking=ranking, likeness=likeness,
                           topics=documents.opening_posts(db.session, posts) if posts else ())
