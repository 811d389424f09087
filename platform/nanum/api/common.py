"""What every API endpoint shares: its blueprint class, paging links, the caller's token."""

from urllib.parse import urlencode

from flask import g, request, url_for
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser

from nanum.api import tokens

PREFIX = "/api/v1"


class Parser(FlaskParser):
    """Arguments that fail their schema are a 400, like every other bad request."""

    DEFAULT_VALIDATION_STATUS = 400


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = Parser()


def caller():
    """Return the token record of this request (None without an Authorization header)."""
    if "api_token" not in g:
        header = request.headers.get("Authorization")
        g.api_token = tokens.authenticate(header) if header else None
    return g.api_token


def require(scope):
    """Return the caller's token record after checking it carries `scope`."""
    record = caller()
    tokens.require_scope(record, scope)
    return record


def _page_url(number, args):
    query = [*((key, value) for key, value in request.args.items(multi=True) if key != "page"),
             ("page", number)]
    return url_for(request.endpoint, **(request.view_args or {}), _external=True) + "?" + \
        urlencode(query)


def paging(page, pages, per_page, total):
    """Return the `paging` member of a list and set its `Link` header (RFC 8288)."""
    pages = max(1, pages)
    links = {"self": _page_url(page, request.args), "first": _page_url(1, request.args),
             "last": _page_url(pages, request.args),
             "next": _page_url(page + 1, request.args) if page < pages else None,
             "prev": _page_url(page - 1, request.args) if page > 1 else None}
    g.api_links = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    return {"page": page, "per_page": per_page, "total": total, "pages": pages,
            "links": links}


def from_pagination(found):
    """`paging` for a Flask-SQLAlchemy pagination."""
    return paging(found.page, found.pages, found.per_page, found.total)
