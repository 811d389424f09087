"""Domain errors, and the one place where they and HTTP errors become pages."""

from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from nanum.extensions import db, login_manager
from nanum.ops.requestlog import printable, request_id


class DomainError(Exception):
    """An error a service raises for the caller to show."""

    status = 400
    title = _l("Bad request")

    def __init__(self, message="", errors=None):
        super().__init__(message)
        # Messages are in the language of the request that raised them; str() also turns a
        # lazy string (a class's title) into one for code and JSON that need text.
        self.message = str(message or self.title)
        self.errors = errors or {}


class NotFound(DomainError):
    status = 404
    title = _l("Not found")


class Forbidden(DomainError):
    status = 403
    title = _l("Not allowed")


class Invalid(DomainError):
    """Input that breaks a rule; `errors` maps field names to messages."""

    status = 400
    title = _l("Please check what you entered")


class Conflict(DomainError):
    status = 409
    title = _l("Conflict")


HTTP_MESSAGES = {
    400: (_l("Bad request"),
          _l("The request could not be understood. Please go back and try again.")),
    401: (_l("Not signed in"), _l("This needs you to be signed in, or a valid API token.")),
    403: (_l("Not allowed"), _l("You do not have permission to do that.")),
    404: (_l("Page not found"),
          _l("We could not find that page. It may have moved or never existed.")),
    405: (_l("Method not allowed"), _l("That action is not available here.")),
    409: (_l("Conflict"), _l("That conflicts with the current state of the page.")),
    413: (_l("File too large"), _l("The file you sent is larger than the upload limit.")),
    422: (_l("Please check what you entered"), _l("Some values were not valid.")),
    429: (_l("Too many requests"),
          _l("You are going a little fast. Please wait a minute and try again.")),
    500: (_l("Something went wrong"),
          _l("An unexpected error happened on our side. It has been logged.")),
    503: (_l("Please try again"),
          _l("The site cannot reach its database just now. Nothing was changed; please try "
             "again in a moment.")),
}


# The last resort when even the error page needs the database.
UNAVAILABLE_TEXT = "The site cannot reach its database just now. Nothing was changed; please " \
    "try again in a moment."


# The API's errors have one shape: {"error": {"status", "code", "message"[, "fields"]}}.
API_CODES = {400: "bad_request", 401: "unauthorised", 403: "forbidden", 404: "not_found",
             405: "method_not_allowed", 409: "conflict", 412: "precondition_failed",
             413: "too_large", 415: "unsupported_media_type", 422: "invalid",
             429: "too_many_requests", 500: "server_error", 503: "unavailable"}


def _is_api():
    return request.path.startswith("/api/")


def _wants_json():
    return _is_api() or request.accept_mimetypes.best == "application/json"


def api_error(status, message=None, fields=None, code=None):
    """Return the API's JSON error response for a status code."""
    title, default = HTTP_MESSAGES.get(status, HTTP_MESSAGES[500])
    body = {"status": status, "code": code or API_CODES.get(status, "error"),
            "message": str(message or default)}
    if fields:
        body["fields"] = fields
    reference = request_id()
    if reference:
        body["reference"] = reference
    return jsonify(error=body), status


def render_error(status, message=None, fields=None):
    """Render the error page (or JSON) for a status code, with the request's reference."""
    if _is_api():
        return api_error(status, message, fields)
    title, default = HTTP_MESSAGES.get(status, HTTP_MESSAGES[500])
    title, message = str(title), str(message or default)
    reference = request_id()
    if _wants_json():
        return jsonify(error=title, message=message, reference=reference), status
    return render_template("errors/error.html", status=status, title=title,
                           message=message, reference=reference), status


def handle_domain_error(error):
    if _is_api() and isinstance(error, Invalid):
        return api_error(400, error.message, error.errors, code="invalid")
    return render_error(error.status, error.message)


def handle_http_error(error):
    status = error.code or 500
    message = None
    if status == 413:
        from flask import current_app
        limit = current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
        message = _("The file you sent is larger than the %(limit)d MB upload limit.",
                    limit=limit)
    elif status == 400 and getattr(error, "description", "").startswith("The CSRF"):
        message = _("The form had expired or was sent from elsewhere. "
                    "Please reload the page and try again; nothing was changed.")
    elif status in (400, 422) and _is_api() and getattr(error, "data", None):
        # The API's arguments failed their schema.
        messages = (getattr(error, "data", None) or {}).get("messages") or {}
        fields = {}
        for location, found in (messages.items() if isinstance(messages, dict) else ()):
            fields.update(found if isinstance(found, dict) else {location: found})
        return api_error(400, "Some values were not valid.", fields, code="invalid")
    elif status == 429 and _is_api():
        message = f"Too many requests ({error.description}); please wait and try again."
    elif status in (404, 405) and _is_api():
        message = {404: "There is nothing at this address of the API.",
                   405: f"{request.method} is not allowed here."}[status]
    response = render_error(status, message)
    if status == 405 and hasattr(error, "get_headers"):
        allow = dict(error.get_headers()).get("Allow")
        if allow:
            body, code = response
            return body, code, {"Allow": allow}
    return response


def handle_unexpected(error):
    if isinstance(error, OperationalError) or (
            isinstance(error, DBAPIError) and error.connection_invalidated):
        return handle_unavailable(error)
    # Roll back first, so that the error page itself can still query the database.
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s %s (request %s)", request.method,
                                 printable(request.path), request_id())
    return render_error(500)


def handle_unavailable(error):
    """The database is down, restarting, locked or too slow: the request failed, whole."""
    current_app.logger.error("Database unavailable on %s %s (request %s): %s", request.method,
                             printable(request.path), request_id(), error)
    try:
        db.session.rollback()
    except DBAPIError:
        pass  # the connection is gone; the pool replaces it at the next checkout
    # The page is rendered as for a visitor: the signed-in user's rows were expired by the
    # rollback, and reloading them (for the language, the menu) would fail again: a 500.
    g._login_user = login_manager.anonymous_user()
    try:
        body, status = render_error(503)
    except DBAPIError:
        db.session.rollback()
        body, status = UNAVAILABLE_TEXT, 503
    return body, status, {"Retry-After": "5"}


def init_app(app):
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
