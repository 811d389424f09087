"""Organisation types, and the bounds of an organisation's numbers."""

from flask_babel import lazy_gettext as _l

ORG_TYPES = {
    "NRI": "National research institution",
    "LRG": "Local or regional government",
    "NGM": "National government ministry",
    "IO": "International organisation",
    "CSO": "Civil society",
    "ACADEMIA": "Academia",
    "OTHER": "Other",
}

# More people than any government serves, and within an INTEGER column on every database.
POPULATION_MAX = 2_000_000_000
POPULATION_MESSAGE = _l("Enter the population as a whole number, at most 2,000,000,000.")
