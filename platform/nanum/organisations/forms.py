"""Organisation forms."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from nanum.organisations.regions import COUNTRY_CHOICES
from nanum.organisations.vocab import ORG_TYPES, POPULATION_MAX, POPULATION_MESSAGE
from nanum.practices.vocab import GOVERNMENT_LEVELS


class OrganisationForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    type = SelectField("Type", choices=[("", "Choose…"), *ORG_TYPES.items()],
                       validators=[DataRequired()])
    country = SelectField("Country", choices=[("", "Choose…"), *COUNTRY_CHOICES],
                          validators=[DataRequired()])
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


class ActionForm(FlaskForm):
    """An empty form: a button that only needs its CSRF token."""
