"""The review queue's pages, and the private conversation about a practice's review."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from nanum import inputs
from nanum.accounts.session import viewer
from nanum.errors import Invalid
from nanum.moderation import reasons
from nanum.moderation.access import moderator_required
from nanum.organisations import regions
from nanum.organisations.forms import ActionForm
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices import services as practices
from nanum.review import conversation as talk
from nanum.review import diffs, policy, queue, services
from nanum.review.models import WAIT_REASONS

bp = Blueprint("review", __name__, url_prefix="/moderation/review")
bp.add_app_template_global(reasons.REASONS, "REVIEW_REASONS")


@bp.app_template_global()
def review_outcome(practice):
    """The latest decision on a practice, for the note beside it (its editors only)."""
    if practice.status not in ("changes_requested", "rejected", "submitted"):
        return None
    return talk.latest_decision(practice)


@bp.app_template_global()
def submission_publishes():
    """Whether "submit" publishes at once for the person writing (the form's wording)."""
    return current_user.is_authenticated and policy.publishes_directly(viewer())


def _checked():
    """Check the form's CSRF token; say so when it fails."""
    if ActionForm().validate_on_submit():
        return True
    flash(_("The form had expired; please try again. Nothing was changed."), "warning")
    return False


@bp.get("/")
@moderator_required
def index():
    filters = queue.Filters.from_args(request.args)
    page = queue.page(filters, viewer(), inputs.page_arg())
    return render_template("review/index.html", page=page, filters=filters,
                           sorts=queue.SORTS, wait_reasons=WAIT_REASONS, org_types=ORG_TYPES,
                           subregions=regions.SUBREGIONS,
                           total=queue.waiting_count() if filters.narrowed else page.total)


@bp.get("/<int:practice_id>")
@moderator_required
def item(practice_id, values=None):
    waiting = services.waiting(practice_id)
    found = queue.items_for([waiting], viewer())[0]
    previous = queue.last_reviews([practice_id]).get(practice_id)
    changes = diffs.compare(previous.snapshot, practices.snapshot(found.practice)) if (
        previous) else []
    return render_template("review/item.html", item=found, previous=previous, changes=changes,
                           messages=talk.messages(viewer(), found.practice),
                           reasons=reasons.REASONS, values=values or {})


@bp.post("/<int:practice_id>/claim")
@moderator_required
def claim(practice_id):
    if _checked():
        services.claim(viewer(), practice_id, take_over=request.form.get("take_over") == "1")
        flash(_("You are reviewing this practice."), "success")
    return redirect(url_for("review.item", practice_id=practice_id))


@bp.post("/<int:practice_id>/release")
@moderator_required
def release(practice_id):
    if _checked():
        services.release(viewer(), practice_id)
        flash(_("You no longer claim this practice."), "info")
    return redirect(url_for("review.index"))


DONE = {"approve": _l("Approved and published. The author has been told."),
        "request_changes": _l("Changes requested. The author has been told."),
        "reject": _l("Rejected. The author has been told.")}


@bp.post("/<int:practice_id>/decide")
@moderator_required
def decide(practice_id):
    if not _checked():
        return item(practice_id, values=request.form)
    decision = request.form.get("decision", "")
    try:
        services.decide(viewer(), practice_id, decision, reason=request.form.get("reason"),
                        message=request.form.get("message", ""))
    except Invalid as error:
        flash(error.message, "danger")
        return item(practice_id, values=request.form)
    flash(str(DONE[decision]), "success")
    return redirect(url_for("review.index"))


@bp.post("/bulk")
@moderator_required
def bulk():
    if _checked():
        ids = [i for i in (inputs.integer(raw) for raw in request.form.getlist("practice"))
               if i is not None]
        try:
            decided, skipped = services.bulk(viewer(), ids, request.form.get("action", ""))
        except Invalid as error:
            flash(error.message, "danger")
        else:
            done = ngettext("%(num)d decided", "%(num)d decided", len(decided))
            flash(_("%(done)s; %(skipped)d skipped (claimed by another moderator or no longer "
                    "waiting).", done=done, skipped=skipped) if skipped else
                  _("%(done)s.", done=done), "success")
    return redirect(url_for("review.index", **queue.Filters.from_args(request.args).args()))


@bp.post("/organisations/<int:organisation_id>/trust")
@moderator_required
def trust(organisation_id):
    if _checked():
        organisation = services.set_trusted(viewer(), organisation_id,
                                            request.form.get("trusted") == "1",
                                            message=request.form.get("message", ""))
        flash(_("%(name)s is now trusted to publish directly.", name=organisation.name)
              if organisation.trusted else
              _("%(name)s is no longer trusted to publish directly.", name=organisation.name),
              "success")
    back_to = inputs.integer(request.form.get("next_practice"))
    if back_to is not None:
        return redirect(url_for("review.item", practice_id=back_to))
    return redirect(url_for("organisations.detail", organisation_id=organisation_id))


@bp.route("/practices/<int:practice_id>/conversation", methods=["GET", "POST"])
@login_required
def conversation(practice_id):
    practice = practices.get(practice_id, viewer())
    body = ""
    if request.method == "POST" and _checked():
        try:
            talk.write(viewer(), practice, request.form.get("body", ""))
        except Invalid as error:
            flash(error.message, "danger")
            body = request.form.get("body", "")
        else:
            flash(_("Your message is sent."), "success")
            return redirect(url_for("review.conversation", practice_id=practice_id))
    return render_template("review/conversation.html", practice=practice, body=body,
                           messages=talk.messages(viewer(), practice),
                           outcome=review_outcome(practice))
