"""Forms of the expert directory."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Optional


class ExpertProfileForm(FlaskForm):
    listed = BooleanField(_l("List me in the expert directory"))
    targets = StringField(_l("SDG targets you know well"), validators=[Length(max=400)],
                          description=_l("Separated by commas, e.g. 11.3, 6.1"))
    countries = StringField(_l("Countries you know well"),
                            validators=[Optional(), Length(max=400)],
                            description=_l("Two-letter codes, e.g. KE, PH, CO"))
    languages = StringField(_l("Languages you work in"), validators=[Optional(), Length(max=200)],
                            description=_l("Two-letter codes, e.g. en, fr, sw"))
    summary = TextAreaField(_l("How you can help"), validators=[Optional(), Length(max=600)],
                            description=_l("A few sentences; at most 600 characters."))


class ContactForm(FlaskForm):
    message = TextAreaField(_l("Your message"), validators=[Length(max=2000)],
                            description=_l("Who you are and what you would like to talk about. "
                                           "Your email is shared only if the expert accepts."))


class DecisionForm(FlaskForm):
    """The accept and decline buttons: a CSRF token only."""
