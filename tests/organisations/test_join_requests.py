"""Organisation admins hear of requests to join; everyone finds their organisations."""

from sqlalchemy import select

from nanum.extensions import db
from nanum.notifications.models import Notification, OutgoingMail
from nanum.organisations import services


def _notes(user):
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id)).all()


def _mail_to(user):
    return db.session.scalars(select(OutgoingMail).where(OutgoingMail.to == user.email)).all()


def test_admins_are_notified_and_mailed_of_a_request_to_join(client, auth, post, make):
    organisation = make.organisation(name="Lakeside Council")
    admin = make.member(organisation, role="admin", email="admin@example.org")
    quiet_admin = make.member(organisation, role="admin", email_notifications="off")
    member = make.member(organisation)
    make.user(email="applicant@example.org", name="Achieng")
    auth.login("applicant@example.org")
    page = f"/organisations/{organisation.id}"
    assert post(f"{page}/join", page=page).status_code == 302

    [note] = _notes(admin)
    assert note.kind == "join" and note.message == "Achieng asks to join Lakeside Council"
    assert note.url == f"{page}#pending-title"
    [mail] = _mail_to(admin)
    assert "Achieng asks to join Lakeside Council" in mail.body
    assert f"/notifications/{note.id}/open" in mail.body
    # Mail follows each admin's settings; plain members hear nothing.
    assert len(_notes(quiet_admin)) == 1 and _mail_to(quiet_admin) == []
    assert _notes(member) == [] and _mail_to(member) == []

    auth.logout()
    auth.login("admin@example.org")
    bell = client.get("/notifications").get_data(as_text=True)
    assert "Achieng asks to join Lakeside Council" in bell and "Request to join" in bell


def test_my_organisations_lists_memberships_requests_and_waiting_people(client, auth, make):
    mine = make.organisation(name="Alpha Institute")
    asked = make.organisation(name="Beta Town")
    elsewhere = make.organisation(name="Gamma Ministry")
    me = make.member(mine, role="admin", email="me@example.org")
    services.request_join(me, asked)
    services.request_join(make.user(), mine)
    services.request_join(make.user(), mine)
    auth.login("me@example.org")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/organisations/mine"' in home  # the user menu leads there
    page = client.get("/organisations/mine").get_data(as_text=True)
    assert "Alpha Institute" in page and "2 requests to join" in page
    assert "Beta Town" in page and "Request pending" in page
    assert elsewhere.name not in page


def test_my_organisations_needs_an_account(client):
    response = client.get("/organisations/mine")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_request_to_join_appears_in_the_daily_digest(make, runner):
    organisation = make.organisation(name="Lakeside Council")
    admin = make.member(organisation, role="admin", email_notifications="daily")
    services.request_join(make.user(name="Achieng"), organisation)
    assert _mail_to(admin) == []
    runner.invoke(args=["notifications", "digest"])
    [digest] = _mail_to(admin)
    assert "== Requests to join your organisations ==" in digest.body
    assert "Achieng asks to join Lakeside Council" in digest.body
