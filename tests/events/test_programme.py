import io

import pytest
from werkzeug.datastructures import FileStorage

from nanum.errors import Forbidden, Invalid
from nanum.events import programme
from nanum.events.models import EventDocument, Presentation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(content=PDF, name="slides.pdf"):
    return FileStorage(io.BytesIO(content), filename=name)


def session_fields(**changes):
    return {"title": "Opening session", "starts_at": "2031-07-14 09:00",
            "ends_at": "2031-07-14 10:30", "room": "Hall A", "moderator": "A. Moderator",
            "speakers": "Dana Example | Example Institute\n@person-x", **changes}


def test_a_session_with_speakers_and_a_presentation(make, organiser, event):
    speaker = make.user(handle="person-x", name="Xavi Speaker")
    session = programme.add_session(organiser, event, session_fields())
    assert session.local_start.strftime("%H:%M") == "09:00"
    assert [s.shown_name for s in session.speakers] == ["Dana Example", "Xavi Speaker"]
    assert session.speakers[1].user_id == speaker.id
    presentation = programme.add_presentation(organiser, session.id, upload(),
                                              {"title": "Local budgets", "speaker": "Dana"})
    record, path = programme.for_download(Presentation, presentation.id, None)
    assert record.mime_type == "application/pdf" and path.read_bytes() == PDF


def test_unknown_handle_is_refused(organiser, event):
    with pytest.raises(Invalid) as raised:
        programme.add_session(organiser, event, session_fields(speakers="@nobody-here"))
    assert "speakers" in raised.value.errors
    assert event.sessions == []


def test_presentations_get_the_attachment_checks(organiser, event):
    session = programme.add_session(organiser, event, session_fields(speakers=""))
    with pytest.raises(Invalid) as raised:
        programme.add_presentation(organiser, session.id,
                                   upload(b"MZ\x90\x00" + b"\x00" * 200, "slides.pdf"),
                                   {"title": "Not slides"})
    assert "a program" in raised.value.message
    assert session.presentations == []


def test_strangers_cannot_change_the_programme(make, organiser, event):
    session = programme.add_session(organiser, event, session_fields(speakers=""))
    stranger = make.member()
    with pytest.raises(Forbidden):
        programme.add_session(stranger, event, session_fields())
    with pytest.raises(Forbidden):
        programme.add_presentation(stranger, session.id, upload(), {"title": "Mine"})
    with pytest.raises(Forbidden):
        programme.add_document(stranger, event, upload(), {"kind": "agenda"})
    with pytest.raises(Forbidden):
        programme.add_contact(stranger, event, {"name": "Me"})


def test_documents_and_contacts(organiser, event):
    document = programme.add_document(organiser, event, upload(name="note.pdf"),
                                      {"kind": "concept_note", "title": ""})
    assert document.title == "Concept note"
    programme.add_contact(organiser, event, {"name": "Kim Contact", "role": "Coordinator",
                                             "email": "kim@example.org"})
    assert programme.contacts_for(None, event) == [(event.contacts[0], "")]
    assert programme.contacts_for(organiser, event)[0][1] == "kim@example.org"
    programme.remove_file(organiser, EventDocument, document.id)
    assert event.documents == []


def test_a_practice_says_it_was_presented_at_the_event(make, event):
    author = make.member()
    practice = make.practice(organisation=author.memberships[0].organisation)
    with pytest.raises(Forbidden):
        programme.link_practice(make.member(), event, practice.id)
    programme.link_practice(author, event, practice.id)
    assert event.practices == [practice]
