"""Pages show goal and target names, countries and regions in the language of the page."""

import pytest
from bs4 import BeautifulSoup

from nanum import i18n
from nanum.organisations import place_names
from nanum.taxonomy import sdg


@pytest.fixture
def speak(app, client):
    """Choose the language of the pages as a visitor does, with the chooser's cookie."""
    def choose(lang):
        client.set_cookie(i18n.COOKIE_NAME, lang, domain=app.config["SERVER_NAME"])
    return choose


@pytest.fixture
def practice(make):
    organisation = make.organisation(type="LRG", country="KE")
    return make.practice(organisation=organisation, title="Flood warnings by SMS",
                         tagged={"countries": ["KE"], "targets": ["11.5"]})


def _text(response):
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ")


def test_the_sdg_pages_are_in_english_by_default(client):
    page = _text(client.get("/sdg/11"))
    assert "Sustainable cities and communities" in page
    assert sdg.target("11.3").text in page


def test_a_goal_page_in_spanish(client, speak):
    speak("es")
    page = _text(client.get("/sdg/11"))
    assert "Ciudades y comunidades sostenibles" in page
    assert sdg.target("11.3").text_in("es") in page
    assert "Sustainable cities and communities" not in page
    assert sdg.target("11.3").text not in page


def test_a_target_page_and_the_goal_list_in_korean(client, speak):
    speak("ko")
    page = _text(client.get("/sdg/6.1"))
    assert sdg.target("6.1").text_in("ko") in page
    assert "깨끗한 물과 위생" in page
    assert "기후변화 대응" in _text(client.get("/sdg/"))


def test_the_practice_page_names_its_targets_and_country_in_the_language(client, speak, practice):
    speak("es")
    page = _text(client.get(f"/practices/{practice.id}"))
    assert sdg.target("11.5").text_in("es") in page
    assert "Kenia" in page


def test_the_browse_filters_name_the_goals_in_the_language(client, speak, practice):
    speak("fr")
    page = client.get("/practices/?goal=11").get_data(as_text=True)
    assert "Villes et communautés durables" in page
    assert "Sustainable cities and communities" not in page
    page = _text(client.get("/practices/?region=Eastern+Africa"))
    assert "Afrique orientale" in page  # the region facet and the chip of the chosen region
    assert "Eastern Africa" not in page


def test_the_coverage_page_in_french(client, speak, practice):
    speak("fr")
    page = _text(client.get("/sdg/coverage", query_string={"goal": 11, "region": "Africa"}))
    assert "Villes et communautés durables" in page
    assert "Afrique" in page
    assert "Kenya" in page  # the same word in French
    speak("ko")
    page = _text(client.get("/sdg/coverage", query_string={"goal": 11, "region": "Africa"}))
    assert "아프리카" in page and "케냐" in page


@pytest.mark.parametrize(("code", "lang", "name"), [
    ("KE", "es", "Kenia"), ("KE", "ko", "케냐"), ("KE", "fr", "Kenya"),
    ("KR", "fr", "Corée du Sud"),
    ("DE", "es_MX", "Alemania"), ("KE", "en", "Kenya"), ("KE", "de_AT", "Kenia"),
    ("KE", "xx", "Kenya"), ("KE", None, "Kenya"),
])
def test_country_names_in_a_language(code, lang, name):
    assert place_names.country_name(code, lang) == name


def test_an_unknown_country_has_no_name():
    assert place_names.country_name("XX", "es") is None
    assert place_names.shown_country("XX") == "XX"


@pytest.mark.parametrize(("lang", "name"), [
    ("es", "África oriental"), ("fr", "Afrique orientale"), ("ko", "동아프리카"),
    ("en", "Eastern Africa"), ("de", "Eastern Africa"),
])
def test_region_names_in_a_language(lang, name):
    assert place_names.region_name("Eastern Africa", lang) == name


def test_every_region_has_a_name_in_every_language():
    from nanum.organisations import regions
    for region, _depth in regions.TREE:
        assert region in place_names.REGION_NAMES, region
        for lang in place_names.LANGUAGES:
            assert place_names.region_name(region, lang).strip(), (region, lang)


def test_a_kept_page_is_kept_for_its_language_only(client, speak):
    speak("es")
    assert "Hambre Cero" in _text(client.get("/sdg/"))
    speak("ko")
    page = _text(client.get("/sdg/"))
    assert "기아 종식" in page
    assert "Hambre Cero" not in page


def test_the_place_picker_lists_countries_and_regions_in_the_language(client, speak):
    speak("ko")
    soup = BeautifulSoup(client.get("/practices/").get_data(as_text=True), "html.parser")
    countries = [option.get_text(strip=True) for option in soup.select("[name=my_country] option")]
    assert "케냐" in countries and "Kenya" not in countries
    regions = {option["value"]: option.get_text(strip=True)
               for option in soup.select("[name=my_region] option")}
    assert regions["Eastern Africa"] == "동아프리카"


def test_the_forms_name_countries_and_regions_in_the_language(app):
    from nanum.curation.forms import CallForm
    from nanum.organisations.forms import OrganisationForm
    from nanum.practices.forms import PracticeForm

    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "es"}):
        assert ("DE", "Alemania") in PracticeForm().countries.choices
        assert ("KE", "Kenia") in OrganisationForm().country.choices
        call = CallForm()
        assert ("Eastern Africa", "África oriental") in call.regions.choices
        names = [name for _code, name in call.countries.choices]
        assert names == sorted(names, key=place_names._fold)
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert ("KE", "Kenya") in PracticeForm().countries.choices
