"""Curation forms: they check shape; the services check the rules."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from nanum.curation import calls
from nanum.curation.models import NOTE_LIMIT
from nanum.organisations import place_names

NOTE_HELP = ("Why this practice is here, for whom: e.g. “Flood early warning for "
             "municipalities under 50,000 people”.")


class NoteForm(FlaskForm):
    note = StringField("Curator's note", validators=[Optional(), Length(max=NOTE_LIMIT)],
                       description=NOTE_HELP)


class PracticeNoteForm(NoteForm):
    """Name a practice by its number or address, with a note."""

    practice = StringField("Practice", validators=[DataRequired(), Length(max=500)],
                           description="Its number or its address, such as /practices/12.")


class CollectionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)],
                                description="Markdown is allowed.")


class CallForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)],
                        description="For example: Practices on SDG 6.b in East Africa.")
    description = TextAreaField("What the call asks for",
                                validators=[Optional(), Length(max=5000)],
                                description="Markdown is allowed.")
    sdgs = StringField("SDG goals and targets", validators=[Optional(), Length(max=300)],
                       description="Separated by commas or spaces, such as 6, 6.b, 11.5.")
    countries = SelectMultipleField("Countries", choices=place_names.country_choices,
                                    validators=[Optional()])
    regions = SelectMultipleField("Regions", choices=place_names.region_choices,
                                  validators=[Optional()])
    closes_on = DateField("Open until", validators=[DataRequired(
        message="Give the closing date, such as 2027-03-31.")],
        description="The last day on which practices can answer the call (UTC).")


def offer_calls(form, practice=None):
    """Offer the open calls in a practice form's `call` field.

    Sets `form.call_offered` (whether the field is shown and read) and `form.answered_call`
    (the call the practice answers): a practice that answered a call which has closed stays
    with it, so the field is not offered then.
    """
    answered = calls.answered_call(practice.id if practice is not None else None)
    open_calls = calls.open_calls()
    form.answered_call = answered
    form.call_offered = bool(open_calls) and (answered is None or answered.is_open)
    form.call.choices = [("", "None"), *((str(call.id), f"{call.title} (open until "
                                          f"{call.closes_on:%d %b %Y})")
                                         for call in open_calls)]
    if answered is not None and not form.is_submitted():
        form.call.data = str(answered.id)
