"""The practice form suggests SDG targets from the author's text; accepting is ticking one."""

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from fixtures.texts import WATER_PRACTICE as FORM
from nanum.extensions import db
from nanum.practices import services
from nanum.practices.models import Practice


def count():
    return db.session.scalar(select(func.count(Practice.id)))


def suggest(post, url, data):
    response = post(url, {**data, "action": "suggest"})
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_suggestions_offer_targets_to_accept_and_save_nothing(post, writer):
    organisation = writer.memberships[0].organisation
    page = suggest(post, "/practices/new", {**FORM, "organisation": organisation.id})
    section = page.find("section", attrs={"aria-labelledby": "suggestions-title"})
    accepts = [label["for"] for label in section.find_all("label")]
    assert "target-6.1" in accepts
    # Accepting ticks the form's own checkbox for that target, shown open below.
    box = page.find("input", id="target-6.1")
    assert box is not None and not box.has_attr("checked")
    assert box.find_parent("details").has_attr("open")
    assert "water" in section.get_text()
    assert page.find("input", id="target-11.1").has_attr("checked")  # the author's choice kept
    assert page.find("input", attrs={"name": "title"})["value"] == FORM["title"]
    assert count() == 0


def test_a_chosen_target_shows_as_chosen(post, writer):
    organisation = writer.memberships[0].organisation
    page = suggest(post, "/practices/new", {**FORM, "organisation": organisation.id,
                                            "targets": ["6.1"]})
    section = page.find("section", attrs={"aria-labelledby": "suggestions-title"})
    assert "Chosen" in section.get_text()
    assert "target-6.1" not in [label["for"] for label in section.find_all("label")]


def test_without_text_there_is_nothing_to_suggest(post, writer):
    organisation = writer.memberships[0].organisation
    page = suggest(post, "/practices/new", {**FORM, "title": "—", "summary": "",
                                            "implementation": "", "organisation": organisation.id})
    assert "Nothing to suggest yet" in page.get_text()


def test_suggesting_on_an_edit_changes_nothing_stored(post, writer):
    organisation = writer.memberships[0].organisation
    practice = services.create(writer, organisation.id, {**FORM, "title": "Old title"},
                               action="draft")
    suggest(post, f"/practices/{practice.id}/edit",
            {**FORM, "organisation": organisation.id})
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).title == "Old title"


def test_others_cannot_ask_for_suggestions_on_a_practice_they_cannot_edit(post, make, auth,
                                                                            writer):
    organisation = writer.memberships[0].organisation
    practice = services.create(writer, organisation.id, {**FORM, "title": "Old title"},
                               action="draft")
    make.member(email="other@example.org")
    auth.login("other@example.org")
    response = post(f"/practices/{practice.id}/edit", {**FORM, "action": "suggest"},
                    page="/practices/new")
    assert response.status_code in (302, 403, 404)
    assert b"Suggested from your text" not in response.data
