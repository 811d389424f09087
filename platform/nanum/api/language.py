"""The language of an API answer's SDG texts and country names.

A `lang` query argument names it (one of `texts.LANGUAGES`); without one, the best match of
the request's `Accept-Language` among them; else English. Only what the API shows from its own
reference data changes with it (goal names, target texts, country names): what people wrote
stays in the language they wrote it in.
"""

from flask import g, request
from marshmallow import Schema, ValidationError, fields

from nanum.organisations import place_names
from nanum.taxonomy import texts

LANGUAGES = texts.LANGUAGES
_BY_FOLDED = {code.lower().replace("_", "-"): code for code in LANGUAGES}


def known(raw):
    """Return the language code `raw` names ("zh-hans", "zh_Hans" give "zh-Hans"), or None."""
    if not isinstance(raw, str):
        return None
    return _BY_FOLDED.get(raw.strip().lower().replace("_", "-"))


def accepted(accept_languages):
    """Return the best of LANGUAGES for an `Accept-Language` header (werkzeug's parsed
    form), matching "es-MX" to "es" and "zh-CN" to "zh-Hans"; English when none fits."""
    for value, quality in accept_languages:  # best first
        if quality <= 0:
            continue
        if value == "*":
            return texts.ENGLISH
        code = known(value) or texts.normalise(value)
        if code != texts.ENGLISH or value.lower().split("-")[0].split("_")[0] == "en":
            return code
    return texts.ENGLISH


class LanguageField(fields.String):
    """The `lang` argument: one of the languages, in any case, with "-" or "_"."""

    def _deserialize(self, value, attr, data, **kwargs):
        code = known(super()._deserialize(value, attr, data, **kwargs))
        if code is None:
            raise ValidationError(f"Unknown language; choose one of {', '.join(LANGUAGES)}.")
        return code


def lang_field():
    return LanguageField(metadata={
        "enum": list(LANGUAGES),
        "description": "Language of the SDG goal names, target texts and country names "
                       "(default: the best match of `Accept-Language`, else English). "
                       "Practices themselves stay in the language they were written in."})


class LangArgs(Schema):
    lang = lang_field()


def current():
    """Return the language of this API request's reference texts."""
    if "api_language" not in g:
        g.api_language = known(request.args.get("lang")) or accepted(request.accept_languages)
    return g.api_language


def goal_title(goal):
    return goal.title_in(current())


def target_text(target):
    return target.text_in(current())


def country_name(code):
    return place_names.country_name(code, current()) or code
