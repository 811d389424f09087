"""Lists of practices load only what their cards show."""

import pytest
from bs4 import BeautifulSoup

from nanum.search import service as search


def filter_countries(page):
    """The countries the filter panel offers (not the place form's list of every country)."""
    select = BeautifulSoup(page, "html.parser").find("select", id="country-select")
    return {option["value"] for option in select.find_all("option") if option["value"]}


@pytest.mark.parametrize("url", ["/", "/practices/", "/sdg/11", "/organisations/{org}"])
def test_card_lists_leave_the_long_sections_in_the_database(client, make, count_queries, url):
    organisation = make.organisation()
    make.practice(organisation=organisation, title="Rain gauges",
                  implementation="Wardens read the gauges every morning.",
                  tagged={"countries": ["KE"], "targets": ["11.1"]})
    search.sync()
    with count_queries() as statements:
        body = client.get(url.format(org=organisation.id)).get_data(as_text=True)
    assert "Rain gauges" in body
    practice_selects = [s for s in statements if s.startswith("SELECT practices.id")]
    assert practice_selects
    assert not any("implementation" in s for s in practice_selects)


def test_the_filter_panel_is_kept_and_never_stale(app, client, make):
    make.practice(tagged={"countries": ["KE"], "targets": ["11.1"]})
    first = client.get("/practices/?goal=11").get_data(as_text=True)
    assert client.get("/practices/?goal=11").get_data(as_text=True) == first
    assert len(app.extensions["practices_filter_panels"]) == 1

    make.practice(tagged={"countries": ["PE"], "targets": ["11.1"]})  # a new country in use
    body = client.get("/practices/?goal=11").get_data(as_text=True)
    assert "PE" in filter_countries(body)
    assert "PE" not in filter_countries(first)
    chosen = client.get("/practices/?goal=11&kind=case_study").get_data(as_text=True)
    assert ('<a href="/practices/?goal=11" aria-current="true"><span class="facet-label">Case study'
            in chosen)


def test_the_kept_filter_panel_is_in_the_visitor_s_language(client):
    # Nothing published yet: no country or language names tell the languages apart.
    def panel(language):
        page = client.get("/practices/", headers={"Accept-Language": language})
        nav = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(
            "details", class_="filter-panel")
        return nav.find("summary").get_text(strip=True)

    assert panel("en") == "Filters"
    assert panel("es") == "Filtros"
    assert panel("fr") == "Filtres"
