"""`nanum doctor`: check a deployment and say what to fix.

Each check is a function of no argument, run in an app context, that returns one `Result`:
OK, WARN (works, but should be fixed) or FAIL (broken or unsafe), with one sentence on what
was found and what to do. `run()` runs them all; a check that breaks is itself a FAIL, so
that one broken part never hides the others.
"""

import shutil
import stat
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from nanum import mail, migrations
from nanum.database import reading
from nanum.extensions import db

OK, WARN, FAIL = "OK", "WARN", "FAIL"
SEVERITY = {OK: 0, WARN: 1, FAIL: 2}

# Secret keys that appear in examples, tests and development set-ups.
KNOWN_KEYS = frozenset({"dev", "development", "secret", "secret-key", "secret_key", "changeme",
                        "change-me", "change_me", "test", "test-secret", "testing", "nanum",
                        "please-change-me", "default", "insecure"})
KEY_MIN_LENGTH = 32
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
DISK_WARN_BYTES = 1024 ** 3  # free space under 1 GB, or under DISK_WARN_SHARE, is a warning
DISK_WARN_SHARE = 0.10
DISK_FAIL_BYTES = 100 * 1024 ** 2  # under 100 MB writes are about to fail
TOKEN_MIN_LENGTH = 16
UNREACHABLE = "The database cannot be reached"


@dataclass(frozen=True)
class Result:
    status: str  # OK, WARN or FAIL
    name: str
    message: str

    def line(self):
        return f"{self.status:<4}  {self.name}: {self.message}"


def _worst(name, findings, fine):
    """One result from (status, sentence) findings: the worst status, every sentence."""
    problems = [(status, sentence) for status, sentence in findings if status != OK]
    if not problems:
        return Result(OK, name, fine)
    status = max((status for status, _ in problems), key=SEVERITY.__getitem__)
    return Result(status, name, " ".join(sentence for _, sentence in problems))


# -- the secret key ------------------------------------------------------------------------

def check_secret_key():
    key = current_app.config.get("SECRET_KEY") or ""
    if not key:
        return Result(FAIL, "secret key", "No secret key is set: unset NANUM_SECRET_KEY so "
                      "that Nanum makes one in instance/secret_key.")
    findings = []
    if str(key).strip().lower() in KNOWN_KEYS:
        findings.append((FAIL, "The secret key is a well-known development value: set a "
                         "random one (e.g. `python -c 'import secrets; "
                         "print(secrets.token_hex(32))'`)."))
    elif len(key) < KEY_MIN_LENGTH:
        findings.append((FAIL, f"The secret key has only {len(key)} characters: use at least "
                         f"{KEY_MIN_LENGTH} random ones."))
    path = Path(current_app.instance_path) / "secret_key"
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            findings.append((FAIL, f"{path} can be read by other users (mode {mode:o}): "
                             f"run `chmod 600 {path}`."))
    return _worst("secret key", findings, "The secret key is long, random-looking and kept "
                  "private.")


# -- HTTPS ---------------------------------------------------------------------------------

def check_https():
    config = current_app.config
    site = config.get("SITE_URL") or ""
    if not site:
        return Result(WARN, "https", "NANUM_SITE_URL is not set: set it to the site's https:// "
                      "address so that links in mail point to it.")
    parts = urlsplit(site)
    if parts.scheme == "http" and (parts.hostname or "") in LOCAL_HOSTS:
        return Result(OK, "https", f"The site runs locally at {site}; HTTPS is not needed.")
    findings = []
    if parts.scheme != "https":
        findings.append((WARN, f"NANUM_SITE_URL is {site}: serve the site over HTTPS and set "
                         "an https:// address."))
    if config.get("PREFERRED_URL_SCHEME") != "https":
        findings.append((WARN, "NANUM_PREFERRED_URL_SCHEME is not https: set it to https "
                         "behind TLS (it also marks cookies Secure)."))
    if not config.get("SESSION_COOKIE_SECURE"):
        findings.append((WARN, "Session cookies are not marked Secure: set "
                         "NANUM_PREFERRED_URL_SCHEME=https (or NANUM_SESSION_COOKIE_SECURE=1)."))
    return _worst("https", findings, f"The site is served at {site} with Secure cookies.")


# -- mail ----------------------------------------------------------------------------------

def check_mail():
    config = current_app.config
    backend = config["MAIL_BACKEND"]
    sender = parseaddr(config.get("MAIL_DEFAULT_SENDER") or "")[1]
    findings = []
    if "@" not in sender:
        findings.append((FAIL, "NANUM_MAIL_DEFAULT_SENDER has no valid address: set it, e.g. "
                         "'Nanum <no-reply@your.domain>'."))
    elif sender.rsplit("@", 1)[1].endswith("localhost"):
        findings.append((WARN, f"Mail is sent from {sender}, which other servers refuse: set "
                         "NANUM_MAIL_DEFAULT_SENDER to an address of your domain."))
    if backend == "smtp":
        if not config.get("MAIL_SERVER"):
            findings.append((FAIL, "NANUM_MAIL_SERVER is empty: set the SMTP server's name."))
        local = config.get("MAIL_SERVER") in LOCAL_HOSTS
        if config.get("MAIL_USERNAME") and not config.get("MAIL_USE_TLS") and not local:
            findings.append((WARN, "The SMTP password would cross the network unencrypted: "
                             "set NANUM_MAIL_USE_TLS=1."))
    elif backend in ("file", "log"):
        findings.append((WARN, f"{mail.describe(config)[:-1]}: nobody receives it."))
    else:
        findings.append((FAIL, f"NANUM_MAIL_BACKEND is {backend!r}: use smtp, file or log."))
    return _worst("mail", findings, mail.describe(config))


def valid_address(address):
    """Tell whether `address` is one plain address fit to send a test to."""
    address = address or ""
    parsed = parseaddr(address)[1]
    return (parsed == address.strip() and len(address) <= 254 and address.count("@") == 1
            and all(part for part in address.split("@")) and address.isprintable()
            and not any(ch.isspace() for ch in address.strip()))


def send_test(address):
    """Send one test mail now, through the configured backend, and say how it went."""
    if not valid_address(address):
        shown = repr(address[:100]) + ("..." if len(address) > 100 else "")
        return Result(FAIL, "test mail", f"{shown} is not one plain email address: give "
                      "one such as admin@example.org.")
    config = current_app.config
    try:
        mail.send(address, "Nanum: test mail from `nanum doctor`",
                  "This message was sent by `nanum doctor` to check the mail settings.\n"
                  "Nothing needs doing.\n", timeout=config["NOTIFICATIONS_SMTP_TIMEOUT"])
    except Exception as error:  # any failure of the mail path is the finding
        return Result(FAIL, "test mail", f"Sending to {address} failed ({type(error).__name__}:"
                      f" {error}): check NANUM_MAIL_SERVER, NANUM_MAIL_PORT, NANUM_MAIL_USE_TLS"
                      " and the credentials.")
    if config["MAIL_BACKEND"] != "smtp":
        return Result(WARN, "test mail", f"The test mail to {address} was not sent out: "
                      f"{mail.describe(config)}")
    return Result(OK, "test mail", f"The SMTP server accepted a test mail to {address}; "
                  "check that it arrives.")


# -- the database and its migrations -------------------------------------------------------

def database_revisions():
    """Return (the revisions stamped in the database, the migrations' heads)."""
    scripts = migrations.scripts()
    heads = set(scripts.get_heads())
    with reading(), db.engine.connect() as connection:  # never waits for the write lock
        if not inspect(connection).has_table("alembic_version"):
            return None, heads
        stamped = set(connection.execute(text("SELECT version_num FROM alembic_version"))
                      .scalars())
    return stamped, heads


def check_database():
    try:
        stamped, heads = database_revisions()
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        return Result(FAIL, "database", f"{UNREACHABLE} ({reason}): check "
                      "NANUM_DATABASE_URL and that the server runs.")
    head = ", ".join(sorted(heads))
    if stamped is None:
        return Result(FAIL, "database", "The database has no migration stamp: run `nanum db "
                      "upgrade` (or `nanum db stamp head` if its tables were made otherwise).")
    if stamped == heads:
        return Result(OK, "database", f"The database answers and is at the latest migration "
                      f"({head}).")
    scripts = migrations.scripts()
    known = {revision for revision in stamped if _known(scripts, revision)}
    if known != stamped:
        return Result(FAIL, "database", f"The database is at migration "
                      f"{', '.join(sorted(stamped - known))}, which this version of Nanum does "
                      "not know: run the Nanum version that made it, or a newer one.")
    return Result(FAIL, "database", f"The database is at migration "
                  f"{', '.join(sorted(stamped)) or 'none'}, behind {head}: run `nanum db "
                  "upgrade`.")


def _known(scripts, revision):
    try:
        return scripts.get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown revision
        return False


# -- the search index ----------------------------------------------------------------------

def check_search_index():
    from nanum.search import service

    engine_name = current_app.config["SEARCH_ENGINE"]
    if service.index_missing():
        return Result(FAIL, "search index", f"The {engine_name} search index is missing, "
                      "incomplete or unreadable: run `nanum search rebuild` (the indexer also "
                      "rebuilds it by itself).")
    missing, extra = service.check()
    if missing or extra:
        return Result(FAIL, "search index", f"The {engine_name} search index differs from the "
                      f"database ({len(missing)} missing, {len(extra)} extra): run `nanum "
                      "search check --repair`.")
    return Result(OK, "search index", f"The {engine_name} search index matches the database.")


# -- disk space ----------------------------------------------------------------------------

def _folders():
    config = current_app.config
    folders = {"instance": current_app.instance_path, "uploads": config["UPLOAD_DIR"]}
    if config["SEARCH_ENGINE"] == "whoosh":
        folders["search index"] = config["SEARCH_INDEX_DIR"]
    return folders


def _existing(path):
    """The folder itself, or its nearest parent that exists (a folder not made yet)."""
    path = Path(path).resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk_space():
    findings, seen = [], {}
    for role, folder in _folders().items():
        where = _existing(folder)
        usage = shutil.disk_usage(where)
        device = where.stat().st_dev
        if device in seen:
            continue
        seen[device] = role
        free, share = usage.free, usage.free / usage.total if usage.total else 0.0
        sentence = (f"{free / 1024 ** 3:.1f} GB ({share:.0%}) free for the {role} folder "
                    f"({folder}): free space or move it to a larger disk.")
        if free < DISK_FAIL_BYTES:
            findings.append((FAIL, "Only " + sentence))
        elif free < DISK_WARN_BYTES or share < DISK_WARN_SHARE:
            findings.append((WARN, "Only " + sentence))
    roles = list(_folders())
    named = ", ".join(roles[:-1]) + " and " + roles[-1] if len(roles) > 1 else roles[0]
    return _worst("disk space", findings, f"The {named} folders each have at least "
                  f"{DISK_WARN_BYTES / 1024 ** 3:.0f} GB and {DISK_WARN_SHARE:.0%} free.")


# -- the worker processes ------------------------------------------------------------------

def _queues():
    """The readiness probe's report: the outbox lag and the mail queue age."""
    from nanum.ops import health

    _ready, report = health.readiness()
    if report["database"] != "ok":
        raise SQLAlchemyError("the database cannot be read")
    return report


def check_indexer():
    config = current_app.config
    if config["SEARCH_ENGINE"] == "postgres":
        return Result(OK, "indexer", "The PostgreSQL search index is written in each "
                      "transaction; no indexer is needed.")
    lag = _queues()["search_outbox_lag_seconds"]
    limit = config["READY_OUTBOX_LAG_MAX"] or 120.0
    if lag > limit:
        who = ("`nanum search indexer` is down or stuck: start it (make run does)"
               if config["SEARCH_APPLY"] == "indexer" else
               "changes are not applied: run `nanum search sync`")
        return Result(FAIL, "indexer", f"The oldest change waiting for the search index is "
                      f"{lag:.0f} s old (limit {limit:g} s): {who}.")
    return Result(OK, "indexer", f"The search index is {lag:.0f} s behind the database.")


def check_mail_worker():
    config = current_app.config
    age = _queues()["mail_queue_age_seconds"]
    limit = config["READY_MAIL_AGE_MAX"] or 3600.0
    if age > limit:
        return Result(FAIL, "mail worker", f"The oldest queued mail has waited {age:.0f} s "
                      f"(limit {limit:g} s): start `nanum notifications worker`, or see "
                      "`nanum notifications status` for the server's errors.")
    return Result(OK, "mail worker", f"The oldest queued mail has waited {age:.0f} s.")


# -- metrics and readiness settings --------------------------------------------------------

def check_monitoring():
    config = current_app.config
    findings = []
    token = config.get("METRICS_TOKEN") or ""
    if not token:
        findings.append((WARN, "NANUM_METRICS_TOKEN is not set: only admins signed in can "
                         "read /metrics; set a random token for Prometheus."))
    elif len(token) < TOKEN_MIN_LENGTH:
        findings.append((WARN, f"NANUM_METRICS_TOKEN has only {len(token)} characters: use at "
                         f"least {TOKEN_MIN_LENGTH} random ones."))
    for key, what in (("READY_OUTBOX_LAG_MAX", "a stuck indexer"),
                      ("READY_MAIL_AGE_MAX", "a stuck mail queue")):
        if not config.get(key):
            findings.append((WARN, f"NANUM_{key} is 0: /readyz never reports {what}; set a "
                             "limit in seconds."))
    return _worst("monitoring", findings, "/metrics has a scrape token and /readyz watches "
                  "the index lag and the mail queue.")


CHECKS = (check_secret_key, check_https, check_mail, check_database, check_search_index,
          check_disk_space, check_indexer, check_mail_worker, check_monitoring)
NAMES = {check_secret_key: "secret key", check_https: "https", check_mail: "mail",
         check_database: "database", check_search_index: "search index",
         check_disk_space: "disk space", check_indexer: "indexer",
         check_mail_worker: "mail worker", check_monitoring: "monitoring"}

NEEDS_DATABASE = frozenset({check_search_index, check_indexer, check_mail_worker})


def _safely(check, name):
    try:
        return check()
    except SQLAlchemyError:
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass  # the connection is gone; the pool replaces it
        return Result(FAIL, name, "Could not be checked: the database cannot be read "
                      "(see the database line).")
    except Exception as error:  # a broken part is a finding, not a traceback
        return Result(FAIL, name, f"Could not be checked ({type(error).__name__}: {error}); "
                      "fix what it names and run `nanum doctor` again.")


def run(send_to=None):
    """Run every check (and a test send when `send_to` is given); return the results.

    When the database cannot be reached the checks that read it are not tried: each would
    wait for the connection to time out again."""
    results = []
    for check in CHECKS:
        name = NAMES[check]
        if check in NEEDS_DATABASE and any(r.message.startswith(UNREACHABLE) for r in results):
            results.append(Result(FAIL, name, "Not checked: the database cannot be reached "
                                  "(see the database line)."))
        else:
            results.append(_safely(check, name))
    if send_to is not None:
        results.append(_safely(lambda: send_test(send_to), "test mail"))
    return results


def failed(results):
    return any(result.status == FAIL for result in results)
