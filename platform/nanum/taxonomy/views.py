"""SDG pages: a goal with its targets and practices, or a single target."""

from flask import Blueprint, abort, render_template

from nanum import inputs
from nanum.practices import browse
from nanum.practices import services as practices
from nanum.taxonomy import sdg, services

bp = Blueprint("taxonomy", __name__)


@bp.route("/sdg/")
def index():
    return render_template("taxonomy/index.html", counts=services.goal_counts())


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
