"""The JSON API under /api/v1/: read what is public, write with a personal token.

flask-smorest generates the OpenAPI description from the views' marshmallow schemas. What
every API response shares (ETags and 304s, `Link` headers, CORS on reads, the per-token rate
limit) is added here, once; errors take their JSON shape in `nanum.errors`.
"""

import hashlib

from flask import current_app, g, request
from flask_smorest import Api

from nanum.api import common, schemas, spec
from nanum.api.models import ApiToken  # noqa: F401  (the table, for create_all)
from nanum.extensions import csrf, limiter


class NanumApi(Api):
    ERROR_SCHEMA = schemas.ErrorSchema  # the one shape of every API error (nanum.errors)
    DEFAULT_ERROR_RESPONSE_NAME = None  # each operation lists its codes (nanum.api.spec)


api = NanumApi()

READS = ("GET", "HEAD")
SETTINGS = {
    "API_TITLE": "Nanum API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": common.PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {"description": "Published practices of Nanum, the knowledge exchange for "
                                "localising the SDGs, with the organisations, SDG taxonomy, "
                                "search, discussions and collections around them, and its "
                                "events and partnership board. Reads need "
                                "no token; writes need a personal token with the write scope "
                                "(`Authorization: Bearer <token>`, made on your account page)."},
        "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
    },
}


def _rate_key():
    """Count per token when one is sent (a digest, never the token), else per address."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api-token:" + hashlib.sha256(header.encode()).hexdigest()
    return "api-address:" + (request.remote_addr or "")


def _rate():
    return current_app.config["RATELIMIT_API"]


def _check_token():
    """Every write needs a token with the write scope, checked before its body is read (a
    session cookie never writes here). A token sent with a read must be valid too, even
    where none is needed: a client learns at once that its token was revoked."""
    if not request.path.startswith(common.PREFIX + "/") or request.routing_exception:
        return
    if request.method not in (*READS, "OPTIONS"):
        common.require("write")
    elif "Authorization" in request.headers:
        common.caller()


def _finish(response):
    """ETag and 304 on reads, paging links, CORS on reads, no shared caching of a caller's
    answers."""
    if not request.path.startswith(common.PREFIX + "/"):
        return response
    links = g.pop("api_links", None)
    if links and response.status_code == 200:
        response.headers["Link"] = links
    if request.method in READS:
        # Open to pages of any site: reads carry nothing private. Writes stay same-origin.
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Link, Retry-After"
        response.vary.add("Accept-Language")  # the SDG texts' and countries' language
        if response.status_code == 200 and not response.direct_passthrough:
            response.add_etag()
            response.make_conditional(request)
    elif request.method == "OPTIONS" and request.headers.get(
            "Access-Control-Request-Method") in READS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = ", ".join(READS)
        response.headers["Access-Control-Allow-Headers"] = "Authorization, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    if "Authorization" in request.headers:
        response.cache_control.private = True
    return response


def init_app(app):
    """Register the API's blueprints, its OpenAPI description and its docs page."""
    from nanum.api import (
        board,
        catalogue,
        discussions,
        docs,
        events,
        practices,
        search,
        views,
        writes,
    )

    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    api.init_app(app, spec_kwargs={"extra_plugins": [spec.CommonResponses()]})
    for name, schema in (("Section", schemas.SectionSchema), ("Context", schemas.ContextSchema),
                         ("Resources", schemas.ResourcesSchema),
                         ("TargetBrief", schemas.TargetBrief),
                         ("PracticeVersion", schemas.VersionSchema),
                         ("Contact", events.ContactSchema), ("Reason", board.ReasonSchema),
                         ("PracticeLink", board.PracticeLink), ("Match", board.MatchSchema)):
        api.spec.components.schema(name, schema=schema)
    for module in (practices, catalogue, search, discussions, events, board, writes):
        limiter.limit(_rate, key_func=_rate_key)(module.bp)
        csrf.exempt(module.bp)  # token-authenticated; a session cookie cannot write here
        api.register_blueprint(module.bp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(views.bp)
    app.before_request(_check_token)
    app.after_request(_finish)
