"""The form that makes a personal API token."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from nanum.api.models import SCOPES
from nanum.api.tokens import NAME_LIMIT


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_LIMIT)],
                       description=_l("What will use it, e.g. “National SDG platform import”."))
    scopes = SelectMultipleField(_l("Scopes"), choices=list(SCOPES.items()), default=["read"],
                                 description=_l("Reading needs no token; choose write to create "
                                                "drafts and replies as yourself."))
