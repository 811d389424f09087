"""Curation forms: they check shape; the services check the rules."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from nanum.curation import calls
from nanum.curation.models import NOTE_LIMIT
from nanum.i18n import format_date
from nanum.organisations import place_names

NOTE_HELP = _l("Why this practice is here, for whom: e.g. “Flood early warning for "
               "municipalities under 50,000 people”.")


class NoteForm(FlaskForm):
    note = StringField(_l("Curator's note"), validators=[Optional(), Length(max=NOTE_LIMIT)],
                       description=NOTE_HELP)


class PracticeNoteForm(NoteForm):
    """Name a practice by its number or address, with a note."""

    practice = StringField(_l("Practice"), validators=[DataRequired(), Length(max=500)],
                           description=_l("Its number or its address, such as /practices/12."))


class CollectionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)],
                                description=_l("Markdown is allowed."))


class CallForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)],
                        description=_l("For example: Practices on SDG 6.b in East Africa."))
    description = TextAreaField(_l("What the call asks for"),
                                validators=[Optional(), Length(max=5000)],
                                description=_l("Markdown is allowed."))
    sdgs = StringField(_l("SDG goals and targets"), validators=[Optional(), Length(max=300)],
                       description=_l("Separated by commas or spaces, such as 6, 6.b, 11.5."))
    countries = SelectMultipleField(_l("Countries"), choices=place_names.country_choices,
                                    validators=[Optional()])
    regions = SelectMultipleField(_l("Regions"), choices=place_names.region_choices,
                                  validators=[Optional()])
    closes_on = DateField(_l("Open until"), validators=[DataRequired(
        message=_l("Give the closing date, such as 2027-03-31."))],
        description=_l("The last day on which practices can answer the call (UTC)."))


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
    form.call.choices = [("", _("None")), *(
        (str(call.id), _("%(title)s (open until %(date)s)", title=call.title,
                         date=format_date(call.closes_on)))
        for call in open_calls)]
    if answered is not None and not form.is_submitted():
        form.call.data = str(answered.id)
