"""Adapting a practice from its page, and what the original, the adaptation and the lineage
page show."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from nanum.extensions import db
from nanum.practices.models import Practice
from nanum.search import service as search


@pytest.fixture
def adapter(make, auth):
    user = make.member(email="adapter@example.org")
    auth.login("adapter@example.org")
    return user


@pytest.fixture
def original(make):
    organisation = make.organisation(name="Dalisay Bay", country="PH")
    return make.practice(title="Storm-surge flags", organisation=organisation,
                         summary="Flags warn of surges.", results="Most people left.",
                         population_band="10k_50k",
                         tagged={"countries": ["PH"], "targets": ["11.5"]})


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(node):
    return " ".join(node.get_text(" ").split())


def test_adapting_opens_the_form_started_from_the_original(client, adapter, original):
    page = soup(client.get(f"/practices/{original.id}"))
    link = page.find("a", string="Adapt this practice for your place")
    assert link["href"] == f"/practices/new?adapt={original.id}"
    form = soup(client.get(link["href"]))
    assert form.find(id="title")["value"] == "Storm-surge flags"
    assert form.find(id="summary").get_text().strip() == "Flags warn of surges."
    assert form.find(id="adapted_from")["value"] == str(original.id)
    assert form.find(id="target-11.5").has_attr("checked")
    # Its place, results and context are the adapter's to write.
    assert form.find(id="results").get_text().strip() == ""
    assert not form.select("#countries option[selected]")
    assert not form.select("#population_band option[selected][value='10k_50k']")
    assert "Storm-surge flags" in text(form.find(id="part-adaptation"))


def test_only_a_published_practice_is_offered_for_adapting(client, adapter, make):
    draft = make.practice(status="draft", title="Secret draft")
    form = soup(client.get(f"/practices/new?adapt={draft.id}"))
    assert "Only a published practice can be adapted." in text(form)
    assert form.find(id="adapted_from").get("value", "") == ""
    assert "Secret draft" not in text(form)


def test_a_published_adaptation_links_both_ways(client, post, adapter, original):
    response = post("/practices/new", {
        "organisation": adapter.memberships[0].organisation_id, "title": "Bells for surges",
        "summary": "Church bells warn of surges.", "kind": "case_study", "countries": ["FJ"],
        "targets": ["11.5"], "adapted_from": f"http://localhost/practices/{original.id}",
        "adaptation_changes": "Bells instead of **flags**.", "action": "submit"})
    assert response.status_code == 302
    adaptation = db.session.scalar(select(Practice).where(Practice.title == "Bells for surges"))
    page = soup(client.get(f"/practices/{adaptation.id}"))
    mention = page.select_one(".adapted-from")
    assert text(mention) == "Adapted from Storm-surge flags"
    assert mention.a["href"] == f"/practices/{original.id}"
    assert "<strong>flags</strong>" in str(page.find(id="adaptation-title").parent)

    box = soup(client.get(f"/practices/{original.id}")).find(
        id="adaptations-title").parent
    assert "Adapted by 1 organisation in 1 country." in text(box)
    assert box.find("a", string="Bells for surges")["href"] == f"/practices/{adaptation.id}"


def test_a_refused_original_is_said_beside_the_field_and_keeps_what_was_typed(
        client, post, adapter, make):
    draft = make.practice(status="draft")
    response = post("/practices/new", {
        "organisation": adapter.memberships[0].organisation_id, "title": "Bells for surges",
        "kind": "case_study", "adapted_from": str(draft.id),
        "adaptation_changes": "Bells instead of flags.", "action": "draft"})
    page = soup(response)
    assert "only published practices can be adapted" in text(page.find(id="adapted_from-error"))
    assert page.find(id="adaptation_changes").get_text().strip() == "Bells instead of flags."
    assert db.session.scalar(select(Practice).where(Practice.title == "Bells for surges")) is None


def test_an_original_no_longer_published_is_mentioned_without_a_link(client, make, original):
    adaptation = make.practice(title="Bells", adapted_from_id=original.id)
    original.status = "archived"
    db.session.commit()
    page = soup(client.get(f"/practices/{adaptation.id}"))
    mention = page.select_one(".adapted-from")
    assert text(mention) == "Adapted from an earlier practice that is no longer published."
    assert mention.a is None
    assert "Storm-surge flags" not in text(page)


def test_the_lineage_page_shows_the_tree_as_nested_lists(client, make, original):
    child = make.practice(title="Bells", adapted_from_id=original.id)
    make.practice(title="Sirens", adapted_from_id=child.id)
    make.practice(title="A draft", adapted_from_id=child.id, status="draft")
    page = soup(client.get(f"/practices/{child.id}/lineage"))
    tree = page.select_one("ul.lineage")
    root = tree.find("li", recursive=False)
    assert root.a.get_text() == "Storm-surge flags"
    [child_item] = root.select(":scope > ul > li")
    assert "Bells" in text(child_item.find(attrs={"aria-current": "page"}))
    assert [a.get_text() for a in child_item.select(":scope > ul > li a")] == ["Sirens"]
    assert "A draft" not in text(page)


def test_a_practice_without_adaptations_has_a_plain_lineage(client, original):
    page = soup(client.get(f"/practices/{original.id}/lineage"))
    assert "No published practice is adapted from this one yet." in text(page)
    assert soup(client.get(f"/practices/{original.id}")).find(id="adaptations-title") is None


def test_a_draft_lineage_is_not_public(client, make):
    draft = make.practice(status="draft")
    assert client.get(f"/practices/{draft.id}/lineage").status_code == 404


def test_the_original_page_runs_the_same_queries_however_many_adaptations(
        client, make, original, count_queries):
    def queries():
        search.sync()
        with count_queries() as statements:
            assert client.get(f"/practices/{original.id}").status_code == 200
        return len(statements)

    make.practice(adapted_from_id=original.id)
    one = queries()
    for country in ("KE", "UG", "TZ", "RW"):
        make.practice(adapted_from_id=original.id, tagged={"countries": [country]})
    assert queries() == one


def test_the_history_names_the_link_and_the_adaptation_sections(client, post, adapter, original):
    post("/practices/new", {
        "organisation": adapter.memberships[0].organisation_id, "title": "Bells for surges",
        "kind": "case_study", "adapted_from": str(original.id),
        "adaptation_changes": "Bells instead of flags.", "action": "draft"})
    adaptation = db.session.scalar(select(Practice).where(Practice.title == "Bells for surges"))
    page = text(soup(client.get(f"/practices/{adaptation.id}/history")))
    assert "Adapted from (practice number)" in page and "What we changed" in page
