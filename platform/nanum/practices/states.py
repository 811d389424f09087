"""The life of a practice: its states and who may move it from one to another.

    draft ──submit──▶ submitted ──approve──▶ published ──archive──▶ archived
      ▲                 │  │  ▲                │  ▲                    │
      └───withdraw──────┘  │  └──resubmit──┐   │  └──────restore───────┘
                           ├─request changes─▶ changes_requested
                           └──reject──▶ rejected ──resubmit──▶ submitted
    published ──hide (moderation)──▶ hidden ──restore──▶ published

Where the site's policy lets a submission publish directly, "submit" and "resubmit" lead
to published instead of submitted. Moderation may also hide a practice waiting for review.
"""

from flask_babel import gettext as _

from nanum.errors import Conflict, Forbidden
from nanum.practices import vocab
from nanum.timeutil import utcnow

AUTHOR, MODERATOR = "author", "moderator"

# (from, to) -> who may make the move: the practice's organisation ("author") and/or
# moderators. Moderators may also do what authors may, as they may edit any practice.
TRANSITIONS = {
    ("draft", "submitted"): {AUTHOR},
    ("draft", "published"): {AUTHOR},
    ("submitted", "draft"): {AUTHOR},
    ("submitted", "published"): {MODERATOR},
    ("submitted", "changes_requested"): {MODERATOR},
    ("submitted", "rejected"): {MODERATOR},
    ("submitted", "hidden"): {MODERATOR},
    ("changes_requested", "submitted"): {AUTHOR},
    ("changes_requested", "published"): {AUTHOR},
    ("changes_requested", "draft"): {AUTHOR},
    ("rejected", "submitted"): {AUTHOR},
    ("published", "submitted"): {AUTHOR},  # a substantial edit goes back through review
    ("published", "archived"): {AUTHOR, MODERATOR},
    ("published", "hidden"): {MODERATOR},
    ("archived", "published"): {AUTHOR, MODERATOR},
    ("hidden", "published"): {MODERATOR},
    ("hidden", "archived"): {MODERATOR},
}
STATES = tuple(vocab.STATUSES)


def allowed(current, new, roles):
    """Tell whether someone with `roles` (a set of AUTHOR / MODERATOR) may move a practice
    from `current` to `new`."""
    movers = TRANSITIONS.get((current, new), set())
    return bool(movers & set(roles)) or (MODERATOR in roles and AUTHOR in movers)


def move(practice, new, roles):
    """Move `practice` to the state `new`, or raise; the caller records and commits."""
    current = practice.status
    if (current, new) not in TRANSITIONS:
        raise Conflict(_("A practice that is %(current)s cannot become %(new)s.",
                         current=str(vocab.STATUSES.get(current, current)).lower(),
                         new=str(vocab.STATUSES.get(new, new)).lower()))
    if not allowed(current, new, roles):
        raise Forbidden(_("You may not make that change to this practice."))
    practice.status = new
    if new == "published" and practice.published_at is None:
        practice.published_at = utcnow()
    return current
