"""API writes: the same services, checks and review queue as the web forms; a write token."""

from sqlalchemy import select

from nanum.api import tokens
from nanum.discussions.models import Post
from nanum.extensions import db
from nanum.practices.models import Practice

NEW = {"title": "Ward water committees", "summary": "Committees run the kiosks.",
       "kind": "case_study", "countries": ["KE"], "targets": ["6.1"], "tags": ["water"]}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def writer(make, scopes=("read", "write"), **fields):
    user = make.member(**fields)
    _, token = tokens.create(user, "Writer", list(scopes))
    return user, user.memberships[0].organisation, bearer(token)


def test_create_a_draft_for_my_organisation_then_submit_it(app, client, make):
    app.config["MODERATION_SUBMISSION_POLICY"] = "review_all"
    user, organisation, headers = writer(make)
    response = client.post("/api/v1/practices/", headers=headers,
                           json={**NEW, "organisation": organisation.id})
    assert response.status_code == 201, response.get_data(as_text=True)
    made = response.get_json()
    assert made["status"] == "draft" and made["countries"] == ["KE"]
    assert made["tags"] == ["water"]
    assert response.headers["Location"].endswith(f"/api/v1/practices/{made['id']}")
    assert client.get(f"/api/v1/practices/{made['id']}").status_code == 404  # not public
    changed = client.patch(f"/api/v1/practices/{made['id']}", headers=headers,
                           json={"title": "Ward water committees in Kitui",
                                 "action": "submit"})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    practice = db.session.get(Practice, made["id"])
    assert practice.title == "Ward water committees in Kitui"
    assert practice.status == "submitted"  # waits in the review queue, as from the form
    assert practice.summary == "Committees run the kiosks."  # unsent fields are kept


def test_writes_need_a_write_token(client, make):
    user, organisation, read_only = writer(make, scopes=("read",))
    body = {**NEW, "organisation": organisation.id}
    assert client.post("/api/v1/practices/", json=body).status_code == 401
    refused = client.post("/api/v1/practices/", json=body, headers=read_only)
    assert refused.status_code == 403
    assert "write" in refused.get_json()["error"]["message"]
    assert db.session.scalars(select(Practice)).all() == []


def test_a_session_cookie_cannot_write_through_the_api(auth, client, make):
    user, organisation, _ = writer(make)
    auth.login(user.email)
    response = client.post("/api/v1/practices/", json={**NEW, "organisation": organisation.id})
    assert response.status_code == 401
    assert db.session.scalars(select(Practice)).all() == []


def test_only_for_an_organisation_i_belong_to(client, make):
    _, _, headers = writer(make)
    other = make.organisation()
    response = client.post("/api/v1/practices/", headers=headers,
                           json={**NEW, "organisation": other.id})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    practice = make.practice(organisation=other)
    edit = client.patch(f"/api/v1/practices/{practice.id}", headers=headers,
                        json={"title": "Taken over"})
    assert edit.status_code == 403
    db.session.refresh(practice)
    assert practice.title != "Taken over"


def test_invalid_fields_are_a_400_naming_them(client, make):
    _, organisation, headers = writer(make)
    response = client.post("/api/v1/practices/", headers=headers,
                           json={**NEW, "organisation": organisation.id, "kind": "poem",
                                 "countries": ["XX"]})
    error = response.get_json()["error"]
    assert response.status_code == 400 and {"kind", "countries"} <= set(error["fields"])
    unknown = client.post("/api/v1/practices/", headers=headers,
                          json={**NEW, "organisation": organisation.id, "owner": 1})
    assert unknown.status_code == 400 and "owner" in unknown.get_json()["error"]["fields"]
    assert client.post("/api/v1/practices/", headers=headers, data="not json",
                       content_type="application/json").status_code == 400
    assert db.session.scalars(select(Practice)).all() == []


def test_reply_in_a_practices_discussion(client, make):
    practice = make.practice()
    user, _, headers = writer(make)
    response = client.post(f"/api/v1/practices/{practice.id}/discussion/replies",
                           headers=headers, json={"body": "How was it paid for?"})
    assert response.status_code == 201, response.get_data(as_text=True)
    post = db.session.get(Post, response.get_json()["id"])
    assert post.author_id == user.id and post.body == "How was it paid for?"
    read = client.get(f"/api/v1/practices/{practice.id}/discussion").get_json()
    assert [p["body"] for p in read["posts"]] == ["How was it paid for?"]
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_silenced_person_cannot_reply(client, make):
    from datetime import timedelta

    from nanum.timeutil import utcnow

    practice = make.practice()
    user, _, headers = writer(make)
    user.silenced_until = utcnow() + timedelta(days=1)
    db.session.commit()
    response = client.post(f"/api/v1/practices/{practice.id}/discussion/replies",
                           headers=headers, json={"body": "Hello"})
    assert response.status_code == 403
    assert db.session.scalars(select(Post)).all() == []
