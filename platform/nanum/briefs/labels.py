"""Every word the brief itself says, in one place.

`labels` returns the brief's words in the language of the request (the interface's
catalogues translate them), and the brief's template and code take every label from it.
Vocabulary labels (kinds, context bands, evidence levels, SDG texts) come from their own
tables, translated with the rest of the interface.
"""

from flask_babel import gettext


def N_(text):
    """Mark a word for translation where it is written; `labels` translates it when used."""
    return text


ENGLISH = {
    "brief": N_("Practice brief"),
    "by": N_("By"),
    "place": N_("Place"),
    "period": N_("Period"),
    "sdgs": N_("SDG targets"),
    "goals_only": N_("SDG goals"),
    "more_targets": N_("and {count} more"),
    "context_profile": N_("Local context"),
    "summary": N_("In short"),
    "problem": N_("The problem"),
    "done": N_("What was done"),
    "results": N_("Results"),
    "evidence": N_("Evidence level"),
    "cost": N_("Cost and staff"),
    "budget": N_("Budget"),
    "staff": N_("Staff"),
    "staff_value": N_("{fte} full-time equivalent"),
    "duration": N_("Duration"),
    "months": N_("{count} month"),
    "months_plural": N_("{count} months"),
    "lessons": N_("Lessons"),
    "not_given": N_("Not given"),
    "full_text": N_("Full text online"),
    "read_online": N_("Read the whole practice, its files and its discussion:"),
    "scan": N_("Scan to open the practice"),
    "draft": N_("Draft: not published"),
    "made": N_("Brief of the version of {updated}, made {today}"),
}

LANGUAGES = {"en": ENGLISH}


def labels():
    """Return the brief's words in the language of the request (English outside one)."""
    return {key: gettext(text) for key, text in ENGLISH.items()}


def months(count, words):
    """Say a number of months."""
    return words["months" if count == 1 else "months_plural"].format(count=count)
