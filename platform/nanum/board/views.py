"""Board pages: the list of needs and offers, a post with its matches, introductions."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from nanum import inputs
from nanum.accounts.session import viewer
from nanum.board import forms, introductions, matching, services, vocab
from nanum.errors import Invalid, NotFound
from nanum.flags import models as flag_models
from nanum.flags import targets as flag_targets
from nanum.flags.views import placeholder
from nanum.moderation.access import moderator_required
from nanum.organisations import place_names
from nanum.organisations import services as organisations
from nanum.practices import vocab as practice_vocab
from nanum.taxonomy import sdg

bp = Blueprint("board", __name__, url_prefix="/board")


def _filters():
    args = request.args
    target = sdg.normalise_key(args.get("sdg", "")) if args.get("sdg") else None
    return {
        "kind": args.get("kind") if args.get("kind") in vocab.KINDS else None,
        "goal": int(target) if target and "." not in target else None,
        "target": target if target and "." in target else None,
        "region": (args.get("region") or "").strip()[:80] or None,
        "language": (args.get("language") or "").strip().lower()[:10] or None,
    }


@bp.get("/")
def index():
    filters = _filters()
    page = services.listing(**filters, page=inputs.page_arg())
    return render_template("board/index.html", page=page, filters=filters,
                           args={k: v for k, v in request.args.items() if k != "page"},
                           counts=services.counts(), regions=place_names.region_choices(),
                           kinds=vocab.KINDS)


def _form_page(post, fields, errors=None):
    return render_template("board/form.html", post=post, fields=fields, errors=errors or {},
                           organisations=services.posting_organisations(viewer()),
                           kinds=vocab.KINDS, context_fields=practice_vocab.CONTEXT_FIELDS,
                           context_names=vocab.CONTEXT_FIELDS)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    if not services.posting_organisations(viewer()):
        flash(_("To post on the board, first join or create your organisation."), "info")
        return redirect(url_for("organisations.index"))
    if request.method == "GET":
        return _form_page(None, {"kind": request.args.get("kind", "need")})
    fields = forms.from_request(request.form)
    try:
        post = services.create(viewer(), inputs.integer(request.form.get("organisation")),
                               fields)
    except Invalid as error:
        flash(error.message, "danger")
        return _form_page(None, fields, error.errors)
    if post.status == "pending":
        flash(_("Thank you: your post waits for a moderator before it appears on the board."),
              "info")
    else:
        flash(_("Your post is on the board."), "success")
    return redirect(url_for("board.detail", post_id=post.id))


@bp.get("/<int:post_id>")
def detail(post_id):
    try:
        post = services.get(post_id, viewer())
    except NotFound:
        if flag_targets.hidden_placeholder("board_post", post_id):
            return placeholder(flag_models.KINDS["board_post"])
        raise
    matches = matching.matches_of(post, today=services.today())
    # Members of the post's organisation talk to the other sides; moderators only edit.
    party = organisations.is_member(viewer(), post.organisation_id)
    talks = introductions.for_match_ids(viewer(), [m.id for m, _o in matches]) if party else {}
    return render_template("board/detail.html", post=post, matches=matches, talks=talks,
                           party=party, can_edit=services.can_edit(viewer(), post),
                           explain=matching.explain, today=services.today(),
                           good=vocab.GOOD_SCORE)


@bp.route("/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id):
    post = services.get_for_edit(post_id, viewer())
    if request.method == "GET":
        return _form_page(post, forms.from_post(post))
    fields = forms.from_request(request.form)
    try:
        services.update(viewer(), post, fields)
    except Invalid as error:
        flash(error.message, "danger")
        return _form_page(post, fields, error.errors)
    flash(_("Your changes are saved."), "success")
    return redirect(url_for("board.detail", post_id=post.id))


@bp.post("/matches/<int:match_id>/introduce")
@login_required
def introduce(match_id):
    back = request.form.get("post") or ""
    try:
        introduction = introductions.send(viewer(), match_id, request.form.get("message"))
    except Invalid as error:
        flash(" ".join([error.message, *error.errors.values()]), "danger")
        post_id = inputs.integer(back)
        return redirect(url_for("board.detail", post_id=post_id) if post_id
                        else url_for("board.index"))
    flash(_("Your introduction is sent; they are told of it."), "success")
    return redirect(url_for("board.introduction", introduction_id=introduction.id))


@bp.get("/introductions/<int:introduction_id>")
@login_required
def introduction(introduction_id):
    found = introductions.get(viewer(), introduction_id)
    return render_template("board/introduction.html", introduction=found,
                           can_answer=introductions.can_answer(viewer(), found),
                           practices_hint=request.args.get("practice"))


@bp.post("/introductions/<int:introduction_id>/answer")
@login_required
def answer(introduction_id):
    try:
        introductions.answer(viewer(), introduction_id, request.form.get("decision"))
    except Invalid as error:
        flash(error.message, "danger")
    return redirect(url_for("board.introduction", introduction_id=introduction_id))


@bp.post("/matches/<int:match_id>/formed")
@login_required
def formed(match_id):
    raw = (request.form.get("practice") or "").strip()
    practice_id = inputs.integer(raw) if raw else None
    back = inputs.integer(request.form.get("introduction"))
    try:
        if raw and practice_id is None:
            raise Invalid(_("Give the number of a published practice."))
        introductions.mark_formed(viewer(), match_id, practice_id)
    except Invalid as error:
        flash(" ".join([error.message, *error.errors.values()]), "danger")
    else:
        flash(_("Marked: a partnership came of this match."), "success")
    if back:
        return redirect(url_for("board.introduction", introduction_id=back))
    return redirect(url_for("board.index"))


@bp.get("/review")
@moderator_required
def review():
    return render_template("board/review.html", posts=services.pending())


@bp.post("/<int:post_id>/decide")
@moderator_required
def decide(post_id):
    post = services.get(post_id, viewer())
    try:
        services.decide(viewer(), post, request.form.get("decision"))
    except Invalid as error:
        flash(error.message, "danger")
    return redirect(url_for("board.review"))
