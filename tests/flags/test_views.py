"""The pages: flag forms, the queue, acts on people, statements and appeals, placeholders,
sign-in refused during a suspension, and the queue's fixed number of queries."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from nanum.discussions import services as discussions
from nanum.discussions.models import Post
from nanum.extensions import db
from nanum.flags import actions, sanctions, services
from nanum.flags.models import Flag, Statement
from nanum.timeutil import utcnow


def text(response):
    return response.get_data(as_text=True)


def hide(people, kind, target):
    entry = services.flag(people.a, kind, target.id, "spam")
    actions.decide(people.mod, entry, "hide", "spam")


# -- flagging ------------------------------------------------------------------------------

def test_a_member_flags_a_topic_from_its_page(client, auth, post, people, topic):
    url = f"/discussions/t/{topic.id}"
    assert "Send flag" not in text(client.get(url))  # visitors get no form
    auth.login("a@example.org")
    assert "Send flag" in text(client.get(url))
    response = post(f"/flag/thread/{topic.id}", {"reason": "spam", "next": url}, page=url)
    assert response.status_code == 302 and response.location.endswith(url)
    assert "moderators will look at this topic" in text(client.get(url))
    again = post(f"/flag/thread/{topic.id}", {"reason": "spam", "next": url}, page=url)
    assert again.status_code == 302
    assert "already flagged" in text(client.get(url))
    assert db.session.scalar(select(func.count(Flag.id))) == 1


def test_the_author_gets_no_flag_form(client, auth, people, topic):
    auth.login("author@example.org")
    assert "Send flag" not in text(client.get(f"/discussions/t/{topic.id}"))


def test_a_bad_flag_is_explained(client, auth, post, people, topic):
    url = f"/discussions/t/{topic.id}"
    auth.login("a@example.org")
    post(f"/flag/thread/{topic.id}", {"reason": "other", "message": "", "next": url}, page=url)
    assert "Please say what is wrong" in text(client.get(url))
    assert db.session.scalar(select(func.count(Flag.id))) == 0


def test_every_kind_has_its_flag_form(client, auth, people, practice, spam_post):
    auth.login("a@example.org")
    for url, action in (
            (f"/practices/{practice.id}", f"/flag/practice/{practice.id}"),
            (f"/discussions/t/{spam_post.thread_id}", f"/flag/post/{spam_post.id}"),
            (f"/organisations/{practice.organisation_id}",
             f"/flag/organisation/{practice.organisation_id}"),
            (f"/people/{people.author.id}", f"/flag/user/{people.author.id}")):
        assert f'action="{action}"' in text(client.get(url)), url


# -- placeholders --------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "sees"), [
    (None, False), ("a@example.org", False), ("author@example.org", True),
    ("mod2@example.org", True)])
def test_hidden_content_is_a_placeholder_except_to_its_author_and_moderators(
        client, auth, people, practice, topic, spam_post, who, sees):
    hide(people, "practice", practice)
    hide(people, "post", spam_post)
    hide(people, "user", people.author)
    topic_page = f"/discussions/t/{topic.id}"
    if who:
        auth.login(who)
    page = text(client.get(f"/practices/{practice.id}"))
    assert (practice.title in page) == sees
    assert ("Hidden by moderation" in page) == sees
    assert ("This practice is hidden by moderation" in page) != sees
    page = text(client.get(topic_page))
    assert ("Spam spam, buy now." in page) == sees
    assert "Hidden by a moderator" in page
    page = text(client.get(f"/people/{people.author.id}"))
    assert ("This profile is hidden by moderation" in page) != sees


@pytest.mark.parametrize(("who", "sees"), [
    (None, False), ("a@example.org", False), ("author@example.org", True),
    ("mod2@example.org", True)])
def test_hidden_topics_and_organisations(client, auth, people, practice, topic, who, sees):
    hide(people, "thread", topic)
    services.flag(people.mod, "organisation", practice.organisation_id, "spam")
    if who:
        auth.login(who)
    page = text(client.get(f"/discussions/t/{topic.id}"))
    assert (topic.title in page) == sees
    assert ("This topic is hidden by moderation" in page) != sees
    page = text(client.get(f"/organisations/{practice.organisation_id}"))
    assert ("Flagged Council" in page) == sees
    assert "Flagged Council" not in text(client.get("/organisations/"))  # left out of lists


# -- the queue -----------------------------------------------------------------------------

def test_moderators_decide_from_the_queue(client, auth, post, people, spam_post):
    services.flag(people.a, "post", spam_post.id, "spam", "A shop link.")
    auth.login("mod@example.org")
    page = text(client.get("/moderation/flags"))
    assert "A shop link." in page and "Agree and hide" in page
    entry_id = db.session.scalar(select(Flag.entry_id))
    response = post(f"/moderation/flags/{entry_id}",
                    {"decision": "hide", "reason": "spam", "message": "Advertising."},
                    page="/moderation/flags")
    assert response.status_code == 302
    assert "Nothing is flagged." in text(client.get("/moderation/flags"))
    db.session.expire_all()
    assert spam_post.hidden


def test_a_decision_without_a_reason_changes_nothing(client, auth, post, people, spam_post):
    entry = services.flag(people.a, "post", spam_post.id, "spam")
    auth.login("mod@example.org")
    post(f"/moderation/flags/{entry.id}", {"decision": "hide", "reason": ""},
         page="/moderation/flags")
    assert "Please choose a reason" in text(client.get("/moderation/flags"))
    db.session.expire_all()
    assert entry.is_open and not spam_post.hidden


def test_the_queue_approves_held_posts(app, client, auth, post, people, topic):
    app.config["DISCUSSIONS_HOLD_NEW_ACCOUNTS"] = True
    held = discussions.reply(people.newbie, thread=topic, body="First words here")
    auth.login("mod@example.org")
    assert "First words here" in text(client.get("/moderation/flags"))
    post(f"/moderation/flags/posts/{held.id}/approve", page="/moderation/flags")
    db.session.expire_all()
    assert not held.held


def test_the_queue_runs_a_fixed_number_of_queries(client, auth, people, make, topic,
                                                  count_queries):
    def add_items(n):
        for i in range(n):
            post_ = discussions.reply(people.author, thread=topic, body=f"Spam {n}-{i}")
            services.flag(people.a, "post", post_.id, "spam")
            services.flag(people.b, "post", post_.id, "offensive")
            other = make.user(name=f"Other {n}-{i}")
            services.flag(people.a, "user", other.id, "spam")
            organisation = make.organisation()
            services.flag(people.b, "organisation", organisation.id, "spam")
            practice = make.practice(organisation=organisation, author_id=people.author.id)
            services.flag(people.c, "practice", practice.id, "inaccurate")
            thread = discussions.start_topic(people.author, category="questions",
                                             title=f"Shop topic {n}-{i}", body="Buy")
            services.flag(people.c, "thread", thread.id, "spam")
            held = discussions.reply(people.newbie, thread=topic, body="Held")
            held.held = True
            statement = sanctions.act(people.mod, other, "warn", "spam")
            sanctions.appeal(other, statement, "Why?")
        db.session.commit()

    auth.login("mod2@example.org")
    add_items(2)
    with count_queries() as few:
        assert client.get("/moderation/flags").status_code == 200
    add_items(7)
    with count_queries() as many:
        page = text(client.get("/moderation/flags"))
    assert page.count('class="box mb-3 flag-entry"') == 45
    assert page.count('class="box mb-3 held-post"') == 9
    assert page.count('class="box mb-3 appeal"') == 9
    assert len(many) == len(few)
    add_items(2)  # past one page: the highest scores first, and how many there are
    page = text(client.get("/moderation/flags"))
    assert page.count('class="box mb-3 flag-entry"') == 50
    assert "the 50 highest scores of 55" in page


# -- people, statements and appeals --------------------------------------------------------

def test_silencing_from_the_person_page_and_the_statement(client, auth, post, people, topic):
    auth.login("mod@example.org")
    url = f"/moderation/people/{people.author.id}"
    assert "Act on this account" in text(client.get(url))
    post(f"{url}/act", {"action": "silence", "days": "7", "reason": "spam",
                        "message": "Please stop advertising."}, page=url)
    page = text(client.get(url))
    assert "Silenced until" in page and "user.silence" in page
    auth.logout()
    auth.login("author@example.org")
    statement = db.session.scalar(select(Statement))
    page = text(client.get(f"/decisions/{statement.id}"))
    assert "Please stop advertising." in page and "Send the appeal" in page
    reply = post(f"/discussions/t/{topic.id}/reply", {"body": "Hello"},
                 page=f"/discussions/t/{topic.id}")
    assert reply.status_code == 200  # the form again, saying why
    assert "silenced your account until" in text(reply)
    assert "Hello" not in [p.body for p in db.session.scalars(select(Post))]


def test_an_appeal_from_the_statement_page(client, auth, post, people, spam_post):
    hide(people, "post", spam_post)
    statement = db.session.scalar(select(Statement))
    auth.login("author@example.org")
    url = f"/decisions/{statement.id}"
    post(f"{url}/appeal", {"text": "It answered the question."}, page=url)
    page = text(client.get(url))
    assert "waiting for another moderator" in page and "Send the appeal" not in page
    auth.logout()
    auth.login("mod@example.org")
    assert "another moderator decides the appeal" in text(client.get("/moderation/flags"))
    auth.logout()
    auth.login("mod2@example.org")
    post(f"/moderation/appeals/{statement.id}", {"outcome": "overturn", "reason": "policy"},
         page="/moderation/flags")
    db.session.expire_all()
    assert statement.appeal_status == "overturned" and not spam_post.hidden


def test_a_suspended_person_cannot_sign_in_and_is_told_until_when(client, auth, people):
    auth.login("author@example.org")
    assert "Ann Author" in text(client.get("/notifications"))
    until = utcnow() + timedelta(days=20)
    sanctions.act(people.mod, people.author, "suspend", "spam", until=until.date().isoformat())
    assert client.get("/notifications").status_code == 302  # the session ended
    response = auth.login("author@example.org")
    assert response.status_code == 200
    assert f"suspended until {until.strftime('%d %B %Y')}" in text(response)


def test_notes_show_on_profiles_to_moderators_only(client, auth, post, people):
    url = f"/people/{people.author.id}"
    auth.login("mod@example.org")
    post(f"/moderation/people/{people.author.id}/notes",
         {"body": "Same link in three topics.", "next": url}, page=url)
    assert "Same link in three topics." in text(client.get(url))
    auth.logout()
    for who in ("author@example.org", "a@example.org"):
        auth.login(who)
        assert "Same link in three topics." not in text(client.get(url))
        auth.logout()
