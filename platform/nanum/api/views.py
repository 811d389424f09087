"""The account page's API tokens: made (shown once), listed and revoked."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from nanum.accounts.session import viewer
from nanum.api import tokens
from nanum.api.forms import TokenForm
from nanum.errors import Invalid
from nanum.forms import show_errors

bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = TokenForm()
    made = None
    if form.validate_on_submit():
        try:
            record, made = tokens.create(viewer(), form.name.data, form.scopes.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            form = TokenForm(formdata=None)
            flash(_("The token “%(name)s” is made. Copy it now: it is not shown again.",
                    name=record.name), "success")
    response = render_template("api/tokens.html", form=form, made=made,
                               tokens=tokens.active_tokens(viewer()))
    # The page holds a token in clear once: no cache may keep it.
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id):
    record = tokens.revoke(viewer(), token_id)
    flash(_("The token “%(name)s” is revoked; it no longer works.", name=record.name), "info")
    return redirect(url_for("api_tokens.index"))
