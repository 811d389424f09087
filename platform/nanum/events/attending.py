"""Event pages for attending: registering, the participants' list, and calendar files."""

from flask import flash, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from nanum.accounts.session import viewer
from nanum.errors import Invalid
from nanum.events import calendar, ics, registrations, services
from nanum.events.forms import RegistrationForm
from nanum.events.views import _flash_form_errors, _to_event, bp

# -- registration ----------------------------------------------------------------------------

@bp.route("/<int:event_id>/register", methods=["POST"])
@login_required
def register(event_id):
    event = services.get(event_id, viewer())
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            registration = registrations.register(viewer(), event, form.organisation_name.data,
                                                  form.visible.data)
        except Invalid as error:
            flash(error.message, "warning")
        else:
            flash(_("You are registered.") if registration.state == "registered" else
                  _("The event is full: you are on the waiting list, and we will write when a "
                    "place is free."), "success")
    else:
        _flash_form_errors(form)
    return _to_event(event.id, "#registration")


@bp.route("/<int:event_id>/cancel", methods=["POST"])
@login_required
def cancel(event_id):
    event = services.get(event_id, viewer())
    try:
        registrations.cancel(viewer(), event)
    except Invalid as error:
        flash(error.message, "warning")
    else:
        flash(_("Your registration is cancelled."), "success")
    return _to_event(event.id, "#registration")


@bp.route("/<int:event_id>/visibility", methods=["POST"])
@login_required
def visibility(event_id):
    event = services.get(event_id, viewer())
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            registrations.set_visible(viewer(), event, form.visible.data)
        except Invalid as error:
            flash(error.message, "warning")
        else:
            flash(_("Saved."), "success")
    return _to_event(event.id, "#registration")


@bp.route("/<int:event_id>/participants")
@login_required
def participants(event_id):
    event = services.get(event_id, viewer())
    people = registrations.participants(viewer(), event)
    return render_template("events/participants.html", event=event, participants=people)


@bp.route("/<int:event_id>/participants.csv")
@login_required
def participants_csv(event_id):
    event = services.get(event_id, viewer())
    text = registrations.participants_csv(viewer(), event)
    response = make_response(text)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="event-{event.id}-participants.csv"')
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


# -- iCalendar -------------------------------------------------------------------------------

def _ics_response(data, name):
    response = make_response(data)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _page_url(event):
    return url_for("events.detail", event_id=event.id, _external=True)


@bp.route("/<int:event_id>.ics")
def event_ics(event_id):
    event = services.get(event_id, viewer())
    return _ics_response(ics.one(event, _page_url(event)), f"event-{event.id}.ics")


@bp.route("/calendar.ics")
def feed_ics():
    return _ics_response(ics.feed(calendar.all_published(), _page_url), "nanum-events.ics")
