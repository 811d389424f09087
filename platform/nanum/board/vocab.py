"""Words of the partnership board, and the weights of matching."""

from flask_babel import lazy_gettext as _l

KINDS = {"need": _l("Need"), "offer": _l("Offer")}
STATUSES = {"pending": _l("Waiting for review"), "published": _l("Published"),
            "rejected": _l("Rejected")}
INTRODUCTION_STATUSES = {"pending": _l("Waiting for an answer"), "accepted": _l("Accepted"),
                         "declined": _l("Declined")}
# The context profile a post may give (the practices' vocabulary).
CONTEXT_FIELDS = ("government_level", "population_band", "settlement_type", "budget_band",
                  "infrastructure_level", "staff_band")

# Matching: what each shared thing is worth. A pair is kept from MIN_SCORE, and called a
# good match (shown first, and told to both sides) from GOOD_SCORE.
TARGET_POINTS = 3.0
TARGET_CAP = 3  # shared targets beyond this add nothing more
GOAL_POINTS = 1.0  # a shared goal with no shared target
COUNTRY_POINTS = 2.0
REGION_POINTS = 1.0
LANGUAGE_POINTS = 2.0
CONTEXT_POINTS = 0.5  # per context field both give with the same value
MIN_SCORE = 2.0
GOOD_SCORE = 6.0
CANDIDATE_LIMIT = 200  # posts of the other kind considered per post, most shared goals first
