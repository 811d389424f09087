import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nanum.extensions import db
from nanum.practices.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def practice(make, auth):
    user = make.member(email="writer@example.org")
    auth.login("writer@example.org")
    return make.practice(organisation=user.memberships[0].organisation)


def upload(post, practice, name, content):
    page = f"/practices/{practice.id}"
    return post(f"{page}/attachments", {"file": (io.BytesIO(content), name)}, page=page,
                content_type="multipart/form-data")


def stored():
    return db.session.scalars(select(Attachment)).all()


@pytest.mark.parametrize("name, content, mime", [
    ("Report 2023.pdf", PDF, "application/pdf"),
    ("map.png", PNG, "image/png"),
    ("plan.docx", docx_bytes(),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_upload_and_download(client, post, practice, app, name, content, mime):
    response = upload(post, practice, name, content)
    assert response.status_code == 302
    [attachment] = stored()
    assert attachment.mime_type == mime and attachment.original_name == name
    assert attachment.stored_name != name
    path = app.config["UPLOAD_DIR"] + "/" + attachment.stored_name
    assert open(path, "rb").read() == content
    download = client.get(f"/practices/attachments/{attachment.id}")
    assert download.data == content
    assert download.headers["Content-Type"].startswith(mime)
    assert "attachment;" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]


def test_content_decides_not_the_name(client, post, practice):
    upload(post, practice, "innocent.pdf", b"<html><script>alert(1)</script></html>")
    assert stored() == []
    body = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert "This file&#39;s type cannot be recognised from its content; allowed types are " \
           "PDF, office documents" in body


@pytest.mark.parametrize("name, content, found", [
    ("setup.pdf", b"MZ\x90\x00" + bytes(300), "a program (application/x-msdownload)"),
    ("minutes.zip", b"PK\x05\x06" + bytes(18), "an archive (application/zip)"),
    ("song.mp3", b"ID3\x03\x00" + bytes(300), "an audio file (audio/mpeg)"),
])
def test_a_refused_file_is_named_by_its_type(client, post, practice, name, content, found):
    response = upload(post, practice, name, content)
    assert stored() == []
    # back to the top of the page, where the message is, not down to the attachments
    assert response.headers["Location"].endswith(f"/practices/{practice.id}")
    body = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert f"This file is {found}; allowed types are PDF, office documents" in body


def test_misnamed_file_gets_the_right_extension(post, practice):
    upload(post, practice, "photo.pdf", PNG)
    [attachment] = stored()
    assert attachment.original_name == "photo.png" and attachment.mime_type == "image/png"


def test_names_lose_paths_and_control_characters(post, practice):
    upload(post, practice, "../../etc/pass\x00wd.pdf", PDF)
    [attachment] = stored()
    assert attachment.original_name == "passwd.pdf"


def test_size_limit(app, client, post, practice):
    app.config["UPLOAD_MAX_BYTES"] = 100
    upload(post, practice, "big.pdf", PDF + b"0" * 200)
    assert stored() == []
    assert "larger than" in client.get(f"/practices/{practice.id}").get_data(as_text=True)


def test_sending_no_file_says_to_choose_one(client, post, practice):
    page = f"/practices/{practice.id}"
    response = post(f"{page}/attachments", {}, page=page, content_type="multipart/form-data")
    assert response.status_code == 302
    assert stored() == []
    assert "Please choose a file." in client.get(page).get_data(as_text=True)


def test_only_members_may_upload(client, post, make, auth):
    practice = make.practice()
    make.user(email="stranger@example.org")
    auth.login("stranger@example.org")
    response = upload(post, practice, "x.pdf", PDF)
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_attachments_of_drafts_are_private(app, client, post, practice):
    practice.status = "draft"
    db.session.commit()
    upload(post, practice, "draft.pdf", PDF)
    [attachment] = stored()
    assert client.get(f"/practices/attachments/{attachment.id}").status_code == 200
    assert app.test_client().get(f"/practices/attachments/{attachment.id}").status_code == 404


def test_remove_attachment(app, client, post, practice):
    upload(post, practice, "old.pdf", PDF)
    [attachment] = stored()
    page = f"/practices/{practice.id}"
    response = post(f"/practices/attachments/{attachment.id}/delete", page=page)
    assert response.status_code == 302
    assert stored() == []


def test_deleting_an_attachment_asks_first(client, post, practice):
    upload(post, practice, "old.pdf", PDF)
    [attachment] = stored()
    html = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    action = f'action="/practices/attachments/{attachment.id}/delete"'
    # The only button that deletes sits behind a question in a closed <details>: no script
    # is needed, and one click alone deletes nothing.
    before, _, after = html.partition(action)
    opening = before.rsplit("<details", 1)[1]
    assert "</details>" not in opening and " open" not in opening.split(">")[0]
    assert "<summary" in opening and "Delete old.pdf? It cannot be restored." in opening
    assert "Yes, delete the file" in after.split("</form>")[0]


def test_a_full_disk_is_told_and_leaves_no_half_written_file(app, client, post, practice,
                                                             monkeypatch):
    import errno

    from nanum.practices import attachments

    def half_then_full(stream, data):
        stream.write(data[: len(data) // 2])
        stream.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(attachments, "_copy", half_then_full)
    response = upload(post, practice, "report.pdf", PDF)
    assert response.status_code == 302
    assert stored() == []
    folder = app.config["UPLOAD_DIR"]
    assert not any(path.is_file() for path in Path(folder).rglob("*"))
    page = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert "no room for it just now" in page and "Nothing was saved" in page
