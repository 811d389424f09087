"""Controlled vocabularies of the practice record: keys stored in the database and their labels."""

KINDS = {
    "policy_practice": "Policy practice",
    "country_experience": "Country experience",
    "case_study": "Case study",
    "research": "Research",
}

THEMES = {
    "nri_capacity": "Strengthening NRI capacity for integrated solutions",
    "digital_governance": "Technological innovation and digital governance",
    "local_action": "Local activists and local and regional action",
    "drr_resilience": "Disaster risk reduction and resilience",
    "leave_no_one_behind": "Leaving no one behind",
}

THEME_SHORT = {
    "nri_capacity": "NRI capacity",
    "digital_governance": "Digital governance",
    "local_action": "Local action",
    "drr_resilience": "Disaster risk & resilience",
    "leave_no_one_behind": "Leaving no one behind",
}

STATUSES = {
    "draft": "Draft",
    "submitted": "Submitted",
    "published": "Published",
    "changes_requested": "Changes requested",
    "rejected": "Rejected",
    "archived": "Archived",
    "hidden": "Hidden by moderators",
}

EVIDENCE_LEVELS = {
    "anecdotal": "Anecdotal",
    "monitored": "Monitored",
    "evaluated": "Independently evaluated",
}

GOVERNMENT_LEVELS = {
    "national": "National",
    "regional": "Regional / state / provincial",
    "district": "District / county",
    "municipal": "City / municipality",
    "community": "Village / community",
}

POPULATION_BANDS = {
    "lt_10k": "Under 10,000",
    "10k_50k": "10,000 – 50,000",
    "50k_250k": "50,000 – 250,000",
    "250k_1m": "250,000 – 1 million",
    "gt_1m": "Over 1 million",
}

SETTLEMENT_TYPES = {
    "urban": "Urban",
    "peri_urban": "Peri-urban",
    "rural": "Rural",
    "mixed": "Mixed",
}

BUDGET_BANDS = {
    "lt_10k": "Under US$10,000",
    "10k_100k": "US$10,000 – 100,000",
    "100k_1m": "US$100,000 – 1 million",
    "gt_1m": "Over US$1 million",
}

INFRASTRUCTURE_LEVELS = {
    "basic": "Basic",
    "intermediate": "Intermediate",
    "advanced": "Advanced",
}

STAFF_BANDS = {
    "lt_5": "Fewer than 5 staff",
    "5_20": "5 – 20 staff",
    "20_100": "20 – 100 staff",
    "gt_100": "Over 100 staff",
}

# The context profile fields and their vocabularies, in display order.
CONTEXT_FIELDS = {
    "government_level": ("Government level", GOVERNMENT_LEVELS),
    "population_band": ("Population", POPULATION_BANDS),
    "settlement_type": ("Settlement", SETTLEMENT_TYPES),
    "budget_band": ("Budget", BUDGET_BANDS),
    "infrastructure_level": ("Infrastructure", INFRASTRUCTURE_LEVELS),
    "staff_band": ("Staff capacity", STAFF_BANDS),
}

# Markdown sections of the write-up, in reading order.
SECTIONS = {
    "context": "Context and challenge",
    "objectives": "Objectives",
    "implementation": "Implementation",
    "stakeholders": "Stakeholders and partnerships",
    "results": "Results and impact",
    "enabling_factors": "Enabling factors",
    "constraints": "Constraints",
    "lessons": "Lessons learned",
    "sustainability": "Sustainability and replicability",
}

# What an adaptation of another practice says about the adapting, in reading order.
ADAPTATION_SECTIONS = {
    "adaptation_changes": "What we changed",
    "adaptation_results": "What happened",
}
