"""Verifying organisations: an admin of one asks with evidence, a moderator decides.

Every decision is an audited act; the organisation's admins and the requester hear of it in
the app and by mail.
"""

from urllib.parse import urlsplit

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from nanum import pagination
from nanum.errors import Conflict, Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.moderation import access, audit, dashboard, reasons
from nanum.notifications import services as notifications
from nanum.organisations import services
from nanum.organisations.models import Organisation, VerificationRequest
from nanum.timeutil import utcnow

MESSAGE_LIMIT = 2000


def _host(address):
    host = (urlsplit(address).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _at_domain(email, website):
    """Tell whether an email address belongs to the website's domain (or a subdomain)."""
    domain = email.rpartition("@")[2].lower()
    host = _host(website)
    return bool(host) and (domain == host or domain.endswith("." + host))


def _clean(fields):
    errors = {}
    website = (fields.get("website") or "").strip()
    if not website.startswith(("http://", "https://")) or not _host(website):
        errors["website"] = _("Enter the organisation's official website, starting with https://")
    elif len(website) > 300:
        errors["website"] = _("Use at most 300 characters.")
    email = (fields.get("email") or "").strip()
    from email_validator import EmailNotValidError, validate_email  # not at every start-up

    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        errors["email"] = _("Enter an email address.")
    else:
        if "website" not in errors and not _at_domain(email, website):
            errors["email"] = (_("Use an address at the website's domain (…@%(host)s), so that we "
                                 "can tell it is yours.", host=_host(website)))
    contact = (fields.get("contact") or "").strip()
    if not contact:
        errors["contact"] = _("Name a person we can contact to confirm the request.")
    elif len(contact) > 200:
        errors["contact"] = _("Use at most 200 characters.")
    note = (fields.get("note") or "").strip()
    if len(note) > MESSAGE_LIMIT:
        errors["note"] = _("Use at most %(message_limit)s characters.", message_limit=MESSAGE_LIMIT)
    if errors:
        raise Invalid(_("Please correct the highlighted fields."), errors)
    return {"website": website, "email": email, "contact": contact, "note": note}


def _is_organisation_admin(user, organisation):
    found = services.membership(user, organisation)
    return bool(found and found.is_admin)


def waiting_request(organisation):
    return db.session.scalar(select(VerificationRequest).where(
        VerificationRequest.organisation_id == organisation.id,
        VerificationRequest.status == "waiting"))


def latest_request(organisation):
    return db.session.scalar(
        select(VerificationRequest).where(VerificationRequest.organisation_id == organisation.id)
        .order_by(VerificationRequest.id.desc()).limit(1))


def request(user, organisation, **fields):
    """Ask for an organisation to be verified (its admins only)."""
    if not _is_organisation_admin(user, organisation):
        raise Forbidden(_("Only the organisation's admins can ask for verification."))
    values = _clean(fields)
    if organisation.verified:
        raise Conflict(_("This organisation is already verified."))
    if waiting_request(organisation) is not None:
        raise Conflict(_("A request for this organisation is already waiting for a moderator."))
    found = VerificationRequest(organisation_id=organisation.id, requested_by_id=user.id,
                                **values)
    db.session.add(found)
    db.session.commit()
    return found


def get_request(request_id):
    found = db.session.get(VerificationRequest, request_id)
    if found is None:
        raise NotFound(_("No such verification request."))
    return found


def _require_moderator(actor):
    access.require_moderator(actor, _("Only moderators decide on verification."))


def _message(message):
    message = (message or "").strip()
    if len(message) > MESSAGE_LIMIT:
        raise Invalid(_("Use at most %(message_limit)s characters.", message_limit=MESSAGE_LIMIT),
                      {"message": _("Use at most %(message_limit)s characters.",
                                    message_limit=MESSAGE_LIMIT)})
    return message


def _reason(code, *, required):
    if not code and not required:
        return None
    if code not in reasons.REASONS:
        raise Invalid(_("Please choose a reason."), {"reason": _("Please choose a reason.")})
    return code


def _snapshot(organisation):
    return {"verified": organisation.verified,
            "verified_at": organisation.verified_at.isoformat() if organisation.verified_at
            else None}


def _decide(actor, found, status):
    if found.status != "waiting":
        raise Conflict(_("This request was already decided."))
    found.status, found.decided_at, found.decided_by_id = status, utcnow(), actor.id


def verify(actor, found, *, reason=None, message=""):
    """Verify the organisation of a waiting request."""
    _require_moderator(actor)
    reason, message = _reason(reason, required=False), _message(message)
    _decide(actor, found, "verified")
    found.reason_code, found.message = reason, message
    organisation = found.organisation
    before = _snapshot(organisation)
    organisation.verified, organisation.verified_at = True, found.decided_at
    organisation.verified_by_id = actor.id
    audit.record(actor, "organisation.verify", organisation, reason=reason, message=message,
                 before=before, after=_snapshot(organisation))
    db.session.commit()
    _tell(found, actor, _l("%(name)s is now verified.", name=organisation.name), "verify")
    return found


def decline(actor, found, *, reason, message=""):
    """Decline a waiting request, saying why."""
    _require_moderator(actor)
    reason, message = _reason(reason, required=True), _message(message)
    _decide(actor, found, "declined")
    found.reason_code, found.message = reason, message
    organisation = found.organisation
    audit.record(actor, "organisation.decline", organisation, reason=reason, message=message,
                 before={"request": "waiting"}, after={"request": "declined"})
    db.session.commit()
    declined = _l("The verification of %(name)s was declined: %(reason)s.",
                  name=organisation.name, reason=LazyString(reasons.label, reason))
    _tell(found, actor, declined, "decline")
    return found


def revoke(actor, organisation, *, reason, message=""):
    """Take away an organisation's verification, saying why."""
    _require_moderator(actor)
    reason, message = _reason(reason, required=True), _message(message)
    if not organisation.verified:
        raise Conflict(_("This organisation is not verified."))
    before = _snapshot(organisation)
    organisation.verified, organisation.verified_at, organisation.verified_by_id = (
        False, None, None)
    record = audit.record(actor, "organisation.revoke", organisation, reason=reason,
                          message=message, before=before, after=_snapshot(organisation))
    db.session.commit()
    recipients = {user: "moderation" for user in services.admins(organisation.id)}
    with notifications.site_context():
        url = url_for("organisations.verification", organisation_id=organisation.id)
    notifications.notify(
        recipients, event=f"organisation.revoke:{record.id}", actor=actor,
        messages={"moderation": _l("The verification of %(name)s was revoked: %(reason)s.",
                                   name=organisation.name,
                                   reason=LazyString(reasons.label, reason))},
        url=url, about=f"organisation:{organisation.id}", about_title=organisation.name,
        excerpt=message)


def _tell(found, actor, text, verb):
    """Tell the requester and the organisation's admins about a decision (commits)."""
    people = services.admins(found.organisation_id)
    if found.requested_by is not None:
        people.append(found.requested_by)
    with notifications.site_context():
        url = url_for("organisations.verification", organisation_id=found.organisation_id)
    notifications.notify(
        {user: "moderation" for user in people}, event=f"verification.{verb}:{found.id}",
        actor=actor, messages={"moderation": text}, url=url,
        about=f"organisation:{found.organisation_id}",
        about_title=found.organisation.name, excerpt=found.message)


# -- the moderators' queue -----------------------------------------------------------------

def queue(page, per_page=20):
    """Return a page of waiting requests, oldest first, with their organisations."""
    statement = (select(VerificationRequest)
                 .options(joinedload(VerificationRequest.organisation),
                          joinedload(VerificationRequest.requested_by))
                 .where(VerificationRequest.status == "waiting")
                 .order_by(VerificationRequest.created_at, VerificationRequest.id))
    return pagination.paginate(statement, page, per_page)


def waiting_count():
    return db.session.scalar(select(func.count(VerificationRequest.id)).where(
        VerificationRequest.status == "waiting"))


def verified_organisations(page, per_page=50):
    """Return a page of verified organisations, most recently verified first."""
    return pagination.paginate(
        select(Organisation).where(Organisation.verified.is_(True))
        .order_by(Organisation.verified_at.desc(), Organisation.id), page, per_page)


def _waiting_since():
    return select(VerificationRequest.created_at).where(VerificationRequest.status == "waiting")


def _decided():
    return select(VerificationRequest.created_at, VerificationRequest.decided_at).where(
        VerificationRequest.decided_at.is_not(None))


dashboard.register(dashboard.Queue(
    "organisations", _l("Organisations waiting for verification"), _waiting_since, _decided,
    endpoint="organisation_moderation.queue"))
