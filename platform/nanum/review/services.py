"""Moderators' acts on the review queue: claims, decisions, bulk decisions, trust.

Each act is audited and committed here; the author hears of every decision in the app and
by mail (as their email settings say).
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from nanum.errors import Conflict, Invalid, NotFound
from nanum.extensions import db
from nanum.i18n import format_number
from nanum.moderation import access, audit, reasons, settings
from nanum.notifications import services as notifications
from nanum.organisations.models import Organisation
from nanum.practices import services as practices
from nanum.practices import signals, states
from nanum.review import queue
from nanum.review.models import ReviewMessage, ReviewRequest
from nanum.timeutil import utcnow

MESSAGE_LIMIT = 5000
BULK_LIMIT = 100
DECISIONS = {  # what a moderator may decide -> (the practice's new state, the request's word)
    "approve": ("published", "approved"),
    "request_changes": ("changes_requested", "changes_requested"),
    "reject": ("rejected", "rejected"),
}
def _told(word, title, reason):
    """Return what the author is told, lazily, to be written in the author's language."""
    if word == "approved":
        return _l("Your practice “%(title)s” was approved and is published.", title=title)
    if word == "changes_requested":
        return _l("A moderator asked for changes to your practice “%(title)s”.", title=title)
    return _l("Your practice “%(title)s” was not accepted: %(reason)s.", title=title,
              reason=LazyString(lambda: str(reasons.label(reason)).lower()))


def _moderator(user):
    access.require_moderator(user, _("Only moderators review submissions."))


def waiting(practice_id):
    """Return the open request of a practice waiting for review, or raise NotFound."""
    request = queue.open_request_of(practice_id)
    if request is None:
        raise NotFound(_("That practice is not waiting for review."))
    return request


def claim(moderator, practice_id, *, take_over=False):
    """Claim a waiting practice, so that no other moderator reviews it meanwhile."""
    _moderator(moderator)
    request = waiting(practice_id)
    state = queue.claim_state(request, moderator, utcnow(), settings.get("claim_minutes"))
    if state == "other" and not take_over:
        raise Conflict(_("%(name)s is reviewing this practice; take it over to review it yourself.",
                         name=request.claimed_by.name))
    before = {"claimed_by": request.claimed_by_id}
    request.claimed_by_id, request.claimed_at = moderator.id, utcnow()
    audit.record(moderator, "review.claim", request.practice, before=before,
                 after={"claimed_by": moderator.id},
                 message="took over" if state == "other" else "")
    db.session.commit()
    return request


def release(moderator, practice_id):
    """Give up a claim of one's own."""
    _moderator(moderator)
    request = waiting(practice_id)
    if request.claimed_by_id == moderator.id:
        request.claimed_by_id = request.claimed_at = None
        audit.record(moderator, "review.release", request.practice)
        db.session.commit()
    return request


def _check_claim(moderator, request):
    state = queue.claim_state(request, moderator, utcnow(), settings.get("claim_minutes"))
    if state == "other":
        raise Conflict(_("%(name)s is reviewing this practice; take it over before deciding.",
                         name=request.claimed_by.name))


def _decide(moderator, request, decision, reason, message):
    """Apply one decision to one request (the caller commits)."""
    new_state, word = DECISIONS[decision]
    practice = request.practice
    before = practice.status
    states.move(practice, new_state, {states.MODERATOR})
    now = utcnow()
    request.decided_at, request.decided_by_id, request.decision = now, moderator.id, word
    request.reason_code, request.message = reason, message
    request.snapshot = practices.snapshot(practice)
    practice.updated_at = now
    audit.record(moderator, f"review.{decision}", practice, reason=reason, message=message,
                 before={"status": before}, after={"status": practice.status})
    if message and decision != "approve":
        db.session.add(ReviewMessage(practice_id=practice.id, author_id=moderator.id,
                                     from_moderator=True, body=message))
    return practice


def _tell(practice, word, reason, moderator):
    if practice.author is None:
        return
    text = _told(word, practice.title, reason)
    notifications.notify({practice.author: "moderation"}, event=None, actor=moderator,
                         messages={"moderation": text},
                         url=url_for("practices.detail", practice_id=practice.id),
                         about=f"practice:{practice.id}", about_title=practice.title)


def _clean(decision, reason, message):
    if decision not in DECISIONS:
        raise Invalid(_("Choose approve, request changes or reject."))
    message = (message or "").strip()
    if len(message) > MESSAGE_LIMIT:
        raise Invalid(_("Keep the message under %(message_limit)s characters; nothing was decided.",
                        message_limit=format_number(MESSAGE_LIMIT)), {"message": _("Too long.")})
    if decision == "request_changes" and not message:
        raise Invalid(_("Say what should change; nothing was decided."),
                      {"message": _("Say what should change.")})
    if decision == "reject" and reason not in reasons.REASONS:
        raise Invalid(_("Choose the reason for the rejection; nothing was decided."),
                      {"reason": _("Choose a reason.")})
    if decision == "approve":
        reason = reason if reason in reasons.REASONS else "meets_criteria"
    return reason, message


def decide(moderator, practice_id, decision, *, reason=None, message=""):
    """Approve, request changes to, or reject a waiting practice; tell its author."""
    _moderator(moderator)
    reason, message = _clean(decision, reason, message)
    request = waiting(practice_id)
    _check_claim(moderator, request)
    practice = _decide(moderator, request, decision, reason, message)
    _tell(practice, request.decision, reason, moderator)  # commits with the decision
    db.session.commit()
    if practice.is_published:
        signals.practice_published.send(practice)
    return practice


BULK = {"approve": ("approve", "meets_criteria", ""),
        "spam": ("reject", "spam", _l("Rejected as spam."))}


def bulk(moderator, practice_ids, action):
    """Decide the obvious cases in one act; skip what another moderator has claimed.

    Return (decided practices, how many were skipped).
    """
    _moderator(moderator)
    if action not in BULK:
        raise Invalid(_("Choose approve or reject as spam."))
    ids = list(dict.fromkeys(practice_ids))[:BULK_LIMIT]
    if not ids:
        raise Invalid(_("Tick at least one practice."))
    decision, reason, message = BULK[action]
    message = str(message)  # stored: in the moderator's language
    requests = db.session.scalars(
        queue.open_requests().where(ReviewRequest.practice_id.in_(ids))).all()
    now, minutes = utcnow(), settings.get("claim_minutes")
    decided = [(_decide(moderator, request, decision, reason, message), request)
               for request in requests
               if queue.claim_state(request, moderator, now, minutes) != "other"]
    for practice, request in decided:
        _tell(practice, request.decision, reason, moderator)
    db.session.commit()
    decided = [practice for practice, _request in decided]
    for practice in decided:
        if practice.is_published:
            signals.practice_published.send(practice)
    return decided, len(ids) - len(decided)


def set_trusted(moderator, organisation_id, trusted, *, message=""):
    """Mark an organisation trusted (its practices may publish directly) or not."""
    _moderator(moderator)
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_("No such organisation."))
    if organisation.trusted == trusted:
        return organisation
    audit.record(moderator, "organisation.trust" if trusted else "organisation.distrust",
                 organisation, message=(message or "")[:MESSAGE_LIMIT],
                 before={"trusted": organisation.trusted}, after={"trusted": trusted})
    organisation.trusted = trusted
    db.session.commit()
    return organisation
