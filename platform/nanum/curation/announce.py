"""Telling people about curation: a practice added to a collection they watch, a call for
contributions on an SDG they watch.

These run after the act's commit: a failure here is logged and rolled back, so that an act
that succeeded never becomes an error page.
"""

import functools

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from nanum import i18n
from nanum.extensions import db
from nanum.notifications import services as notifications
from nanum.notifications import watching

EXCERPT = 280


def _after_commit(work):
    @functools.wraps(work)
    def safely(*args, **kwargs):
        try:
            with notifications.site_context():
                return work(*args, **kwargs)
        except Exception:
            db.session.rollback()
            current_app.logger.exception("Could not send the notifications of %s",
                                         work.__name__)
            return []

    return safely


def _short(text, limit=80):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


@_after_commit
def practice_collected(collection, practice, actor, note=""):
    """Tell the collection's watchers that a practice was added to it."""
    people = watching.watchers([("collection", collection.id)])
    message = _l("New in the collection “%(collection)s”: “%(title)s”",
                 collection=_short(collection.title, 60), title=_short(practice.title))
    return notifications.notify(
        {person: "watched" for person in people},
        event=f"collected:{collection.id}:{practice.id}", actor=actor,
        messages={"watched": message},
        url=url_for("curation.collection", collection_id=collection.id),
        about=f"collection:{collection.id}", about_title=collection.title,
        excerpt=note or practice.text("summary", EXCERPT))


@_after_commit
def call_opened(call, actor):
    """Tell the people watching the call's goals and targets that it is open."""
    targets = [("sdg", key) for key in call.sdgs]
    targets += [("sdg", key.split(".")[0]) for key in call.sdgs if "." in key]
    people = watching.watchers(targets)
    closes = LazyString(i18n.format_date, call.closes_on)  # in each recipient's language
    return notifications.notify(
        {person: "watched" for person in people}, event=f"call:{call.id}", actor=actor,
        messages={"watched": _l("Call for contributions: “%(title)s”, open until %(date)s",
                                title=_short(call.title), date=closes)},
        url=url_for("curation.call", call_id=call.id),
        about=f"call:{call.id}", about_title=call.title,
        excerpt=call.text("description", EXCERPT))
