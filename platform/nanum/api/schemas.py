"""What the API returns and accepts, as marshmallow schemas (also its OpenAPI components)."""

from datetime import datetime, timezone

from flask import url_for
from marshmallow import Schema, fields, validate

from nanum.api import language
from nanum.practices import vocab

MAX_PER_PAGE = 100
URL = {"type": "string", "format": "uri"}
TEXT = {"type": "string"}


class DateTime(fields.DateTime):
    """A moment as RFC 3339 requires it, with its offset: the database keeps UTC without
    one, so a naive value is UTC ("2024-03-01T09:30:00+00:00")."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


def _url(endpoint, **values):
    return url_for(endpoint, _external=True, **values)


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, MAX_PER_PAGE))


class LinksSchema(Schema):
    self = fields.String(metadata=URL)
    first = fields.String(metadata=URL)
    last = fields.String(metadata=URL)
    next = fields.String(allow_none=True, metadata=URL)
    prev = fields.String(allow_none=True, metadata=URL)


class PageSchema(Schema):
    """Paging of a list: where this page is and where the others are."""

    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()
    links = fields.Nested(LinksSchema)


class ErrorBody(Schema):
    status = fields.Integer()
    code = fields.String()
    message = fields.String()
    # The request's id, for the site's administrators to find it in their logs.
    reference = fields.String()
    fields = fields.Dict(keys=fields.String())  # last: it hides marshmallow's `fields`


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBody)


class OrganisationBrief(Schema):
    id = fields.Integer()
    name = fields.String()
    type = fields.String()
    country = fields.String()
    verified = fields.Boolean()
    url = fields.Function(lambda o: _url("api_catalogue.OrganisationDetail", organisation_id=o.id),
                          metadata=URL)


class OrganisationSchema(OrganisationBrief):
    type_label = fields.String()
    country_name = fields.Function(lambda o: language.country_name(o.country), metadata={
        **TEXT, "description": "In the language of `lang`"})
    region = fields.String(allow_none=True)
    subregion = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    description_html = fields.Function(lambda o: str(o.html("description")))
    practices_url = fields.Function(
        lambda o: _url("api_practices.Practices", organisation=o.id), metadata=URL)
    web_url = fields.Function(lambda o: _url("organisations.detail", organisation_id=o.id),
                              metadata=URL)


class PracticeSummary(Schema):
    id = fields.Integer()
    title = fields.String()
    summary = fields.String(attribute="teaser", allow_none=True)
    kind = fields.String(metadata={"enum": list(vocab.KINDS)})
    organisation = fields.Nested(OrganisationBrief)
    countries = fields.List(fields.String(), attribute="country_codes")
    country_names = fields.Function(
        lambda p: [language.country_name(code) for code in p.country_codes],
        metadata={"type": "array", "items": TEXT,
                  "description": "The countries' names, in the order of `countries`, in the "
                                 "language of `lang`"})
    goals = fields.List(fields.Integer(), attribute="goal_numbers")
    language = fields.String(metadata={"description": "ISO 639-1 code"})
    group_id = fields.Function(
        lambda p: p.translation_of_id or p.id,
        metadata={"type": "integer",
                  "description": "The id of the original of this practice's group of "
                                 "translations (its own id for an original): practices with "
                                 "the same group_id are one practice in several languages"})
    published_at = DateTime(allow_none=True)
    url = fields.Function(lambda p: _url("api_practices.PracticeDetail", practice_id=p.id),
                          metadata=URL)
    web_url = fields.Function(lambda p: _url("practices.detail", practice_id=p.id),
                              metadata=URL)


class SectionSchema(Schema):
    key = fields.String()
    title = fields.String()
    markdown = fields.String()
    html = fields.String()


class ContextSchema(Schema):
    key = fields.String()
    label = fields.String()
    value = fields.String()
    value_label = fields.String()


class StoredFile(Schema):
    """What every uploaded file shows: its name as uploaded, type and size."""
    id = fields.Integer()
    name = fields.String(attribute="original_name")
    mime_type = fields.String()
    size = fields.Integer()


class AttachmentSchema(StoredFile):
    created_at = DateTime()
    download_url = fields.Function(
        lambda a: _url("practices.download", attachment_id=a.id), metadata=URL)


class TargetBrief(Schema):
    key = fields.String()
    text = fields.String()


class ResourcesSchema(Schema):
    budget_amount = fields.Decimal(as_string=True, allow_none=True)
    budget_currency = fields.String(allow_none=True)
    budget_year = fields.Integer(allow_none=True)
    staff_fte = fields.Decimal(as_string=True, allow_none=True)
    duration_months = fields.Integer(allow_none=True)


class VersionSchema(Schema):
    """Another version of a practice in a group of translations: the original or a
    translation, published."""
    id = fields.Integer()
    language = fields.String(metadata={"description": "ISO 639-1 code"})
    title = fields.String()
    url = fields.Function(lambda v: _url("api_practices.PracticeDetail", practice_id=v["id"]),
                          metadata=URL)
    web_url = fields.Function(lambda v: _url("practices.detail", practice_id=v["id"]),
                              metadata=URL)


def _versions(practice):
    from nanum.practices import translations

    return [{"id": i, "language": code, "title": title}
            for i, code, title in translations.versions(practice)]


def _original(practice):
    original = practice.translation_of
    if original is None or not original.is_published:
        return None
    return VersionSchema().dump({"id": original.id, "language": original.language,
                                 "title": original.title})


class PracticeSchema(PracticeSummary):
    summary = fields.String()
    summary_html = fields.Function(lambda p: str(p.html("summary")))
    status = fields.String()
    period_start = fields.Integer(allow_none=True)
    period_end = fields.Integer(allow_none=True)
    evidence_level = fields.String(allow_none=True)
    targets = fields.Function(
        lambda p: [{"key": t.key, "text": language.target_text(t)} for t in _targets(p)],
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/TargetBrief"}})
    themes = fields.List(fields.String(), attribute="theme_keys")
    regions = fields.List(fields.String())
    tags = fields.List(fields.String(), attribute="tag_names")
    sections = fields.Function(lambda p: [
        {"key": key, "title": title, "markdown": getattr(p, key) or "",
         "html": str(p.html(key))}
        for key, title in {**vocab.SECTIONS, **vocab.ADAPTATION_SECTIONS}.items()
        if (getattr(p, key) or "").strip()],
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/Section"}})
    context_profile = fields.Function(lambda p: [
        {"key": key, "label": label, "value": getattr(p, key), "value_label": value_label}
        for key, label, value_label in p.context_profile()],
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/Context"}})
    resources = fields.Function(lambda p: ResourcesSchema().dump(p),
                                metadata={"$ref": "#/components/schemas/Resources"})
    partners = fields.List(fields.Nested(OrganisationBrief), attribute="partner_organisations")
    attachments = fields.List(fields.Nested(AttachmentSchema))
    discussion_url = fields.Function(
        lambda p: _url("api_discussions.PracticeDiscussion", practice_id=p.id), metadata=URL)
    translations = fields.Function(
        lambda p: VersionSchema(many=True).dump(_versions(p)),
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/PracticeVersion"},
                  "description": "The other published versions of this practice in other "
                                 "languages, the original among them, as its page lists "
                                 "them"})
    translation_of = fields.Function(
        _original, allow_none=True,
        metadata={"anyOf": [{"$ref": "#/components/schemas/PracticeVersion"},
                            {"type": "null"}],
                  "description": "The published original this practice translates; null "
                                 "for an original"})
    created_at = DateTime()
    updated_at = DateTime()


def _targets(practice):
    from nanum.taxonomy import sdg
    return [sdg.TARGETS[key] for key in practice.target_keys if key in sdg.TARGETS]


class PracticeList(Schema):
    practices = fields.List(fields.Nested(PracticeSummary))
    paging = fields.Nested(PageSchema)


class OrganisationList(Schema):
    organisations = fields.List(fields.Nested(OrganisationBrief))
    paging = fields.Nested(PageSchema)


class TargetSchema(Schema):
    key = fields.String()
    goal = fields.Integer()
    text = fields.Function(language.target_text, metadata={
        **TEXT, "description": "In the language of `lang`"})


class GoalSchema(Schema):
    number = fields.Integer()
    title = fields.Function(language.goal_title, metadata={
        **TEXT, "description": "In the language of `lang`"})
    colour = fields.String()
    targets = fields.List(fields.Nested(TargetSchema))


class GoalList(Schema):
    goals = fields.List(fields.Nested(GoalSchema))


class CollectionBrief(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    published_at = DateTime(allow_none=True)
    practice_count = fields.Integer()
    url = fields.Function(lambda c: _url("api_catalogue.CollectionDetail", collection_id=c.id),
                          metadata=URL)


class CollectionItemSchema(Schema):
    note = fields.String()
    practice = fields.Nested(PracticeSummary)


class CollectionSchema(CollectionBrief):
    description_html = fields.Function(lambda c: str(c.html("description")))
    items = fields.List(fields.Nested(CollectionItemSchema))


class CollectionList(Schema):
    collections = fields.List(fields.Nested(CollectionBrief))
    paging = fields.Nested(PageSchema)
