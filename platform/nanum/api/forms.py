"""The form that makes a personal API token."""

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from nanum.api.models import SCOPES
from nanum.api.tokens import NAME_LIMIT


class TokenForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME_LIMIT)],
                       description="What will use it, e.g. “National SDG platform import”.")
    scopes = SelectMultipleField("Scopes", choices=list(SCOPES.items()), default=["read"],
                                 description="Reading needs no token; choose write to create "
                                             "drafts and replies as yourself.")
