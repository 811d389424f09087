"""The reason codes a moderation act gives, shown to the person it concerns."""

from flask_babel import lazy_gettext as _l

REASONS = {
    "spam": _l("Spam or advertising"),
    "off_topic": _l("Off-topic for Nanum"),
    "inaccurate": _l("Inaccurate or misleading"),
    "offensive": _l("Offensive or abusive"),
    "private_information": _l("Private information"),
    "copyright": _l("Copyright"),
    "incomplete": _l("Incomplete: the template is not filled in"),
    "duplicate": _l("Duplicate of existing content"),
    "not_a_practice": _l("Not a practice or experience"),
    "unverifiable": _l("Cannot be verified"),
    "meets_criteria": _l("Meets the acceptance criteria"),
    "policy": _l("Site policy"),
    "other": _l("Other (see the message)"),
}


def label(code):
    return str(REASONS.get(code or "", code or ""))
