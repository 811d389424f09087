"""Account forms: they check shape; the services check the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from nanum.accounts.passwords import MAX_LENGTH
from nanum.i18n import LANGUAGES
from nanum.organisations import place_names


class RegisterForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description="At least 10 characters; a short sentence is easy to remember.")


class ConfirmForm(FlaskForm):
    """The button that confirms a new account (a link alone must not change anything)."""


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField("Remember me on this device")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password",
                             validators=[DataRequired(), Length(max=MAX_LENGTH)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password",
                                     validators=[DataRequired(), Length(max=MAX_LENGTH)])
    new_password = PasswordField("New password",
                                 validators=[DataRequired(), Length(max=MAX_LENGTH)])


class ProfileForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    affiliation = StringField("Affiliation", validators=[Optional(), Length(max=200)])
    country = SelectField("Country", choices=lambda: [("", "—"), *place_names.country_choices()],
                          validators=[Optional()])
    languages = StringField("Languages", validators=[Optional(), Length(max=200)],
                            description="For example: English, Kiswahili")
    bio = TextAreaField("About you", validators=[Optional(), Length(max=2000)],
                        description="Markdown is allowed.")
    locale = SelectField(
        _l("Language of the site"), validators=[Optional()],
        choices=[("", _l("As chosen at the foot of each page, or your browser's"))]
        + list(LANGUAGES.items()),
        description=_l("The language of the pages you see and of the mail Nanum sends you."))
