"""Organisation forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from nanum.organisations import place_names
from nanum.organisations.vocab import ORG_TYPES, POPULATION_MAX, POPULATION_MESSAGE
from nanum.practices.vocab import GOVERNMENT_LEVELS


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    type = SelectField(_l("Type"), choices=[("", _l("Choose…")), *ORG_TYPES.items()],
                       validators=[DataRequired()])
    country = SelectField(_l("Country"), validators=[DataRequired()],
                          choices=lambda: [("", _l("Choose…")), *place_names.country_choices()])
    government_level = SelectField(
        _l("Government level"), choices=[("", "—"), *GOVERNMENT_LEVELS.items()],
        validators=[Optional()], description=_l("For local and regional governments."))
    population = IntegerField(
        _l("Population served"), description=_l("For local and regional governments."),
        validators=[Optional(),
                    NumberRange(min=0, max=POPULATION_MAX, message=POPULATION_MESSAGE)])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)],
                                description=_l("Markdown is allowed."))


    # Shown when organisations with similar names exist in the country.
    confirmed = BooleanField(_l("None of these is my organisation: create it"))


class VerificationForm(FlaskForm):
    website = URLField(_l("Official website"), validators=[DataRequired(), Length(max=300)],
                       description=_l("The organisation's own site, starting with https://"))
    email = EmailField(_l("Email address at the organisation's domain"),
                       validators=[DataRequired(), Length(max=254)],
                       description=_l("For example someone@your-domain.org on https://your-domain.org"))
    contact = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=200)],
                          description=_l("Name and position of someone who can confirm it."))
    note = TextAreaField(_l("Anything else moderators should know"),
                         validators=[Optional(), Length(max=2000)])


class ActionForm(FlaskForm):
    """An empty form: a button that only needs its CSRF token."""


def _reason_choices(blank):
    from nanum.moderation.reasons import REASONS

    return [("", blank), *REASONS.items()]


class DecisionForm(FlaskForm):
    """A moderator's decision: a reason code and a message to the organisation."""

    reason = SelectField(_l("Reason"), choices=_reason_choices(_l("Choose a reason…")),
                         validators=[Optional()])
    message = TextAreaField(_l("Message to the organisation"),
                            validators=[Optional(), Length(max=2000)])


class MergeForm(DecisionForm):
    into = IntegerField(_l("Merge into (organisation number)"),
                        validators=[DataRequired(message=_l("Choose the organisation that stays.")),
                                    NumberRange(min=1, max=2**31 - 1)])
