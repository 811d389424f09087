"""Attachments: checked by content, stored under generated names, served as downloads."""

import os
import secrets
import unicodedata
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.practices.models import Attachment
from nanum.practices.services import can_edit, can_view

# What the content must turn out to be, and the names a file of that kind may carry.
ALLOWED = {
    "pdf": ("application/pdf", {".pdf"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             {".docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             {".pptx"}),
    "odt": ("application/vnd.oasis.opendocument.text", {".odt"}),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", {".ods"}),
    "odp": ("application/vnd.oasis.opendocument.presentation", {".odp"}),
    "doc": ("application/msword", {".doc"}),
    "xls": ("application/vnd.ms-excel", {".xls"}),
    "ppt": ("application/vnd.ms-powerpoint", {".ppt"}),
    "rtf": ("application/rtf", {".rtf"}),
    "png": ("image/png", {".png"}),
    "jpg": ("image/jpeg", {".jpg", ".jpeg"}),
    "gif": ("image/gif", {".gif"}),
    "webp": ("image/webp", {".webp"}),
}
# OLE2 files (doc, xls, ppt) share one signature; filetype names them by a guess.
OLE_KINDS = {"doc", "xls", "ppt"}
ACCEPT = ",".join(sorted(ext for _mime, exts in ALLOWED.values() for ext in exts))


def clean_name(raw):
    """Keep a readable original name without paths or control characters."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + dot + ext) if dot and len(ext) <= 8 else name[:200]
    return name or "attachment"


ALLOWED_TEXT = _l("PDF, office documents (Word, Excel, PowerPoint, OpenDocument, RTF) and "
                  "images (PNG, JPEG, GIF, WebP)")
# Words for what a refused file turned out to be, by the extension its content suggests.
FOUND = {
    **dict.fromkeys(("exe", "elf", "dex", "wasm", "crx"), _l("a program")),
    **dict.fromkeys(("zip", "tar", "rar", "gz", "bz2", "7z", "xz", "zst", "lz", "lz4", "lzo",
                     "Z", "br", "cab", "deb", "rpm", "ar"), _l("an archive")),
    "sqlite": _l("a database"), "epub": _l("an e-book"), "swf": _l("a Flash file"),
    "ps": _l("a PostScript file"),
}
CATEGORY_FOUND = {"image": _l("an image"), "audio": _l("an audio file"), "video": _l("a video"),
                  "font": _l("a font"), "document": _l("a document")}


def _kind_of(guess, name):
    """Return the allowed kind the guessed content matches, or None."""
    if guess is None:
        return None
    suffix = Path(name).suffix.lower()
    if guess.extension in OLE_KINDS:
        # The signature cannot tell the three apart; trust the name among them.
        return next((kind for kind in OLE_KINDS if suffix in ALLOWED[kind][1]), None)
    if guess.extension in ALLOWED:
        return guess.extension
    return None


def _refusal(guess, name):
    """Say what a refused file is and what may be attached."""
    if guess is None:
        found = _("This file's type cannot be recognised from its content")
    elif guess.extension in OLE_KINDS:
        found = _("This file looks like an old Office document (%(mime)s) but its name ends "
                  "in %(suffix)s, not .doc, .xls or .ppt", mime=guess.mime,
                  suffix=Path(name).suffix or _("nothing"))
    else:
        category = type(guess).__module__.rsplit(".", 1)[-1]
        what = FOUND.get(guess.extension) or CATEGORY_FOUND.get(category, _("a file"))
        found = _("This file is %(what)s (%(mime)s)", what=what, mime=guess.mime)
    return _("%(found)s; allowed types are %(allowed)s.", found=found, allowed=ALLOWED_TEXT)


def upload_dir():
    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def checked(upload):
    """Return (clean name, MIME type, bytes) of an upload whose size and content are allowed.

    Events' presentations and documents go through the same checks as attachments.
    """
    if upload is None or not upload.filename:
        raise Invalid(_("Please choose a file to upload."), {"file": _("Please choose a file.")})
    name = clean_name(upload.filename)
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = upload.stream.read(limit + 1)
    if not data:
        raise Invalid(_("The file is empty."), {"file": _("The file is empty.")})
    if len(data) > limit:
        message = _("The file is larger than the %(size)s MB limit.", size=limit // (1024 * 1024))
        raise Invalid(message, {"file": message})
    guess = filetype.guess(data[:8192])
    kind = _kind_of(guess, name)
    if kind is None:
        message = _refusal(guess, name)
        raise Invalid(message, {"file": message})
    mime, extensions = ALLOWED[kind]
    if Path(name).suffix.lower() not in extensions:
        name = f"{Path(name).stem or 'attachment'}{sorted(extensions)[0]}"
    return name, mime, data


def store(data):
    """Write checked bytes under a new generated name; return the name and the path."""
    stored = secrets.token_hex(16)
    path = upload_dir() / stored
    _store(path, data)
    return stored, path


def add(user, practice, upload):
    """Store an uploaded file for a practice after checking its size and content."""
    if not can_edit(user, practice):
        raise Forbidden(_("Only members of the owning organisation can add attachments."))
    name, mime, data = checked(upload)
    stored, path = store(data)
    attachment = Attachment(practice=practice, original_name=name, stored_name=stored,
                            mime_type=mime, size=len(data), uploaded_by_id=user.id)
    db.session.add(attachment)
    try:
        db.session.commit()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return attachment


NO_ROOM = _l("The file could not be stored: the server has no room for it just now. Nothing "
             "was saved; please try again later, or tell the site's administrator.")


def _copy(stream, data):
    stream.write(data)
    stream.flush()
    os.fsync(stream.fileno())


def _store(path, data):
    """Write the file whole or not at all: a full disk leaves no half-written file behind
    and is told to the uploader, not shown as an error of the site."""
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("wb") as stream:
            _copy(stream, data)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        current_app.logger.error("Could not store an upload in %s: %s", path.parent, error)
        raise Invalid(str(NO_ROOM), {"file": str(NO_ROOM)}) from None


def for_download(attachment_id, user):
    """Return an attachment the user may read, and the path of its file."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not can_view(user, attachment.practice):
        raise NotFound(_("No such file."))
    path = upload_dir() / attachment.stored_name
    if not path.is_file():
        raise NotFound(_("The file is missing."))
    return attachment, path


def remove(user, attachment_id):
    """Delete an attachment (its organisation's members and moderators only)."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(_("No such file."))
    practice = attachment.practice
    if not can_edit(user, practice):
        raise Forbidden(_("Only members of the owning organisation can remove attachments."))
    path = upload_dir() / attachment.stored_name
    db.session.delete(attachment)
    db.session.commit()
    path.unlink(missing_ok=True)
    return practice
