"""Whole pages for visitors, kept per process until the content changes.

A visitor who is not signed in and carries no cookie sees the same page as every other such
visitor, so each worker keeps the pages it rendered for them, keyed by the address, the
`Accept` and `Accept-Encoding` headers, the interface language (chosen in a cookie or by the
browser, nanum.i18n), the language of the API's SDG texts, the content version and the
search index's generation; a page is kept as sent, compressed, so that a kept page costs
only a lookup.

The content version is one row that every flush writing content bumps, in the same
transaction as the change: a page read at version n was rendered from the database as it
stood at version n, and a committed change is seen by the next request of every worker. The
index generation covers what pages take from the index (search results, similar practices).
`PAGECACHE_SECONDS` bounds how long a page is kept, for what depends on the clock alone.

Only pages that set no cookie are kept (a page holding a CSRF token or a flash message sets
the session cookie), only with status 200 and never when marked private or no-store; only
requests without a session or remember-me cookie are answered from the cache.
"""

import threading

from cachetools import TTLCache
from flask import current_app, g, request, session
from sqlalchemy import DDL, Integer, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import TextClause

from nanum import i18n
from nanum.extensions import db

# Tables no visitor's page shows: writing them does not change the content version.
PRIVATE_TABLES = frozenset({"search_outbox", "outgoing_mail", "login_failures",
                            "notifications", "pending_search_matches"})
CACHE_KEY = "nanum.pagecache"
READING_SQL = ("select", "with", "pragma", "explain")


class ContentVersion(db.Model):
    """One row counting the changes of content that pages show."""

    __tablename__ = "content_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


event.listen(ContentVersion.__table__, "after_create",
             DDL("INSERT INTO content_version (id, value) VALUES (1, 0)"))

_bump = update(ContentVersion.__table__).where(ContentVersion.__table__.c.id == 1).values(
    value=ContentVersion.__table__.c.value + 1)


def _is_private(instance):
    return getattr(instance, "__tablename__", None) in PRIVATE_TABLES


@event.listens_for(Session, "after_flush")
def _bump_on_flush(session, _flush_context):
    for instance in (*session.new, *session.dirty, *session.deleted):
        if _is_private(instance):
            continue
        if instance in session.dirty and not session.is_modified(instance):
            continue
        session.connection().execute(_bump)
        return


@event.listens_for(Session, "do_orm_execute")
def _bump_on_statement(orm_execute_state):
    """Bulk UPDATE, DELETE and INSERT statements and raw SQL change content as well."""
    state = orm_execute_state
    statement = state.statement
    if isinstance(statement, TextClause):
        if statement.text.lstrip().lower().startswith(READING_SQL):
            return
    elif not (state.is_insert or state.is_update or state.is_delete):
        return
    elif getattr(getattr(statement, "table", None), "name", None) in PRIVATE_TABLES:
        return
    state.session.connection().execute(_bump)


def content_version(session):
    """Return the content version as this session's transaction sees it."""
    # Plain SQL on the session's connection: read on every visitor's request, kept cheap.
    return session.connection().exec_driver_sql(
        "SELECT value FROM content_version WHERE id = 1").scalar()


UNREADABLE = object()


def _index_generation():
    """Return the search index's generation, or UNREADABLE: then no page is kept."""
    from nanum.search import service as search

    try:
        return search.engine().generation()
    except Exception:  # a damaged index: the search pages say so, and it is rebuilt
        return UNREADABLE


def _cacheable_request():
    config = current_app.config
    return (request.method == "GET" and "Authorization" not in request.headers
            and config["SESSION_COOKIE_NAME"] not in request.cookies
            and config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies)


def _api_language():
    """The API shows SDG texts and country names in more languages than the interface has,
    chosen by `Accept-Language` as well (nanum.api.language)."""
    if not request.path.startswith("/api/"):
        return None
    from nanum.api import language

    return language.current()


def _serve_cached():
    if not _cacheable_request():
        return None
    version = content_version(db.session)
    if version is None:
        return None
    generation = _index_generation()
    if generation is UNREADABLE:
        return None
    environ = request.environ  # the raw address: cheaper than request.url, as exact
    key = (version, generation, i18n.visitor_locale(),
           environ["wsgi.url_scheme"], environ.get("HTTP_HOST"),
           environ.get("SCRIPT_NAME"), environ.get("PATH_INFO"), environ.get("QUERY_STRING"),
           environ.get("HTTP_ACCEPT"), environ.get("HTTP_ACCEPT_ENCODING"),
           _api_language())
    cache = current_app.extensions[CACHE_KEY]
    with cache.lock:
        kept = cache.pages.get(key)
    if kept is not None:
        g.pagecache_hit = True
        body, headers = kept
        # A page with an ETag or Last-Modified answers a conditional request with 304.
        return current_app.response_class(body, 200, headers).make_conditional(request)
    g.pagecache_key = key
    return None


def _keep(response):
    key = g.pop("pagecache_key", None)
    # The session is saved after this runs: a session written or holding anything (a CSRF
    # token, a flash message) will set a cookie, so the page is this visitor's own.
    if (key is None or response.status_code != 200 or response.direct_passthrough
            or response.is_streamed or session.modified or session
            or "Set-Cookie" in response.headers
            or "private" in response.cache_control or response.cache_control.no_store):
        return response
    headers = [(name, value) for name, value in response.headers.items()
               if name not in ("Content-Length", "Set-Cookie")]
    body = response.get_data()
    cache = current_app.extensions[CACHE_KEY]
    if len(body) > cache.pages.maxsize // 16:  # a huge page would push out all the others
        return response
    with cache.lock:
        cache.pages[key] = (body, headers)
    return response


class PageCache:
    def __init__(self, max_bytes, seconds):
        self.pages = TTLCache(maxsize=max_bytes, ttl=seconds,
                              getsizeof=lambda kept: len(kept[0]) + 512)
        self.lock = threading.Lock()


def init_app(app):
    """Answer visitors from the cache.

    Call after `database.init_app` (the version is read in a deferred transaction) and before
    the extensions that add headers or compress, so that a page is kept as it is sent.
    """
    seconds = app.config["PAGECACHE_SECONDS"]
    if not seconds:
        return
    app.extensions[CACHE_KEY] = PageCache(app.config["PAGECACHE_BYTES"], seconds)
    app.before_request(_serve_cached)
    app.after_request(_keep)
