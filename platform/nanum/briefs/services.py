"""Briefs of practices: made once per version of a practice and kept in the instance folder.

A brief is kept under the practice's id and the time of its last edit (`updated_at`), with a
short fingerprint of what else it shows and the edit time does not cover: its status, its
organisation's name and country, the site's address and the brief's own template. A changed
practice gets a new file at its next reading and its older files are removed; reading a kept
brief costs a look at the folder. Several workers making the same brief at once each write a
file of their own and move it into place whole, so a reader never sees half a file; a reader
holds the file open, so removing an older version never cuts a reading short.
"""

import functools
import hashlib
import io
import os
import tempfile
from pathlib import Path

from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from nanum import config as settings
from nanum.briefs import labels
from nanum.errors import NotFound
from nanum.extensions import db
from nanum.notifications.mailqueue import absolute
from nanum.practices import services as practices
from nanum.practices.models import Practice

TEMPLATES = ("briefs/brief.html", "briefs/brief.css")


def folder():
    return Path(current_app.config["BRIEFS_DIR"])


@functools.cache
def _template_fingerprint():
    digest = hashlib.sha256(repr(sorted(labels.LANGUAGES.items())).encode())
    for name in TEMPLATES:
        digest.update((settings.ROOT / "templates" / name).read_bytes())
    return digest.hexdigest()


def link_to(practice):
    """Return the practice's full address, which the brief links back to."""
    return absolute(url_for("practices.detail", practice_id=practice.id))


def file_name(practice, link):
    """Return the name the practice's brief is kept under, for its current version."""
    organisation = practice.organisation
    fingerprint = hashlib.sha256(repr((
        practice.status, practice.language, organisation.name, organisation.type,
        organisation.country, link, str(get_locale() or "en"),
        _template_fingerprint())).encode()).hexdigest()[:16]
    return f"{practice.id}-{practice.updated_at:%Y%m%dT%H%M%S%f}-{fingerprint}.pdf"


def _keep(path, data):
    """Write the brief beside its place and move it there whole; drop older versions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    practice_id, stamp, _fingerprint = path.stem.split("-")
    for other in path.parent.glob(f"{practice_id}-*.pdf"):
        # Never a newer version's, which a slower request for an older one must not remove.
        if other != path and other.stem.split("-")[1] <= stamp:
            other.unlink(missing_ok=True)


def _readable(practice_id, user):
    """Return the practice with its organisation, if the user may read it.

    Only what names the brief's file is loaded: a kept brief needs no more, and a brief
    being made loads the rest as it goes.
    """
    practice = db.session.scalar(select(Practice).options(joinedload(Practice.organisation))
                                 .where(Practice.id == practice_id))
    if practice is None or not practices.can_view(user, practice):
        raise NotFound(_("No such practice."))
    return practice


def brief_of(practice_id, user):
    """Return (the practice, its brief's file name, the brief opened for reading), for
    someone who may read the practice; anyone else is told there is no such practice.
    """
    practice = _readable(practice_id, user)
    link = link_to(practice)
    path = folder() / file_name(practice, link)
    try:
        return practice, path.name, path.open("rb")
    except OSError:  # not made yet (or the folder cannot be read: make it all the same)
        pass
    # WeasyPrint takes a second or more to import: only a brief to be made needs it, not every
    # process that starts the app (web workers, the indexer, each command).
    from nanum.briefs import pdf

    data, pages = pdf.render(practice, link)
    if pages > 1:
        current_app.logger.warning("The brief of practice %s runs on %s pages.",
                                   practice.id, pages)
    try:
        _keep(path, data)
    except OSError as error:  # a full or read-only disk: send it all the same, make it again
        current_app.logger.warning("Could not keep the brief of practice %s: %s",
                                   practice.id, error)
    return practice, path.name, io.BytesIO(data)
