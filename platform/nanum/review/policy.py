"""What "submit" does: publish at once, or wait in the review queue, and why.

The site setting `submission_policy` decides for most submissions; a new account's first
practices and (when `review_edits` is on) substantial edits of published practices wait
whatever the policy says.
"""

from sqlalchemy import func, select

from nanum.extensions import db
from nanum.moderation import settings
from nanum.practices import states, vocab
from nanum.practices.models import Practice
from nanum.review import diffs
from nanum.review.models import ReviewRequest

# An edit of a published practice is substantial when it changes what the practice is
# about, or rewrites more than this many characters of its text.
SUBSTANTIAL_FIELDS = ("title", "kind", "countries", "goals", "targets")
SUBSTANTIAL_CHARACTERS = 200
TEXT_FIELDS = ("summary", *vocab.SECTIONS)


def _published_by(user):
    return db.session.scalar(select(func.count(Practice.id)).where(
        Practice.author_id == user.id, Practice.status.in_(("published", "archived"))))


def wait_reason(practice, user):
    """Say why a submission must wait for review, or None when it may publish at once."""
    if practice.status == "rejected":
        return "after_rejection"  # a moderator said no: only a moderator says yes
    if _published_by(user) < settings.get("new_account_reviews"):
        return "new_account"
    policy = settings.get("submission_policy")
    if policy == "publish_all":
        return None
    if policy == "trusted_publish" and practice.organisation is not None and (
            practice.organisation.trusted):
        return None
    return "untrusted" if policy == "trusted_publish" else "policy"


def publishes_directly(user):
    """Tell whether the user's submissions publish at once whatever their organisation."""
    return settings.get("submission_policy") == "publish_all" and (
        _published_by(user) >= settings.get("new_account_reviews"))


def open_request(practice, user, reason):
    """Put a practice in the review queue (the caller commits)."""
    rounds = db.session.scalar(select(func.count(ReviewRequest.id)).where(
        ReviewRequest.practice_id == practice.id)) if practice.id else 0
    request = ReviewRequest(practice=practice, round=rounds + 1, reason=reason,
                            submitted_by_id=user.id)
    db.session.add(request)
    return request


def submit(practice, user):
    """Publish the practice or send it to review, as the policy says; return its status."""
    reason = wait_reason(practice, user)
    states.move(practice, "published" if reason is None else "submitted", {states.AUTHOR})
    if reason is not None:
        open_request(practice, user, reason)
    return practice.status


def is_substantial(before, after):
    if any(diffs.as_text(before.get(f)) != diffs.as_text(after.get(f))
           for f in SUBSTANTIAL_FIELDS):
        return True
    return diffs.changed_characters(before, after, TEXT_FIELDS) > SUBSTANTIAL_CHARACTERS


def review_edit(practice, user, before, after):
    """Send a published practice back through review after its author's substantial edit.

    Return True when it went back (the caller commits).
    """
    if practice.status != "published" or user.is_moderator:
        return False
    if not settings.get("review_edits") or not is_substantial(before, after):
        return False
    states.move(practice, "submitted", {states.AUTHOR})
    open_request(practice, user, "edit")
    return True
