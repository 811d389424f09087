"""Account forms: they check shape; the services check the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from nanum.accounts.passwords import MAX_LENGTH
from nanum.i18n import LANGUAGES
from nanum.organisations import place_names


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description=_l("At least 10 characters; a short sentence is easy to remember."))


class ConfirmForm(FlaskForm):
    """The button that confirms a new account (a link alone must not change anything)."""


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Remember me on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"),
                             validators=[DataRequired(), Length(max=MAX_LENGTH)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=MAX_LENGTH)])
    new_password = PasswordField(_l("New password"),
                                 validators=[DataRequired(), Length(max=MAX_LENGTH)])


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    affiliation = StringField(_l("Affiliation"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[Optional()],
                          choices=lambda: [("", "—"), *place_names.country_choices()])
    languages = StringField(_l("Languages"), validators=[Optional(), Length(max=200)],
                            description=_l("For example: English, Kiswahili"))
    bio = TextAreaField(_l("About you"), validators=[Optional(), Length(max=2000)],
                        description=_l("Markdown is allowed."))
    locale = SelectField(
        _l("Language of the site"), validators=[Optional()],
        choices=[("", _l("As chosen at the foot of each page, or your browser's"))]
        + list(LANGUAGES.items()),
        description=_l("The language of the pages you see and of the mail Nanum sends you."))
