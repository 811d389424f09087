"""Sign-up, sign-in, password reset and profiles."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from nanum.accounts import forms, services
from nanum.accounts.session import viewer
from nanum.accounts.throttle import TooManyAttempts
from nanum.errors import Invalid
from nanum.extensions import limiter, login_manager
from nanum.forms import show_errors, show_rule_errors
from nanum.places.views import person_form
from nanum.security import safe_next

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id):
    return services.load_user(user_id)


def _register_limit():
    return current_app.config["RATELIMIT_REGISTER"]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    form = forms.RegisterForm()
    fields = {"name": form.name.data, "email": form.email.data, "password": form.password.data}
    if form.validate_on_submit():
        try:
            email = services.register(**fields)
        except Invalid as error:
            show_errors(form, error)
        else:
            # The same words whether or not the address has an account already.
            flash(_("Check your inbox: we sent a message to %(email)s. Open the link in it to "
                    "confirm your account.", email=email), "info")
            return redirect(url_for("accounts.login"))
    elif form.is_submitted():
        show_rule_errors(form, services.register_problems(**fields))
    return render_template("accounts/register.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token):
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        try:
            user = services.confirm_email(token)
        except Invalid as error:
            flash(error.message, "warning")
            return redirect(url_for("accounts.login"))
        login_user(user)
        flash(_("Welcome to Nanum, %(name)s. Join or create your organisation to start "
                "posting practices.", name=user.name), "success")
        return redirect(url_for("organisations.index"))
    return render_template("accounts/confirm.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = forms.LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data,
                                         address=get_remote_address())
        except TooManyAttempts as error:
            flash(error.message, "danger")
            return (render_template("accounts/login.html", form=form), 429,
                    {"Retry-After": str(error.retry_after)})
        if user is None:
            flash(_("That email and password do not match an account."), "danger")
        elif user.is_suspended:  # shown the suspension and how to appeal, never signed in
            from nanum.flags.views import suspended_page
            return suspended_page(user)
        elif not user.is_confirmed:
            services.send_confirmation(user)
            flash(_("Please confirm your address first: we sent you a new link."), "warning")
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next"), url_for("main.home")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.sign_out(viewer())  # copies of this session's cookies stop working too
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If that address has an account, a reset link is on its way."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        services.user_for_reset_token(token)
    except Invalid as error:
        flash(error.message, "danger")
        return redirect(url_for("accounts.forgot_password"))
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Your password is changed. Please sign in."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = services.change_password(viewer(), form.current_password.data,
                                            form.new_password.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            login_user(user)  # the session token rotated: keep this session signed in
            flash(_("Your password is changed; other sessions were signed out."), "success")
            return redirect(url_for("accounts.profile", user_id=user.id))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = forms.ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            services.update_profile(viewer(), **{
                name: getattr(form, name).data for name in services.PROFILE_FIELDS})
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Profile saved."), "success")
            return redirect(url_for("accounts.profile", user_id=current_user.id))
    return render_template("accounts/edit_profile.html", form=form,
                           place_form=person_form(viewer()))


@bp.route("/people/<int:user_id>")
def profile(user_id):
    from nanum.organisations import services as organisations

    user = services.get_user(user_id)
    if user.hidden and not (current_user.is_authenticated and (
            current_user.is_moderator or current_user.id == user.id)):
        from nanum.flags.views import placeholder
        return placeholder("profile")
    memberships = organisations.active_memberships(user)
    return render_template("accounts/profile.html", person=user, memberships=memberships)
