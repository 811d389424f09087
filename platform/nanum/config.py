"""Configuration: defaults, the instance folder, and `NANUM_` environment variables."""

import json
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DEFAULTS = {
    "SQLALCHEMY_DATABASE_URI": None,  # set from the instance folder when missing
    "SECRET_KEY": None,  # generated once and kept in the instance folder
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    # PostgreSQL connections (nanum/database.py): seconds to wait for a connection to the
    # server, and the longest a statement may run before it is cancelled (0: no limit).
    "DATABASE_CONNECT_TIMEOUT": 10,
    "DATABASE_STATEMENT_TIMEOUT": 30.0,
    "DATABASE_POOL_SIZE": 5,
    "DATABASE_POOL_TIMEOUT": 10.0,  # seconds a request waits for a free pooled connection
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    "UPLOAD_MAX_BYTES": 20 * 1024 * 1024,
    "UPLOAD_DIR": None,  # instance/uploads when missing
    "BRIEFS_DIR": None,  # instance/briefs when missing: the practices' PDF briefs, made once
    "SEARCH_ENGINE": "whoosh",  # whoosh (an index folder) or memory (tests, tiny sites)
    "SEARCH_INDEX_DIR": str(ROOT / "search_index"),
    # Ranking (nanum/search/ranking.py); the defaults were chosen on bench/relevance.py.
    "SEARCH_FIELD_WEIGHTS": {},  # e.g. {"title": 2.0}: changes to engine.FIELD_WEIGHTS
    "SEARCH_COORDINATION": 0.5,  # how much each missing word of a query costs a document
    "SEARCH_COVERAGE_BY_IDF": True,  # a missing rare word costs more than a common one
    "SEARCH_BM25_K1": 1.2,
    "SEARCH_BM25_B": 0.75,
    # PostgreSQL engine: above this many documents found, only this many are ranked in
    # full (those best by BM25F without length normalisation); 0: every one
    "SEARCH_POSTGRES_CANDIDATES": 500,
    "SEARCH_WRITER_TIMEOUT": 1.0,  # seconds a web request waits for the index lock
    "SEARCH_APPLY": "inline",  # inline: apply the outbox after each commit; indexer: leave it
    "SEARCH_INDEXER_INTERVAL": 0.2,  # seconds between looks at the outbox, when not woken
    "SEARCH_INDEXER_TIMINGS": False,  # one line per batch applied on stderr (bench/)
    # Added to the indexer's nice value when it starts: negative runs it ahead of the web
    # workers on a busy machine (needs the privilege to raise a priority; see bench/README.md)
    "SEARCH_INDEXER_NICE": 0,
    "SEARCH_REBUILD_PROCS": min(os.cpu_count() or 1, 4),
    # Pages for visitors kept per worker until the content changes (0: keep none)
    "PAGECACHE_SECONDS": 60,  # longest a page is kept, for what depends on the clock alone
    "PAGECACHE_BYTES": 32 * 1024 * 1024,  # room for pages in each worker
    "PRACTICES_PER_PAGE": 20,
    "SITE_URL": None,  # e.g. https://nanum.example.org: the address links in mail point to
    "MAIL_BACKEND": "file",  # file (instance/mail/*.eml) | log | smtp
    "MAIL_FILE_DIR": None,  # instance/mail when missing
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Nanum <no-reply@nanum.localhost>",
    "NOTIFICATIONS_PER_PAGE": 30,
    "NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE": 365 * 24 * 3600,  # seconds an unsubscribe link works
    "NOTIFICATIONS_MAX_ATTEMPTS": 5,  # a mail that failed this often is marked failed
    "NOTIFICATIONS_RETRY_BASE": 60,  # seconds before the first retry; doubled after each failure
    # Seconds a `send` run holds the mails it took, renewed after each mail it sends: longer
    # than one delivery may take (each SMTP step has NOTIFICATIONS_SMTP_TIMEOUT).
    "NOTIFICATIONS_SEND_LEASE": 60,
    "NOTIFICATIONS_SMTP_TIMEOUT": 10.0,
    "NOTIFICATIONS_INLINE_SEARCHES": 50,  # more saved searches: match them in `send`, not inline
    "PASSWORD_RESET_MAX_AGE": 3600,
    "ACCOUNTS_CONFIRM_MAX_AGE": 7 * 24 * 3600,  # seconds a link confirming a new account works
    # Failed sign-ins allowed per account and per client address; counted in the database
    # (shared by every worker and host) or in LOGIN_THROTTLE_STORAGE_URI (e.g. redis://...).
    "LOGIN_THROTTLE_ACCOUNT": "10 per 15 minutes",
    "LOGIN_THROTTLE_ADDRESS": "50 per 15 minutes",
    "LOGIN_THROTTLE_STORAGE_URI": "database",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": False,
    "PREFERRED_URL_SCHEME": "http",  # "https" behind TLS also marks cookies Secure
    "STATIC_BUILD_DIR": None,  # instance/static when missing: fingerprinted, compressed statics
    # Pages are compressed for browsers that accept it; attachments and other streamed files
    # are sent as they are. The fastest levels: on a 60 KB page Brotli 1 takes 0.15 ms for
    # 11 KB where level 4 takes 1 ms for 9.5 KB, and every page stays well within its budget.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 1,
    "COMPRESS_LEVEL": 1,
    "COMPRESS_STREAMS": False,
    "RATELIMIT_ENABLED": True,
    # Where registration, posting and appeal limits are counted: None picks memory:// (each
    # worker its own) on SQLite and the database (nanum+database://, shared) on PostgreSQL.
    "RATELIMIT_STORAGE_URI": None,
    "RATELIMIT_REGISTER": "5 per minute",
    "WTF_CSRF_TIME_LIMIT": None,
    "RATELIMIT_POST": "10 per minute;60 per hour",
    "RATELIMIT_EXPERT_CONTACT": "5 per hour;20 per day",  # contact requests per person
    "RATELIMIT_SUSPENSION_APPEAL": "5 per hour",  # appeals sent from the suspension page
    "RATELIMIT_API": "300 per minute",  # API requests per token (per address without one)
    "DISCUSSIONS_MAX_MENTIONS": 10,  # people one post may mention
    "DISCUSSIONS_MENTIONS_PER_HOUR": 30,  # mentions one person may make in an hour
    # Moderation: see nanum/moderation/settings.py (admins change these in the app).
    "MODERATION_SUBMISSION_POLICY": "review_all",
    "MODERATION_NEW_ACCOUNT_REVIEWS": 2,  # a new account's first practices always wait
    "MODERATION_REVIEW_EDITS": False,  # substantial edits of published practices wait
    "MODERATION_CLAIM_MINUTES": 30,  # a moderator's claim on a queue item lasts this long
    # Flags: each flag weighs 1, an account younger than NEW_ACCOUNT_DAYS less, a moderator's
    # more, plus UPHELD_BONUS for each earlier flag of the flagger that moderators upheld
    # (at most UPHELD_BONUS_MAX); an item whose flags weigh HIDE_THRESHOLD hides itself.
    "MODERATION_HIDE_THRESHOLD": 3.0,
    "MODERATION_NEW_ACCOUNT_DAYS": 7,
    "MODERATION_FLAG_WEIGHT_NEW_ACCOUNT": 0.5,
    "MODERATION_FLAG_WEIGHT_MODERATOR": 3.0,
    "MODERATION_FLAG_UPHELD_BONUS": 0.25,
    "MODERATION_FLAG_UPHELD_BONUS_MAX": 2.0,
    # Seconds the suspension page shown after a correct password lets its person appeal.
    "MODERATION_SUSPENSION_APPEAL_MAX_AGE": 1800,
    "DISCUSSIONS_HOLD_NEW_ACCOUNTS": False,  # hold first posts for moderation
    "DISCUSSIONS_HOLD_FIRST_POSTS": 3,
    # Operating (nanum/ops): /readyz answers 503 when the search index is this many seconds
    # behind the database, or the oldest queued mail this old (0: never); /metrics is for
    # signed-in admins and for scrapers sending `Authorization: Bearer <METRICS_TOKEN>`.
    "READY_OUTBOX_LAG_MAX": 120.0,
    "READY_MAIL_AGE_MAX": 3600.0,
    "METRICS_TOKEN": None,
}

_BOOL = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False,
         "no": False, "off": False, "": False}


def _coerce(value, default):
    """Turn an environment string into the type of its default."""
    if isinstance(default, bool):
        return _BOOL.get(value.strip().lower(), False)
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    if isinstance(default, dict):
        return json.loads(value)
    return value


def from_environment(environ=os.environ):
    """Return the settings given as `NANUM_<KEY>` environment variables."""
    settings = {}
    aliases = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "NOTIFICATIONS_SITE_URL": "SITE_URL"}
    for name, value in environ.items():
        if not name.startswith("NANUM_"):
            continue
        key = aliases.get(name[6:], name[6:])
        if key != name[6:] and f"NANUM_{key}" in environ:
            continue  # an old name gives way to the setting's own
        if key in DEFAULTS:
            settings[key] = _coerce(value, DEFAULTS[key])
    return settings


def secret_key(instance_path):
    """Read the instance's secret key, creating it on first use."""
    path = Path(instance_path) / "secret_key"
    try:
        # Exclusive creation: when several workers start at once, one key wins.
        with open(path, "x") as handle:
            path.chmod(0o600)
            handle.write(secrets.token_hex(32))
    except FileExistsError:
        pass
    return path.read_text().strip()


def finalise(config, instance_path):
    """Fill the settings that derive from the instance folder."""
    instance = Path(instance_path)
    # The site's address was first a notifications setting; the old name still works.
    config["SITE_URL"] = config.get("SITE_URL") or config.get("NOTIFICATIONS_SITE_URL")
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'nanum.sqlite'}"
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = secret_key(instance)
    config["UPLOAD_DIR"] = config.get("UPLOAD_DIR") or str(instance / "uploads")
    config["BRIEFS_DIR"] = config.get("BRIEFS_DIR") or str(instance / "briefs")
    config["MAIL_FILE_DIR"] = config.get("MAIL_FILE_DIR") or str(instance / "mail")
    config["MAX_CONTENT_LENGTH"] = config["UPLOAD_MAX_BYTES"] + 1024 * 1024
    if config.get("PREFERRED_URL_SCHEME") == "https":
        config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = True
    from nanum import database, ratelimits

    database.engine_options(config)
    if not config.get("RATELIMIT_STORAGE_URI"):
        on_sqlite = config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
        config["RATELIMIT_STORAGE_URI"] = "memory://" if on_sqlite else f"{ratelimits.SCHEME}://"
