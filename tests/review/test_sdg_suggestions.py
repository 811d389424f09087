"""Moderators see the SDG suggestions made for a waiting practice and what its author chose."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import delete, select

from nanum.extensions import db
from nanum.sdg.models import Suggestion


@pytest.fixture
def signed_in_moderator(make, auth):
    moderator = make.user(role="moderator", email="mod@example.org")
    auth.login("mod@example.org")
    return moderator


def test_a_submission_keeps_the_suggestions_for_its_text(submit):
    practice = submit()
    assert db.session.scalars(select(Suggestion.key).where(
        Suggestion.practice_id == practice.id)).all()


def test_the_review_shows_the_suggestions_and_the_authors_choices(client, submit,
                                                                  signed_in_moderator):
    practice = submit(targets="11.5, 6.1")
    db.session.execute(delete(Suggestion).where(Suggestion.practice_id == practice.id))
    db.session.add_all([
        Suggestion(practice_id=practice.id, key="11.5", score=0.81, words=["floods"],
                   decision="accepted"),
        Suggestion(practice_id=practice.id, key="13.1", score=0.62, words=["river"],
                   decision="dismissed"),
        Suggestion(practice_id=practice.id, key="1", score=0.4, decision="open")])
    db.session.commit()

    page = BeautifulSoup(client.get(f"/moderation/review/{practice.id}").data, "html.parser")
    section = page.find("section", attrs={"aria-labelledby": "review-sdg-title"})
    answers = {dt.get_text(strip=True): " ".join(dt.find_next_sibling("dd").get_text().split())
               for dt in section.find_all("dt")}
    assert list(answers) == ["Accepted", "Dismissed", "Ignored (neither accepted nor dismissed)",
                             "Chosen by the author, not suggested"]
    assert answers["Accepted"].startswith("Target 11.5") and "81 %: floods" in answers["Accepted"]
    assert answers["Dismissed"].startswith("Target 13.1") and "62 %" in answers["Dismissed"]
    assert "SDG 1" in answers["Ignored (neither accepted nor dismissed)"]
    assert answers["Chosen by the author, not suggested"] == "Target 6.1"

    queue = client.get("/moderation/review/").get_data(as_text=True)
    assert ("1 accepted · 1 dismissed · 1 ignored · 1 chosen without a suggestion"
            in " ".join(queue.split()))


def test_a_practice_without_kept_suggestions_says_so(client, submit, signed_in_moderator):
    practice = submit()
    db.session.execute(delete(Suggestion).where(Suggestion.practice_id == practice.id))
    db.session.commit()
    page = client.get(f"/moderation/review/{practice.id}").get_data(as_text=True)
    assert "SDG suggestions</strong>" in page and "none kept" in page
