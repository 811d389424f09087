"""Curation pages: collections and calls for everyone; featuring and curating for moderators."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from nanum.accounts.session import viewer
from nanum.curation import calls, collections, featured
from nanum.curation.forms import CallForm, CollectionForm, NoteForm, PracticeNoteForm
from nanum.errors import Invalid
from nanum.forms import show_errors
from nanum.moderation.access import moderator_required
from nanum.organisations.forms import ActionForm
from nanum.practices import browse
from nanum.search import service as search

bp = Blueprint("curation", __name__)

SEARCH_HITS = 10
MOVES = "up, down, note, remove"


def _action_form():
    """The page's buttons; none for a visitor, whose page sets no cookie and can be kept."""
    return ActionForm() if viewer().is_authenticated else None


@bp.app_template_global()
def curation_of(practice):
    """What the moderators' panel on a practice's page shows: whether it is featured, and
    the collections curated last with whether each holds it."""
    return {"featured": featured.is_featured(practice.id),
            "collections": collections.for_practice(practice.id)}


# -- featured practices --------------------------------------------------------------------

@bp.route("/moderation/featured", methods=["GET", "POST"])
@moderator_required
def featured_page():
    """The featured practices, to order and annotate, and a form to feature one more."""
    form = PracticeNoteForm()
    if form.validate_on_submit():
        try:
            row = featured.feature(viewer(), form.practice.data, form.note.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("“%(title)s” is featured on the home page.", title=row.practice.title),
                  "success")
            return redirect(url_for("curation.featured_page"))
    return render_template("curation/featured.html", rows=featured.every(), form=form,
                           action_form=ActionForm())


@bp.post(f"/moderation/featured/<int:practice_id>/<any({MOVES}):act>")
@moderator_required
def featured_item(practice_id, act):
    form = NoteForm()
    if form.validate_on_submit():
        try:
            if act == "remove":
                featured.unfeature(viewer(), practice_id)
                flash(_("The practice is no longer featured."), "info")
            elif act == "note":
                featured.set_note(viewer(), practice_id, form.note.data)
                flash(_("The note is saved."), "success")
            else:
                featured.move(viewer(), practice_id, act)
        except Invalid as error:
            flash(error.message, "danger")
    else:
        flash(_("The form had expired or the note was too long; nothing was changed."), "danger")
    return redirect(url_for("curation.featured_page"))


# -- collections ---------------------------------------------------------------------------

@bp.get("/collections/")
def collections_index():
    return render_template("curation/collections.html",
                           collections=collections.listing(viewer()))


@bp.get("/collections/<int:collection_id>")
def collection(collection_id):
    found = collections.get(collection_id, viewer())
    return render_template("curation/collection.html", collection=found,
                           entries=collections.shown(found))


@bp.route("/collections/new", methods=["GET", "POST"])
@moderator_required
def new_collection():
    form = CollectionForm()
    if form.validate_on_submit():
        try:
            created = collections.create(viewer(), form.title.data, form.description.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("The collection is created. Add practices, then publish it."), "success")
            return redirect(url_for("curation.edit_collection", collection_id=created.id))
    return render_template("curation/collection_form.html", form=form, collection=None)


def _curate_page(found, form=None, add_form=None):
    """The moderators' page of a collection: its text, its practices and a search to add."""
    q = request.args.get("q", "").strip()[:200]
    hits = []
    if q:
        results = search.search(q, browse.Filters(content="practice"), per_page=SEARCH_HITS)
        hits = [hit.item for hit in results.hits if hit.content == "practice"]
    return render_template(
        "curation/collection_form.html", collection=found, q=q, hits=hits,
        form=form or CollectionForm(obj=found), add_form=add_form or PracticeNoteForm(),
        items=collections.items(found), action_form=ActionForm())


@bp.route("/collections/<int:collection_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit_collection(collection_id):
    found = collections.get(collection_id, viewer())
    form = CollectionForm(obj=found)
    if form.validate_on_submit():
        try:
            collections.update(viewer(), found, form.title.data, form.description.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("The collection is saved."), "success")
            return redirect(url_for("curation.edit_collection", collection_id=found.id))
    return _curate_page(found, form=form)


@bp.post("/collections/<int:collection_id>/<any(publish, unpublish):act>")
@moderator_required
def publish_collection(collection_id, act):
    found = collections.get(collection_id, viewer())
    if ActionForm().validate_on_submit():
        collections.set_published(viewer(), found, act == "publish")
        flash(_("The collection is public.") if act == "publish"
              else _("The collection is hidden from visitors."), "success")
    return redirect(url_for("curation.edit_collection", collection_id=found.id))


@bp.post("/collections/<int:collection_id>/practices")
@moderator_required
def collect(collection_id):
    found = collections.get(collection_id, viewer())
    form = PracticeNoteForm()
    if form.validate_on_submit():
        try:
            item = collections.add(viewer(), found, form.practice.data, form.note.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("“%(title)s” is added to the collection.", title=item.practice.title),
                  "success")
            return redirect(url_for("curation.edit_collection", collection_id=found.id))
    return _curate_page(found, add_form=form)


@bp.post(f"/collections/<int:collection_id>/practices/<int:practice_id>/<any({MOVES}):act>")
@moderator_required
def collection_item(collection_id, practice_id, act):
    found = collections.get(collection_id, viewer())
    form = NoteForm()
    if form.validate_on_submit():
        try:
            if act == "remove":
                collections.remove(viewer(), found, practice_id)
                flash(_("The practice is removed from the collection."), "info")
            elif act == "note":
                collections.set_note(viewer(), found, practice_id, form.note.data)
                flash(_("The note is saved."), "success")
            else:
                collections.move(viewer(), found, practice_id, act)
        except Invalid as error:
            flash(error.message, "danger")
    else:
        flash(_("The form had expired or the note was too long; nothing was changed."), "danger")
    return redirect(url_for("curation.edit_collection", collection_id=found.id,
                            _anchor="practices"))


# -- calls for contributions ---------------------------------------------------------------

@bp.get("/calls/")
def calls_index():
    return render_template("curation/calls.html", open_calls=calls.open_calls(),
                           closed_calls=calls.closed_calls())


@bp.get("/calls/<int:call_id>")
def call(call_id):
    found = calls.get(call_id)
    return render_template("curation/call.html", call=found,
                           answers=calls.answers(found, viewer()))


@bp.route("/calls/new", methods=["GET", "POST"])
@moderator_required
def new_call():
    # A link may fill in the call, as the coverage page's gaps do for moderators.
    form = CallForm(data=None if request.method == "POST" else {
        "title": request.args.get("title", "")[:200], "sdgs": request.args.get("sdgs", "")[:300],
        "countries": request.args.getlist("countries")[:30],
        "regions": request.args.getlist("regions")[:30]})
    if form.validate_on_submit():
        try:
            opened = calls.open_call(viewer(), **_call_fields(form))
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("The call is open and announced."), "success")
            return redirect(url_for("curation.call", call_id=opened.id))
    return render_template("curation/call_form.html", form=form, call=None)


@bp.route("/calls/<int:call_id>/edit", methods=["GET", "POST"])
@moderator_required
def edit_call(call_id):
    found = calls.get(call_id)
    form = CallForm(data=None if request.method == "POST" else {
        "title": found.title, "description": found.description,
        "sdgs": ", ".join(found.sdgs), "countries": found.countries,
        "regions": found.regions, "closes_on": found.closes_on})
    if form.validate_on_submit():
        try:
            calls.update(viewer(), found, **_call_fields(form))
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("The call is saved."), "success")
            return redirect(url_for("curation.call", call_id=found.id))
    return render_template("curation/call_form.html", form=form, call=found)


def _call_fields(form):
    return {name: getattr(form, name).data for name in
            ("title", "description", "sdgs", "countries", "regions", "closes_on")}
