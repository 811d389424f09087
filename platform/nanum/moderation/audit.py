"""Writing the audit log: every moderation and admin act adds one record.

Services call `record` inside their own transaction, so the act and its record are saved
together or not at all; the caller commits.
"""

from nanum.extensions import db
from nanum.moderation.models import AuditRecord

LABEL_LIMIT = 300


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
