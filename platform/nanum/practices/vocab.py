"""Controlled vocabularies of the practice record: keys stored in the database and their labels.

The labels are lazy strings: each is translated when a page or message shows it.
"""

from flask_babel import lazy_gettext as _l

KINDS = {
    "policy_practice": _l("Policy practice"),
    "country_experience": _l("Country experience"),
    "case_study": _l("Case study"),
    "research": _l("Research"),
}

THEMES = {
    "nri_capacity": _l("Strengthening NRI capacity for integrated solutions"),
    "digital_governance": _l("Technological innovation and digital governance"),
    "local_action": _l("Local activists and local and regional action"),
    "drr_resilience": _l("Disaster risk reduction and resilience"),
    "leave_no_one_behind": _l("Leaving no one behind"),
}

THEME_SHORT = {
    "nri_capacity": _l("NRI capacity"),
    "digital_governance": _l("Digital governance"),
    "local_action": _l("Local action"),
    "drr_resilience": _l("Disaster risk & resilience"),
    "leave_no_one_behind": _l("Leaving no one behind"),
}

STATUSES = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "published": _l("Published"),
    "changes_requested": _l("Changes requested"),
    "rejected": _l("Rejected"),
    "archived": _l("Archived"),
    "hidden": _l("Hidden by moderators"),
}

EVIDENCE_LEVELS = {
    "anecdotal": _l("Anecdotal"),
    "monitored": _l("Monitored"),
    "evaluated": _l("Independently evaluated"),
}

GOVERNMENT_LEVELS = {
    "national": _l("National"),
    "regional": _l("Regional / state / provincial"),
    "district": _l("District / county"),
    "municipal": _l("City / municipality"),
    "community": _l("Village / community"),
}

POPULATION_BANDS = {
    "lt_10k": _l("Under 10,000"),
    "10k_50k": _l("10,000 – 50,000"),
    "50k_250k": _l("50,000 – 250,000"),
    "250k_1m": _l("250,000 – 1 million"),
    "gt_1m": _l("Over 1 million"),
}

SETTLEMENT_TYPES = {
    "urban": _l("Urban"),
    "peri_urban": _l("Peri-urban"),
    "rural": _l("Rural"),
    "mixed": _l("Mixed"),
}

BUDGET_BANDS = {
    "lt_10k": _l("Under US$10,000"),
    "10k_100k": _l("US$10,000 – 100,000"),
    "100k_1m": _l("US$100,000 – 1 million"),
    "gt_1m": _l("Over US$1 million"),
}

INFRASTRUCTURE_LEVELS = {
    "basic": _l("Basic"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}

STAFF_BANDS = {
    "lt_5": _l("Fewer than 5 staff"),
    "5_20": _l("5 – 20 staff"),
    "20_100": _l("20 – 100 staff"),
    "gt_100": _l("Over 100 staff"),
}

# The context profile fields and their vocabularies, in display order.
CONTEXT_FIELDS = {
    "government_level": (_l("Government level"), GOVERNMENT_LEVELS),
    "population_band": (_l("Population"), POPULATION_BANDS),
    "settlement_type": (_l("Settlement"), SETTLEMENT_TYPES),
    "budget_band": (_l("Budget"), BUDGET_BANDS),
    "infrastructure_level": (_l("Infrastructure"), INFRASTRUCTURE_LEVELS),
    "staff_band": (_l("Staff capacity"), STAFF_BANDS),
}

# Markdown sections of the write-up, in reading order.
SECTIONS = {
    "context": _l("Context and challenge"),
    "objectives": _l("Objectives"),
    "implementation": _l("Implementation"),
    "stakeholders": _l("Stakeholders and partnerships"),
    "results": _l("Results and impact"),
    "enabling_factors": _l("Enabling factors"),
    "constraints": _l("Constraints"),
    "lessons": _l("Lessons learned"),
    "sustainability": _l("Sustainability and replicability"),
}

# What an adaptation of another practice says about the adapting, in reading order.
ADAPTATION_SECTIONS = {
    "adaptation_changes": _l("What we changed"),
    "adaptation_results": _l("What happened"),
}
