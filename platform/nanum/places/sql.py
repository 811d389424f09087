"""A practice's similarity to a place (`places.similarity`) as SQL, for the browse page."""

from functools import reduce
from operator import add

from sqlalchemy import case, exists, literal

from nanum.organisations import regions
from nanum.practices.models import Practice, PracticeCountry


def _holds(facet, value):
    """Return the SQL condition that a practice holds a facet's value."""
    if facet == "country":
        return exists().where(PracticeCountry.practice_id == Practice.id,
                              PracticeCountry.country == value)
    if facet == "region":
        return exists().where(PracticeCountry.practice_id == Practice.id,
                              PracticeCountry.country.in_(sorted(regions.countries_in(value))))
    return getattr(Practice, facet) == value


def points(criteria):
    """Return the SQL expression of a practice's points: per criterion, the first (largest)
    points whose value the practice holds."""
    terms = [case(*((_holds(facet, value), literal(earned))
                    for facet, value, earned in criterion), else_=literal(0))
             for criterion in criteria if criterion]
    return reduce(add, terms) if terms else literal(0)
