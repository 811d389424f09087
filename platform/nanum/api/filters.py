"""The browse filters as API arguments: parsed by the browse page's own `Filters`, and a
value that it would silently drop is a 400 here, so that a client learns of its typo."""

from marshmallow import INCLUDE, fields, validate

from nanum.api.language import lang_field
from nanum.api.schemas import PageArgs
from nanum.errors import Invalid
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices import browse, vocab

NAMED = ("goal", "target", "country", "region", "org_type", "theme", "kind", "organisation",
         "verified", *browse.CONTEXT_KEYS)


def choice(choices, description):
    return fields.String(validate=validate.OneOf(list(choices)),
                         metadata={"enum": list(choices), "description": description})


class FilterArgs(PageArgs):
    """Documents the filters; their values are read by `browse.Filters`."""

    class Meta:
        unknown = INCLUDE

    goal = fields.String(metadata={"description": "Goal number, 1–17", "example": "11"})
    target = fields.String(metadata={"description": "Target key", "example": "11.3"})
    country = fields.String(metadata={"description": "ISO 3166-1 alpha-2 code",
                                      "example": "KE"})
    region = fields.String(metadata={"description": "UN M49 region or sub-region name",
                                     "example": "Eastern Africa"})
    org_type = choice(ORG_TYPES, "Type of the owning organisation")
    theme = choice(vocab.THEMES, "Focus theme")
    kind = choice(vocab.KINDS, "Kind of practice")
    organisation = fields.String(metadata={"description": "Organisation id"})
    verified = choice(["yes"], "Only practices of verified organisations")
    government_level = choice(vocab.GOVERNMENT_LEVELS, "Context: government level")
    population_band = choice(vocab.POPULATION_BANDS, "Context: population")
    settlement_type = choice(vocab.SETTLEMENT_TYPES, "Context: settlement")
    budget_band = choice(vocab.BUDGET_BANDS, "Context: budget")
    infrastructure_level = choice(vocab.INFRASTRUCTURE_LEVELS, "Context: infrastructure")
    staff_band = choice(vocab.STAFF_BANDS, "Context: staff capacity")


class BrowseArgs(FilterArgs):
    sort = choice(["newest", "title"], "Order of the list")
    lang = lang_field()


class SearchArgs(FilterArgs):
    q = fields.String(load_default="", metadata={
        "description": "Words, phrases, OR, -word, and fields such as sdg:11.3"})
    sort = choice(["relevance", "newest", "discussed"], "Order of the hits")
    year = fields.String(metadata={"description": "Year the practice covers"})
    content = choice(browse.CONTENTS, "Only this kind of content")


def filters_from(args, extra=()):
    """Return `browse.Filters` for request arguments; raise Invalid naming each ignored one."""
    filters = browse.Filters.from_args(args)
    refuse_ignored(args, (*NAMED, *extra), filters.args())
    return filters


def refuse_ignored(args, names, accepted):
    """Raise Invalid naming each of `names` given in `args` but missing from `accepted`, the
    filters that a page's own parsing kept (it drops values that mean nothing)."""
    rejected = {name: f"“{args.get(name)[:40]}” is not a known value."
                for name in names
                if args.get(name) not in (None, "") and name not in accepted}
    if rejected:
        raise Invalid("Some filters have values that mean nothing.", rejected)


__all__ = ["BrowseArgs", "FilterArgs", "SearchArgs", "choice", "filters_from", "refuse_ignored"]
