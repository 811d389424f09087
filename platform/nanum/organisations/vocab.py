"""Organisation types, and the bounds of an organisation's numbers."""

from flask_babel import lazy_gettext as _l

ORG_TYPES = {
    "NRI": _l("National research institution"),
    "LRG": _l("Local or regional government"),
    "NGM": _l("National government ministry"),
    "IO": _l("International organisation"),
    "CSO": _l("Civil society"),
    "ACADEMIA": _l("Academia"),
    "OTHER": _l("Other"),
}

# More people than any government serves, and within an INTEGER column on every database.
POPULATION_MAX = 2_000_000_000
POPULATION_MESSAGE = _l("Enter the population as a whole number, at most 2,000,000,000.")
