"""The API's events: the calendar with its filters, and one published event in full, with its
programme, papers and contacts."""

from flask import request
from flask.views import MethodView
from marshmallow import Schema, fields

from nanum.api import common, language
from nanum.api.common import Blueprint
from nanum.api.filters import choice, refuse_ignored
from nanum.api.language import lang_field
from nanum.api.schemas import (
    TEXT,
    URL,
    DateTime,
    OrganisationBrief,
    PageArgs,
    PageSchema,
    PracticeSummary,
    StoredFile,
    _url,
)
from nanum.events import calendar, programme, services, vocab
from nanum.pagination import paginate
from nanum.practices.vocab import THEMES
from nanum.taxonomy import sdg

bp = Blueprint("api_events", __name__, url_prefix=common.PREFIX + "/events",
               description="Published events")

FILTERS = ("region", "goal")  # those that `calendar.Filters` drops when they mean nothing


class EventArgs(PageArgs):
    when = choice(["upcoming", "past"], "Events still to end (default, soonest first) or "
                                        "those that ended (latest first)")
    kind = choice(vocab.KINDS, "Kind of event")
    theme = choice(THEMES, "Focus theme")
    region = fields.String(metadata={"description": "UN M49 region or sub-region name of the "
                                                    "event's country",
                                     "example": "Eastern Asia"})
    goal = fields.String(metadata={"description": "Goal number, 1–17", "example": "17"})
    lang = lang_field()


class EventLangArgs(Schema):
    lang = lang_field()


class EventSummary(Schema):
    id = fields.Integer()
    title = fields.String()
    kind = fields.String(metadata={"enum": list(vocab.KINDS)})
    starts_at = DateTime(attribute="local_start", metadata={
        "description": "In the event's own time zone, with its offset"})
    ends_at = DateTime(attribute="local_end", metadata={
        "description": "In the event's own time zone, with its offset"})
    time_zone = fields.String(metadata={"description": "IANA name, e.g. Asia/Seoul"})
    place = fields.String()
    country = fields.String(allow_none=True)
    country_name = fields.Function(
        lambda e: language.country_name(e.country) if e.country else None,
        metadata={**TEXT, "type": ["string", "null"],
                  "description": "In the language of `lang`"})
    online = fields.Function(lambda e: bool(e.online_url), metadata={
        "type": "boolean", "description": "Whether it can be followed online"})
    organisation = fields.Nested(OrganisationBrief)
    goals = fields.List(fields.Integer(), attribute="goal_numbers")
    themes = fields.List(fields.String(), attribute="theme_keys")
    url = fields.Function(lambda e: _url("api_events.EventDetail", event_id=e.id),
                          metadata=URL)
    web_url = fields.Function(lambda e: _url("events.detail", event_id=e.id), metadata=URL)


class SpeakerSchema(Schema):
    name = fields.String(attribute="shown_name")
    affiliation = fields.String()
    profile_url = fields.Function(
        lambda s: _url("accounts.profile", user_id=s.user.id) if s.user is not None else None,
        metadata={**URL, "type": ["string", "null"]})


class PresentationSchema(StoredFile):
    title = fields.String()
    speaker = fields.String()
    download_url = fields.Function(lambda p: _url("events.presentation", file_id=p.id),
                                   metadata=URL)


class SessionSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    starts_at = DateTime(attribute="local_start")
    ends_at = DateTime(attribute="local_end")
    room = fields.String()
    online_url = fields.String()
    moderator = fields.String()
    speakers = fields.List(fields.Nested(SpeakerSchema))
    description = fields.String()
    description_html = fields.String()
    presentations = fields.List(fields.Nested(PresentationSchema))


class DocumentSchema(StoredFile):
    kind = fields.String(metadata={"enum": list(vocab.DOCUMENT_KINDS)})
    title = fields.String()
    download_url = fields.Function(lambda d: _url("events.document", file_id=d.id),
                                   metadata=URL)


class ContactSchema(Schema):
    name = fields.String()
    role = fields.String()
    email = fields.String(allow_none=True, metadata={
        "description": "Only to a caller with a valid token, as the web page shows it only "
                       "to people signed in; null otherwise"})


class EventSchema(EventSummary):
    region = fields.Function(lambda e: e.regions[0] if e.regions else None, metadata={
        "type": ["string", "null"], "description": "UN M49 sub-region of its country"})
    online_url = fields.String()
    co_organisers = fields.List(fields.Nested(OrganisationBrief))
    background = fields.String()
    background_html = fields.Function(lambda e: str(e.html("background")))
    objectives = fields.List(fields.String())
    outcome = fields.String()
    outcome_html = fields.Function(lambda e: str(e.html("outcome")))
    targets = fields.Function(
        lambda e: [{"key": key, "text": language.target_text(sdg.TARGETS[key])}
                   for key in e.target_keys if key in sdg.TARGETS],
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/TargetBrief"}})
    capacity = fields.Integer(allow_none=True)
    sessions = fields.List(fields.Nested(SessionSchema))
    documents = fields.List(fields.Nested(DocumentSchema))
    contacts = fields.Function(
        lambda e: ContactSchema(many=True).dump(
            {"name": contact.name, "role": contact.role, "email": email or None}
            for contact, email in programme.contacts_for(_signed_in(), e)),
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/Contact"}})
    practices = fields.Function(
        lambda e: PracticeSummary(many=True).dump(p for p in e.practices if p.is_published),
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/PracticeSummary"},
                  "description": "Published practices presented at the event"})
    ics_url = fields.Function(lambda e: _url("events.event_ics", event_id=e.id), metadata={
        **URL, "description": "The event as an iCalendar file"})
    published_at = DateTime(allow_none=True)
    updated_at = DateTime()


class EventList(Schema):
    events = fields.List(fields.Nested(EventSummary))
    paging = fields.Nested(PageSchema)


def _signed_in():
    """The person whose valid token came with the request, who counts as signed in (as on
    the web page, where the contacts' addresses are for people signed in); else None."""
    record = common.caller()
    return record.user if record is not None else None


@bp.route("/")
class Events(MethodView):
    @bp.arguments(EventArgs, location="query", as_kwargs=True)
    @bp.response(200, EventList)
    def get(self, page, per_page, **_filters):
        """List published events, upcoming (soonest first) or past, with the calendar's
        filters"""
        filters = calendar.Filters.from_args(request.args)
        refuse_ignored(request.args, FILTERS, filters.args())
        found = paginate(calendar.statement(filters).options(*calendar.list_options()),
                         page, per_page)
        return {"events": found.items, "paging": common.from_pagination(found)}


@bp.route("/<int:event_id>")
class EventDetail(MethodView):
    @bp.arguments(EventLangArgs, location="query", as_kwargs=True)
    @bp.response(200, EventSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, event_id, lang=None):
        """Read a published event: organisers, dates, place, programme, documents,
        contacts"""
        return services.get(event_id, None)  # as anyone sees it: the API reads public events
