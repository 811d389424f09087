"""What every API response shares: paging and its links, ETags and 304, one error shape,
CORS on reads, the OpenAPI description and its page, and the per-token rate limit."""

import pytest

from nanum.api import tokens


def test_pages_are_bounded_and_linked(client, make):
    for number in range(5):
        make.practice(title=f"Practice {number}")
    response = client.get("/api/v1/practices/?per_page=2&page=2&kind=case_study")
    paging = response.get_json()["paging"]
    assert (paging["page"], paging["pages"], paging["total"]) == (2, 3, 5)
    assert paging["links"]["next"].endswith("per_page=2&kind=case_study&page=3")
    assert paging["links"]["prev"].endswith("page=1")
    assert '<http://nanum.localhost/api/v1/practices/?per_page=2&kind=case_study&page=3>; ' \
           'rel="next"' in response.headers["Link"]
    last = client.get("/api/v1/practices/?per_page=2&page=99").get_json()
    assert last["paging"]["page"] == 3 and len(last["practices"]) == 1  # past the end: last
    for bad in ("per_page=101", "per_page=0", "page=0", "page=x", "page=100001"):
        error = client.get(f"/api/v1/practices/?{bad}").get_json()["error"]
        assert error["status"] == 400 and error["code"] == "invalid", bad


def test_etag_and_if_none_match_give_304(client, make):
    practice = make.practice()
    first = client.get(f"/api/v1/practices/{practice.id}")
    etag = first.headers["ETag"]
    again = client.get(f"/api/v1/practices/{practice.id}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    practice.title = "A new title"
    from nanum.extensions import db
    db.session.commit()
    changed = client.get(f"/api/v1/practices/{practice.id}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["title"] == "A new title"


@pytest.mark.parametrize("method, url, status, code", [
    ("get", "/api/v1/nowhere", 404, "not_found"),
    ("get", "/api/v1/practices/999999", 404, "not_found"),
    ("delete", "/api/v1/practices/", 405, "method_not_allowed"),
    ("get", "/api/v1/practices/?goal=banana", 400, "invalid"),
    ("get", "/api/v1/me", 401, "unauthorised"),
])
def test_errors_have_one_json_shape(client, method, url, status, code):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status and error["code"] == code and error["message"]


def test_403_429_and_500_have_the_same_shape(app, client, make, monkeypatch):
    _, token = tokens.create(make.user(), "Writer", ["write"])
    forbidden = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert forbidden.get_json()["error"]["code"] == "forbidden"

    from nanum.api import catalogue

    def broken(*args, **kwargs):
        raise RuntimeError("a fault of ours")

    monkeypatch.setattr(catalogue.organisations, "listing_statement", broken)
    failed = client.get("/api/v1/organisations/")
    assert failed.status_code == 500
    assert failed.get_json()["error"]["code"] == "server_error"
    assert "fault of ours" not in failed.get_data(as_text=True)


def test_requests_are_limited_per_token(config, tmp_path, make):
    from nanum import create_app

    limited = create_app({**config, "RATELIMIT_ENABLED": True, "RATELIMIT_API": "3 per minute",
                          "RATELIMIT_STORAGE_URI": "memory://"},
                         instance_path=tmp_path / "limited").test_client()
    _, first = tokens.create(make.user(), "One", ["read"])
    _, second = tokens.create(make.user(), "Two", ["read"])
    headers = {"Authorization": f"Bearer {first}"}
    assert [limited.get("/api/v1/sdg/goals", headers=headers).status_code
            for _ in range(4)] == [200, 200, 200, 429]
    refused = limited.get("/api/v1/sdg/goals", headers=headers)
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    other = limited.get("/api/v1/sdg/goals", headers={"Authorization": f"Bearer {second}"})
    assert other.status_code == 200  # another token has a count of its own


def test_cors_on_reads_only(client, make):
    practice = make.practice()
    read = client.get(f"/api/v1/practices/{practice.id}", headers={"Origin": "https://x.org"})
    assert read.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in read.headers["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/practices/", headers={
        "Origin": "https://x.org", "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    write_preflight = client.options("/api/v1/practices/", headers={
        "Origin": "https://x.org", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in write_preflight.headers
    write = client.post("/api/v1/practices/", headers={"Origin": "https://x.org"})
    assert "Access-Control-Allow-Origin" not in write.headers
    assert "Access-Control-Allow-Origin" not in client.get("/practices/").headers


def test_the_openapi_description_and_its_page(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    assert {"/api/v1/practices/", "/api/v1/practices/{practice_id}", "/api/v1/search",
            "/api/v1/organisations/", "/api/v1/sdg/goals", "/api/v1/collections/",
            "/api/v1/practices/{practice_id}/discussion", "/api/v1/me", "/api/v1/events/",
            "/api/v1/events/{event_id}", "/api/v1/board/", "/api/v1/board/{post_id}"} <= set(
        spec["paths"])
    assert set(spec["components"]["schemas"]["Error"]["properties"]) == {"error"}
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "swagger-ui-bundle" in html
    assert "http" not in html.replace("http://nanum.localhost", "").split("<body>")[0]
    assert 'href="/api/v1/docs"' in client.get("/").get_data(as_text=True)  # the footer


def test_api_reads_work_with_a_session_cookie_but_writes_need_a_token(auth, client, make):
    user = make.user()
    auth.login(user.email)
    assert client.get("/api/v1/practices/").status_code == 200
    response = client.get("/api/v1/me")  # a session is not a token
    assert response.status_code == 401


def test_a_kept_page_is_not_served_to_a_request_with_a_token(client):
    """The page cache answers visitors; a request with a token is checked, never served a
    page kept for others."""
    assert client.get("/api/v1/sdg/goals").status_code == 200  # kept for visitors
    response = client.get("/api/v1/sdg/goals", headers={"Authorization": "Bearer nanum_x"})
    assert response.status_code == 401


def test_organisations_and_collections_are_paged_in_sql(app, client, make):
    from sqlalchemy import event

    from nanum.curation.models import Collection
    from nanum.extensions import db
    from nanum.timeutil import utcnow

    for name in ("Delta 100%", "Alpha", "Charlie", "Bravo", "Echo"):
        make.organisation(name=name)
    for number in range(3):
        db.session.add(Collection(title=f"Set {number}", published=True, published_at=utcnow()))
    db.session.commit()
    statements = []
    listen = event.listens_for(db.engine, "before_cursor_execute")
    listen(lambda *args: statements.append(args[2]))
    response = client.get("/api/v1/organisations/?per_page=2&page=2")
    body = response.get_json()
    assert [o["name"] for o in body["organisations"]] == ["Charlie", "Delta 100%"]
    assert (body["paging"]["total"], body["paging"]["pages"]) == (5, 3)
    assert 'rel="next"' in response.headers["Link"] and 'rel="prev"' in response.headers["Link"]
    assert any("LIMIT" in s.upper() and "organisations" in s for s in statements)
    again = client.get("/api/v1/organisations/?per_page=2&page=2",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert [o["name"] for o in client.get("/api/v1/organisations/?q=100%25").get_json()[
        "organisations"]] == ["Delta 100%"]  # a name part, not a pattern
    statements.clear()
    listed = client.get("/api/v1/collections/?per_page=2&page=9")  # past the end: the last
    found = listed.get_json()
    assert [c["title"] for c in found["collections"]] == ["Set 0"]
    assert (found["paging"]["page"], found["paging"]["total"]) == (2, 3)
    assert 'rel="prev"' in listed.headers["Link"] and listed.headers["ETag"]
    assert any("LIMIT" in s.upper() and "collections" in s for s in statements)
