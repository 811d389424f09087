"""The words of places a document carries: region names and country names in every
language the site shows them in."""

from nanum.organisations import place_names, regions


def region_terms(codes):
    """Return the M49 names a set of countries falls in: sub-region, intermediate, region."""
    names = set()
    for code in codes:
        for name in (regions.subregion_of(code), regions.intermediate_of(code),
                     regions.region_of(code)):
            if name:
                names.add(name)
    return sorted(names)


def country_words(codes):
    """Return the names of countries and of the regions they lie in, in every language the
    site shows them in, so that `kenya`, `Kenia`, `케냐` or `Afrique de l'Est` find what is
    tagged KE."""
    words = [name for code in codes for name in place_names.country_names(code)]
    return words + [name for region in region_terms(codes)
                    for name in place_names.region_names(region)]
