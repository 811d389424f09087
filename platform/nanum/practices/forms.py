"""The practice form. It checks shape only; `rules` checks the content."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from nanum.organisations import place_names
from nanum.practices import rules, vocab
from nanum.taxonomy import sdg


def _choices(mapping, blank="—"):
    return [("", blank), *mapping.items()]


def _short(field_length):
    return [Optional(), Length(max=field_length)]


class PracticeForm(FlaskForm):
    organisation = SelectField(_l("On behalf of"), coerce=int, validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=_short(rules.SUMMARY_LIMIT),
                            description=_l("One paragraph: what was done, where, with what "
                                           "result."))
    kind = SelectField(_l("Kind"), choices=[("", _l("Choose…")), *vocab.KINDS.items()],
                       validators=[DataRequired(message=_l("Please choose the kind of write-up."))])
    language = StringField(_l("Language code"), default="en", validators=_short(10),
                           description=_l("ISO 639-1, such as en, es, fr, sw."))
    countries = SelectMultipleField(_l("Countries"), choices=place_names.country_choices,
                                    validators=[Optional()])
    period_start = StringField(_l("From year"), validators=_short(4))
    period_end = StringField(_l("To year"), validators=_short(4),
                             description=_l("Leave empty if ongoing."))
    goals = SelectMultipleField(_l("SDG goals"), validators=[Optional()],
                                choices=[(str(n), f"{n}. {g.title}") for n, g in sdg.GOALS.items()],
                                description=_l("Tagging a target tags its goal too."))
    targets = SelectMultipleField(_l("SDG targets"), validators=[Optional()],
                                  choices=[(key, key) for key in sdg.TARGETS])
    themes = SelectMultipleField(_l("Themes"), choices=list(vocab.THEMES.items()),
                                 validators=[Optional()])
    tags = StringField(_l("Tags"), validators=_short(600),
                       description=_l("Separate with commas, for example: floods, early warning."))
    partners = SelectMultipleField(_l("Partner organisations"), coerce=str, validators=[Optional()])
    # Offered by `curation.forms.offer_calls`; the call's service checks the choice.
    call = SelectField(_l("Answering a call for contributions"), choices=[("", _l("None"))],
                       validators=[Optional()], validate_choice=False)
    # Keys of the SDG suggestions dismissed in the form, carried until the practice is saved.
    dismissed = SelectMultipleField(validators=[Optional()], validate_choice=False)

    context = TextAreaField(vocab.SECTIONS["context"], validators=_short(rules.TEXT_LIMIT))
    objectives = TextAreaField(vocab.SECTIONS["objectives"], validators=_short(rules.TEXT_LIMIT))
    implementation = TextAreaField(vocab.SECTIONS["implementation"],
                                   validators=_short(rules.TEXT_LIMIT))
    stakeholders = TextAreaField(vocab.SECTIONS["stakeholders"],
                                 validators=_short(rules.TEXT_LIMIT))
    results = TextAreaField(vocab.SECTIONS["results"], validators=_short(rules.TEXT_LIMIT))
    evidence_level = SelectField(_l("Evidence level"), choices=_choices(vocab.EVIDENCE_LEVELS),
                                 validators=[Optional()])
    enabling_factors = TextAreaField(vocab.SECTIONS["enabling_factors"],
                                     validators=_short(rules.TEXT_LIMIT))
    constraints = TextAreaField(vocab.SECTIONS["constraints"],
                                validators=_short(rules.TEXT_LIMIT))
    lessons = TextAreaField(vocab.SECTIONS["lessons"], validators=_short(rules.TEXT_LIMIT))
    sustainability = TextAreaField(vocab.SECTIONS["sustainability"],
                                   validators=_short(rules.TEXT_LIMIT))

    adapted_from = StringField(
        _l("Adapted from"), validators=_short(300),
        description=_l("The number or address of the published practice you adapted, such as "
                    "42 or https://…/practices/42. Leave empty if the practice is your own."))
    adaptation_changes = TextAreaField(
        vocab.ADAPTATION_SECTIONS["adaptation_changes"], validators=_short(rules.TEXT_LIMIT),
        description=_l("What you did differently from the original, for your place, and why."))
    adaptation_results = TextAreaField(
        vocab.ADAPTATION_SECTIONS["adaptation_results"], validators=_short(rules.TEXT_LIMIT),
        description=_l("What came of the adaptation: what worked as in the original, what did "
                    "not."))

    budget_amount = StringField(_l("Budget amount"), validators=_short(20))
    budget_currency = StringField(_l("Currency"), validators=_short(3),
                                  description=_l("Three letters, such as USD."))
    budget_year = StringField(_l("Budget year"), validators=_short(4))
    staff_fte = StringField(_l("Staff (full-time equivalent)"), validators=_short(10))
    duration_months = StringField(_l("Duration (months)"), validators=_short(5))

    government_level = SelectField(_l("Government level"),
                                   choices=_choices(vocab.GOVERNMENT_LEVELS),
                                   validators=[Optional()])
    population_band = SelectField(_l("Population"), choices=_choices(vocab.POPULATION_BANDS),
                                  validators=[Optional()])
    settlement_type = SelectField(_l("Settlement"), choices=_choices(vocab.SETTLEMENT_TYPES),
                                  validators=[Optional()])
    budget_band = SelectField(_l("Budget band"), choices=_choices(vocab.BUDGET_BANDS),
                              validators=[Optional()])
    infrastructure_level = SelectField(_l("Infrastructure"),
                                       choices=_choices(vocab.INFRASTRUCTURE_LEVELS),
                                       validators=[Optional()])
    staff_band = SelectField(_l("Staff capacity"), choices=_choices(vocab.STAFF_BANDS),
                             validators=[Optional()])

    def content(self):
        """Return the fields the practice services read."""
        return {name: getattr(self, name).data
                for name in (*rules.SCALARS, *rules.LISTS, "adapted_from")}


class AttachmentForm(FlaskForm):
    file = FileField(_l("File"), validators=[DataRequired(message=_l("Please choose a file."))])
