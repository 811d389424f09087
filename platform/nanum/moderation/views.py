"""The moderators' pages: the dashboard, the audit log, and the admins' people and settings.

The audit log is read-only here: no route changes or deletes a record.
"""

from datetime import date

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from nanum import inputs
from nanum.accounts.models import ROLES
from nanum.accounts.session import viewer
from nanum.errors import Conflict, Invalid
from nanum.extensions import db
from nanum.forms import show_errors
from nanum.moderation import audit as audit_records
from nanum.moderation import auditlog, dashboard, reasons, roles, settings
from nanum.moderation.access import admin_required, moderator_required
from nanum.moderation.models import AuditRecord

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

REASON_CHOICES = [("", _l("No reason code")), *reasons.REASONS.items()]


@bp.get("/")
@moderator_required
def home():
    latest = db.session.scalars(select(AuditRecord).options(joinedload(AuditRecord.actor))
                                .order_by(AuditRecord.id.desc()).limit(10)).all()
    return render_template("moderation/home.html", latest=latest, reason_label=reasons.label,
                           **dashboard.summary())


@bp.get("/audit")
@moderator_required
def audit():
    filters = auditlog.Filters.from_args(request.args)
    actions, target_types = auditlog.choices()
    return render_template("moderation/audit.html", filters=filters,
                           page=auditlog.page(filters, inputs.page_arg()), actions=actions,
                           target_types=target_types, reasons=reasons.REASONS,
                           reason_label=reasons.label, kind_label=audit_records.kind_label)


@bp.get("/audit.csv")
@moderator_required
def audit_csv():
    filters = auditlog.Filters.from_args(request.args)
    name = f"nanum-audit-{date.today().isoformat()}.csv"
    return Response(stream_with_context(auditlog.csv_lines(filters)),
                    mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})


# -- admins: roles and settings ------------------------------------------------------------

class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[(role, roles.LABELS[role]) for role in ROLES],
                       validators=[DataRequired()])
    reason = SelectField(_l("Reason"), choices=REASON_CHOICES, validators=[Optional()])
    message = TextAreaField(_l("Note for the log"), validators=[Optional(), Length(max=2000)])


@bp.get("/people")
@admin_required
def people():
    query, role = request.args.get("q", "")[:100], request.args.get("role")
    found = roles.people(query, role, inputs.page_arg())
    return render_template("moderation/people.html", page=found, query=query,
                           role=role if role in ROLES else None, labels=roles.LABELS,
                           form=RoleForm())


@bp.post("/people/<int:user_id>/role")
@admin_required
def role(user_id):
    person = roles.get(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            changed = roles.change(viewer(), person, form.role.data,
                                   reason=form.reason.data or None, message=form.message.data)
        except (Invalid, Conflict) as error:
            flash(error.message, "warning")
        else:
            if changed:
                flash(_("%(name)s is now %(role)s.", name=person.name,
                        role=str(roles.LABELS[person.role]).lower()), "success")
    else:
        flash(_("Please choose a role from the list."), "warning")
    return redirect(url_for("moderation.people", q=person.handle))


def _settings_form():
    class SettingsForm(FlaskForm):
        reason = SelectField(_("Reason"), choices=REASON_CHOICES, validators=[Optional()])
        message = TextAreaField(_("Note for the log"), validators=[Optional(), Length(max=2000)])

    for key, label, options, current in settings.choices():
        setattr(SettingsForm, key, SelectField(label, choices=list(options.items()),
                                               default=current, validators=[DataRequired()]))
    return SettingsForm()


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def site_settings():
    form = _settings_form()
    if form.validate_on_submit():
        values = {key: form[key].data for key in settings.CHOICES}
        try:
            changed = settings.save(viewer(), values, reason=form.reason.data or None,
                                    message=form.message.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("moderation.site_settings"))
    return render_template("moderation/settings.html", form=form,
                           keys=list(settings.CHOICES))
