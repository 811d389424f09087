"""Adaptations: linking a practice to its original, the refusals, and the lineage tree."""

import pytest
from sqlalchemy import func, select

from nanum.errors import Forbidden, Invalid
from nanum.extensions import db
from nanum.practices import exporting, lineage, services
from nanum.practices.models import Practice

FIELDS = {"title": "Flood wardens, our way", "summary": "Volunteers watch the river.",
          "kind": "case_study", "countries": ["UG"], "targets": ["11.5"],
          "adaptation_changes": "We used **church bells** instead of flags.",
          "adaptation_results": "Most households left in time."}


def practices():
    return db.session.scalar(select(func.count(Practice.id)))


def adapt(user, original, action="submit", **changes):
    """Publish (or draft) an adaptation of `original` for the user's organisation."""
    fields = {**FIELDS, "adapted_from": str(original.id), **changes}
    return services.create(user, user.memberships[0].organisation_id, fields, action=action)


def edit(user, practice, **changes):
    fields = {**services.form_values(practice), **changes}
    return services.update(user, practice, fields, action="save")


def test_an_adaptation_names_its_original_and_says_what_changed(make):
    original = make.practice(title="Storm-surge flags")
    adapter = make.member()
    adaptation = adapt(adapter, original)
    assert adaptation.adapted_from == original and adaptation.is_published
    assert "<strong>church bells</strong>" in adaptation.html("adaptation_changes")
    assert adaptation.text("adaptation_results") == "Most households left in time."
    [revision] = adaptation.revisions
    assert revision.changes["adapted_from"] == [None, original.id]
    assert revision.changes["adaptation_changes"][1].startswith("We used")


@pytest.mark.parametrize("raw", ["7", "#7", "/practices/7", "https://nanum.example/practices/7",
                                 "http://localhost:5000/practices/7/lineage?x=1", " 7 "])
def test_an_original_is_named_by_number_or_address(raw):
    assert lineage.parse_reference(raw) == 7


@pytest.mark.parametrize("raw", ["seven", "7a", "/organisations/7", "practices", "-7"])
def test_anything_else_is_refused_with_a_message(raw):
    with pytest.raises(Invalid) as refused:
        lineage.parse_reference(raw)
    assert "number or the address" in refused.value.errors["adapted_from"]


@pytest.mark.parametrize("status", ["draft", "submitted", "archived", "hidden"])
def test_only_a_published_practice_can_be_adapted(make, status):
    original = make.practice(status=status)
    adapter = make.member()
    before = practices()
    with pytest.raises(Invalid) as refused:
        adapt(adapter, original, action="draft")
    assert "only published practices can be adapted" in refused.value.errors["adapted_from"]
    assert practices() == before


def test_a_practice_that_does_not_exist_cannot_be_adapted(make):
    adapter = make.member()
    with pytest.raises(Invalid) as refused:
        services.create(adapter, adapter.memberships[0].organisation_id,
                        {**FIELDS, "adapted_from": "999999"})
    assert "999999 is not a published practice" in refused.value.errors["adapted_from"]
    assert practices() == 0


def test_a_practice_cannot_be_adapted_from_itself(make):
    author = make.member()
    practice = adapt(author, make.practice(), adapted_from="")
    with pytest.raises(Invalid) as refused:
        edit(author, practice, adapted_from=str(practice.id))
    assert "from itself" in refused.value.errors["adapted_from"]
    db.session.rollback()
    assert db.session.get(Practice, practice.id).adapted_from_id is None


def test_a_practice_cannot_be_adapted_from_one_of_its_adaptations(make):
    first_author = make.member()
    first = adapt(first_author, make.practice(), adapted_from="")
    second = adapt(make.member(), first)
    third = adapt(make.member(), second)
    for descendant in (second, third):
        with pytest.raises(Invalid) as refused:
            edit(first_author, first, adapted_from=str(descendant.id))
        assert "one of its own adaptations" in refused.value.errors["adapted_from"]
        db.session.rollback()
    assert db.session.get(Practice, first.id).adapted_from_id is None


def test_a_draft_names_its_original_later_and_may_drop_it(make):
    original = make.practice()
    author = make.member()
    draft = adapt(author, original, action="draft", adapted_from="")
    assert draft.adapted_from_id is None
    edit(author, draft, adapted_from=f"https://nanum.example/practices/{original.id}")
    assert draft.adapted_from_id == original.id
    assert draft.revisions[0].changes["adapted_from"] == [None, original.id]
    edit(author, draft, adapted_from="")
    assert draft.adapted_from_id is None


def test_an_adaptation_stays_editable_after_its_original_is_archived(make):
    original = make.practice()
    author = make.member()
    adaptation = adapt(author, original)
    original.status = "archived"
    db.session.commit()
    edit(author, adaptation, summary="Still going after two seasons.")
    assert adaptation.summary == "Still going after two seasons."
    assert adaptation.adapted_from_id == original.id
    other = make.practice(status="archived")
    with pytest.raises(Invalid):
        edit(author, adaptation, adapted_from=str(other.id))


def test_an_edit_that_does_not_send_the_link_keeps_it(make):
    original = make.practice()
    author = make.member()
    adaptation = adapt(author, original)
    fields = services.form_values(adaptation)
    del fields["adapted_from"]
    services.update(author, adaptation, {**fields, "title": "Flood wardens, renamed"})
    assert adaptation.adapted_from_id == original.id


def test_only_members_of_the_adapting_organisation_edit_an_adaptation(make):
    original_author = make.member()
    original = make.practice(organisation=original_author.memberships[0].organisation,
                             author=original_author)
    adaptation = adapt(make.member(), original)
    for outsider in (original_author, make.member()):
        with pytest.raises(Forbidden):
            edit(outsider, adaptation, title="Taken over")
    db.session.rollback()
    assert db.session.get(Practice, adaptation.id).title == FIELDS["title"]


def test_the_original_counts_published_adaptations_by_organisation_and_country(make):
    original = make.practice()
    kenya_a, kenya_b, uganda = make.member(), make.member(), make.member()
    adapt(kenya_a, original, countries=["KE"])
    adapt(kenya_a, original, countries=["KE", "TZ"], title="A second try")
    adapt(kenya_b, original, countries=["KE"])
    adapt(uganda, original, countries=["UG"])
    adapt(make.member(), original, action="draft", countries=["RW"])
    travel = lineage.travel(original)
    assert (travel.total, travel.organisations, travel.countries) == (4, 3, 3)
    assert [a.title for a in travel.adaptations][:2] == [FIELDS["title"], "A second try"]


def test_many_adaptations_are_counted_beyond_the_listed_ones(make, monkeypatch):
    monkeypatch.setattr(lineage, "LISTED", 2)
    original = make.practice()
    for country in ("KE", "UG", "TZ"):
        adapt(make.member(), original, countries=[country])
    travel = lineage.travel(original)
    assert len(travel.adaptations) == 2
    assert (travel.total, travel.organisations, travel.countries) == (3, 3, 3)


def _titles(node):
    return [node.practice.title, [_titles(child) for child in node.children]]


def test_the_lineage_is_the_tree_from_the_first_published_original(make):
    root = make.practice(title="Root")
    child = adapt(make.member(), root, title="Child")
    grandchild = adapt(make.member(), child, title="Grandchild")
    adapt(make.member(), root, title="Second child")
    adapt(make.member(), child, title="Someone's draft", action="draft")
    for practice in (root, child, grandchild):
        tree = lineage.tree(practice)
        assert _titles(tree.root) == ["Root", [["Child", [["Grandchild", []]]],
                                               ["Second child", []]]]
        assert tree.size == 4 and not tree.cut and not tree.earlier_unpublished


def test_a_draft_shows_in_its_own_lineage(make):
    root = make.practice(title="Root")
    draft = adapt(make.member(), root, title="Our draft", action="draft")
    assert _titles(lineage.tree(draft).root) == ["Root", [["Our draft", []]]]
    assert _titles(lineage.tree(root).root) == ["Root", []]


def test_the_lineage_starts_below_an_original_no_longer_published(make):
    root = make.practice(title="Root")
    child = adapt(make.member(), root, title="Child")
    root.status = "archived"
    db.session.commit()
    tree = lineage.tree(child)
    assert _titles(tree.root) == ["Child", []] and tree.earlier_unpublished


def test_the_lineage_is_bounded_in_generations_and_size(make, monkeypatch):
    monkeypatch.setattr(lineage, "GENERATIONS", 2)
    chain = [make.practice(title="Generation 0")]
    for generation in range(1, 5):
        chain.append(adapt(make.member(), chain[-1], title=f"Generation {generation}"))
    tree = lineage.tree(chain[0])
    assert _titles(tree.root) == ["Generation 0", [["Generation 1", [["Generation 2", []]]]]]
    assert tree.cut
    monkeypatch.setattr(lineage, "GENERATIONS", 6)
    monkeypatch.setattr(lineage, "SHOWN", 3)
    tree = lineage.tree(chain[0])
    assert tree.size == 3 and tree.cut


def test_export_carries_what_the_adapters_wrote_not_the_link(make):
    adaptation = adapt(make.member(), make.practice())
    [record] = [r for r in exporting.export_records() if r["title"] == adaptation.title]
    assert record["adaptation_changes"] == FIELDS["adaptation_changes"]
    assert "adapted_from" not in record
