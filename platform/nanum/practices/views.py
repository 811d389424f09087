"""Practice pages: browse, read, write, revise and attach files."""

from flask import (
    Blueprint,
    current_app,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from nanum import inputs
from nanum.accounts.session import viewer
from nanum.curation import calls
from nanum.curation.forms import offer_calls
from nanum.discussions import forms as discussion_forms
from nanum.discussions import services as discussions
from nanum.errors import Conflict, Invalid, NotFound
from nanum.events.calendar import presented_at
from nanum.extensions import db
from nanum.flags import targets as flag_targets
from nanum.flags.views import placeholder
from nanum.forms import show_errors
from nanum.i18n import current_language
from nanum.organisations import services as organisations
from nanum.organisations.forms import ActionForm
from nanum.organisations.models import Organisation
from nanum.places import services as places
from nanum.places import similarity
from nanum.practices import attachments, browse, facets, lineage, services, translations
from nanum.practices.forms import AttachmentForm, PracticeForm
from nanum.review import diffs
from nanum.sdg import suggestions as sdg
from nanum.search import service as search
from nanum.taxonomy import wanted as coverage_gaps

bp = Blueprint("practices", __name__, url_prefix="/practices")


@bp.route("/")
def index():
    filters = browse.Filters.from_args(request.args)
    if request.args.get("q"):  # words belong to full-text search, with the same filters
        return redirect(url_for("search.index", q=request.args["q"][:500],
                                **filters.args()))
    ranking = places.ranking_for(viewer(), request.args)
    if filters.sort == "similarity" and ranking is None:
        filters.sort = "newest"  # no place to rank by
    likeness = similarity.likeness(ranking.place) if filters.sort == "similarity" else ()
    page = browse.page(filters, inputs.page_arg(),
                       20, services.card_options(), likeness=likeness)
    organisation = db.session.get(Organisation, filters.organisation) if (
        filters.organisation) else None
    names = {"organisation": organisation.name} if organisation else None
    chips, clear = facets.chips(filters, "practices.index", filters.args, browse.IGNORED,
                                names)
    return render_template(
        "practices/index.html", page=page, filters=filters, chips=chips, clear=clear,
        sorts=places.sorts(browse.SORTS, ranking), ranking=ranking,
        likeness=similarity.explain_all(ranking.place, page.items) if likeness else None,
        filter_panel=_filter_panel(filters, browse.countries_in_use(),
                                   browse.languages_in_use()))


PANELS_KEPT = 512


def _filter_panel(filters, countries, languages=()):
    """Return the filter panel's HTML, rendered once per language and distinct filters and
    countries.

    Its ~80 links depend on nothing else, so a kept copy is never stale; the store is
    emptied when it grows past PANELS_KEPT, which bounds what odd filter mixes can cost.
    """
    panels = current_app.extensions.setdefault("practices_filter_panels", {})
    key = (current_language(), tuple(filters.args().items()), tuple(countries),
           tuple(languages))
    if key not in panels:
        if len(panels) >= PANELS_KEPT:
            panels.clear()
        panel = facets.panel(filters, "practices.index", filters.args, browse.IGNORED,
                             countries=countries, languages=languages)
        panels[key] = get_template_attribute("_filters.html", "filter_panel")(panel)
    return panels[key]


def _practice_form(practice=None, data=None):
    """Build the form with the organisations the writer may post for and partner choices."""
    form = PracticeForm(data=services.form_values(practice) if practice else data)
    mine = organisations.organisations_of(viewer())
    if practice is not None:
        form.organisation.choices = [(practice.organisation_id, practice.organisation.name)]
        form.organisation.data = practice.organisation_id
    else:
        form.organisation.choices = [(o.id, o.name) for o in mine]
    names = db.session.execute(select(Organisation.id, Organisation.name)
                               .order_by(Organisation.name)).all()
    form.partners.choices = [(str(i), name) for i, name in names]
    offer_calls(form, practice)
    return form


def _saved_message(status_before, status):
    """Say what a save did: published, submitted, or saved a new draft or an edit."""
    if status != status_before and status == "published":
        return _("Your practice is published.")
    if status != status_before and status == "submitted":
        return _("Your practice is submitted for review.")
    return _("Your draft is saved.") if status_before is None else _("Your changes are saved.")


def _save(form, practice, translation_of=None):
    """Handle a posted practice form; return a response when done, else None
    (`translation_of`: the practice a new one translates)."""
    action = request.form.get("action", "draft")
    if action == "preview":
        try:
            return render_template("practices/form.html", form=form, practice=practice,
                                   preview=services.preview(form.content()))
        except Invalid as error:
            show_errors(form, error)
            return None
    dismissed = sdg.clean_keys([*(form.dismissed.data or []), request.form.get("dismiss", "")])
    form.dismissed.data = dismissed
    if action == "suggest" or request.form.get("dismiss"):
        return render_template("practices/form.html", form=form, practice=practice, preview=None,
                               suggestions=sdg.offer(form.content(), practice, dismissed))
    status_before = practice.status if practice else None
    try:
        if form.call_offered:
            calls.answerable(form.call.data)  # a call closed meanwhile: say so, save nothing
        if practice is None:
            practice = services.create(viewer(), form.organisation.data, form.content(),
                                       action=action, dismissed=dismissed,
                                       translation_of=translation_of)
        else:
            practice = services.update(viewer(), practice, form.content(), action=action,
                                       dismissed=dismissed)
    except Invalid as error:
        show_errors(form, error)
        return None
    flash(_saved_message(status_before, practice.status), "success")
    if form.call_offered:
        try:
            calls.answer(viewer(), practice, form.call.data)
        except (Conflict, Invalid) as error:
            flash(error.message, "warning")
    return redirect(url_for("practices.detail", practice_id=practice.id))


def _adapting():
    """Return the practice that `?adapt=<id>` asks to adapt, if it may be adapted."""
    if request.method != "GET" or "adapt" not in request.args:
        return None
    original = lineage.adaptable(inputs.int_arg("adapt"))
    if original is None:
        flash(_("Only a published practice can be adapted."), "warning")
    return original


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    original = _adapting()
    form = _practice_form(data=lineage.form_values_from(original, services.form_values(
        original)) if original else None)
    if not form.organisation.choices:
        flash(_("To post a practice, first join or create your organisation."), "info")
        return redirect(url_for("organisations.index"))
    wanted = None if form.is_submitted() else coverage_gaps.prefill(form, request.args)
    if form.validate_on_submit():
        response = _save(form, None)
        if response is not None:
            return response
    return render_template("practices/form.html", form=form, practice=None, preview=None,
                           wanted=wanted, adapting=original)


@bp.route("/<int:practice_id>")
def detail(practice_id, reply_form=None):
    """Show a practice and its discussion (`reply_form`: a reply sent back with errors)."""
    try:
        practice = services.get(practice_id, viewer())
    except NotFound:
        if flag_targets.hidden_placeholder("practice", practice_id):
            return placeholder("practice")
        raise
    similar = search.similar(practice) if practice.is_published else []
    travel = lineage.travel(practice) if practice.is_published else None
    thread = discussions.thread_of_practice(practice)
    discussion = None
    if thread is not None and discussions.can_see_thread(viewer(), thread):
        discussion = discussions.thread_page(thread, viewer(),
                                             inputs.page_arg())
    forms = {}
    if viewer().is_authenticated:
        # Only people signed in see forms; a visitor's page carries no CSRF token, so it
        # sets no cookie and may be served from the page cache.
        forms = {"upload_form": AttachmentForm(),
                 "reply_form": reply_form or discussion_forms.reply_form(thread)}
    can_edit = services.can_edit(viewer(), practice)
    versions = translations.versions(practice)
    return render_template("practices/detail.html", practice=practice, similar=similar,
                           versions=versions,
                           in_reader_language=translations.in_language(
                               versions, current_language())
                           if practice.language != current_language() else None,
                           can_translate=translations.can_translate(viewer(), practice),
                           can_edit=can_edit, travel=travel, accept=attachments.ACCEPT,
                           discussion=discussion, presented_at=presented_at(practice.id),
                           sdg_suggested=sdg.open_for(practice) if can_edit else [], **forms)


@bp.route("/<int:practice_id>/translate", methods=["GET", "POST"])
@login_required
def translate(practice_id):
    """Add a translation of a practice: choose its language, then write it in a form
    filled from the original, for the original's organisation."""
    original = services.get(practice_id, viewer())
    translations.check_can_translate(viewer(), original)
    language = request.args.get("language", "") if request.method == "GET" else None
    if language is not None:
        try:
            language = translations.start(viewer(), original, language) if language else ""
        except Invalid as error:
            flash(error.errors.get("language", error.message), "warning")
            language = ""
        if not language:
            return render_template("practices/translate.html", practice=original,
                                   choices=translations.language_choices(original))
    data = (translations.prefill(services.form_values(original), language)
            if request.method == "GET" else None)
    form = _practice_form(data=data)
    form.organisation.choices = [(original.organisation_id, original.organisation.name)]
    form.organisation.data = original.organisation_id
    if form.validate_on_submit():
        response = _save(form, None, translation_of=original)
        if response is not None:
            return response
    return render_template("practices/form.html", form=form, practice=None, preview=None,
                           translating=original)


@bp.route("/<int:practice_id>/edit", methods=["GET", "POST"])
@login_required
def edit(practice_id):
    practice = services.get(practice_id, viewer())
    if not services.can_edit(viewer(), practice):
        flash(_("Only members of the owning organisation can edit this practice."), "warning")
        return redirect(url_for("practices.detail", practice_id=practice.id))
    form = _practice_form(practice)
    if form.validate_on_submit():
        response = _save(form, practice)
        if response is not None:
            return response
        db.session.rollback()  # keep the stored practice as it was
    waiting = None if form.is_submitted() else sdg.open_for(practice)  # from the last save
    return render_template("practices/form.html", form=form, practice=practice, preview=None,
                           suggestions=waiting or None)


@bp.route("/<int:practice_id>/history")
def history(practice_id):
    practice = services.get(practice_id, viewer())
    revisions = services.history(practice)
    comparison = diffs.between(services.snapshot(practice), revisions,
                               inputs.integer(request.args.get("from")),
                               inputs.integer(request.args.get("to")))
    return render_template("practices/history.html", practice=practice,
                           revisions=revisions, comparison=comparison)


@bp.route("/<int:practice_id>/lineage", endpoint="lineage")
def lineage_page(practice_id):
    """Show the tree of a practice's original and everything adapted from it."""
    practice = services.get(practice_id, viewer())
    return render_template("practices/lineage.html", practice=practice,
                           lineage=lineage.tree(practice))


@bp.route("/<int:practice_id>/attachments", methods=["POST"])
@login_required
def upload(practice_id):
    practice = services.get(practice_id, viewer())
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            attachment = attachments.add(viewer(), practice, form.file.data)
        except Invalid as error:
            flash(error.message, "danger")
        else:
            flash(_("%(name)s is attached.", name=attachment.original_name), "success")
            return redirect(url_for("practices.detail", practice_id=practice.id) + "#attachments")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "danger")  # translated lazily
    # A refusal is said at the top of the page, where it can be seen.
    return redirect(url_for("practices.detail", practice_id=practice.id))


@bp.route("/attachments/<int:attachment_id>")
def download(attachment_id):
    attachment, path = attachments.for_download(attachment_id, viewer())
    published = attachment.practice.is_published
    # Only what everyone may read goes to shared caches; a draft's files are private.
    response = send_file(path, mimetype=attachment.mime_type, as_attachment=True,
                         download_name=attachment.original_name,
                         max_age=3600 if published else None)
    if not published:
        response.cache_control.private = True
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(attachment_id):
    if not ActionForm().validate_on_submit():
        flash(_("The form had expired; please try again."), "warning")
        return redirect(request.referrer or url_for("practices.index"))
    practice = attachments.remove(viewer(), attachment_id)
    flash(_("The attachment was removed."), "info")
    return redirect(url_for("practices.detail", practice_id=practice.id) + "#attachments")


@bp.route("/mine")
@login_required
def mine():
    return render_template("practices/mine.html", practices=services.drafts_of(viewer()))
