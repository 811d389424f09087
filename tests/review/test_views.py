"""The queue's pages as a moderator and an author see them."""

import re

import pytest
from sqlalchemy import select

from nanum.extensions import db
from nanum.moderation.models import AuditRecord
from nanum.practices import services as practices
from nanum.review import queue
from nanum.review.models import ReviewRequest
from nanum.search import service as search

from .conftest import FIELDS


@pytest.fixture
def signed_in_moderator(make, auth):
    moderator = make.user(role="moderator", email="mod@example.org", name="Mona Moderator")
    auth.login("mod@example.org")
    return moderator


def _fill(submit, make, count, **fields):
    organisation = make.organisation()
    return [submit(author=make.member(organisation=organisation),
                   **{"title": f"Waiting practice {i}", **fields}) for i in range(count)]


def test_the_queue_shows_what_a_moderator_needs(client, make, submit, signed_in_moderator):
    make.practice(title="Flood wardens in every ward of the city", status="published",
                  context="Floods came every year and volunteers watched the river.")
    search.sync()
    practice = submit(context="https://example.org/only-a-link")
    page = client.get("/moderation/review/").get_data(as_text=True)
    assert practice.title in page
    assert "One of a new account&#39;s first practices" in page
    assert "Completeness: 1 of 5 checks pass" in page
    assert "Missing: Context and challenge" in page
    assert "Flood wardens in every ward of the city" in page and "score " in page
    assert "Not verified" in page and "0 published · 0 rejected" in page


def test_queue_pages_run_a_fixed_number_of_queries(client, make, submit, signed_in_moderator,
                                                   count_queries):
    _fill(submit, make, 1)
    client.get("/moderation/review/")  # warm: the index and caches
    with count_queries() as few:
        assert client.get("/moderation/review/").status_code == 200
    many = _fill(submit, make, 30)
    for practice in many[:10]:  # resubmissions read their last review too
        request = db.session.scalar(select(ReviewRequest).where(
            ReviewRequest.practice_id == practice.id))
        request.round, request.snapshot = 2, {"title": "Old"}
    db.session.commit()
    with count_queries() as full:
        page = client.get("/moderation/review/?sort=newest").get_data(as_text=True)
    assert page.count('name="practice"') == queue.PER_PAGE
    assert len(full) == len(few), "\n".join(full)


def test_filters(client, make, submit, signed_in_moderator):
    submit(title="A research paper on wells", kind="research")
    submit(title="Wardens in Peru", countries="PE", targets="6.1")

    def titles(query):
        page = client.get("/moderation/review/" + query).get_data(as_text=True)
        return set(re.findall(r'<h3 class="h5 mb-1"><a [^>]+>([^<]+)</a>', page))

    assert titles("") == {"A research paper on wells", "Wardens in Peru"}
    assert titles("?kind=research") == {"A research paper on wells"}
    assert titles("?goal=6") == {"Wardens in Peru"}
    assert titles("?region=South America") == {"Wardens in Peru"}
    assert titles("?region=Eastern Africa") == {"A research paper on wells"}
    assert titles("?reason=policy") == set()
    assert titles("?mine=1") == set()
    assert titles("?kind=nonsense&goal=99&sort=sideways") == titles("")


def test_claim_request_changes_resubmit_and_approve(client, post, auth, make, submit,
                                                    signed_in_moderator):
    practice = submit()
    author = practice.author
    item = f"/moderation/review/{practice.id}"
    post(f"{item}/claim", page=item)
    assert "Release my claim" in client.get(item).get_data(as_text=True)
    response = post(f"{item}/decide", {"decision": "request_changes", "message": ""},
                    page=item)
    assert response.status_code == 200 and "Say what should change" in response.get_data(
        as_text=True)
    post(f"{item}/decide", {"decision": "request_changes", "message": "Add the results."},
         page=item)
    db.session.expire_all()
    assert practice.status == "changes_requested"

    auth.logout()
    auth.login(author.email)
    detail = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert "Changes requested" in detail and "Add the results." in detail
    practices.update(author, practice, {**FIELDS, "results": "Measured: none drowned."},
                     action="submit")
    auth.logout()
    auth.login("mod@example.org")
    page = client.get(item).get_data(as_text=True)
    assert "Changes since the last review" in page and "+ Measured: none drowned." in page
    post(f"{item}/decide", {"decision": "approve"}, page=item)
    db.session.expire_all()
    assert practice.status == "published"
    assert db.session.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all() == [
        "review.claim", "review.request_changes", "review.approve"]


def test_bulk_reject_as_spam(client, post, make, submit, signed_in_moderator):
    spam = _fill(submit, make, 3, title="Buy cheap pills")
    response = post("/moderation/review/bulk",
                    {"practice": [p.id for p in spam[:2]], "action": "spam"},
                    page="/moderation/review/")
    assert response.status_code == 302
    db.session.expire_all()
    assert [p.status for p in spam] == ["rejected", "rejected", "submitted"]


def test_the_conversation_page_for_the_author(client, post, auth, submit, moderator):
    from nanum.review import services

    practice = submit()
    services.decide(moderator, practice.id, "reject", reason="off_topic", message="Not here.")
    auth.login(practice.author.email)
    url = f"/moderation/review/practices/{practice.id}/conversation"
    page = client.get(url).get_data(as_text=True)
    assert "Rejected" in page and "Off-topic for Nanum" in page and "Not here." in page
    response = post(url, {"body": ""})
    assert "Write a message first" in response.get_data(as_text=True)
    post(url, {"body": "It is about SDG 6, see the context."})
    assert "see the context." in client.get(url).get_data(as_text=True)


def test_history_compares_two_revisions(client, auth, make):
    author = make.member()
    practice = practices.create(author, author.memberships[0].organisation_id, FIELDS)
    practices.update(author, practice, {**FIELDS, "lessons": "Start small."})
    practices.update(author, practice, {**FIELDS, "lessons": "Start small.\nTrain early."},
                     action="submit")
    first, *_rest, last = sorted(r.id for r in practice.revisions)
    auth.login(author.email)  # it waits for review: only its authors and moderators see it
    page = client.get(f"/practices/{practice.id}/history?from={first}&to={last}")
    text = page.get_data(as_text=True)
    assert "+ Start small." in text and "+ Train early." in text
    assert "Lessons" in text and "Status" in text
    plain = client.get(f"/practices/{practice.id}/history?from=abc&to=99999999")
    assert plain.status_code == 200 and 'class="mb-4 comparison"' not in plain.get_data(
        as_text=True)
