from sqlalchemy import func, select

from fixtures.app import csrf_token
from nanum.board import introductions, matching, services
from nanum.board.models import BoardPost
from nanum.extensions import db

from .conftest import NEED, in_days


def test_board_lists_and_filters_posts(client, matched):
    need, offer = matched
    page = client.get("/board/").get_data(as_text=True)
    assert need.title in page and offer.title in page
    page = client.get("/board/?kind=offer&sdg=11.5&region=Eastern+Africa&language=en")
    assert offer.title in page.get_data(as_text=True)
    assert need.title not in page.get_data(as_text=True)
    odd = client.get("/board/?sdg=%00zz&kind=nothing&region=" + "x" * 5000)
    assert odd.status_code == 200


def test_post_page_shows_good_matches_and_why(client, matched):
    need, offer = matched
    page = client.get(f"/board/{need.id}").get_data(as_text=True)
    assert "Good matches" in page and offer.title in page
    assert "both on 11.5 · Eastern Africa · English" in page


def test_posting_through_the_form(client, auth, sides):
    town, _institute, _planner, _researcher = sides
    auth.login("pat@town.example.org")
    token = csrf_token(client, "/board/new")
    response = client.post("/board/new", data={**NEED, "organisation": town.id,
                                                "end_date": in_days(30), "csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalar(select(BoardPost.title)) == NEED["title"]


def test_bad_input_gets_a_message_and_saves_nothing(client, auth, sides):
    town, _institute, _planner, _researcher = sides
    auth.login("pat@town.example.org")
    token = csrf_token(client, "/board/new")
    response = client.post("/board/new", data={**NEED, "organisation": town.id,
                                                "targets": "11.99", "end_date": "31/12/2099",
                                                "csrf_token": token})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Unknown SDG target" in page and "Enter a date as YYYY-MM-DD." in page
    assert db.session.scalar(select(func.count(BoardPost.id))) == 0


def test_others_cannot_edit_a_post(client, auth, matched):
    need, _offer = matched
    auth.login("rae@institute.example.org")
    assert client.get(f"/board/{need.id}/edit").status_code == 403
    token = csrf_token(client, "/board/")
    response = client.post(f"/board/{need.id}/edit", data={
        **NEED, "title": "Taken over", "end_date": in_days(9), "csrf_token": token})
    assert response.status_code == 403
    assert db.session.get(BoardPost, need.id).title == NEED["title"]


def test_only_the_parties_see_an_introduction(client, auth, matched, sides, make):
    need, _offer = matched
    _town, _institute, planner, _researcher = sides
    [(match, _other)] = matching.matches_of(need, today=services.today())
    introduction = introductions.send(planner, match.id, "Could we talk about the gauges?")
    make.member(email="outsider@example.org")
    auth.login("outsider@example.org")
    assert client.get(f"/board/introductions/{introduction.id}").status_code == 404
    auth.logout()
    auth.login("rae@institute.example.org")
    page = client.get(f"/board/introductions/{introduction.id}").get_data(as_text=True)
    assert "Could we talk about the gauges?" in page and "pat@town.example.org" not in page
    token = csrf_token(client, f"/board/introductions/{introduction.id}")
    client.post(f"/board/introductions/{introduction.id}/answer",
                data={"decision": "accept", "csrf_token": token})
    page = client.get(f"/board/introductions/{introduction.id}").get_data(as_text=True)
    assert "pat@town.example.org" in page and "Accepted" in page


def test_only_members_of_the_post_see_the_introduction_form(client, auth, matched, make):
    need, _offer = matched
    make.user(email="moderator@example.org", role="moderator")
    auth.login("moderator@example.org")
    page = client.get(f"/board/{need.id}").get_data(as_text=True)
    assert "Edit" in page and "Ask for an introduction" not in page
    auth.logout()
    auth.login("pat@town.example.org")
    assert "Ask for an introduction" in client.get(f"/board/{need.id}").get_data(as_text=True)


def test_a_bad_edit_keeps_what_was_typed_and_changes_nothing(client, auth, matched):
    need, _offer = matched
    auth.login("pat@town.example.org")
    token = csrf_token(client, f"/board/{need.id}/edit")
    response = client.post(f"/board/{need.id}/edit", data={
        **NEED, "title": "A clearer title", "targets": "11.99", "end_date": in_days(9),
        "csrf_token": token})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Unknown SDG target" in page and "A clearer title" in page
    db.session.expire_all()
    post = db.session.get(BoardPost, need.id)
    assert post.title == NEED["title"] and sorted(t.target for t in post.targets) == [
        "11.5", "13.1"]
