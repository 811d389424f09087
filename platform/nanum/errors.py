"""Domain errors, and the one place where they and HTTP errors become pages."""

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from nanum.extensions import db


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
    403: (_l("Not allowed"), _l("You do not have permission to do that.")),
    404: (_l("Page not found"),
          _l("We could not find that page. It may have moved or never existed.")),
    405: (_l("Method not allowed"), _l("That action is not available here.")),
    409: (_l("Conflict"), _l("That conflicts with the current state of the page.")),
    413: (_l("File too large"), _l("The file you sent is larger than the upload limit.")),
    429: (_l("Too many requests"),
          _l("You are going a little fast. Please wait a minute and try again.")),
    500: (_l("Something went wrong"),
          _l("An unexpected error happened on our side. It has been logged.")),
    503: (_l("Please try again"),
          _l("The site cannot reach its database just now. Nothing was changed; please try "
             "again in a moment.")),
}


def _wants_json():
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json")


def render_error(status, message=None):
    """Render the error page (or JSON) for a status code."""
    title, default = HTTP_MESSAGES.get(status, HTTP_MESSAGES[500])
    title, message = str(title), str(message or default)
    if _wants_json():
        return jsonify(error=title, message=message), status
    return render_template("errors/error.html", status=status, title=title,
                           message=message), status


def handle_domain_error(error):
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
    return render_error(status, message)


def handle_unexpected(error):
    if isinstance(error, OperationalError) or (
            isinstance(error, DBAPIError) and error.connection_invalidated):
        return handle_unavailable(error)
    # Roll back first, so that the error page itself can still query the database.
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s", request.path)
    return render_error(500)


def handle_unavailable(error):
    """The database is down, restarting, locked or too slow: the request failed, whole."""
    current_app.logger.error("Database unavailable on %s: %s", request.path, error)
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
