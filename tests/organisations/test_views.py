from sqlalchemy import select

from nanum.extensions import db
from nanum.organisations import services
from nanum.organisations.models import Organisation

FORM = {"name": "Municipality of Testville", "type": "LRG", "country": "KE",
        "government_level": "municipal", "population": "42000",
        "website": "https://testville.example.org", "description": "A *lakeside* town."}


def test_create_organisation_page(client, auth, post, make):
    make.user(email="p@example.org")
    auth.login("p@example.org")
    response = post("/organisations/new", FORM)
    assert response.status_code == 302
    organisation = db.session.scalar(select(Organisation))
    page = client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
    assert "Municipality of Testville" in page and "Eastern Africa" in page
    assert "<em>lakeside</em>" in page


def test_create_needs_login(client):
    response = client.get("/organisations/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_create_with_bad_input_shows_errors_and_saves_nothing(client, auth, post, make):
    make.user(email="p@example.org")
    auth.login("p@example.org")
    response = post("/organisations/new", {**FORM, "website": "ftp://x", "population": "-1"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "https://" in body
    assert db.session.scalar(select(Organisation)) is None


def test_join_request_and_approval_through_pages(app, client, auth, post, make):
    admin = make.user(email="admin@example.org")
    organisation = services.create(admin, **FORM)
    make.user(email="new@example.org")
    auth.login("new@example.org")
    page = f"/organisations/{organisation.id}"
    post(f"{page}/join", page=page)
    assert "pending" in client.get(page).get_data(as_text=True).lower()
    auth.logout()
    auth.login("admin@example.org")
    [pending] = services.members([organisation.id], status="pending")
    response = post(f"{page}/members/{pending.id}/approve", page=page)
    assert response.status_code == 302
    assert [m.user.email for m in services.members([organisation.id])] == [
        "admin@example.org", "new@example.org"]


def test_non_admin_cannot_approve_or_edit(client, auth, post, make):
    admin = make.user()
    organisation = services.create(admin, **FORM)
    applicant = make.user()
    request = services.request_join(applicant, organisation)
    make.user(email="other@example.org")
    auth.login("other@example.org")
    page = f"/organisations/{organisation.id}"
    response = post(f"{page}/members/{request.id}/approve", page=page)
    assert response.status_code == 403
    assert not services.is_member(applicant, organisation.id)
    assert client.get(f"{page}/edit").status_code == 403


def test_index_filters_by_type(client, make):
    make.organisation(name="Alpha Institute", type="NRI")
    make.organisation(name="Beta Town", type="LRG")
    body = client.get("/organisations/?type=LRG").get_data(as_text=True)
    assert "Beta Town" in body and "Alpha Institute" not in body
