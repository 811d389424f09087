"""`/metrics`: Prometheus' text format, for signed-in admins or a bearer token."""

import hmac

from flask import Blueprint, current_app, request
from flask_login import current_user

from nanum.errors import Forbidden
from nanum.extensions import csrf, limiter
from nanum.ops import health, metrics

bp = Blueprint("ops", __name__)


def _bearer_token_matches():
    expected = current_app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    if not expected or not given.startswith("Bearer "):
        return False
    return hmac.compare_digest(given[7:].strip().encode(), expected.encode())


def may_read_metrics():
    """Admins signed in, or a scraper sending `Authorization: Bearer <METRICS_TOKEN>`."""
    if _bearer_token_matches():
        return True
    return current_user.is_authenticated and current_user.is_admin


@bp.get("/metrics")
@limiter.exempt
@csrf.exempt
def metrics_page():
    if not may_read_metrics():
        raise Forbidden("The metrics are for administrators and the site's monitoring.")
    body = metrics.exposition(health.queue_figures())
    response = current_app.response_class(body, 200, mimetype=None,
                                          content_type=metrics.CONTENT_TYPE)
    response.cache_control.no_store = True
    return response
