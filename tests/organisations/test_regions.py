"""Tests for the UN M49 region lookups."""

import json
import unicodedata
from importlib.resources import files

import pycountry
import pytest

from nanum.organisations import regions

REGIONS = {"Africa", "Americas", "Asia", "Europe", "Oceania"}
LATAM = "Latin America and the Caribbean"
SSA = "Sub-Saharan Africa"

SPOT_CHECKS = {
    "Eastern Africa": ["KE", "TZ", "UG", "RW", "ET", "SO", "MG", "MZ"],
    "South-eastern Asia": ["PH", "ID", "VN", "KH", "TH", "MY"],
    "Southern Asia": ["NP", "BD", "LK", "IN", "PK", "AF", "IR"],
    "Melanesia": ["FJ", "PG", "SB", "VU"],
    "Central America": ["MX", "GT", "HN", "NI", "CR", "PA", "SV", "BZ"],
    "South America": ["CO", "PE", "EC", "BR", "AR", "CL", "BO", "PY", "UY", "VE", "GY", "SR"],
    "Caribbean": ["JM", "HT", "DO", "CU", "TT", "BB"],
    "Eastern Asia": ["MN", "CN", "JP", "KR"],
}
SPOT_REGION = {
    "Eastern Africa": "Africa",
    "South-eastern Asia": "Asia",
    "Southern Asia": "Asia",
    "Melanesia": "Oceania",
    "Central America": "Americas",
    "South America": "Americas",
    "Caribbean": "Americas",
    "Eastern Asia": "Asia",
}


def _raw():
    resource = files("nanum.organisations") / "data" / "m49.json"
    return json.loads(resource.read_text(encoding="utf-8"))


def test_every_pycountry_code_has_exactly_one_entry():
    assert set(_raw()) == {c.alpha_2 for c in pycountry.countries}


def test_entries_are_well_formed():
    for code, entry in _raw().items():
        assert set(entry) <= {"region", "subregion", "intermediate"}, code
        if code == "AQ":
            continue
        assert entry["region"] in REGIONS, code
        assert entry["subregion"] in regions.SUBREGIONS, code


def test_antarctica_has_no_region():
    assert regions.region_of("AQ") is None
    assert regions.subregion_of("AQ") is None


@pytest.mark.parametrize(
    ("code", "subregion"),
    [(code, sub) for sub, codes in SPOT_CHECKS.items() for code in codes],
)
def test_spot_checks(code, subregion):
    assert regions.subregion_of(code) == subregion
    assert regions.region_of(code) == SPOT_REGION[subregion]


@pytest.mark.parametrize("code", ["CO", "JM", "MX"])
def test_latin_america_intermediate(code):
    assert regions.intermediate_of(code) == LATAM


def test_sub_saharan_intermediate():
    assert regions.intermediate_of("KE") == SSA
    assert regions.intermediate_of("NG") == SSA
    assert regions.intermediate_of("EG") is None
    assert regions.intermediate_of("US") is None
    assert regions.subregion_of("NG") == "Western Africa"


def test_lookups_are_case_insensitive_and_tolerate_unknowns():
    assert regions.region_of("ke") == "Africa"
    assert regions.subregion_of(" ke ") == "Eastern Africa"
    assert regions.region_of("XX") is None
    assert regions.subregion_of("") is None


def test_countries_in():
    eastern_africa = regions.countries_in("Eastern Africa")
    assert "KE" in eastern_africa
    assert "NG" not in eastern_africa
    assert regions.countries_in("eastern africa") == eastern_africa
    assert {"CO", "JM", "MX"} <= regions.countries_in(LATAM)
    assert "US" not in regions.countries_in(LATAM)
    assert {"KE", "NG", "EG"} <= regions.countries_in("africa")
    assert regions.countries_in("Atlantis") == set()
    assert regions.countries_in("") == set()


def test_subregions_sorted_and_complete():
    assert regions.SUBREGIONS == sorted(regions.SUBREGIONS)
    assert set(SPOT_CHECKS) <= set(regions.SUBREGIONS)
    assert len(regions.SUBREGIONS) == 22


def test_country_name():
    assert regions.country_name("KE") == "Kenya"
    assert regions.country_name("ke") == "Kenya"
    assert regions.country_name("XX") is None


def test_is_country():
    assert regions.is_country("ke")
    assert regions.is_country("KE")
    assert not regions.is_country("XX")
    assert not regions.is_country("")


def _fold(name):
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def test_country_choices_sorted_by_name():
    choices = regions.COUNTRY_CHOICES
    assert len(choices) == len(pycountry.countries)
    names = [name for _, name in choices]
    assert names == sorted(names, key=_fold)
    assert ("KE", "Kenya") in choices


def test_the_groupings_form_a_tree():
    tree = regions.tree()
    assert tree[:3] == [("Africa", 0), ("Northern Africa", 1), ("Sub-Saharan Africa", 1)]
    assert ("Eastern Africa", 2) in tree and ("Melanesia", 1) in tree
    assert len({name for name, _depth in tree}) == len(tree)
    assert regions.tree(["Eastern Africa", "Americas", "Africa", "Atlantis"]) == [
        ("Africa", 0), ("Eastern Africa", 2), ("Americas", 0)]
