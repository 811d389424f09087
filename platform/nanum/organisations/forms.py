"""Organisation forms."""

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
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    type = SelectField("Type", choices=[("", "Choose…"), *ORG_TYPES.items()],
                       validators=[DataRequired()])
    country = SelectField("Country", validators=[DataRequired()],
                          choices=lambda: [("", "Choose…"), *place_names.country_choices()])
    government_level = SelectField(
        "Government level", choices=[("", "—"), *GOVERNMENT_LEVELS.items()],
        validators=[Optional()], description="For local and regional governments.")
    population = IntegerField(
        "Population served", description="For local and regional governments.",
        validators=[Optional(),
                    NumberRange(min=0, max=POPULATION_MAX, message=POPULATION_MESSAGE)])
    website = URLField("Website", validators=[Optional(), Length(max=300)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)],
                                description="Markdown is allowed.")


    # Shown when organisations with similar names exist in the country.
    confirmed = BooleanField("None of these is my organisation: create it")


class VerificationForm(FlaskForm):
    website = URLField("Official website", validators=[DataRequired(), Length(max=300)],
                       description="The organisation's own site, starting with https://")
    email = EmailField("Email address at the organisation's domain",
                       validators=[DataRequired(), Length(max=254)],
                       description="For example someone@your-domain.org on https://your-domain.org")
    contact = StringField("Contact person", validators=[DataRequired(), Length(max=200)],
                          description="Name and position of someone who can confirm it.")
    note = TextAreaField("Anything else moderators should know",
                         validators=[Optional(), Length(max=2000)])


class ActionForm(FlaskForm):
    """An empty form: a button that only needs its CSRF token."""


def _reason_choices(blank):
    from nanum.moderation.reasons import REASONS

    return [("", blank), *REASONS.items()]


class DecisionForm(FlaskForm):
    """A moderator's decision: a reason code and a message to the organisation."""

    reason = SelectField("Reason", choices=_reason_choices("Choose a reason…"),
                         validators=[Optional()])
    message = TextAreaField("Message to the organisation",
                            validators=[Optional(), Length(max=2000)])


class MergeForm(DecisionForm):
    into = IntegerField("Merge into (organisation number)",
                        validators=[DataRequired(message="Choose the organisation that stays."),
                                    NumberRange(min=1, max=2**31 - 1)])
