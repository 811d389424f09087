"""An event's programme and papers: sessions, speakers, presentations, documents, contacts.

Files go through the same checks as practice attachments (`practices.attachments`).
"""

from flask_babel import gettext as _
from sqlalchemy import select

from nanum import markdown
from nanum.accounts.models import User
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.events import rules, vocab, watchers
from nanum.events.models import (
    ContactPerson,
    EventDocument,
    EventSession,
    Presentation,
    Speaker,
)
from nanum.events.services import can_edit, can_view
from nanum.extensions import db
from nanum.practices import attachments
from nanum.practices import services as practices
from nanum.practices.models import Practice

SPEAKERS_LIMIT = 30


def _require_editor(user, event):
    if not can_edit(user, event):
        raise Forbidden(_("Only the organisers can change this event."))


def _short(fields, name, limit):
    return str(fields.get(name) or "").strip()[:limit]


def parse_speakers(text):
    """Read speakers, one a line: "Name | Affiliation", or "@handle" for a Nanum user."""
    speakers, errors = [], []
    for line in str(text or "").splitlines()[:SPEAKERS_LIMIT + 1]:
        name, _bar, affiliation = line.partition("|")
        name, affiliation = name.strip()[:200], affiliation.strip()[:200]
        if not name:
            continue
        if name.startswith("@"):
            user = db.session.scalar(select(User).where(User.handle == name[1:].lower()))
            if user is None:
                errors.append(name)
                continue
            speakers.append(Speaker(user=user, affiliation=affiliation))
        else:
            speakers.append(Speaker(name=name, affiliation=affiliation))
    if errors:
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."),
                      {"speakers": _("No one has the handle %(handles)s.",
                                     handles=", ".join(errors))})
    if len(speakers) > SPEAKERS_LIMIT:
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."),
                      {"speakers": _("A session can list at most %(limit)s speakers.",
                                     limit=SPEAKERS_LIMIT)})
    return speakers


def add_session(user, event, fields):
    """Add a session to an event's programme; its times are in the event's time zone."""
    _require_editor(user, event)
    errors = {}
    title = _short(fields, "title", 200)
    if not title:
        errors["title"] = _("Please give the session a title.")
    starts = rules.to_utc(fields.get("starts_at"), event.zone, "starts_at", errors)
    ends = rules.to_utc(fields.get("ends_at"), event.zone, "ends_at", errors)
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The session must end after it starts.")
    link = _short(fields, "online_url", 500)
    if link and not rules.is_web_address(link):
        errors["online_url"] = _("The link must be a web address starting with https://.")
    if errors:
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."), errors)
    speakers = parse_speakers(fields.get("speakers"))
    description = _short(fields, "description", rules.TEXT_LIMIT)
    session = EventSession(event=event, title=title, starts_at=starts, ends_at=ends,
                           room=_short(fields, "room", 200), online_url=link,
                           moderator=_short(fields, "moderator", 200), description=description,
                           description_html=markdown.cook(description)[0], speakers=speakers)
    db.session.add(session)
    db.session.commit()
    watchers.tell(event, user, "programme")
    return session


def remove_session(user, session_id):
    session = db.session.get(EventSession, session_id)
    if session is None:
        raise NotFound(_("No such session."))
    event = session.event
    _require_editor(user, event)
    stored = [p.stored_name for p in session.presentations]
    db.session.delete(session)
    db.session.commit()
    for name in stored:
        (attachments.upload_dir() / name).unlink(missing_ok=True)
    return event


def _stored(new_record, upload, user):
    """Check and store an upload, then save its record (made by `new_record()`); commit,
    or leave no file behind."""
    name, mime, data = attachments.checked(upload)
    stored, path = attachments.store(data)
    record = new_record()
    record.original_name, record.stored_name = name, stored
    record.mime_type, record.size, record.uploaded_by_id = mime, len(data), user.id
    db.session.add(record)
    try:
        db.session.commit()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return record


def add_presentation(user, session_id, upload, fields):
    """Attach a presentation (a file with its title and speaker) to a session."""
    session = db.session.get(EventSession, session_id)
    if session is None:
        raise NotFound(_("No such session."))
    _require_editor(user, session.event)
    title = _short(fields, "title", 200)
    if not title:
        raise Invalid(_("Please give the presentation a title."),
                      {"title": _("Please give the presentation a title.")})
    speaker = _short(fields, "speaker", 200)
    presentation = _stored(lambda: Presentation(session=session, title=title, speaker=speaker),
                           upload, user)
    watchers.tell(session.event, user, "files")
    return presentation


def add_document(user, event, upload, fields):
    """Attach a document (concept note, agenda, report) to an event."""
    _require_editor(user, event)
    kind = str(fields.get("kind") or "")
    if kind not in vocab.DOCUMENT_KINDS:
        raise Invalid(_("Please choose the kind of document."),
                      {"kind": _("Please choose the kind of document.")})
    title = _short(fields, "title", 200) or str(vocab.DOCUMENT_KINDS[kind])
    document = _stored(lambda: EventDocument(event=event, kind=kind, title=title), upload, user)
    watchers.tell(event, user, "files")
    return document


def remove_file(user, model, file_id):
    """Delete a presentation or a document and its stored file."""
    record = db.session.get(model, file_id)
    if record is None:
        raise NotFound(_("No such file."))
    event = record.event
    _require_editor(user, event)
    path = attachments.upload_dir() / record.stored_name
    db.session.delete(record)
    db.session.commit()
    path.unlink(missing_ok=True)
    return event


def for_download(model, file_id, user):
    """Return a presentation or document the user may read, and the path of its file."""
    record = db.session.get(model, file_id)
    if record is None or not can_view(user, record.event):
        raise NotFound(_("No such file."))
    path = attachments.upload_dir() / record.stored_name
    if not path.is_file():
        raise NotFound(_("The file is missing."))
    return record, path


def add_contact(user, event, fields):
    _require_editor(user, event)
    name = _short(fields, "name", 200)
    email = _short(fields, "email", 254)
    errors = {}
    if not name:
        errors["name"] = _("Please give the contact's name.")
    if email and ("@" not in email or " " in email):
        errors["email"] = _("Please give a valid email address.")
    if errors:
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."), errors)
    contact = ContactPerson(event=event, name=name, role=_short(fields, "role", 200),
                            email=email)
    db.session.add(contact)
    db.session.commit()
    return contact


def remove_contact(user, contact_id):
    contact = db.session.get(ContactPerson, contact_id)
    if contact is None:
        raise NotFound(_("No such contact."))
    event = contact.event
    _require_editor(user, event)
    db.session.delete(contact)
    db.session.commit()
    return event


def contacts_for(user, event):
    """Return the event's contacts; their email addresses only for signed-in users."""
    signed_in = getattr(user, "is_authenticated", False)
    return [(contact, contact.email if signed_in else "") for contact in event.contacts]


def link_practice(user, event, practice_id):
    """Say that a practice was presented at a published event (its editors only)."""
    practice = db.session.get(Practice, practice_id)
    if practice is None or not practices.can_view(user, practice):
        raise NotFound(_("No such practice."))
    if not practices.can_edit(user, practice):
        raise Forbidden(_("Only the practice's organisation can say where it was presented."))
    if not event.is_published:
        raise Invalid(_("A practice can only be linked to a published event."))
    if practice not in event.practices:
        event.practices.append(practice)
        db.session.commit()
    return practice


def unlink_practice(user, event, practice_id):
    practice = db.session.get(Practice, practice_id)
    if practice is None or practice not in event.practices:
        raise NotFound(_("No such practice."))
    if not (practices.can_edit(user, practice) or can_edit(user, event)):
        raise Forbidden(_("Only the practice's or the event's organisers can remove the link."))
    event.practices.remove(practice)
    db.session.commit()
    return practice


def event_of_session(session_id, user):
    """Return the id of a session's event, if the user may see it."""
    session = db.session.get(EventSession, session_id)
    if session is None or not can_view(user, session.event):
        raise NotFound(_("No such session."))
    return session.event_id
