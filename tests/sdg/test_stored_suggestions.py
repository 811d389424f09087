"""Suggestions kept with a practice: made on save, answered in the form or on its page."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from fixtures.texts import WATER_PRACTICE as WATER
from nanum.extensions import db
from nanum.practices import services
from nanum.practices.models import Practice
from nanum.sdg import suggest_many, suggestions
from nanum.sdg.models import Suggestion
from nanum.sdg.service import suggest_for_practice


def kept(practice_id):
    """{key: decision} of the suggestions kept for a practice."""
    db.session.expire_all()
    return dict(db.session.execute(select(Suggestion.key, Suggestion.decision)
                                   .where(Suggestion.practice_id == practice_id)).all())


def offered_keys():
    """The keys the suggester offers for WATER, best first."""
    return [found.key for found in suggestions.offers(suggest_for_practice(WATER))]


def form_for(writer, **changes):
    return {**WATER, "organisation": writer.memberships[0].organisation_id, **changes}


def page(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_saving_keeps_the_suggestions_with_the_authors_choices(post, writer):
    keys = offered_keys()
    assert "6.1" in keys
    response = post("/practices/new", {**form_for(writer, targets=["11.1", "6.1"]),
                                       "action": "draft"})
    assert response.status_code == 302
    practice = db.session.scalar(select(Practice))
    found = kept(practice.id)
    assert set(found) == set(keys)
    chosen = {"6.1", "11.1", "6", "11"}
    assert found == {key: "accepted" if key in chosen else "open" for key in keys}
    row = db.session.scalar(select(Suggestion).where(Suggestion.key == "6.1"))
    assert 0 < row.score <= 1 and "water" in row.words and row.decided_at is not None


def test_a_dismissed_suggestion_is_set_aside_and_not_offered_again(post, writer):
    first = offered_keys()[0]
    # "Dismiss" sends the form back without the suggestion, and carries the choice along.
    form = page(post("/practices/new", {**form_for(writer), "dismiss": first}))
    section = form.find("section", attrs={"aria-labelledby": "suggestions-title"})
    assert f"target-{first}" not in [label["for"] for label in section.find_all("label")]
    assert form.find("input", attrs={"name": "dismissed", "value": first}) is not None
    assert form.find("input", attrs={"name": "title"})["value"] == WATER["title"]
    assert db.session.scalar(select(Practice)) is None  # nothing saved yet

    assert post("/practices/new", {**form_for(writer), "dismissed": first,
                                   "action": "draft"}).status_code == 302
    practice = db.session.scalar(select(Practice))
    assert kept(practice.id)[first] == "dismissed"

    # Asking again, or editing the text, never offers it again for this practice.
    url = f"/practices/{practice.id}/edit"
    form = page(post(url, {**form_for(writer), "action": "suggest"}))
    offered = [s["value"] for s in form.find_all("button", attrs={"name": "dismiss"})]
    assert offered and first not in offered
    assert post(url, {**form_for(writer, summary=WATER["summary"] + " Again."),
                      "action": "draft"}).status_code == 302
    assert kept(practice.id)[first] == "dismissed"


def test_the_edit_page_offers_the_open_suggestions_kept(post, client, writer):
    practice = services.create(writer, writer.memberships[0].organisation_id, WATER)
    form = page(client.get(f"/practices/{practice.id}/edit"))
    section = form.find("section", attrs={"aria-labelledby": "suggestions-title"})
    assert "target-6.1" in [label["for"] for label in section.find_all("label")]


def test_text_unchanged_means_no_new_suggestions_but_choices_are_kept(writer, monkeypatch):
    practice = services.create(writer, writer.memberships[0].organisation_id, WATER)
    before = kept(practice.id)
    monkeypatch.setattr(suggestions, "suggest_for_practice", lambda fields: pytest.fail(
        "the suggester ran for an unchanged text"))
    services.update(writer, practice, {**WATER, "targets": ["11.1", "6.1"]}, action="draft")
    assert kept(practice.id) == {**before, "6.1": "accepted"}
    services.update(writer, practice, WATER, action="draft")  # untagged again: open again
    assert kept(practice.id) == before


def test_a_dismissal_alone_is_saved(writer):
    practice = services.create(writer, writer.memberships[0].organisation_id, WATER)
    services.update(writer, practice, WATER, action="draft", dismissed=["6.1"])
    assert kept(practice.id)["6.1"] == "dismissed"


def test_suggestions_no_longer_made_are_forgotten_unless_answered(writer):
    practice = services.create(writer, writer.memberships[0].organisation_id, WATER,
                               dismissed=["6.1"])
    energy = {**WATER, "title": "Solar mini-grids for island schools", "summary":
              "Rooftop solar panels and a mini-grid brought electricity to remote schools.",
              "implementation": "", "targets": ["11.1", "6.2"]}
    services.update(writer, practice, energy, action="draft")
    found = kept(practice.id)
    assert found["6.1"] == "dismissed"  # still set aside, in case the text comes back
    assert found.get("6.2") in (None, "accepted")
    assert not any(key.startswith("6.") and decision == "open" for key, decision in found.items())
    assert any(key.startswith("7") for key in found)


def test_the_practice_page_lets_its_editors_accept_a_suggestion(post, client, writer):
    practice = services.create(writer, writer.memberships[0].organisation_id, WATER)
    detail = page(client.get(f"/practices/{practice.id}"))
    box = detail.find("section", id="sdg-suggestions")
    assert box is not None and "6.1" in box.get_text()
    response = post(f"/practices/{practice.id}/suggestions", {"key": "6.1", "answer": "accept"},
                    page=f"/practices/{practice.id}")
    assert response.status_code == 302
    db.session.expire_all()
    practice = db.session.get(Practice, practice.id)
    assert "6.1" in practice.target_keys and 6 in practice.goal_numbers
    assert practice.revisions[0].changes["targets"][1] == ["6.1", "11.1"]
    assert kept(practice.id)["6.1"] == "accepted"
    detail = page(client.get(f"/practices/{practice.id}"))
    assert "is added to the practice's SDGs" in detail.get_text()
    assert "6.1" not in detail.find("section", id="sdg-suggestions").get_text()


def test_the_practice_page_lets_its_editors_dismiss_a_suggestion(post, writer):
    practice = services.create(writer, writer.memberships[0].organisation_id, WATER)
    response = post(f"/practices/{practice.id}/suggestions",
                    {"key": "6.1", "answer": "dismiss"}, page=f"/practices/{practice.id}")
    assert response.status_code == 302
    assert kept(practice.id)["6.1"] == "dismissed"
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).target_keys == ["11.1"]
    again = post(f"/practices/{practice.id}/suggestions", {"key": "6.1", "answer": "dismiss"},
                 page=f"/practices/{practice.id}", follow_redirects=True)
    assert "no longer waiting for an answer" in again.get_data(as_text=True)


@pytest.mark.parametrize("answer", ["accept", "dismiss"])
def test_only_its_editors_answer_a_practices_suggestions(post, make, auth, writer, answer):
    practice = services.create(writer, writer.memberships[0].organisation_id, WATER,
                               action="submit")
    assert practice.is_published
    make.member(email="other@example.org")
    auth.login("other@example.org")
    response = post(f"/practices/{practice.id}/suggestions", {"key": "6.1", "answer": answer},
                    page=f"/practices/{practice.id}")
    assert response.status_code == 403
    assert kept(practice.id)["6.1"] == "open"
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).target_keys == ["11.1"]


def test_others_do_not_see_the_suggestions_on_the_page(client, make, auth, writer):
    practice = services.create(writer, writer.memberships[0].organisation_id, WATER,
                               action="submit")
    make.member(email="other@example.org")
    auth.login("other@example.org")
    assert page(client.get(f"/practices/{practice.id}")).find(id="sdg-suggestions") is None


def test_many_texts_at_once_get_what_each_gets_alone():
    texts = [WATER["summary"] + " " + WATER["implementation"], "", "Solar mini-grids for "
             "island schools. Rooftop panels power classrooms at night.", "!!!"]
    together = suggest_many(texts)
    for text, found in zip(texts, together, strict=True):
        alone = suggest_many([text])[0]
        assert [g["goal"] for g in found["goals"]] == [g["goal"] for g in alone["goals"]]
        assert found["about"] == alone["about"]
        assert [t["target"] for t in found["targets"]] == [t["target"] for t in alone["targets"]]
        for mine, single in zip(found["goals"], alone["goals"], strict=True):
            assert mine["score"] == pytest.approx(single["score"], abs=0.002)
            assert mine.get("sentence") == single.get("sentence")
