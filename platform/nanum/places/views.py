"""Saving a place: the place forms post here from the profile and organisation edit pages."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from nanum import inputs
from nanum.accounts.forms import ProfileForm
from nanum.accounts.session import viewer
from nanum.errors import Invalid
from nanum.organisations import services as organisations
from nanum.organisations.forms import OrganisationForm
from nanum.places import services
from nanum.places.forms import PersonPlaceForm, PlaceForm

bp = Blueprint("places", __name__)

EXPIRED = _l("The form had expired; please try again.")


def person_form(user):
    """Return a person's place form, filled with what they saved."""
    profile = services.profile_of_person(user)
    values = {name: getattr(profile, name) for name in services.PLACE_FIELDS} if profile else {}
    form = PersonPlaceForm.of(values).offer(organisations.organisations_of(user))
    form.place_source.data = str(profile.uses_organisation_id or "") if profile else ""
    return form


def organisation_form(organisation):
    """Return an organisation's place form: what it saved, or what its record says."""
    profile = services.profile_of_organisation(organisation)
    if profile is None:
        return PlaceForm.of(services.organisation_defaults(organisation))
    return PlaceForm.of({name: getattr(profile, name) for name in services.PLACE_FIELDS})


@bp.route("/account/place", methods=["POST"])
@login_required
def person():
    form = PersonPlaceForm().offer(organisations.organisations_of(viewer()))
    if not form.validate_on_submit():
        flash(str(EXPIRED), "warning")
        return redirect(url_for("accounts.edit_profile"))
    try:
        services.save_for_person(viewer(), form.values(),
                                 inputs.integer(form.place_source.data))
    except Invalid as error:
        form.show(error)
        return render_template("accounts/edit_profile.html", form=ProfileForm(obj=viewer()),
                               place_form=form)
    flash(_("Your place is saved: browse and search can now rank practices by it."), "success")
    return redirect(url_for("accounts.edit_profile") + "#place")


@bp.route("/organisations/<int:organisation_id>/place", methods=["POST"])
@login_required
def organisation(organisation_id):
    found = organisations.get(organisation_id)
    form = PlaceForm()
    if not form.validate_on_submit():
        flash(str(EXPIRED), "warning")
        return redirect(url_for("organisations.edit", organisation_id=found.id))
    try:
        services.save_for_organisation(viewer(), found, form.values())
    except Invalid as error:
        form.show(error)
        return render_template("organisations/form.html", form=OrganisationForm(obj=found),
                               organisation=found, place_form=form)
    flash(_("The place of %(name)s is saved.", name=found.name), "success")
    return redirect(url_for("organisations.edit", organisation_id=found.id) + "#place")
