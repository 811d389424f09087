"""The expert directory: opting in, finding experts, and contact requests between people."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycountry
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, selectinload

from nanum import pagination
from nanum.accounts.models import User
from nanum.errors import Conflict, Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.network.models import ContactRequest, ExpertProfile, ExpertTag
from nanum.notifications import services as notifications
from nanum.organisations import regions
from nanum.taxonomy import sdg
from nanum.timeutil import utcnow

PER_PAGE = 20
MAX_SUMMARY = 600
MAX_MESSAGE = 2000
MAX_VALUES = 20  # of each kind on one profile
_SPLIT = re.compile(r"[\s,;]+")


# -- the profile ---------------------------------------------------------------------------

def profile_of(user):
    """Return a person's expert profile, or None when they never made one."""
    return db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == user.id))


def _words(text):
    return [word for word in _SPLIT.split((text or "").strip()) if word][:MAX_VALUES + 1]


def _language(code):
    found = pycountry.languages.get(alpha_2=code.lower()) if len(code) == 2 else None
    return found.alpha_2 if found else None


def _clean(targets, countries, languages, summary):
    """Check a profile's values; return {kind: [values]} and the summary, or raise Invalid."""
    errors, values = {}, {}
    keys = [sdg.normalise_key(word) for word in _words(targets)]
    unknown = [word for word, key in zip(_words(targets), keys, strict=False)
               if not key or "." not in key or key not in sdg.TARGETS]
    if unknown:
        errors["targets"] = _("Not SDG targets: %(values)s (write them like 11.3).",
                              values=", ".join(unknown[:5]))
    values["target"] = list(dict.fromkeys(key for key in keys if key in sdg.TARGETS))
    codes = [word.upper() for word in _words(countries)]
    unknown = [code for code in codes if not regions.is_country(code)]
    if unknown:
        errors["countries"] = _("Not country codes: %(values)s (write them like KE, PH).",
                                values=", ".join(unknown[:5]))
    values["country"] = list(dict.fromkeys(code for code in codes if regions.is_country(code)))
    found = [(_language(word), word) for word in _words(languages)]
    unknown = [word for code, word in found if code is None]
    if unknown:
        errors["languages"] = _("Not language codes: %(values)s (write them like en, sw).",
                                values=", ".join(unknown[:5]))
    values["language"] = list(dict.fromkeys(code for code, _word in found if code))
    for kind, field in (("target", "targets"), ("country", "countries"),
                        ("language", "languages")):
        if len(values[kind]) > MAX_VALUES and field not in errors:
            errors[field] = _("At most %(count)d.", count=MAX_VALUES)
    summary = (summary or "").strip()
    if len(summary) > MAX_SUMMARY:
        errors["summary"] = _("At most %(count)d characters.", count=MAX_SUMMARY)
    if not errors and not values["target"]:
        errors["targets"] = _("Name at least one SDG target you know well.")
    if errors:
        raise Invalid(_("Please check the marked fields."), errors)
    values["goal"] = list(dict.fromkeys(str(sdg.goal_of(key)) for key in values["target"]))
    return values, summary


def save_profile(user, *, listed, targets, countries, languages, summary):
    """Create or update a person's expert profile, and commit."""
    values, summary = _clean(targets, countries, languages, summary)
    profile = profile_of(user) or ExpertProfile(user_id=user.id)
    profile.listed, profile.summary = bool(listed), summary
    # Keep the tags that stay (the old rows would be deleted only after the new inserted).
    wanted = [(kind, value) for kind, found in values.items() for value in found]
    kept = {(tag.kind, tag.value): tag for tag in profile.tags if (tag.kind, tag.value) in wanted}
    profile.tags = [kept.get(pair) or ExpertTag(kind=pair[0], value=pair[1]) for pair in wanted]
    db.session.add(profile)
    db.session.commit()
    return profile


def form_values(profile):
    """Return a profile's values as the form shows them."""
    if profile is None:
        return {"listed": True}
    return {"listed": profile.listed, "summary": profile.summary,
            "targets": ", ".join(profile.values("target")),
            "countries": ", ".join(profile.values("country")),
            "languages": ", ".join(profile.values("language"))}


# -- the directory -------------------------------------------------------------------------

@dataclass
class Filters:
    goal: str | None = None
    target: str | None = None
    country: str | None = None
    language: str | None = None

    @classmethod
    def from_args(cls, args):
        """Read the filters from request arguments, ignoring values that mean nothing."""
        found = cls()
        key = sdg.normalise_key(args.get("sdg", ""))
        if key in sdg.TARGETS:
            found.target = key
        elif key and "." not in key:
            found.goal = key
        country = args.get("country", "").strip().upper()
        found.country = country if regions.is_country(country) else None
        found.language = _language(args.get("language", "").strip()) if len(
            args.get("language", "").strip()) == 2 else None
        return found

    def args(self, **changes):
        values = {"sdg": self.target or self.goal, "country": self.country,
                  "language": self.language, **changes}
        return {key: value for key, value in values.items() if value}


def _tagged(kind, value):
    return exists().where(ExpertTag.profile_id == ExpertProfile.id, ExpertTag.kind == kind,
                          ExpertTag.value == value)


def experts(filters, number):
    """Return one page of listed experts matching the filters, by name."""
    statement = (select(ExpertProfile).join(User, User.id == ExpertProfile.user_id)
                 .where(ExpertProfile.listed.is_(True), User.active.is_(True),
                        User.hidden.is_(False)))
    for kind, value in (("target", filters.target), ("goal", filters.goal),
                        ("country", filters.country), ("language", filters.language)):
        if value:
            statement = statement.where(_tagged(kind, value))
    statement = statement.options(selectinload(ExpertProfile.tags),
                                  joinedload(ExpertProfile.user))
    return pagination.paginate(statement.order_by(User.name, User.id), number, PER_PAGE)


def listed_expert(user_id):
    """Return the listed expert with this account id, or raise NotFound."""
    profile = db.session.scalar(select(ExpertProfile).where(
        ExpertProfile.user_id == user_id, ExpertProfile.listed.is_(True)))
    if profile is None or not profile.user.active or profile.user.hidden:
        raise NotFound(_("There is no such expert in the directory."))
    return profile


# -- contact requests ----------------------------------------------------------------------

STATUS_LABELS = {"pending": _l("Waiting for an answer"), "accepted": _l("Accepted"),
                 "declined": _l("Declined")}


def request_contact(sender, expert_user_id, message):
    """Send a listed expert a contact request, tell them, and commit."""
    profile = listed_expert(expert_user_id)
    message = (message or "").strip()
    if profile.user_id == sender.id:
        raise Invalid(_("You cannot send yourself a contact request."))
    if not message:
        raise Invalid(_("Please check the marked fields."),
                      {"message": _("Say what you would like to talk about.")})
    if len(message) > MAX_MESSAGE:
        raise Invalid(_("Please check the marked fields."),
                      {"message": _("At most %(count)d characters.", count=MAX_MESSAGE)})
    waiting = db.session.scalar(select(ContactRequest.id).where(
        ContactRequest.sender_id == sender.id, ContactRequest.expert_id == profile.user_id,
        ContactRequest.status == "pending"))
    if waiting is not None:
        raise Conflict(_("Your earlier request to this expert is still waiting for an answer."))
    contact = ContactRequest(sender_id=sender.id, expert_id=profile.user_id, message=message)
    db.session.add(contact)
    db.session.flush()
    notifications.notify(
        {profile.user: "contact"}, event=f"contact:{contact.id}", actor=sender,
        messages={"contact": _l("%(name)s sent you a contact request.", name=sender.name)},
        url=url_for("network.requests"), excerpt=message[:400])
    return contact


def requests_of(user):
    """Return (received, sent) contact requests of a person, newest first."""
    statement = select(ContactRequest).options(joinedload(ContactRequest.sender),
                                               joinedload(ContactRequest.expert))
    order = (ContactRequest.created_at.desc(), ContactRequest.id.desc())
    received = db.session.scalars(statement.where(ContactRequest.expert_id == user.id)
                                  .order_by(*order)).all()
    sent = db.session.scalars(statement.where(ContactRequest.sender_id == user.id)
                              .order_by(*order)).all()
    return received, sent


def decide(expert, request_id, accept):
    """Accept or decline a contact request sent to this person, tell the sender, commit."""
    contact = db.session.get(ContactRequest, request_id)
    if contact is None:
        raise NotFound(_("There is no such contact request."))
    if contact.expert_id != expert.id:
        raise Forbidden(_("Only the person a contact request was sent to can answer it."))
    if contact.status != "pending":
        raise Conflict(_("This request was already answered."))
    contact.status = "accepted" if accept else "declined"
    contact.decided_at = utcnow()
    db.session.flush()
    messages = ({"contact": _l("%(name)s accepted your contact request: you can now see each "
                               "other's email.", name=expert.name)} if accept
                else {"contact": _l("%(name)s declined your contact request.", name=expert.name)})
    notifications.notify({contact.sender: "contact"},
                         event=f"contact:{contact.id}:{contact.status}", actor=expert,
                         messages=messages, url=url_for("network.requests"))
    return contact


def email_shown(viewer, contact):
    """Return the other side's email for the viewer, only once the request is accepted."""
    if contact.status != "accepted":
        return None
    if viewer.id == contact.sender_id:
        return contact.expert.email
    if viewer.id == contact.expert_id:
        return contact.sender.email
    return None
