"""A practice's SDG suggestions, answered from its page."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from nanum.accounts.session import viewer
from nanum.errors import Invalid
from nanum.organisations.forms import ActionForm
from nanum.practices import services as practices
from nanum.sdg import answers

bp = Blueprint("sdg", __name__)


@bp.post("/practices/<int:practice_id>/suggestions")
@login_required
def answer(practice_id):
    practice = practices.get(practice_id, viewer())
    back = url_for("practices.detail", practice_id=practice.id) + "#sdg-suggestions"
    if not ActionForm().validate_on_submit():
        flash(_("The form had expired; please try again. Nothing was changed."), "warning")
        return redirect(back)
    choice = request.form.get("answer", "")
    try:
        found = answers.answer(viewer(), practice, request.form.get("key", ""), choice)
    except Invalid as error:
        flash(error.message, "warning")
        return redirect(back)
    if choice == "accept":
        message = (_("Target %(key)s is added to the practice's SDGs.", key=found.key)
                   if found.is_target else
                   _("Goal %(key)s is added to the practice's SDGs.", key=found.key))
    else:
        message = (_("Target %(key)s is dismissed: it will not be suggested again for this "
                     "practice.", key=found.key) if found.is_target else
                   _("Goal %(key)s is dismissed: it will not be suggested again for this "
                     "practice.", key=found.key))
    flash(message, "success")
    return redirect(back)
