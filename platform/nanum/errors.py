"""Domain errors, and the one place where they and HTTP errors become pages."""

from flask import current_app, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from nanum.extensions import db
from nanum.ops.requestlog import printable, request_id


class DomainError(Exception):
    """An error a service raises for the caller to show."""

    status = 400
    title = "Bad request"

    def __init__(self, message="", errors=None):
        super().__init__(message)
        self.message = message or self.title
        self.errors = errors or {}


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Forbidden(DomainError):
    status = 403
    title = "Not allowed"


class Invalid(DomainError):
    """Input that breaks a rule; `errors` maps field names to messages."""

    status = 400
    title = "Please check what you entered"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


HTTP_MESSAGES = {
    400: ("Bad request", "The request could not be understood. Please go back and try again."),
    403: ("Not allowed", "You do not have permission to do that."),
    404: ("Page not found", "We could not find that page. It may have moved or never existed."),
    405: ("Method not allowed", "That action is not available here."),
    409: ("Conflict", "That conflicts with the current state of the page."),
    413: ("File too large", "The file you sent is larger than the upload limit."),
    429: ("Too many requests", "You are going a little fast. Please wait a minute and try again."),
    500: ("Something went wrong", "An unexpected error happened on our side. It has been logged."),
    503: ("Please try again", "The site cannot reach its database just now. Nothing was "
          "changed; please try again in a moment."),
}


def _wants_json():
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json")


def render_error(status, message=None):
    """Render the error page (or JSON) for a status code, with the request's reference."""
    title, default = HTTP_MESSAGES.get(status, HTTP_MESSAGES[500])
    message = message or default
    reference = request_id()
    if _wants_json():
        return jsonify(error=title, message=message, reference=reference), status
    return render_template("errors/error.html", status=status, title=title,
                           message=message, reference=reference), status


def handle_domain_error(error):
    return render_error(error.status, error.message)


def handle_http_error(error):
    status = error.code or 500
    message = None
    if status == 413:
        from flask import current_app
        limit = current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
        message = f"The file you sent is larger than the {limit} MB upload limit."
    elif status == 400 and getattr(error, "description", "").startswith("The CSRF"):
        message = ("The form had expired or was sent from elsewhere. "
                   "Please reload the page and try again; nothing was changed.")
    return render_error(status, message)


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
    body, status = render_error(503)
    return body, status, {"Retry-After": "5"}


def init_app(app):
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
