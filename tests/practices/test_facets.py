"""The filter panel that the browse and search pages share."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from nanum import pagination
from nanum.organisations import regions
from nanum.search import service


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(node):
    return " ".join(node.get_text(" ").split())


def query(href):
    return {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}


def options(soup, key):
    """Return (label, count or None, depth, selected, href) of a filter group's links."""
    found = []
    for link in soup.select(f"[aria-labelledby=facet-{key}] a"):
        href, selected = link["href"], link.get("aria-current") == "true"
        depth = (link.parent.get("class") or ["depth-0"])[0]
        count = link.select_one(".facet-count")
        if count:
            count.extract()
        for note in link.select(".visually-hidden"):
            if "selected" in note.text:
                note.extract()
        label = link.select_one(".facet-label") or link.select_one(".goal-number") or link
        found.append((text(label), int(count.contents[0]) if count else None, depth,
                      selected, href))
    return found


@pytest.fixture
def spread(make):
    """Practices in Kenya (two), Viet Nam and the Federated States of Micronesia."""
    make.practice(title="Cisterns in Kitui", tagged={"countries": ["KE"], "targets": ["6.1"]})
    make.practice(title="Cisterns in Machakos", tagged={"countries": ["KE"],
                                                        "targets": ["6.1", "6.2"]})
    make.practice(title="Cisterns in the delta", tagged={"countries": ["VN"], "targets": ["6.1"]})
    make.practice(title="Cisterns on atolls", tagged={"countries": ["FM"], "targets": ["13.1"]})
    service.sync()


def region_names(soup):
    return [(label, depth) for label, _count, depth, _selected, _href in options(soup, "region")]


def test_both_pages_list_the_regions_in_use_as_a_tree(client, spread):
    expected = [("Africa", "depth-0"), ("Sub-Saharan Africa", "depth-1"),
                ("Eastern Africa", "depth-2"), ("Asia", "depth-0"),
                ("South-eastern Asia", "depth-1"), ("Oceania", "depth-0"),
                ("Micronesia", "depth-1")]
    assert region_names(soup_of(client, "/practices/")) == expected
    assert region_names(soup_of(client, "/search?q=cisterns")) == expected
    counts = {label: count for label, count, *_ in options(soup_of(client, "/search?q=cisterns"),
                                                            "region")}
    assert counts["Eastern Africa"] == 2 and counts["Micronesia"] == 1


@pytest.mark.parametrize("url", ["/practices/?region=Eastern+Africa",
                                 "/search?q=cisterns&region=Eastern+Africa"])
def test_a_chosen_filter_is_marked_and_its_link_removes_it(client, spread, url):
    soup = soup_of(client, url)
    chosen = [(label, href) for label, _c, _d, selected, href in options(soup, "region")
              if selected]
    assert [label for label, _href in chosen] == ["Eastern Africa"]
    assert "region" not in query(chosen[0][1])
    chip = soup.select_one("a.chip")
    assert text(chip).startswith("Eastern Africa") and "region" not in query(chip["href"])
    others = {label: href for label, _c, _d, selected, href in options(soup, "region")
              if not selected}
    assert query(others["Africa"])["region"] == "Africa"  # choosing another replaces it


def test_search_counts_what_each_filter_would_find(client, spread):
    soup = soup_of(client, "/search?q=cisterns&goal=6")
    goals = {label: count for label, count, *_ in options(soup, "goal")}
    assert goals == {"6": 3}  # with goal 6 chosen, only its practices are counted
    targets = {label: count for label, count, *_ in options(soup, "target")}
    assert targets == {"Target 6.1": 3, "Target 6.2": 1}
    browse = soup_of(client, "/practices/?goal=6")
    browse_targets = [label for label, count, *_ in options(browse, "target")]
    assert browse_targets[:2] == ["Target 6.1", "Target 6.2"] and len(browse_targets) == 8
    assert all(count is None for _label, count, *_ in options(browse, "target"))


def test_search_lists_the_busiest_countries_and_offers_the_rest_in_a_select(client, make):
    codes = ["KE", "UG", "TZ", "RW", "ET", "SO", "VN", "TH", "PH", "ID", "FJ", "PE", "CO", "MX"]
    for number, code in enumerate(codes):
        for _ in range(1 if number else 2):
            make.practice(title=f"Rain tanks {code}", tagged={"countries": [code]})
    service.sync()
    soup = soup_of(client, "/search?q=rain")
    listed = [label for label, *_ in options(soup, "country")]
    assert len(listed) == 12 and listed[0] == "Kenya"
    rest = [text(option) for option in soup.select("#country-select option")][1:]
    assert len(rest) == 2 and all(name.endswith("(1)") for name in rest)
    hidden = {field["name"]: field["value"] for field in soup.select(
        "form:has(#country-select) input[type=hidden]")}
    assert hidden == {"q": "rain"}

    other = next(code for code in codes if regions.country_name(code) + " (1)" in rest)
    chosen = soup_of(client, f"/search?q=rain&country={other}")
    assert [label for label, *_ in options(chosen, "country")] == [regions.country_name(other)]
    assert chosen.select_one("#country-select") is None


def test_browse_offers_the_countries_in_use_in_a_select(client, spread):
    soup = soup_of(client, "/practices/")
    names = [text(option) for option in soup.select("#country-select option")]
    assert names == ["Any country", *sorted(regions.country_name(c) for c in ("KE", "FM", "VN"))]
    assert options(soup, "country") == []


def test_browse_shows_no_chip_for_a_filter_it_does_not_apply(client, spread):
    soup = soup_of(client, "/practices/?year=2020&content=organisation&kind=case_study")
    assert [text(chip) for chip in soup.select("a.chip")] == [
        "Case study × (remove this filter)"]


def test_the_pager_shows_the_ends_and_the_neighbours():
    assert pagination.numbers(1, 1) == [1]
    assert pagination.numbers(1, 3) == [1, 2, 3]
    assert pagination.numbers(5, 10) == [1, None, 4, 5, 6, None, 10]
    assert pagination.numbers(3, 10) == [1, 2, 3, 4, None, 10]  # no ellipsis for one page
    assert pagination.numbers(10, 10) == [1, None, 9, 10]


@pytest.mark.parametrize("endpoint", ["search.index", "practices.index", "organisations.index"])
def test_panel_links_are_written_as_url_for_writes_them(app, endpoint):
    from flask import url_for

    from nanum.practices import facets

    args = {"q": 'agua "potable" & más/menos?', "region": "Eastern Africa", "page": None,
            "goal": 6, "tags": ["a b", "ç"], "empty": ""}
    with app.test_request_context("/"):
        page = facets._Page(endpoint, lambda **changes: {**args, **changes}, {})
        assert page.address is not None  # these pages take no path arguments
        assert page.href(country="KE") == url_for(endpoint, **{**args, "country": "KE"})
        assert page.href(q=None, goal=None, tags=None, empty=None) == url_for(
            endpoint, region="Eastern Africa")


def test_a_page_with_path_arguments_builds_its_links_with_url_for(app):
    from nanum.practices import facets

    with app.test_request_context("/"):
        page = facets._Page("organisations.detail", lambda **changes: {"organisation_id": 3,
                                                                       **changes}, {})
        assert page.address is None
        assert page.href(country="KE") == "/organisations/3?country=KE"
