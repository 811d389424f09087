"""The API's partnership board: the published needs and offers with the board's filters, and
one post with the matches its web page shows to anyone."""

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
    _url,
)
from nanum.board import matching, services, vocab
from nanum.organisations import regions
from nanum.pagination import paginate
from nanum.practices import rules as practice_rules
from nanum.taxonomy import sdg

bp = Blueprint("api_board", __name__, url_prefix=common.PREFIX + "/board",
               description="The partnership board: needs and offers")

FILTERS = ("goal", "target", "region", "language")
OPEN_STATES = ["open", "closed"]


class BoardArgs(PageArgs):
    kind = choice(vocab.KINDS, "Needs or offers")
    goal = fields.String(metadata={"description": "Goal number, 1–17", "example": "11"})
    target = fields.String(metadata={"description": "Target key", "example": "11.5"})
    region = fields.String(metadata={"description": "UN M49 region or sub-region name of one "
                                                    "of the post's countries",
                                     "example": "Eastern Africa"})
    language = fields.String(metadata={"description": "ISO 639-1 code of a language the post "
                                                      "can be answered in", "example": "sw"})
    include_closed = choice(["yes"], "Also the posts past their end date (by default only "
                                     "the open ones, as the board shows)")
    lang = lang_field()


class BoardLangArgs(Schema):
    lang = lang_field()


def _open_state(post):
    return "closed" if post.is_expired(services.today()) else "open"


class BoardPostBrief(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(vocab.KINDS)})
    title = fields.String()
    organisation = fields.Nested(OrganisationBrief)
    end_date = fields.Date()
    status = fields.Function(_open_state, metadata={
        "enum": OPEN_STATES, "description": "Closed once its end date has passed"})
    url = fields.Function(lambda p: _url("api_board.BoardPostDetail", post_id=p.id),
                          metadata=URL)
    web_url = fields.Function(lambda p: _url("board.detail", post_id=p.id), metadata=URL)


class BoardPostSummary(BoardPostBrief):
    goals = fields.List(fields.Integer(), attribute="goal_numbers")
    targets = fields.List(fields.String(), attribute="target_keys")
    countries = fields.List(fields.String(), attribute="country_codes")
    country_names = fields.Function(
        lambda p: [language.country_name(code) for code in p.country_codes],
        metadata={"type": "array", "items": TEXT,
                  "description": "The countries' names, in the order of `countries`, in the "
                                 "language of `lang`"})
    regions = fields.List(fields.String())
    languages = fields.List(fields.String(), attribute="language_codes")
    published_at = DateTime(allow_none=True)


class ReasonSchema(Schema):
    kind = fields.String(metadata={"enum": ["target", "goal", "country", "region", "language",
                                            "context"]})
    value = fields.String()


class PracticeLink(Schema):
    id = fields.Integer()
    title = fields.String()
    url = fields.Function(lambda p: _url("api_practices.PracticeDetail", practice_id=p.id),
                          metadata=URL)
    web_url = fields.Function(lambda p: _url("practices.detail", practice_id=p.id),
                              metadata=URL)


class MatchSchema(Schema):
    id = fields.Integer(attribute="match.id")
    post = fields.Nested(BoardPostBrief, attribute="other",
                         metadata={"description": "The other side: an offer for a need, a "
                                                  "need for an offer"})
    good = fields.Function(lambda m: m.match.is_good, metadata={"type": "boolean"})
    why = fields.Function(lambda m: matching.explain(m.match.reasons), metadata={
        **TEXT, "description": "What the two share, as the web page says it (in the "
                               "language of the site's interface, not of `lang`)"})
    reasons = fields.Function(
        lambda m: [{"kind": str(kind), "value": str(value)} for kind, value in m.match.reasons],
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/Reason"}})
    formed = fields.Function(lambda m: m.match.formed_at is not None, metadata={
        "type": "boolean", "description": "Whether a partnership came of it"})
    practice = fields.Function(
        lambda m: PracticeLink().dump(m.match.practice)
        if m.match.practice is not None and m.match.practice.is_published else None,
        metadata={"oneOf": [{"$ref": "#/components/schemas/PracticeLink"}, {"type": "null"}],
                  "description": "The published practice the partnership produced"})


class BoardPostSchema(BoardPostSummary):
    description = fields.String()
    description_html = fields.Function(lambda p: str(p.html("description")))
    targets = fields.Function(
        lambda p: [{"key": key, "text": language.target_text(sdg.TARGETS[key])}
                   for key in p.target_keys if key in sdg.TARGETS],
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/TargetBrief"}})
    context_profile = fields.Function(lambda p: [
        {"key": key, "label": label, "value": getattr(p, key), "value_label": value_label}
        for key, label, value_label in p.context_profile()],
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/Context"}})
    matches = fields.Function(
        lambda p: MatchSchema(many=True).dump(
            _Match(match, other) for match, other in matching.matches_of(
                p, today=services.today())),
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/Match"},
                  "description": "Its matches with published posts, best first, as its web "
                                 "page shows them"})
    updated_at = DateTime()


class BoardPostList(Schema):
    posts = fields.List(fields.Nested(BoardPostSummary))
    paging = fields.Nested(PageSchema)


class _Match:
    def __init__(self, match, other):
        self.match, self.other = match, other


def _filters(args):
    """Return the listing's filters from request arguments; raise Invalid naming those whose
    values mean nothing."""
    key = sdg.normalise_key((args.get("goal") or "")[:10])
    target = sdg.normalise_key((args.get("target") or "")[:12])
    region = (args.get("region") or "").strip()[:100]
    code = (args.get("language") or "").strip().lower()[:10]
    found = {
        "goal": int(key) if key and "." not in key else None,
        "target": target if target and "." in target else None,
        "region": region if region and regions.countries_in(region) else None,
        "language": code if code and practice_rules.is_language(code) else None,
    }
    refuse_ignored(args, FILTERS, {name for name, value in found.items() if value})
    return found


@bp.route("/")
class BoardPosts(MethodView):
    @bp.arguments(BoardArgs, location="query", as_kwargs=True)
    @bp.response(200, BoardPostList)
    def get(self, page, per_page, kind=None, include_closed=None, **_named):
        """List the published needs and offers, newest first, with the board's filters"""
        statement = services.listing_statement(kind=kind, closed=include_closed == "yes",
                                               **_filters(request.args))
        found = paginate(statement, page, per_page)
        return {"posts": found.items, "paging": common.from_pagination(found)}


@bp.route("/<int:post_id>")
class BoardPostDetail(MethodView):
    @bp.arguments(BoardLangArgs, location="query", as_kwargs=True)
    @bp.response(200, BoardPostSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, post_id, lang=None):
        """Read a published need or offer: organisation, targets, places, languages, context,
        end date, and its matches"""
        return services.get(post_id, None)  # as anyone sees it: the API reads public posts
