"""Translations of a practice: versions of one write-up in other languages, linked.

A group of translations is an original (its `translation_of_id` empty) and the practices
naming it in `translation_of_id`, one language each. A translation is a practice of its
own: it has its own revisions and goes through review like any other. Only members of the
organisation that owns the original add translations, for that organisation. Translating
a translation adds to the original's group.
"""

import pycountry
from flask_babel import gettext as _
from sqlalchemy import or_, select

from nanum.errors import Forbidden, Invalid
from nanum.extensions import db
from nanum.i18n import language_name
from nanum.organisations import services as organisations
from nanum.practices import rules
from nanum.practices.models import Practice

LISTED = 50  # versions a practice's page lists, far beyond the languages of one group


def root_id(practice):
    """Return the id of the original of a practice's group (its own id when it is one)."""
    return practice.translation_of_id or practice.id


def _in_group(group_id):
    return or_(Practice.id == group_id, Practice.translation_of_id == group_id)


def languages_of(group_id):
    """Return the languages the group of translations already has."""
    return set(db.session.scalars(select(Practice.language).where(_in_group(group_id))))


def versions(practice):
    """Return the published other versions of a practice, as (id, language, title), in the
    order of their languages."""
    if practice.id is None:
        return []
    rows = db.session.execute(
        select(Practice.id, Practice.language, Practice.title)
        .where(_in_group(root_id(practice)), Practice.id != practice.id,
               Practice.status == "published")
        .order_by(Practice.language, Practice.id).limit(LISTED)).all()
    return [tuple(row) for row in rows]


def in_language(found, language):
    """Return the version of `versions(...)` in a language, or None."""
    return next((row for row in found if row[1] == language), None)


def _invalid(message):
    return Invalid(_("Please correct the highlighted fields; nothing was saved."),
                   {"language": message})


def check_can_translate(user, original):
    """Raise Forbidden unless the user is a member of the organisation owning `original`."""
    if not organisations.is_member(user, original.organisation_id):
        raise Forbidden(_("Only members of the organisation that owns a practice can add "
                          "a translation of it."))


def can_translate(user, practice):
    """Tell whether the user may add a translation of a practice (for its page)."""
    return (getattr(user, "is_authenticated", False)
            and organisations.is_member(user, practice.organisation_id))


def language_choices(practice):
    """Return (code, name) of the languages a practice's group has no version in yet, by
    name in the page's language."""
    taken = languages_of(root_id(practice))
    codes = {language.alpha_2 for language in pycountry.languages
             if getattr(language, "alpha_2", None)}
    return sorted(((code, language_name(code)) for code in codes - taken),
                  key=lambda pair: pair[1].casefold())


def check_language(group_id, language, practice_id=None):
    """Raise Invalid when the group already has a version in `language` (other than the
    practice `practice_id`, whose language may stay as it is)."""
    taken = db.session.scalar(
        select(Practice.id).where(_in_group(group_id), Practice.language == language,
                                  Practice.id != (practice_id or 0)).limit(1))
    if taken is not None:
        raise _invalid(_("This practice already has a version in that language."))


def clean_language(raw):
    """Return a language code as practices hold it, or raise Invalid."""
    language = (raw or "").strip().lower() if isinstance(raw, str) else ""
    if not language or len(language) > 10 or not rules.is_language(language):
        raise _invalid(_("Unknown language code."))
    return language


def root_of(practice):
    """Return the original of a practice's group of translations."""
    if practice.translation_of_id is None:
        return practice
    return db.session.get(Practice, practice.translation_of_id)


def start(user, original, language):
    """Check that the user may add a translation of `original` in `language` (raise
    Forbidden or Invalid); return the clean language."""
    check_can_translate(user, original)
    language = clean_language(language)
    check_language(root_id(original), language)
    return language


def prefill(values, language):
    """Return form values for a new translation from the original's form values: its
    words to translate, its tags, places and SDG tags, the new language."""
    kept = {name: values.get(name) for name in values if name not in ("adapted_from",)}
    kept["language"] = language
    return kept
