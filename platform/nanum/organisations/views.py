"""Organisation pages: list, create, edit, join and approve members."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from nanum import inputs
from nanum.accounts.session import viewer
from nanum.errors import Conflict, Forbidden, Invalid, NotFound
from nanum.flags.views import placeholder
from nanum.forms import show_errors
from nanum.moderation import reasons
from nanum.organisations import directory, mapview, merging, services, verification
from nanum.organisations.forms import ActionForm, OrganisationForm, VerificationForm
from nanum.places.views import organisation_form
from nanum.practices import browse, facets
from nanum.practices import services as practices

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.route("/")
def index():
    filters = directory.Filters.from_args(request.args)
    panel = facets.panel(filters, "organisations.index", filters.args,
                         countries=directory.countries_in_use(), only=directory.KEYS)
    return render_template("organisations/index.html", filters=filters, panel=panel,
                           page=directory.page(filters, inputs.page_arg()),
                           world=mapview.build(filters), form=_action_form(),
                           statuses=services.membership_statuses(viewer()))


@bp.route("/mine")
@login_required
def mine():
    memberships, waiting = services.my_organisations(viewer())
    return render_template("organisations/mine.html", memberships=memberships, waiting=waiting)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = OrganisationForm()
    similar = []
    if form.validate_on_submit():
        try:
            organisation = services.create(viewer(), **form.data)
        except services.PossibleDuplicates as error:
            similar = error.similar
            flash(error.message, "warning")
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("%(name)s is created and you are its admin.", name=organisation.name),
                  "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=None,
                           similar=similar)


@bp.route("/<int:organisation_id>")
def detail(organisation_id):
    try:
        organisation = services.get(organisation_id)
    except NotFound:
        survivor = merging.redirect_target(organisation_id)
        if survivor is None:
            raise
        return redirect(url_for("organisations.detail", organisation_id=survivor), 301)
    if organisation.hidden and not (getattr(viewer(), "is_moderator", False)
                                    or services.is_member(viewer(), organisation.id)):
        return placeholder("organisation")
    filters = browse.Filters(organisation=organisation.id)
    page = browse.page(filters, inputs.page_arg(), 20,
                       practices.card_options())
    can_manage = services.can_manage(viewer(), organisation)
    return render_template(
        "organisations/detail.html", organisation=organisation, page=page,
        members=services.members([organisation.id]),
        pending=services.members([organisation.id], status="pending") if can_manage else [],
        membership=services.membership(viewer(), organisation),
        can_manage=can_manage, form=_action_form(), REASONS=reasons.REASONS)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(organisation_id):
    organisation = services.get(organisation_id)
    services.require_admin(viewer(), organisation)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            services.update(viewer(), organisation, **form.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Organisation saved."), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=organisation,
                           place_form=organisation_form(organisation))


@bp.route("/<int:organisation_id>/join", methods=["POST"])
@login_required
def join(organisation_id):
    organisation = services.get(organisation_id)
    if ActionForm().validate_on_submit():
        try:
            services.request_join(viewer(), organisation)
        except Invalid as error:
            flash(error.message, "warning")
        else:
            flash(_("Your request to join was sent to the organisation's admins."), "success")
    return redirect(url_for("organisations.detail", organisation_id=organisation.id))


@bp.route("/<int:organisation_id>/members/<int:membership_id>/<any(approve, remove):act>",
          methods=["POST"])
@login_required
def member(organisation_id, membership_id, act):
    organisation = services.get(organisation_id)
    if ActionForm().validate_on_submit():
        try:
            if act == "approve":
                found = services.approve(viewer(), organisation, membership_id)
                flash(_("%(name)s is now a member.", name=found.user.name), "success")
            else:
                services.decline(viewer(), organisation, membership_id)
                flash(_("The membership was removed."), "info")
        except Invalid as error:
            flash(error.message, "warning")
    return redirect(url_for("organisations.detail", organisation_id=organisation.id))


@bp.route("/<int:organisation_id>/verification", methods=["GET", "POST"],
          endpoint="verification")
@login_required
def verification_page(organisation_id):
    organisation = services.get(organisation_id)
    if not services.can_manage(viewer(), organisation):
        raise Forbidden(_("Only the organisation's admins can see its verification."))
    form = VerificationForm(data={"website": organisation.website})
    if form.validate_on_submit():
        try:
            verification.request(viewer(), organisation, **form.data)
        except Conflict as error:
            flash(error.message, "warning")
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Your request was sent to the moderators."), "success")
            return redirect(url_for("organisations.verification",
                                    organisation_id=organisation.id))
    return render_template("organisations/verification.html", organisation=organisation,
                           form=form, latest=verification.latest_request(organisation),
                           reason_label=reasons.label)


def _action_form():
    """Return the form of the page's buttons; none for a visitor, whose page sets no cookie."""
    return ActionForm() if viewer().is_authenticated else None
