"""The reason codes a moderation act gives, shown to the person it concerns."""

REASONS = {
    "spam": "Spam or advertising",
    "off_topic": "Off-topic for Nanum",
    "inaccurate": "Inaccurate or misleading",
    "offensive": "Offensive or abusive",
    "private_information": "Private information",
    "copyright": "Copyright",
    "incomplete": "Incomplete: the template is not filled in",
    "duplicate": "Duplicate of existing content",
    "not_a_practice": "Not a practice or experience",
    "unverifiable": "Cannot be verified",
    "meets_criteria": "Meets the acceptance criteria",
    "policy": "Site policy",
    "other": "Other (see the message)",
}


def label(code):
    return REASONS.get(code or "", code or "")
