"""Safe redirects, security headers and cache privacy."""

from urllib.parse import urlsplit

from flask import request, session

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def safe_next(target, default="/"):
    """Return `target` when it is a local path on this site, else `default`."""
    if not target or not isinstance(target, str):
        return default
    target = target.strip()
    # Browsers treat a backslash as a slash and ignore tabs and newlines, so `/\evil`
    # and `/\t/evil` would leave the site; refuse them outright.
    if "\\" in target or any(ch in target for ch in "\t\r\n") or any(
            ord(ch) < 32 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def keep_personal_pages_private(response):
    """Keep what was made with the session (who is signed in, a form's CSRF token) out of
    shared caches; responses that say they are public (feeds, published files) stay so.

    A visitor's empty session makes nothing personal: such a page is the same for every
    visitor, and the page cache may keep it."""
    personal = session.accessed and (session.modified or bool(session))
    if personal and not response.cache_control.public:
        response.cache_control.private = True
    return response


def init_app(app):
    app.after_request(set_security_headers)
    app.after_request(keep_personal_pages_private)
