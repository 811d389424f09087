"""Event pages: the calendar, an event's page, writing it and its programme."""

from flask import (
    Blueprint,
    flash,
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
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.events import calendar, programme, registrations, services, vocab, withdrawal
from nanum.events.forms import (
    ContactForm,
    DecisionForm,
    DocumentForm,
    EventForm,
    LinkPracticeForm,
    PresentationForm,
    RegistrationForm,
    SessionForm,
    WithdrawForm,
)
from nanum.events.models import EventDocument, Presentation
from nanum.extensions import db
from nanum.flags import targets as flag_targets
from nanum.flags.views import placeholder
from nanum.forms import show_errors
from nanum.organisations import place_names
from nanum.organisations.models import Organisation
from nanum.practices.attachments import ACCEPT

bp = Blueprint("events", __name__, url_prefix="/events")


def _to_event(event_id, anchor=""):
    return redirect(url_for("events.detail", event_id=event_id) + anchor)


def _flash_form_errors(form):
    for errors in form.errors.values():
        flash(" ".join(str(error) for error in errors), "danger")


@bp.route("/")
def index():
    filters = calendar.Filters.from_args(request.args)
    page = calendar.page(filters, inputs.page_arg())
    return render_template("events/index.html", page=page, filters=filters, kinds=vocab.KINDS,
                           can_create=services.can_create(viewer()))


def _event_form(event=None):
    form = EventForm(data=services.form_values(event) if event and request.method == "GET"
                     else None)
    if event is not None:
        del form.organisation  # an event stays with the organisation that created it
    else:
        form.organisation.choices = [(o.id, o.name) for o in services.organiser_choices(
            viewer())]
    form.country.choices = [("", "—"), *place_names.country_choices()]
    form.co_organisers.choices = [(str(o_id), name) for o_id, name in db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name))]
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = _event_form()
    if not form.organisation.choices:
        flash(_("Events are created by members of verified organisations."), "info")
        return redirect(url_for("events.index"))
    if form.validate_on_submit():
        action = "draft" if request.form.get("action") == "draft" else "submit"
        try:
            event = services.create(viewer(), form.organisation.data, request.form, action=action)
        except Invalid as error:
            show_errors(form, error)
        else:
            _say_status(event)
            return _to_event(event.id)
    return render_template("events/form.html", form=form, event=None)


def _say_status(event):
    if event.status == "submitted":
        flash(_("The event is waiting for a moderator's review."), "info")
    elif event.status == "published":
        flash(_("The event is published."), "success")
    else:
        flash(_("The event is saved as a draft."), "success")


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id):
    event = services.get(event_id, viewer())
    if not services.can_edit(viewer(), event):
        raise Forbidden(_("Only the organisers can edit this event."))
    form = _event_form(event)
    if form.validate_on_submit():
        action = "submit" if request.form.get("action") == "submit" else "save"
        try:
            services.update(viewer(), event, request.form, action=action)
        except Invalid as error:
            show_errors(form, error)
        else:
            _say_status(event)
            return _to_event(event.id)
    return render_template("events/form.html", form=form, event=event,
                           withdraw_form=WithdrawForm() if withdrawal.can_withdraw(
                               viewer(), event) else None)


@bp.route("/<int:event_id>")
def detail(event_id):
    try:
        event = services.get(event_id, viewer())
    except NotFound:
        if flag_targets.hidden_placeholder("event", event_id):
            return placeholder(_("event"))
        raise
    user = viewer()
    can_edit = services.can_edit(user, event)
    forms = {}
    if user.is_authenticated:
        forms = {"registration_form": RegistrationForm(), "link_form": LinkPracticeForm()}
        if can_edit:
            forms.update(session_form=SessionForm(), presentation_form=PresentationForm(),
                         document_form=DocumentForm(), contact_form=ContactForm())
        if user.is_moderator and event.status == "submitted":
            forms["decision_form"] = DecisionForm()
        if withdrawal.can_withdraw(user, event):
            forms["withdraw_form"] = WithdrawForm()
    return render_template(
        "events/detail.html", event=event, can_edit=can_edit, accept=ACCEPT,
        contacts=programme.contacts_for(user, event),
        registration=registrations.of(user, event),
        counts=registrations.counts(event),
        participants=registrations.visible_participants(user, event), **forms)


@bp.route("/<int:event_id>/withdraw", methods=["POST"])
@login_required
def withdraw(event_id):
    event = services.get(event_id, viewer())
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            withdrawal.withdraw(viewer(), event, form.message.data or "")
        except Invalid as error:
            flash(error.message, "danger")
        else:
            flash(_("The event is withdrawn: only its organisers see it now."), "success")
    else:
        _flash_form_errors(form)
    return _to_event(event.id)


@bp.route("/<int:event_id>/restore", methods=["POST"])
@login_required
def restore(event_id):
    event = services.get(event_id, viewer())
    try:
        withdrawal.restore(viewer(), event)
    except Invalid as error:
        flash(error.message, "danger")
    else:
        _say_status(event)
    return _to_event(event.id)


@bp.route("/<int:event_id>/sessions", methods=["POST"])
@login_required
def add_session(event_id):
    event = services.get(event_id, viewer())
    form = SessionForm()
    if form.validate_on_submit():
        try:
            programme.add_session(viewer(), event, request.form)
        except Invalid as error:
            flash(" ".join([error.message, *map(str, error.errors.values())]), "danger")
        else:
            flash(_("The session is added to the programme."), "success")
    else:
        _flash_form_errors(form)
    return _to_event(event.id, "#programme")


@bp.route("/sessions/<int:session_id>/remove", methods=["POST"])
@login_required
def remove_session(session_id):
    event = programme.remove_session(viewer(), session_id)
    flash(_("The session is removed."), "success")
    return _to_event(event.id, "#programme")


@bp.route("/sessions/<int:session_id>/presentations", methods=["POST"])
@login_required
def add_presentation(session_id):
    form = PresentationForm()
    event_id = None
    if form.validate_on_submit():
        try:
            presentation = programme.add_presentation(viewer(), session_id, form.file.data,
                                                      request.form)
        except Invalid as error:
            flash(error.message, "danger")
        else:
            flash(_("%(name)s is attached.", name=presentation.original_name), "success")
            event_id = presentation.event.id
    else:
        _flash_form_errors(form)
    if event_id is None:
        event_id = programme.event_of_session(session_id, viewer())
    return _to_event(event_id, "#programme")


@bp.route("/<int:event_id>/documents", methods=["POST"])
@login_required
def add_document(event_id):
    event = services.get(event_id, viewer())
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            document = programme.add_document(viewer(), event, form.file.data, request.form)
        except Invalid as error:
            flash(error.message, "danger")
        else:
            flash(_("%(name)s is attached.", name=document.original_name), "success")
    else:
        _flash_form_errors(form)
    return _to_event(event.id, "#documents")


def _send(record, path):
    published = record.event.is_published
    response = send_file(path, mimetype=record.mime_type, as_attachment=True,
                         download_name=record.original_name,
                         max_age=3600 if published else None)
    if not published:
        response.cache_control.private = True
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/presentations/<int:file_id>")
def presentation(file_id):
    return _send(*programme.for_download(Presentation, file_id, viewer()))


@bp.route("/documents/<int:file_id>")
def document(file_id):
    return _send(*programme.for_download(EventDocument, file_id, viewer()))


@bp.route("/presentations/<int:file_id>/remove", methods=["POST"])
@login_required
def remove_presentation(file_id):
    event = programme.remove_file(viewer(), Presentation, file_id)
    flash(_("The file is removed."), "success")
    return _to_event(event.id, "#programme")


@bp.route("/documents/<int:file_id>/remove", methods=["POST"])
@login_required
def remove_document(file_id):
    event = programme.remove_file(viewer(), EventDocument, file_id)
    flash(_("The file is removed."), "success")
    return _to_event(event.id, "#documents")


@bp.route("/<int:event_id>/contacts", methods=["POST"])
@login_required
def add_contact(event_id):
    event = services.get(event_id, viewer())
    form = ContactForm()
    if form.validate_on_submit():
        try:
            programme.add_contact(viewer(), event, request.form)
        except Invalid as error:
            flash(" ".join([error.message, *map(str, error.errors.values())]), "danger")
        else:
            flash(_("The contact is added."), "success")
    else:
        _flash_form_errors(form)
    return _to_event(event.id, "#contacts")


@bp.route("/contacts/<int:contact_id>/remove", methods=["POST"])
@login_required
def remove_contact(contact_id):
    event = programme.remove_contact(viewer(), contact_id)
    flash(_("The contact is removed."), "success")
    return _to_event(event.id, "#contacts")


@bp.route("/<int:event_id>/practices", methods=["POST"])
@login_required
def link_practice(event_id):
    event = services.get(event_id, viewer())
    form = LinkPracticeForm()
    if form.validate_on_submit():
        try:
            practice = programme.link_practice(viewer(), event, form.practice.data)
        except Invalid as error:
            flash(error.message, "danger")
        else:
            flash(_("%(title)s is shown as presented here.", title=practice.title), "success")
    else:
        _flash_form_errors(form)
    return _to_event(event.id, "#practices")


@bp.route("/<int:event_id>/practices/<int:practice_id>/remove", methods=["POST"])
@login_required
def unlink_practice(event_id, practice_id):
    event = services.get(event_id, viewer())
    programme.unlink_practice(viewer(), event, practice_id)
    flash(_("The link is removed."), "success")
    return _to_event(event.id, "#practices")


@bp.route("/review")
@login_required
def review():
    if not viewer().is_moderator:
        raise Forbidden(_("Only moderators review events."))
    return render_template("events/review.html", events=services.waiting_review())


@bp.route("/<int:event_id>/decide/<any(publish, reject):decision>", methods=["POST"])
@login_required
def decide(event_id, decision):
    event = services.get(event_id, viewer())
    form = DecisionForm()
    if form.validate_on_submit():
        services.decide(viewer(), event, decision, form.message.data or "")
        flash(_("The event is published.") if decision == "publish"
              else _("The event is not accepted."), "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for("events.review"))


# The routes of registration and calendar files join the blueprint from their own module.
from nanum.events import attending  # noqa: E402,F401
