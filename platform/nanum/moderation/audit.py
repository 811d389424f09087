"""Writing the audit log: every moderation and admin act adds one record.

Services call `record` inside their own transaction, so the act and its record are saved
together or not at all; the caller commits.
"""

from flask_babel import lazy_gettext as _l

from nanum.extensions import db
from nanum.moderation.models import AuditRecord

LABEL_LIMIT = 300
# What the log's kinds of record are called on its page (the log keeps the table's name).
KINDS = {
    "practices": _l("Practice"), "users": _l("Person"), "user": _l("Person"),
    "organisations": _l("Organisation"), "organisation": _l("Organisation"),
    "posts": _l("Discussion post"), "post": _l("Discussion post"),
    "threads": _l("Discussion"), "collections": _l("Collection"),
    "calls": _l("Call for contributions"), "featured_practices": _l("Featured practice"),
    "site_settings": _l("Site settings"), "site": _l("Site"),
    "moderation_statements": _l("Moderation decision"), "flag_entries": _l("Flagged item"),
    "verification_requests": _l("Verification request"), "memberships": _l("Membership"),
    "review_requests": _l("Review"), "attachments": _l("Attachment"),
    "api_tokens": _l("API token"), "events": _l("Event"),
    "board_posts": _l("Partnership board post"),
}


def kind_label(target_type):
    """Return the words for a kind of record the log names, or its name when it has none."""
    return KINDS.get(target_type, target_type)


def _label_of(target):
    for name in ("title", "name", "handle"):
        value = getattr(target, name, None)
        if value:
            return str(value)[:LABEL_LIMIT]
    return ""


def target_type_of(target):
    """The name by which the log refers to a kind of record ("practices", "users", ...)."""
    return getattr(target, "__tablename__", type(target).__name__.lower())


def record(actor, action, target=None, *, reason=None, message="", before=None, after=None,
           target_type=None, label=None):
    """Add an audit record of `actor` doing `action` to `target` (a model instance).

    `before` and `after` are small JSON-able dicts of what the act changed; `target_type`
    and `label` name a target that is not a model instance (a setting, say).
    """
    entry = AuditRecord(
        actor_id=getattr(actor, "id", None), action=action,
        target_type=target_type or (target_type_of(target) if target is not None else "site"),
        target_id=getattr(target, "id", None),
        target_label=(label if label is not None else _label_of(target))[:LABEL_LIMIT],
        reason_code=reason, message=message or "", before=before, after=after)
    db.session.add(entry)
    return entry
