"""The expert directory: opting in, filters, contact requests and when emails are shown."""

from sqlalchemy import select

from nanum.extensions import db
from nanum.network import services
from nanum.network.models import ContactRequest, ExpertProfile
from nanum.notifications.models import Notification


def _expert(make, email="expert@example.org", name="Ama Mensah", **values):
    user = make.user(email=email, name=name)
    fields = {"listed": True, "targets": "11.3, 6.1", "countries": "KE, gh",
              "languages": "en, fr", "summary": "Costing small water systems.", **values}
    services.save_profile(user, **fields)
    return user


def test_opting_in_on_the_profile_page(client, auth, post, make):
    make.user(email="ama@example.org", name="Ama")
    auth.login("ama@example.org")
    response = post("/experts/me", {"listed": "y", "targets": "11.3 6.1", "countries": "ke",
                                    "languages": "FR", "summary": "Water."})
    assert response.status_code == 302
    profile = db.session.scalar(select(ExpertProfile))
    assert profile.listed and profile.summary == "Water."
    assert (profile.values("target"), profile.values("country"), profile.values("language"),
            profile.values("goal")) == (["11.3", "6.1"], ["KE"], ["fr"], ["11", "6"])
    assert "Ama" in client.get("/experts/").get_data(as_text=True)


def test_saving_a_profile_again_keeps_what_stays(make):
    user = _expert(make)
    services.save_profile(user, listed=False, targets="6.1, 4.1", countries="gh",
                          languages="en, fr", summary="")
    profile = services.profile_of(user)
    assert not profile.listed
    assert profile.values("target") == ["6.1", "4.1"]
    assert profile.values("country") == ["GH"]


def test_bad_profile_values_are_named_and_change_nothing(auth, post, make):
    make.user(email="ama@example.org")
    auth.login("ama@example.org")
    body = post("/experts/me", {"listed": "y", "targets": "11.99, 11.3", "countries": "XX",
                                "languages": "zz"}).get_data(as_text=True)
    assert "Not SDG targets: 11.99" in body
    assert "Not country codes: XX" in body
    assert "Not language codes: zz" in body
    assert db.session.scalar(select(ExpertProfile)) is None


def test_the_directory_filters_by_target_goal_country_and_language(client, make):
    _expert(make, "a@example.org", "Ama")
    _expert(make, "b@example.org", "Bo", targets="4.1", countries="PH", languages="en")
    _expert(make, "c@example.org", "Cy", listed=False)
    def names(query):
        return [name for name in ("Ama", "Bo", "Cy")
                               if f">{name}</a></h3>" in client.get(f"/experts/?{query}")
                               .get_data(as_text=True)]
    assert names("") == ["Ama", "Bo"]  # Cy has not opted in
    assert names("sdg=11.3") == ["Ama"]
    assert names("sdg=4") == ["Bo"]
    assert names("country=ph") == ["Bo"]
    assert names("language=fr") == ["Ama"]
    assert names("sdg=nonsense&country=ZZ&language=xyz") == ["Ama", "Bo"]


def test_a_contact_request_shares_emails_only_once_accepted(client, auth, post, make):
    expert = _expert(make)
    make.user(email="asker@example.org", name="Asker")
    auth.login("asker@example.org")
    response = post(f"/experts/{expert.id}/contact", {"message": "Could we talk about tariffs?"})
    assert response.status_code == 302
    contact = db.session.scalar(select(ContactRequest))
    assert contact.status == "pending"
    mine = client.get("/experts/requests").get_data(as_text=True)
    assert "Could we talk about tariffs?" in mine and "expert@example.org" not in mine
    notice = db.session.scalar(select(Notification).where(Notification.user_id == expert.id))
    assert notice.kind == "contact" and "Asker" in notice.message

    auth.logout()
    auth.login("expert@example.org")
    theirs = client.get("/experts/requests").get_data(as_text=True)
    assert "Could we talk about tariffs?" in theirs and "asker@example.org" not in theirs
    assert post(f"/experts/requests/{contact.id}/accept", page="/experts/requests"
                ).status_code == 302
    assert "asker@example.org" in client.get("/experts/requests").get_data(as_text=True)

    auth.logout()
    auth.login("asker@example.org")
    assert "expert@example.org" in client.get("/experts/requests").get_data(as_text=True)
    told = db.session.scalars(select(Notification.message).where(
        Notification.user_id == contact.sender_id)).all()
    assert any("accepted" in message for message in told)


def test_a_declined_request_shares_nothing(client, auth, post, make):
    expert = _expert(make)
    asker = make.user(email="asker@example.org")
    contact = services.request_contact(asker, expert.id, "Hello")
    auth.login("expert@example.org")
    post(f"/experts/requests/{contact.id}/decline", page="/experts/requests")
    assert db.session.get(ContactRequest, contact.id).status == "declined"
    assert "asker@example.org" not in client.get("/experts/requests").get_data(as_text=True)
    auth.logout()
    auth.login("asker@example.org")
    assert "expert@example.org" not in client.get("/experts/requests").get_data(as_text=True)


def test_only_the_expert_answers_and_only_once(auth, post, make):
    expert = _expert(make)
    asker = make.user(email="asker@example.org")
    make.user(email="other@example.org")
    contact = services.request_contact(asker, expert.id, "Hello")
    for email in ("asker@example.org", "other@example.org"):
        auth.login(email)
        assert post(f"/experts/requests/{contact.id}/accept",
                    page="/experts/requests").status_code == 403
        auth.logout()
    assert db.session.get(ContactRequest, contact.id).status == "pending"
    auth.login("expert@example.org")
    post(f"/experts/requests/{contact.id}/decline", page="/experts/requests")
    post(f"/experts/requests/{contact.id}/accept", page="/experts/requests")
    assert db.session.get(ContactRequest, contact.id).status == "declined"


def test_requests_are_checked(client, auth, post, make):
    expert = _expert(make)
    hidden = _expert(make, "hidden@example.org", "Hidden", listed=False)
    make.user(email="asker@example.org")
    auth.login("asker@example.org")
    assert "Say what you would like" in post(f"/experts/{expert.id}/contact",
                                             {"message": "  "}).get_data(as_text=True)
    assert client.get(f"/experts/{hidden.id}/contact").status_code == 404
    post(f"/experts/{expert.id}/contact", {"message": "First"})
    again = post(f"/experts/{expert.id}/contact", {"message": "Second"}, follow_redirects=True)
    assert "still waiting" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(ContactRequest)).all()) == 1
    auth.logout()
    auth.login("expert@example.org")
    post(f"/experts/{expert.id}/contact", {"message": "Me"})
    assert len(db.session.scalars(select(ContactRequest)).all()) == 1



def test_the_directory_runs_the_same_queries_whatever_its_length(client, make, count_queries):
    def queries():
        client.get("/experts/")
        with count_queries() as statements:
            assert client.get("/experts/").status_code == 200
        return len(statements)

    _expert(make, "first@example.org", "First")
    few = queries()
    for number in range(8):
        _expert(make, f"e{number}@example.org", f"E{number}")
    assert queries() == few
