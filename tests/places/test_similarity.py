"""Similarity to a place: points per field, partly similar bands, and the reasons in words."""

from types import SimpleNamespace

from nanum.places import similarity
from nanum.places.similarity import Place, explain, likeness, maximum, score


def practice(countries=("KE",), **context):
    """A practice as `explain` reads it: its countries and context fields."""
    fields = dict.fromkeys(similarity.CONTEXT_FIELDS)
    fields.update(context)
    return SimpleNamespace(id=1, country_codes=list(countries), **fields)


def points(place, found):
    return score(likeness(place), similarity.facets_of(found))


def test_the_same_place_earns_every_point_and_says_so():
    place = Place.from_values({"country": "KE", "government_level": "municipal",
                               "population_band": "50k_250k", "staff_band": "5_20"})
    found = explain(place, practice(government_level="municipal",
                                    population_band="50k_250k", staff_band="5_20"))
    assert (found.points, found.maximum, found.percent) == (6 + 4 + 4 + 2, 16, 100)
    assert found.text == ("same country (Kenya), level of government, population band "
                          "and staff capacity")


def test_the_issue_example_reads_as_the_issue_says():
    place = Place.from_values({"country": "KE", "population_band": "50k_250k",
                               "budget_band": "lt_10k", "staff_band": "5_20"})
    found = explain(place, practice(("UG",), population_band="50k_250k",
                                    budget_band="100k_1m", staff_band="lt_5"))
    assert found.text == ("same region (Eastern Africa) and population band; similar staff; "
                          "larger budget (US$100,000 – 1 million)")
    assert found.points == 4 + 4 + 0 + 1


def test_one_band_apart_is_partly_similar_and_further_is_not():
    place = Place(population_band="10k_50k")
    assert points(place, practice(population_band="10k_50k")) == 4
    assert points(place, practice(population_band="lt_10k")) == 2
    assert points(place, practice(population_band="50k_250k")) == 2
    assert points(place, practice(population_band="250k_1m")) == 0
    assert explain(place, practice(population_band="gt_1m")).text == (
        "larger population (Over 1 million)")
    assert explain(Place(population_band="gt_1m"),
                   practice(population_band="10k_50k")).text == (
        "smaller population (10,000 – 50,000)")


def test_government_levels_read_from_the_national_down():
    place = Place(government_level="district")
    assert points(place, practice(government_level="municipal")) == 2
    assert explain(place, practice(government_level="national")).text == (
        "higher level of government (National)")
    assert explain(place, practice(government_level="community")).text == (
        "lower level of government (Village / community)")


def test_settlements_run_from_urban_to_rural_and_mixed_is_next_to_each():
    place = Place(settlement_type="urban")
    assert points(place, practice(settlement_type="peri_urban")) == 1
    assert points(place, practice(settlement_type="mixed")) == 1
    assert points(place, practice(settlement_type="rural")) == 0
    assert explain(place, practice(settlement_type="rural")).text == (
        "different settlement (Rural)")
    assert points(Place(settlement_type="mixed"), practice(settlement_type="rural")) == 1


def test_place_points_fall_from_country_to_region_to_continent():
    place = Place.from_values({"country": "KE"})
    assert points(place, practice(("KE",))) == 6
    assert points(place, practice(("TZ",))) == 4  # Eastern Africa
    assert points(place, practice(("NG",))) == 3  # Sub-Saharan Africa
    assert points(place, practice(("EG",))) == 2  # Africa
    assert points(place, practice(("PE",))) == 0
    assert explain(place, practice(("NG",))).text == "same wider region (Sub-Saharan Africa)"
    assert explain(place, practice(("EG",))).text == "same continent (Africa)"
    assert explain(place, practice(("PE",))).text == "another region (South America)"
    # A practice in several countries counts its closest.
    assert points(place, practice(("PE", "TZ"))) == 4


def test_a_region_alone_is_a_place_too():
    place = Place.from_values({"region": "Eastern Africa"})
    assert (place.country, place.region) == (None, "Eastern Africa")
    assert points(place, practice(("KE",))) == 4
    assert maximum(likeness(place)) == 4


def test_blank_fields_of_a_practice_earn_nothing_and_are_named():
    place = Place(budget_band="lt_10k", staff_band="lt_5", country="KE", region="Eastern Africa")
    found = explain(place, practice(()))
    assert found.points == 0 and found.percent == 0
    assert found.text == "not stated: country, budget and staff"


def test_fields_the_place_leaves_blank_count_for_nothing():
    place = Place(staff_band="lt_5")
    found = explain(place, practice(budget_band="gt_1m", staff_band="lt_5"))
    assert (found.points, found.maximum, found.text) == (2, 2, "same staff capacity")


def test_values_that_mean_nothing_are_left_out_and_the_region_follows_the_country():
    place = Place.from_values({"country": "ke", "region": "Western Europe",
                               "population_band": "huge", "staff_band": "lt_5"})
    assert place == Place(country="KE", region="Eastern Africa", staff_band="lt_5")
    assert not Place.from_values({"country": "XX", "region": "Atlantis"})


def test_a_place_goes_to_query_arguments_and_back():
    place = Place(country="KE", region="Eastern Africa", budget_band="lt_10k")
    assert place.as_args() == {"my_country": "KE", "my_budget_band": "lt_10k"}
    assert Place.from_args(place.as_args()) == place
    assert Place.from_args({"my_region": "Eastern Africa"}) == Place(region="Eastern Africa")


def test_criteria_list_the_most_points_first():
    """Engines take the first pair a document holds as its points (see Plan.likeness)."""
    place = Place.from_values({"country": "KE", **{name: next(iter(choices))
                                                   for name, (_label, choices)
                                                   in similarity.vocab.CONTEXT_FIELDS.items()}})
    for criterion in likeness(place):
        earned = [points for _facet, _value, points in criterion]
        assert earned == sorted(earned, reverse=True)
    assert maximum(likeness(place)) == 6 + sum(same for same, _half in
                                               similarity.WEIGHTS.values())


def test_the_about_page_gives_the_weights_the_code_uses(client):
    page = client.get("/about").get_data(as_text=True)
    assert "Places like mine" in page
    rows = {"Government level": "government_level", "Population": "population_band",
            "Budget": "budget_band", "Infrastructure": "infrastructure_level",
            "Staff capacity": "staff_band"}
    for label, name in rows.items():
        same, half = similarity.WEIGHTS[name]
        assert f'<th scope="row">{label}</th><td>{same}</td><td>{half}</td>' in page
    assert f"<td>{similarity.PLACE_POINTS[0]} (same country)</td>" in page
