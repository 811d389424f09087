"""The expert directory: the list, one's own entry, contact requests and their answers."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from nanum import inputs
from nanum.accounts.session import viewer
from nanum.errors import Conflict, Invalid
from nanum.extensions import limiter
from nanum.forms import show_errors
from nanum.network import services
from nanum.network.forms import ContactForm, DecisionForm, ExpertProfileForm

bp = Blueprint("network", __name__, url_prefix="/experts")


def _contact_limit():
    return current_app.config["RATELIMIT_EXPERT_CONTACT"]


def _sender():
    """Count contact requests per person, wherever they send them from."""
    return f"contact:{viewer().id}"


@bp.route("/")
def experts():
    filters = services.Filters.from_args(request.args)
    return render_template("network/experts.html", filters=filters,
                           page=services.experts(filters, inputs.page_arg()))


@bp.route("/me", methods=["GET", "POST"])
@login_required
def edit_expert():
    profile = services.profile_of(viewer())
    form = ExpertProfileForm(data=services.form_values(profile))
    if form.validate_on_submit():
        try:
            services.save_profile(viewer(), **{name: form[name].data for name in (
                "listed", "targets", "countries", "languages", "summary")})
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Your expert profile is saved."), "success")
            return redirect(url_for("network.edit_expert"))
    return render_template("network/edit.html", form=form, profile=profile)


@bp.route("/<int:user_id>/contact", methods=["GET", "POST"])
@login_required
@limiter.limit(_contact_limit, methods=["POST"], key_func=_sender)
def contact(user_id):
    profile = services.listed_expert(user_id)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            services.request_contact(viewer(), user_id, form.message.data)
        except Conflict as error:
            flash(error.message, "warning")
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Your request was sent. You will be told when %(name)s answers.",
                    name=profile.user.name), "success")
            return redirect(url_for("network.requests"))
    return render_template("network/contact.html", form=form, profile=profile)


@bp.route("/requests")
@login_required
def requests():
    received, sent = services.requests_of(viewer())
    return render_template("network/requests.html", received=received, sent=sent,
                           form=DecisionForm(), email_shown=services.email_shown,
                           STATUS_LABELS=services.STATUS_LABELS)


@bp.route("/requests/<int:request_id>/<any(accept, decline):act>", methods=["POST"])
@login_required
def decide(request_id, act):
    if DecisionForm().validate_on_submit():
        try:
            services.decide(viewer(), request_id, accept=act == "accept")
        except Conflict as error:
            flash(error.message, "warning")
        else:
            flash(_("You accepted the request: you can now see each other's email.")
                  if act == "accept" else _("You declined the request."), "info")
    return redirect(url_for("network.requests"))
