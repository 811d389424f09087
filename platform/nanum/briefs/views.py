"""The one-page brief of a practice, as a PDF."""

from flask import Blueprint, send_file

from nanum.accounts.session import viewer
from nanum.briefs import services

bp = Blueprint("briefs", __name__, url_prefix="/practices")

# Chrome shows a PDF inside a page of its own that takes the response's policy: the site's
# (no inline style, no plugin) would leave its viewer a strip at the top of the window.
PDF_POLICY = ("default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; "
              "frame-ancestors 'none'")


@bp.route("/<int:practice_id>/brief.pdf")
def practice(practice_id):
    practice, name, brief = services.brief_of(practice_id, viewer())
    # Read in the browser's viewer, saved under a name that says what it is.
    response = send_file(brief, mimetype="application/pdf", etag=name,
                         download_name=f"nanum-practice-{practice.id}-brief.pdf",
                         last_modified=practice.updated_at)
    # Browsers ask again each time, and get "not modified" until the practice changes.
    response.cache_control.no_cache = True
    if practice.is_published:
        response.cache_control.public = True
    else:
        response.cache_control.private = True  # a draft's brief is for its writers only
    response.headers["Content-Security-Policy"] = PDF_POLICY
    return response
