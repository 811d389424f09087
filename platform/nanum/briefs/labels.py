"""Every word the brief itself says, in one place.

The interface is in English; when it is translated, `labels` is the one function to change:
it returns the brief's words for a language, and the brief's template and code take every
label from it. Vocabulary labels (kinds, context bands, evidence levels, SDG texts) come from
their own tables, translated with the rest of the interface.
"""

ENGLISH = {
    "brief": "Practice brief",
    "by": "By",
    "place": "Place",
    "period": "Period",
    "sdgs": "SDG targets",
    "goals_only": "SDG goals",
    "more_targets": "and {count} more",
    "context_profile": "Local context",
    "summary": "In short",
    "problem": "The problem",
    "done": "What was done",
    "results": "Results",
    "evidence": "Evidence level",
    "cost": "Cost and staff",
    "budget": "Budget",
    "staff": "Staff",
    "staff_value": "{fte} full-time equivalent",
    "duration": "Duration",
    "months": "{count} month",
    "months_plural": "{count} months",
    "lessons": "Lessons",
    "not_given": "Not given",
    "full_text": "Full text online",
    "read_online": "Read the whole practice, its files and its discussion:",
    "scan": "Scan to open the practice",
    "draft": "Draft: not published",
    "made": "Brief of the version of {updated}, made {today}",
}

LANGUAGES = {"en": ENGLISH}


def labels(language="en"):
    """Return the brief's words in `language`, or in English when they are not translated."""
    return LANGUAGES.get(language, ENGLISH)


def months(count, words):
    """Say a number of months."""
    return words["months" if count == 1 else "months_plural"].format(count=count)
