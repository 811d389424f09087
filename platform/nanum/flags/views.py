"""Flagging (anyone signed in), the moderators' flag queue, acts on people, and the
statements people receive with their one appeal."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from nanum.accounts.models import User
from nanum.accounts.session import viewer
from nanum.errors import Conflict, Invalid, NotFound
from nanum.extensions import db, limiter
from nanum.flags import actions, sanctions, services, suspension, targets
from nanum.flags.models import KINDS, REASONS
from nanum.moderation import reasons
from nanum.moderation.access import moderator_required
from nanum.security import safe_next

bp = Blueprint("flags", __name__)


@bp.app_template_global()
def flag_reasons():
    return REASONS


@bp.app_template_global()
def can_flag(kind, target):
    return services.can_flag(current_user, kind, target)


@bp.app_template_global()
def moderator_notes(person):
    return sanctions.notes_on(current_user, person)


def placeholder(what):
    """The neutral page others see instead of hidden content."""
    return render_template("flags/placeholder.html", what=what)


def _back(default):
    return redirect(safe_next(request.form.get("next"), default))


def _flash_invalid(error):
    details = " ".join(v for k, v in error.errors.items() if v not in error.message)
    flash(f"{error.message} {details}".strip(), "danger")


# -- flagging ------------------------------------------------------------------------------

@bp.post("/flag/<kind>/<int:target_id>")
@login_required
def flag(kind, target_id):
    if kind not in KINDS:
        raise NotFound(_("There is no such item."))
    default = url_for("main.home")
    try:
        services.flag(viewer(), kind, target_id, request.form.get("reason"),
                      request.form.get("message"))
    except Invalid as error:
        _flash_invalid(error)
    else:
        flash(_("Thank you: moderators will look at this %(what)s.", what=KINDS[kind]),
              "success")
    return _back(default)


# -- the queue -----------------------------------------------------------------------------

@bp.get("/moderation/flags")
@moderator_required
def queue():
    return render_template("flags/queue.html", queue=services.queue(viewer()),
                           decisions=actions.DECISION_LABELS, reasons=reasons.REASONS,
                           reason_label=reasons.label, kinds=KINDS)


@bp.post("/moderation/flags/<int:entry_id>")
@moderator_required
def decide(entry_id):
    entry = services.get_entry(entry_id)
    form = request.form
    try:
        actions.decide(viewer(), entry, form.get("decision"), form.get("reason"),
                       form.get("message"))
    except Invalid as error:
        _flash_invalid(error)
    else:
        flash(_("Decided: %(decision)s.",
                decision=str(actions.DECISION_LABELS[form["decision"]]).lower()), "success")
    return redirect(url_for("flags.queue"))


@bp.post("/moderation/flags/posts/<int:post_id>/approve")
@moderator_required
def approve_post(post_id):
    actions.approve_post(viewer(), actions.get_held_post(post_id))
    flash(_("The post is approved and visible."), "success")
    return redirect(url_for("flags.queue"))


@bp.post("/moderation/flags/posts/<int:post_id>/decline")
@moderator_required
def decline_post(post_id):
    try:
        actions.decline_post(viewer(), actions.get_held_post(post_id),
                             request.form.get("reason"), request.form.get("message"))
    except Invalid as error:
        _flash_invalid(error)
    else:
        flash(_("The post is declined and stays hidden."), "success")
    return redirect(url_for("flags.queue"))


@bp.post("/moderation/appeals/<int:statement_id>")
@moderator_required
def decide_appeal(statement_id):
    statement = sanctions.get_statement(viewer(), statement_id)
    form = request.form
    try:
        sanctions.decide_appeal(viewer(), statement, form.get("outcome"), form.get("reason"),
                                form.get("message"))
    except Invalid as error:
        _flash_invalid(error)
    else:
        flash(_("Appeal upheld.") if statement.appeal_status == "upheld"
              else _("Appeal overturned."), "success")
    return redirect(url_for("flags.queue"))


# -- people --------------------------------------------------------------------------------

def _person(user_id):
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound(_("No such person."))
    return person


@bp.get("/moderation/people/<int:user_id>")
@moderator_required
def person(user_id):
    found = _person(user_id)
    counts = services.counts_for(user_ids=[found.id])["users"][found.id]
    return render_template("flags/person.html", person=found, counts=counts,
                           statements=sanctions.statements_of(found),
                           notes=sanctions.notes_on(viewer(), found),
                           person_actions=sanctions.ACTIONS, reasons=reasons.REASONS,
                           reason_label=reasons.label, when=actions.when)


@bp.post("/moderation/people/<int:user_id>/act")
@moderator_required
def act(user_id):
    found = _person(user_id)
    form = request.form
    try:
        sanctions.act(viewer(), found, form.get("action"), form.get("reason"),
                      form.get("message"), days=form.get("days"), until=form.get("until"))
    except Invalid as error:
        _flash_invalid(error)
    else:
        flash(_("Done: %(action)s. %(name)s was told why.",
                action=sanctions.ACTIONS[form["action"]], name=found.name), "success")
    return redirect(url_for("flags.person", user_id=found.id))


@bp.post("/moderation/people/<int:user_id>/notes")
@moderator_required
def add_note(user_id):
    found = _person(user_id)
    try:
        sanctions.add_note(viewer(), found, request.form.get("body"))
    except Invalid as error:
        _flash_invalid(error)
    else:
        flash(_("Note saved; only moderators see it."), "success")
    return _back(url_for("flags.person", user_id=found.id))


# -- statements and appeals ----------------------------------------------------------------

@bp.get("/decisions/<int:statement_id>")
@login_required
def statement(statement_id):
    found = sanctions.get_statement(viewer(), statement_id)
    target = None
    if found.target_id is not None and found.target_type in targets.MODELS:
        target = db.session.get(targets.MODELS[found.target_type], found.target_id)
    return render_template("flags/statement.html", statement=found, reason_label=reasons.label,
                           when=actions.when, describe=actions.describe, target=target,
                           may_appeal=found.can_be_appealed
                           and sanctions.concerns(viewer(), found),
                           target_url=targets.url_of(found.target_type, target)
                           if target is not None else None)


@bp.post("/decisions/<int:statement_id>/appeal")
@login_required
def appeal(statement_id):
    found = sanctions.get_statement(viewer(), statement_id)
    try:
        sanctions.appeal(viewer(), found, request.form.get("text"))
    except Invalid as error:
        _flash_invalid(error)
    else:
        flash(_("Your appeal is sent; another moderator will decide it."), "success")
    return redirect(url_for("flags.statement", statement_id=found.id))


# -- suspended people ----------------------------------------------------------------------

def suspended_page(person, *, text="", status=200):
    """The page a suspended person gets instead of being signed in: their suspension, and
    a form to appeal it carrying a fresh token (the only thing it lets them do)."""
    return render_template("flags/suspended.html", found=suspension.suspension_of(person),
                           token=suspension.appeal_token(person), text=text,
                           message=sanctions.suspension_message(person),
                           reason_label=reasons.label, when=actions.when), status


def _suspension_appeal_limit():
    return current_app.config["RATELIMIT_SUSPENSION_APPEAL"]


@bp.post("/suspension/appeal")
@limiter.limit(_suspension_appeal_limit)
def suspension_appeal():
    form = request.form
    try:
        suspension.appeal(form.get("token"), form.get("text"))
    except Invalid as error:
        if error.message == str(suspension.EXPIRED):
            flash(error.message, "warning")
            return redirect(url_for("accounts.login"))
        _flash_invalid(error)
        return suspended_page(suspension.person_of(form.get("token")),
                              text=form.get("text") or "", status=400)
    except Conflict as error:
        flash(error.message, "warning")
        return suspended_page(suspension.person_of(form.get("token")), status=409)
    flash(_("Your appeal is sent; another moderator will decide it and you will hear by mail."),
          "success")
    return suspended_page(suspension.person_of(form.get("token")))
