"""Notification pages: the bell, the list, email settings, watching and unsubscribing."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from nanum import inputs
from nanum.accounts.session import viewer
from nanum.errors import DomainError, Invalid
from nanum.extensions import csrf
from nanum.forms import show_errors
from nanum.notifications import services, tokens, watching
from nanum.notifications.forms import SettingsForm, WatchForm
from nanum.organisations.forms import ActionForm
from nanum.security import safe_next

bp = Blueprint("notifications", __name__)


# -- helpers shared with the templates -----------------------------------------------------

def _unread_for_page():
    """The bell's count: one query per page, and only for people who are signed in."""
    if "nanum_unread" not in g:
        user = viewer()
        g.nanum_unread = (services.unread_count(user)
                          if getattr(user, "is_authenticated", False) else 0)
    return g.nanum_unread


@bp.app_context_processor
def inject_bell():
    # A function, not a number: pages that never show the bell (feeds, mail) never count.
    return {"unread_notifications": _unread_for_page, "UNREAD_CAP": services.UNREAD_CAP}


@bp.app_template_global()
def watch_state(target_type, key):
    """Return the watch button's key and whether the viewer watches it, or None to show no
    button (signed out, or nothing to watch)."""
    user = viewer()
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        key = watching.normalise_key(target_type, key)
    except DomainError:
        return None
    return {"key": key, "watching": watching.is_watching(user, target_type, key)}


# -- notifications -------------------------------------------------------------------------

@bp.route("/notifications")
@login_required
def index():
    page = services.notifications_page(viewer(), inputs.page_arg(),
                                       current_app.config["NOTIFICATIONS_PER_PAGE"])
    return render_template("notifications/index.html", page=page, form=ActionForm())


@bp.route("/notifications/<int:notification_id>/open", endpoint="open",
          methods=["GET", "POST"])
@login_required
def open_notification(notification_id):
    """Follow a notification. The list's button (a POST) marks it read; a link from a mail
    (a GET) only leads there, since following a link never changes anything."""
    if request.method == "POST":
        url = services.open_notification(viewer(), notification_id)
    else:
        url = services.notification_url(viewer(), notification_id)
    return redirect(safe_next(url, url_for("notifications.index")))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id):
    services.mark_read(viewer(), notification_id)
    page = request.form.get("page", type=int)
    return redirect(url_for("notifications.index", page=page if page and page > 1 else None))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    count = services.mark_all_read(viewer())
    flash(ngettext("Marked %(num)d notification as read.",
                   "Marked %(num)d notifications as read.", count) if count
          else _("There was nothing unread."), "success")
    return redirect(url_for("notifications.index"))


# -- settings and watching -----------------------------------------------------------------

@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def settings():
    user = viewer()
    form = SettingsForm(data=None if request.method == "POST" else {
        "email_notifications": user.email_notifications})
    if form.validate_on_submit():
        try:
            services.set_email_preference(user, form.email_notifications.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Your email settings are saved."), "success")
            return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form,
                           watches=watching.watches_of(user), action_form=ActionForm(),
                           current=user.email_notifications)


@bp.route("/watch", methods=["POST"])
@login_required
def watch():
    form = WatchForm()
    target = watching.watch(viewer(), form.type.data, form.key.data)
    if target.type == "search":
        message = _("You are watching the search %(label)s. What is new there will appear "
                    "under the bell.", label=target.label)
    else:
        message = _("You are watching “%(label)s”. What is new there will appear under the "
                    "bell.", label=target.label)
    flash(message, "success")
    return redirect(safe_next(form.next.data, url_for("notifications.settings")))


@bp.route("/unwatch", methods=["POST"])
@login_required
def unwatch():
    form = WatchForm()
    if watching.unwatch(viewer(), form.type.data, form.key.data):
        flash(_("You are no longer watching it."), "success")
    return redirect(safe_next(form.next.data, url_for("notifications.settings")))





# -- unsubscribing from mail, without logging in -------------------------------------------

@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: mail clients POST here; the signed token is the proof
def unsubscribe(token):
    try:
        user = tokens.user_for_token(token)
    except Invalid as error:
        return render_template("notifications/unsubscribe.html", error=error.message), 400
    if request.method == "POST":
        services.unsubscribe(user)
        return render_template("notifications/unsubscribe.html", done=True, person=user)
    return render_template("notifications/unsubscribe.html", person=user, token=token)
