"""The moderators' organisation pages: verification requests, duplicates, revoking, merging."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from nanum import inputs
from nanum.accounts.session import viewer
from nanum.errors import Conflict, Invalid, NotFound
from nanum.forms import show_errors
from nanum.moderation import reasons
from nanum.moderation.access import moderator_required
from nanum.organisations import merging, services, verification
from nanum.organisations.forms import DecisionForm, MergeForm

bp = Blueprint("organisation_moderation", __name__, url_prefix="/moderation/organisations")


@bp.get("/")
@moderator_required
def queue():
    page = verification.queue(inputs.page_arg())
    organisations = [found.organisation for found in page.items]
    recent = merging.recently_created()
    duplicates = merging.duplicates_of([*organisations, *recent])
    return render_template("moderation/organisations.html", page=page, recent=recent,
                           duplicates=duplicates, form=DecisionForm(),
                           reason_label=reasons.label)


@bp.post("/requests/<int:request_id>/<any(verify, decline):decision>")
@moderator_required
def decide(request_id, decision):
    found = verification.get_request(request_id)
    form = DecisionForm()
    if form.validate_on_submit():
        act = verification.verify if decision == "verify" else verification.decline
        try:
            act(viewer(), found, reason=form.reason.data or None, message=form.message.data)
        except (Invalid, Conflict) as error:
            flash(error.message, "warning")
        else:
            flash(_("%(name)s: %(status)s.", name=found.organisation.name,
                    status=str(found.status_label).lower()), "success")
    return redirect(url_for("organisation_moderation.queue"))


@bp.post("/<int:organisation_id>/revoke")
@moderator_required
def revoke(organisation_id):
    organisation = services.get(organisation_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            verification.revoke(viewer(), organisation, reason=form.reason.data or None,
                                message=form.message.data)
        except (Invalid, Conflict) as error:
            flash(error.message, "warning")
        else:
            flash(_("The verification of %(name)s was revoked.", name=organisation.name),
                  "success")
    return redirect(url_for("organisations.detail", organisation_id=organisation.id))


@bp.route("/<int:organisation_id>/merge", methods=["GET", "POST"])
@moderator_required
def merge(organisation_id):
    organisation = services.get(organisation_id)
    form = MergeForm()
    if form.validate_on_submit():
        name = organisation.name
        try:
            survivor = services.get(form.into.data)
            merging.merge(viewer(), organisation, survivor, reason=form.reason.data or None,
                          message=form.message.data)
        except NotFound:
            form.into.errors = [*form.into.errors, _("No organisation has this number.")]
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("%(name)s was merged into %(survivor)s.", name=name,
                    survivor=survivor.name), "success")
            return redirect(url_for("organisations.detail", organisation_id=survivor.id))
    similar = merging.similar(organisation.name, organisation.country,
                              exclude_id=organisation.id)
    return render_template("moderation/organisation_merge.html", organisation=organisation,
                           similar=similar, form=form,
                           counts=merging.counts(organisation))
