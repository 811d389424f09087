"""Check and tidy the fields of a need or an offer."""

from datetime import date, timedelta

from flask_babel import gettext as _

from nanum.board import vocab
from nanum.errors import Invalid
from nanum.practices import rules as practice_rules
from nanum.practices import vocab as practice_vocab

DESCRIPTION_LIMIT = 5000
MAX_LANGUAGES = 8
MAX_YEARS_AHEAD = 3  # an end date further away than this is a typo more often than a plan


def _end_date(raw, errors, today, current):
    text = (raw or "").strip() if isinstance(raw, str) else raw
    if not text:
        errors["end_date"] = _("Give the date after which the post is no longer current.")
        return None
    if isinstance(text, date):
        value = text
    else:
        try:
            value = date.fromisoformat(str(text)[:10])
        except ValueError:
            errors["end_date"] = _("Enter a date as YYYY-MM-DD.")
            return None
    if value == current:
        return value  # an edit may keep the date it had, even once passed
    if value < today:
        errors["end_date"] = _("The end date cannot be in the past.")
    elif value > today + timedelta(days=366 * MAX_YEARS_AHEAD):
        errors["end_date"] = _("Choose an end date within %(years)s years.",
                               years=MAX_YEARS_AHEAD)
    return value


def _languages(raw, errors):
    codes = []
    for code in practice_rules._as_list(raw):
        code = str(code).strip().lower()
        if not practice_rules.is_language(code):
            errors["languages"] = _("Unknown language code %(code)s.", code=repr(code))
        elif code not in codes:
            codes.append(code)
    if len(codes) > MAX_LANGUAGES:
        errors["languages"] = _("Choose at most %(count)s languages.", count=MAX_LANGUAGES)
    return codes


def clean(fields, *, today, current_end=None):
    """Return tidy values of a post, or raise Invalid with a message per field.

    An edit may keep the end date it had (`current_end`) even when it has passed.
    """
    errors = {}
    values = {}
    kind = practice_rules._text(fields.get("kind"))
    if kind not in vocab.KINDS:
        errors["kind"] = _("Choose whether this is a need or an offer.")
    values["kind"] = kind
    title = practice_rules._text(fields.get("title"))
    if len(title) < 3:
        errors["title"] = _("Please give a title of at least 3 characters.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    values["title"] = title
    values["description"] = practice_rules._text(fields.get("description"))
    if len(values["description"]) > DESCRIPTION_LIMIT:
        errors["description"] = _("Keep the description under %(limit)s characters.",
                                  limit=DESCRIPTION_LIMIT)
    values["countries"] = practice_rules._countries(fields.get("countries"), errors)
    if not values["countries"]:
        errors.setdefault("countries", _("Choose at least one country."))
    values["goals"], values["targets"] = practice_rules._sdgs(
        fields.get("goals"), fields.get("targets"), errors)
    if not values["targets"]:
        errors.setdefault("targets", _("Tag at least one SDG target, such as 11.5."))
    values["languages"] = _languages(fields.get("languages"), errors)
    if not values["languages"]:
        errors.setdefault("languages", _("Choose at least one language, such as en."))
    for field in vocab.CONTEXT_FIELDS:
        _label, choices = practice_vocab.CONTEXT_FIELDS[field]
        values[field] = practice_rules._choice(fields.get(field), choices, errors, field)
    values["end_date"] = _end_date(fields.get("end_date"), errors, today, current_end)
    if errors:
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."), errors)
    return values
