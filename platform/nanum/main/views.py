"""The home page and the about page."""

from flask import Blueprint, render_template
from sqlalchemy import func, select

from nanum.curation import calls, collections, featured
from nanum.extensions import db
from nanum.practices import browse
from nanum.practices import services as practices
from nanum.practices.models import Practice, PracticeTheme
from nanum.taxonomy import services as taxonomy

bp = Blueprint("main", __name__)

# What the home page shows of curation: a few cards, in a fixed number of queries.
FEATURED_ON_HOME = 6
COLLECTIONS_ON_HOME = 3
CALLS_ON_HOME = 3


@bp.route("/")
def home():
    recent = db.session.scalars(
        browse.statement(browse.Filters()).options(*practices.card_options()).limit(6)).all()
    theme_counts = dict(db.session.execute(
        select(PracticeTheme.theme, func.count())
        .join(Practice, Practice.id == PracticeTheme.practice_id)
        .where(Practice.status == "published").group_by(PracticeTheme.theme)).all())
    return render_template("main/home.html", counts=taxonomy.goal_counts(), recent=recent,
                           theme_counts=theme_counts,
                           featured=featured.shown(FEATURED_ON_HOME),
                           collections=collections.listing(limit=COLLECTIONS_ON_HOME),
                           open_calls=calls.open_calls(CALLS_ON_HOME))


@bp.route("/about")
def about():
    return render_template("main/about.html")
