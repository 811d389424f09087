"""SDG pages: a goal with its targets and practices, a single target, and the coverage."""

from flask import Blueprint, abort, render_template, request, url_for

from nanum import inputs
from nanum.practices import browse
from nanum.practices import services as practices
from nanum.taxonomy import coverage, sdg, services, wanted

bp = Blueprint("taxonomy", __name__)


@bp.route("/sdg/")
def index():
    return render_template("taxonomy/index.html", counts=services.goal_counts())


@bp.route("/sdg/coverage")
def coverage_map():
    filters = coverage.Filters.from_args(request.args)
    region = filters.region
    return render_template(
        "taxonomy/coverage.html", coverage=coverage.build(filters), filters=filters,
        step=coverage.step, FEW=coverage.FEW, parent=coverage.parent_region(region) if region
        else None, inside=coverage.subregions(region) if region else [],
        browse_url=url_for("practices.index"), wanted_url=url_for("taxonomy.coverage_wanted"))


@bp.route("/sdg/coverage/wanted")
def coverage_wanted():
    return render_template("taxonomy/wanted.html", gap=wanted.read(request.args))


@bp.route("/sdg/<key>")
def detail(key):
    canonical = sdg.normalise_key(key)
    if canonical is None:
        abort(404)
    goal = sdg.goal(sdg.goal_of(canonical))
    target = sdg.target(canonical) if "." in canonical else None
    filters = browse.Filters(goal=goal.number, target=target.key if target else None)
    page = browse.page(filters, inputs.page_arg(), 20,
                       practices.card_options())
    return render_template("taxonomy/detail.html", goal=goal, target=target, page=page,
                           filters=filters, target_counts=services.target_counts(goal.number))
