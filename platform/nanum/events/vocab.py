"""Controlled vocabularies of events: keys stored in the database and their labels."""

from flask_babel import lazy_gettext as _l

KINDS = {
    "workshop": _l("Workshop"),
    "forum": _l("Forum"),
    "webinar": _l("Webinar"),
    "training": _l("Training"),
    "peer_learning": _l("Peer-learning session"),
}

STATUSES = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for review"),
    "published": _l("Published"),
    "rejected": _l("Not accepted"),
    "hidden": _l("Hidden by moderators"),
    "withdrawn": _l("Withdrawn"),
}

DOCUMENT_KINDS = {
    "concept_note": _l("Concept note"),
    "agenda": _l("Agenda"),
    "report": _l("Report"),
    "other": _l("Other document"),
}

REGISTRATION_STATES = {
    "registered": _l("Registered"),
    "waiting": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
}
