"""The API's documentation page: Swagger UI, vendored, reading /api/v1/openapi.json."""

from flask import Blueprint, render_template

from nanum.api.common import PREFIX
from nanum.security import CSP

bp = Blueprint("api_pages", __name__, url_prefix=PREFIX)

# Swagger UI sets inline styles on some of its elements; scripts stay our own files only.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


@bp.route("/docs")
def index():
    response = render_template("api/docs.html")
    return response, 200, {"Content-Security-Policy": DOCS_CSP}
