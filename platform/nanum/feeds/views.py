"""Atom 1.0 feeds, cached for five minutes and answered with 304 when unchanged.

Feed readers keep no session, and these views never touch it, so no feed response
sets a session cookie (which would also make it unfit for shared caches).
"""

import hashlib

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _

from nanum.feeds import services
from nanum.practices.vocab import THEMES
from nanum.timeutil import utcnow

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

CONTENT_TYPE = "application/atom+xml; charset=utf-8"
MAX_AGE = 300


def rfc3339(moment):
    """Format a naive UTC datetime as RFC 3339, e.g. 2024-05-01T09:30:00Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _atom(feed):
    updated = rfc3339(feed.updated or utcnow())
    body = render_template("feeds/atom.xml", feed=feed, updated=updated, rfc3339=rfc3339)
    response = current_app.response_class(body, content_type=CONTENT_TYPE)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    # The feed-level <updated> of an empty feed is "now": leave it out of the tag so
    # that an unchanged empty feed keeps its ETag. It is the first element, so the
    # first occurrence is the feed's own and never an entry's text.
    stable = body.replace(f"<updated>{updated}</updated>", "", 1)
    response.set_etag(hashlib.sha256(stable.encode("utf-8")).hexdigest()[:40])
    if feed.last_modified is not None:
        response.last_modified = feed.last_modified
    return response.make_conditional(request)


@bp.route("/practices.atom")
def practices():
    return _atom(services.latest())


@bp.route("/sdg/<key>.atom")
def sdg(key):
    return _atom(services.for_sdg(key))


@bp.route("/themes/<theme>.atom")
def theme(theme):
    return _atom(services.for_theme(theme))


@bp.route("/topics/<int:thread_id>.atom")
def topic(thread_id):
    return _atom(services.for_topic(thread_id))


@bp.route("/organisations/<int:organisation_id>.atom")
def organisation(organisation_id):
    return _atom(services.for_organisation(organisation_id))


@bp.route("/collections/<int:collection_id>.atom")
def collection(collection_id):
    return _atom(services.for_collection(collection_id))


@bp.route("/search.atom")
def search():
    return _atom(services.for_search(request.args.get("q", ""), request.args))


@bp.app_template_global()
def browse_feed(filters):
    """Return (title, URL) of the feed that best follows a browse page with these filters."""
    active = filters.active
    if not active:
        return _("latest practices"), url_for("feeds.practices")
    if set(active) <= {"goal", "target"}:
        key = filters.target or filters.goal
        title = (_("practices on SDG target %(key)s", key=key) if filters.target
                 else _("practices on SDG %(key)s", key=key))
        return title, url_for("feeds.sdg", key=key)
    if set(active) == {"theme"}:
        return _("practices on %(theme)s", theme=THEMES[filters.theme]), url_for(
            "feeds.theme", theme=filters.theme)
    if "organisation" in active:  # not a search filter: follow the whole organisation
        return _("practices by this organisation"), url_for(
            "feeds.organisation", organisation_id=filters.organisation)
    return _("practices with these filters"), url_for("feeds.search",
                                                       **filters.args(sort=None))
