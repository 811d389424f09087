"""Illustrative demo events: organisers, programmes, small illustrative files and contacts."""

import io
import json
from datetime import datetime, timedelta
from importlib.resources import files
from zoneinfo import ZoneInfo

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from nanum.accounts import services as accounts
from nanum.events import programme, registrations
from nanum.events import services as events
from nanum.events.models import Event
from nanum.extensions import db
from nanum.organisations.models import Organisation
from nanum.practices.models import Practice


def illustrative_pdf(title):
    """Return a one-page PDF that says it is an illustrative file (a few hundred bytes)."""
    text = f"Illustrative demo file: {title}".encode("latin-1", "replace")
    text = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 12 Tf 50 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _file(name, title):
    return FileStorage(io.BytesIO(illustrative_pdf(title)), filename=name)


def _organisation(name):
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def _times(record):
    """Return the local start and end of an event: fixed, or some days from today."""
    if "starts_at" in record:
        return record["starts_at"], record["ends_at"]
    zone = ZoneInfo(record["time_zone"])
    day = (datetime.now(zone) + timedelta(days=record["days_from_now"])).date()
    start = datetime.fromisoformat(f"{day.isoformat()} {record['start_time']}")
    end = start + timedelta(hours=record["hours"])
    return start.strftime("%Y-%m-%d %H:%M"), end.strftime("%Y-%m-%d %H:%M")


def _session_fields(record, session, starts_at):
    if "starts_at" in session:
        return session
    start = datetime.fromisoformat(starts_at) + timedelta(minutes=session["offset_minutes"])
    end = start + timedelta(minutes=session["minutes"])
    return {**session, "starts_at": start.strftime("%Y-%m-%d %H:%M"),
            "ends_at": end.strftime("%Y-%m-%d %H:%M")}


def _add(moderator, record):
    starts_at, ends_at = _times(record)
    organiser = _organisation(record["organiser"])
    fields = {**record, "starts_at": starts_at, "ends_at": ends_at,
              "capacity": str(record.get("capacity") or ""),
              "objectives": "\n".join(record["objectives"]),
              "co_organisers": [str(o.id) for o in map(_organisation, record["co_organisers"])
                                if o is not None]}
    event = events.create(moderator, organiser.id, fields)
    for session_record in record.get("sessions", []):
        session = programme.add_session(moderator, event,
                                        _session_fields(record, session_record, starts_at))
        for presentation in session_record.get("presentations", []):
            programme.add_presentation(moderator, session.id,
                                       _file(presentation["file"], presentation["title"]),
                                       presentation)
    for document in record.get("documents", []):
        programme.add_document(moderator, event, _file(document["file"], document["title"]),
                               document)
    for contact in record.get("contacts", []):
        programme.add_contact(moderator, event, contact)
    for name in record.get("presented_practices", []):
        practice = db.session.scalar(
            select(Practice).join(Organisation, Organisation.id == Practice.organisation_id)
            .where(Organisation.name == name, Practice.status == "published")
            .order_by(Practice.id).limit(1))
        if practice is not None:
            programme.link_practice(moderator, event, practice.id)
    if record.get("register_demo_member"):
        member = accounts.find_by_email("member@demo.nanum.example")
        if member is not None:
            membership = member.memberships[0] if member.memberships else None
            registrations.register(member, event, membership.organisation.name
                                   if membership else "", visible=True)
    return event


def load():
    """Add the demo events that are not there yet (by title); return how many were added."""
    records = json.loads((files("nanum.demo") / "data" / "events.json")
                         .read_text(encoding="utf-8"))
    moderator = accounts.find_by_email("moderator@demo.nanum.example")
    added = 0
    for record in records:
        if db.session.scalar(select(Event.id).where(Event.title == record["title"])):
            continue
        _add(moderator, record)
        added += 1
    return added
