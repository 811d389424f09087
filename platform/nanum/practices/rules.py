"""Check and tidy the fields of a practice, from a form or an import line alike."""

import functools
from decimal import Decimal, InvalidOperation

import pycountry
from flask_babel import gettext as _

from nanum import inputs
from nanum.errors import Invalid
from nanum.i18n import format_number
from nanum.organisations import regions
from nanum.practices import vocab
from nanum.taxonomy import sdg

TEXT_LIMIT = 20000
SUMMARY_LIMIT = 1500
MAX_TAGS = 12
MAX_COUNTRIES = 20

SCALARS = ("title", "summary", "kind", "language", "period_start", "period_end",
           *vocab.SECTIONS, "evidence_level", "budget_amount", "budget_currency",
           "budget_year", "staff_fte", "duration_months", *vocab.CONTEXT_FIELDS,
           *vocab.ADAPTATION_SECTIONS)
LISTS = ("countries", "goals", "targets", "themes", "tags", "partners")


def _text(value):
    return (value or "").strip() if isinstance(value, str) or value is None else str(value)


def _number(raw, kind, errors, field, low, high):
    if raw in (None, ""):
        return None
    try:
        value = int(raw) if kind is int else Decimal(str(raw).strip())
        if kind is int and isinstance(raw, float) and not raw.is_integer():
            raise ValueError
        if kind is not int and not value.is_finite():
            raise ValueError
    except (ValueError, TypeError, InvalidOperation, OverflowError):
        errors[field] = _("Enter a number.") if kind is not int else _("Enter a whole number.")
        return None
    if not low <= value <= high:
        errors[field] = _("Enter a value between %(low)s and %(high)s.", low=low, high=high)
        return None
    return value


def _choice(raw, choices, errors, field):
    value = _text(raw) or None
    if value and value not in choices:
        errors[field] = _("Please choose a value from the list.")
        return None
    return value


def _as_list(raw):
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        return [part for part in (p.strip() for p in raw.replace(";", ",").split(",")) if part]
    if isinstance(raw, (list, tuple, set)):
        return list(raw)
    return [raw]


def _countries(raw, errors):
    codes = []
    for code in _as_list(raw):
        code = str(code).strip().upper()
        if not regions.is_country(code):
            errors["countries"] = _("Unknown country code %(code)s.", code=repr(code))
        elif code not in codes:
            codes.append(code)
    if len(codes) > MAX_COUNTRIES:
        errors["countries"] = _("Choose at most %(max_countries)s countries.",
                                max_countries=MAX_COUNTRIES)
    return codes


def _sdgs(goals_raw, targets_raw, errors):
    targets = []
    for raw in _as_list(targets_raw):
        key = sdg.normalise_key(str(raw))
        if key is None or "." not in key:
            errors["targets"] = _("Unknown SDG target %(raw)s.", raw=repr(raw))
        elif key not in targets:
            targets.append(key)
    goals = set(sdg.expand_goals(targets))  # tagging a target implies its goal
    for raw in _as_list(goals_raw):
        key = sdg.normalise_key(str(raw))
        if key is None or "." in key:
            errors["goals"] = _("Unknown SDG goal %(raw)s.", raw=repr(raw))
        else:
            goals.add(int(key))
    return sorted(goals), sorted(targets, key=sdg.target_sort_key)


def _tags(raw, errors):
    tags = []
    for tag in _as_list(raw):
        tag = " ".join(str(tag).lower().split()).strip("#")
        if len(tag) > 50:
            errors["tags"] = _("Keep each tag under 50 characters.")
        elif tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        errors["tags"] = _("Use at most %(max_tags)s tags.", max_tags=MAX_TAGS)
    return tags


@functools.lru_cache(maxsize=512)
def is_language(code):
    return pycountry.languages.get(alpha_2=code) is not None


def _scalar_fields(fields, errors):
    values = {}
    title = _text(fields.get("title"))
    if len(title) < 3:
        errors["title"] = _("Please give a title of at least 3 characters.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    values["title"] = title
    values["summary"] = _text(fields.get("summary"))
    if len(values["summary"]) > SUMMARY_LIMIT:
        errors["summary"] = _("Keep the summary under %(summary_limit)s characters.",
                              summary_limit=SUMMARY_LIMIT)
    values["kind"] = _choice(fields.get("kind"), vocab.KINDS, errors, "kind")
    if not values["kind"]:
        errors.setdefault("kind", _("Please choose the kind of write-up."))
    language = _text(fields.get("language")).lower() or "en"
    if not is_language(language):
        errors["language"] = _("Unknown language code.")
    values["language"] = language
    for section in (*vocab.SECTIONS, *vocab.ADAPTATION_SECTIONS):
        values[section] = _text(fields.get(section))
        if len(values[section]) > TEXT_LIMIT:
            errors[section] = _("Keep this section under %(text_limit)s characters.",
                                text_limit=format_number(TEXT_LIMIT))
    values["evidence_level"] = _choice(fields.get("evidence_level"), vocab.EVIDENCE_LEVELS,
                                       errors, "evidence_level")
    for field, (_label, choices) in vocab.CONTEXT_FIELDS.items():
        values[field] = _choice(fields.get(field), choices, errors, field)
    return values


def _resource_fields(fields, errors):
    values = {
        "period_start": _number(fields.get("period_start"), int, errors, "period_start",
                                1950, 2100),
        "period_end": _number(fields.get("period_end"), int, errors, "period_end", 1950, 2100),
        "budget_amount": _number(fields.get("budget_amount"), Decimal, errors,
                                 "budget_amount", 0, Decimal("1e13")),
        "budget_year": _number(fields.get("budget_year"), int, errors, "budget_year",
                               1950, 2100),
        "staff_fte": _number(fields.get("staff_fte"), Decimal, errors, "staff_fte", 0, 100000),
        "duration_months": _number(fields.get("duration_months"), int, errors,
                                   "duration_months", 0, 1200),
    }
    if values["period_start"] and values["period_end"] and (
            values["period_end"] < values["period_start"]):
        errors["period_end"] = _("The end year cannot be before the start year.")
    currency = _text(fields.get("budget_currency")).upper() or None
    if currency and pycountry.currencies.get(alpha_3=currency) is None:
        errors["budget_currency"] = _("Use a three-letter currency code such as USD or KES.")
    values["budget_currency"] = currency
    return values


def clean(fields, *, complete):
    """Return tidy values, or raise Invalid with a message per field.

    `complete` asks for what a submitted practice needs beyond a draft's title.
    """
    errors = {}
    values = _scalar_fields(fields, errors)
    values.update(_resource_fields(fields, errors))
    values["countries"] = _countries(fields.get("countries"), errors)
    values["goals"], values["targets"] = _sdgs(fields.get("goals"), fields.get("targets"),
                                               errors)
    values["themes"] = []
    for theme in _as_list(fields.get("themes")):
        if theme not in vocab.THEMES:
            errors["themes"] = _("Unknown theme %(theme)s.", theme=repr(theme))
        elif theme not in values["themes"]:
            values["themes"].append(theme)
    values["tags"] = _tags(fields.get("tags"), errors)
    partners = (inputs.integer(p) for p in _as_list(fields.get("partners")))
    values["partners"] = [partner for partner in partners if partner is not None]
    if complete:
        if not values["summary"]:
            errors.setdefault("summary", _("A summary is needed before submitting."))
        if not values["countries"]:
            errors.setdefault("countries", _("Choose at least one country before submitting."))
        if not values["goals"]:
            errors.setdefault("targets", _("Tag at least one SDG goal or target before submitting.",
                                           ))
    if errors:
        raise Invalid(_("Please correct the highlighted fields; nothing was saved."), errors)
    return values
