"""Organisations in a box of their own, beside the practices and discussions they match."""

from nanum.practices.browse import Filters
from nanum.search import service


def search(q="", **filters):
    return service.search(q, Filters.from_args(filters))


def names(hits):
    return [hit.item.name for hit in hits]


def test_organisations_leave_the_main_list_for_their_box(app, make):
    make.organisation(name="Cistern Research Institute", description="Studies cisterns.")
    make.practice(title="Cisterns for schools", summary="Cisterns collect rain for schools.")
    service.sync()
    results = search("cistern")
    assert [hit.content for hit in results.hits] == ["practice"]
    assert results.total == 1
    assert names(results.organisations) == ["Cistern Research Institute"]
    assert results.organisations_total == 1
    assert dict(results.facets["content"]) == {"practice": 1, "organisation": 1}


def test_the_box_shows_five_and_counts_them_all(app, make):
    for number in range(7):
        make.organisation(name=f"Mangrove Trust {number}")
    service.sync()
    results = search("mangrove")
    assert len(results.organisations) == 5 and results.organisations_total == 7
    assert results.total == 0 and results.hits == []


def test_asking_for_organisations_lists_them_in_the_main_list(app, make):
    make.organisation(name="Cistern Research Institute")
    make.practice(title="Cisterns for schools")
    service.sync()
    for results in (search("cistern", content="organisation"),
                    search("cistern is:organisation")):
        assert names(results.hits) == ["Cistern Research Institute"]
        assert results.organisations == [] and results.organisations_total == 0
    only_practices = search("cistern", content="practice")
    assert [hit.content for hit in only_practices.hits] == ["practice"]
    assert only_practices.organisations == []


def test_the_box_keeps_the_filters(app, make):
    make.organisation(name="Delta Water Board", country="VN")
    make.organisation(name="Lake Water Board", country="KE")
    service.sync()
    assert names(search("water board", country="VN").organisations) == ["Delta Water Board"]
    assert names(search("board", region="Eastern Africa").organisations) == ["Lake Water Board"]


def test_an_empty_search_lists_no_organisations_in_the_main_list(app, make):
    make.organisation(name="Cistern Research Institute")
    make.practice(title="Cisterns for schools")
    service.sync()
    results = search("")
    assert {hit.content for hit in results.hits} == {"practice"}
