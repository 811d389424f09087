"""The organisations directory: its filters, pages, map and table."""

import re

from nanum.organisations import worldmap


def _names(body):
    return re.findall(r'<h3 class="h5 mb-1"><a href="/organisations/\d+">([^<]+)</a>', body)


def test_filters_by_type_country_region_and_verified(client, make):
    make.organisation(name="Nairobi Institute", type="NRI", country="KE", verified=True)
    make.organisation(name="Kisumu County", type="LRG", country="KE")
    make.organisation(name="Lima Institute", type="NRI", country="PE")
    make.organisation(name="Manila City", type="LRG", country="PH", verified=True)
    def page(query):
        return _names(client.get(f"/organisations/?{query}").get_data(as_text=True))
    assert page("org_type=LRG") == ["Kisumu County", "Manila City"]
    assert page("type=LRG") == ["Kisumu County", "Manila City"]  # older links
    assert page("country=ke") == ["Kisumu County", "Nairobi Institute"]
    assert page("region=Eastern+Africa") == ["Kisumu County", "Nairobi Institute"]
    assert page("region=Americas") == ["Lima Institute"]
    assert page("verified=yes") == ["Manila City", "Nairobi Institute"]
    assert page("verified=yes&region=Asia") == ["Manila City"]


def test_filters_by_the_goals_of_published_practices(client, make):
    water = make.organisation(name="Water Board", country="KE")
    cities = make.organisation(name="Cities Lab", country="KE")
    make.practice(organisation=water, tagged={"countries": ["KE"], "targets": ["6.1"]})
    make.practice(organisation=cities, status="draft", published_at=None,
                  tagged={"countries": ["KE"], "targets": ["6.2"]})
    body = client.get("/organisations/?goal=6").get_data(as_text=True)
    assert _names(body) == ["Water Board"]  # a draft says nothing about its organisation
    assert "SDG 6" in body  # the active filter's chip


def test_bad_filters_are_ignored_and_pages_work(client, make):
    for number in range(30):
        make.organisation(name=f"Town {number:02d}", country="KE")
    response = client.get("/organisations/?goal=99&country=ZZ&region=Nowhere&org_type=x"
                          "&verified=maybe&map=yes&page=abc")
    assert response.status_code == 200
    assert len(_names(response.get_data(as_text=True))) == 24
    second = client.get("/organisations/?page=2").get_data(as_text=True)
    assert _names(second) == [f"Town {number:02d}" for number in range(24, 30)]
    assert "%" not in "".join(_names(client.get("/organisations/?q=%25").get_data(as_text=True)))


def test_the_map_colours_countries_and_links_to_their_list(client, make):
    for number in range(3):
        make.organisation(name=f"Kenyan {number}", country="KE", type="LRG")
    make.organisation(name="Peruvian", country="PE", type="NRI")
    body = client.get("/organisations/?org_type=LRG").get_data(as_text=True)
    kenya = re.search(r'<a href="([^"]+)" aria-label="Kenya: 3 organisations"><path '
                      r'class="band-(\d)"', body)
    assert kenya, "Kenya is drawn with its number"
    assert kenya.group(1) == "/organisations/?country=KE&amp;org_type=LRG"
    assert kenya.group(2) == "2"  # 2–4
    assert 'aria-label="Peru' not in body  # no LRG there: drawn, but not a link
    assert "<title>Peru: 0 organisations</title>" in body
    table = body[body.index('<details class="map-table"'):]
    assert re.search(r'<a href="/organisations/\?country=KE&amp;org_type=LRG">Kenya</a>'
                     r'</th><td class="text-end">3</td>', table)
    assert "do not imply" not in body and "no opinion" in body  # our own boundaries note


def test_the_map_counts_practices_on_request(client, make):
    organisation = make.organisation(country="KE")
    make.practice(organisation=organisation, tagged={"countries": ["UG", "KE"],
                                                     "targets": ["6.1"]})
    make.practice(organisation=organisation, tagged={"countries": ["UG"], "targets": ["4.1"]})
    body = client.get("/organisations/?map=practices").get_data(as_text=True)
    assert 'aria-label="Uganda: 2 practices"' in body
    assert '<a href="/practices/?country=UG" aria-label="Uganda: 2 practices">' in body
    narrowed = client.get("/organisations/?map=practices&goal=4").get_data(as_text=True)
    assert 'aria-label="Uganda: 1 practice"' in narrowed
    assert 'aria-label="Kenya' not in narrowed


def test_the_map_speaks_the_interface_language(client, make):
    make.organisation(country="DE")
    body = client.get("/organisations/", headers={"Accept-Language": "fr"}).get_data(
        as_text=True)
    assert 'aria-label="Allemagne: 1 ' in body


def test_the_drawing_is_computed_once_and_is_light():
    drawing = worldmap.drawing()
    assert drawing is worldmap.drawing()
    codes = {shape.code for shape in drawing.shapes}
    assert {"KE", "PE", "PH", "FJ"} <= codes and "AQ" not in codes
    assert all(re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]*z)+", shape.d) for shape in drawing.shapes)
    assert sum(len(shape.d) for shape in drawing.shapes) < 60_000


def test_the_directory_runs_the_same_queries_whatever_its_length(client, make, count_queries):
    def queries():
        client.get("/organisations/?map=practices")
        with count_queries() as statements:
            assert client.get("/organisations/").status_code == 200
            assert client.get("/organisations/?map=practices&goal=6").status_code == 200
        return len(statements)

    make.practice(organisation=make.organisation(country="KE"))
    few = queries()
    for number in range(12):
        make.practice(organisation=make.organisation(country=["KE", "PE", "PH"][number % 3]))
    assert queries() == few
