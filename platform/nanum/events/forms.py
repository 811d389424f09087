"""Event forms. They check shape only; `rules` and the services check the content."""

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from nanum.events import vocab
from nanum.organisations import place_names
from nanum.practices.vocab import THEMES
from nanum.taxonomy import sdg

ZONES = sorted(zone for zone in available_timezones() if "/" in zone or zone == "UTC")


def _optional(length):
    return [Optional(), Length(max=length)]


class EventForm(FlaskForm):
    organisation = SelectField(_l("Organised by"), coerce=int, validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[("", _l("Choose…")), *vocab.KINDS.items()],
                       validators=[DataRequired(message=_l("Please choose the kind of event."))])
    starts_at = StringField(_l("Starts"), validators=[DataRequired()],
                            description=_l("Local time where the event happens, such as "
                                           "2023-07-14 09:30."))
    ends_at = StringField(_l("Ends"), validators=[DataRequired()])
    time_zone = SelectField(_l("Time zone"), choices=[(z, z) for z in ZONES], default="UTC",
                            validate_choice=False)  # the rules say what is wrong
    place = StringField(_l("Place"), validators=_optional(300),
                        description=_l("Venue and city; leave empty for an online event."))
    country = SelectField(_l("Country"), choices=place_names.country_choices,
                          validators=[Optional()], validate_choice=False)
    online_url = StringField(_l("Online link"), validators=_optional(500))
    co_organisers = SelectMultipleField(_l("Co-organisers"), coerce=str,
                                        validators=[Optional()], validate_choice=False)
    background = TextAreaField(_l("Background"), validators=_optional(20000),
                               description=_l("Markdown."))
    objectives = TextAreaField(_l("Objectives"), validators=_optional(12000),
                               description=_l("One objective a line."))
    goals = SelectMultipleField(_l("SDG goals"), validators=[Optional()],
                                choices=[(str(n), f"{n}. {g.title}") for n, g in sdg.GOALS.items()])
    targets = SelectMultipleField(_l("SDG targets"), validators=[Optional()],
                                  choices=[(key, key) for key in sdg.TARGETS])
    themes = SelectMultipleField(_l("Themes"), choices=list(THEMES.items()),
                                 validators=[Optional()])
    capacity = StringField(_l("Places"), validators=_optional(7),
                           description=_l("Leave empty for no limit; when full, people join "
                                          "a waiting list."))
    outcome = TextAreaField(_l("Outcome report"), validators=_optional(20000),
                            description=_l("After the event: what came out of it (Markdown)."))


class SessionForm(FlaskForm):
    title = StringField(_l("Session title"), validators=[DataRequired(), Length(max=200)])
    starts_at = StringField(_l("Starts"), validators=[DataRequired()],
                            description=_l("In the event's time zone, such as 2023-07-14 09:30."))
    ends_at = StringField(_l("Ends"), validators=[DataRequired()])
    room = StringField(_l("Room"), validators=_optional(200))
    online_url = StringField(_l("Link"), validators=_optional(500))
    moderator = StringField(_l("Moderator"), validators=_optional(200))
    speakers = TextAreaField(_l("Speakers"), validators=_optional(12000),
                             description=_l('One a line: "Name | Affiliation", or "@handle" '
                                            "for someone on Nanum."))
    description = TextAreaField(_l("Description"), validators=_optional(20000))


class PresentationForm(FlaskForm):
    title = StringField(_l("Presentation title"), validators=[DataRequired(), Length(max=200)])
    speaker = StringField(_l("Speaker"), validators=_optional(200))
    file = FileField(_l("File"))


class DocumentForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=list(vocab.DOCUMENT_KINDS.items()))
    title = StringField(_l("Title"), validators=_optional(200))
    file = FileField(_l("File"))


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = StringField(_l("Role"), validators=_optional(200))
    email = StringField(_l("Email"), validators=_optional(254))


class LinkPracticeForm(FlaskForm):
    practice = IntegerField(_l("Practice number"),
                            validators=[DataRequired(), NumberRange(min=1, max=2**31 - 1)])


class RegistrationForm(FlaskForm):
    organisation_name = StringField(_l("Your organisation"), validators=_optional(200))
    visible = BooleanField(_l("Show me to other participants"))


class DecisionForm(FlaskForm):
    message = TextAreaField(_l("Note to the organisers"), validators=_optional(2000))


class WithdrawForm(FlaskForm):
    message = TextAreaField(_l("Message to the people registered (optional)"),
                            validators=_optional(1000))
