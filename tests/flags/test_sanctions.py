"""Acts on people: warnings, silence, suspension, hiding a spammer's content; appeals to
another moderator; private notes."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from nanum.accounts import services as accounts
from nanum.discussions import services as discussions
from nanum.discussions.models import Post
from nanum.errors import Conflict, Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.flags import actions, sanctions, services
from nanum.flags.models import Statement
from nanum.moderation.models import AuditRecord
from nanum.notifications.models import Notification
from nanum.practices import services as practices
from nanum.timeutil import utcnow


def last_note(user):
    return db.session.scalar(select(Notification.message).where(
        Notification.user_id == user.id).order_by(Notification.id.desc()))


def test_a_warning_is_a_message_with_a_reason(people):
    statement = sanctions.act(people.mod, people.author, "warn", "offensive", "Mind the tone.")
    assert statement.action == "user.warn"
    assert "sent you a warning" in last_note(people.author)
    assert "Mind the tone." in last_note(people.author)
    assert not people.author.is_silenced and not people.author.is_suspended


def test_a_silenced_person_reads_but_cannot_post(people, topic, practice):
    sanctions.act(people.mod, people.author, "silence", "spam", days="3")
    assert people.author.is_silenced
    until = people.author.silenced_until
    assert timedelta(days=2, hours=23) < until - utcnow() <= timedelta(days=3)
    posts = db.session.scalar(select(func.count(Post.id)))
    for attempt in (
            lambda: discussions.reply(people.author, thread=topic, body="Still here"),
            lambda: discussions.start_topic(people.author, category="questions",
                                            title="Another shop", body="Buy now"),
            lambda: discussions.edit(people.author, db.session.scalar(select(Post)), "Edited"),
            lambda: practices.create(people.author, practice.organisation_id,
                                     {"title": "New one"}),
            lambda: practices.update(people.author, practice, {"title": "Changed"})):
        with pytest.raises(Forbidden, match="silenced your account until"):
            attempt()
    assert db.session.scalar(select(func.count(Post.id))) == posts
    assert practice.title == "Rainwater tanks for schools"
    assert discussions.get_thread(topic.id, people.author) == topic  # reading still works


def test_a_silence_ends_on_its_date(people, topic):
    sanctions.act(people.mod, people.author, "silence", "spam", days=1)
    people.author.silenced_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert discussions.reply(people.author, thread=topic, body="Back again").id


@pytest.mark.parametrize("days", ["", "0", "-2", "4000", "many"])
def test_a_silence_needs_a_sensible_period(people, days):
    with pytest.raises(Invalid):
        sanctions.act(people.mod, people.author, "silence", "spam", days=days)
    assert people.author.silenced_until is None


def test_a_suspension_ends_sessions_and_stops_sign_in_until_its_date(people):
    token = people.author.session_token
    until = (utcnow() + timedelta(days=10)).date().isoformat()
    sanctions.act(people.mod, people.author, "suspend", "spam", until=until)
    assert people.author.is_suspended and people.author.session_token != token
    assert accounts.load_user(people.author.get_id()) is None
    assert until[:4] in sanctions.suspension_message(people.author)
    people.author.suspended_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert accounts.load_user(people.author.get_id()) == people.author


@pytest.mark.parametrize("until", ["", "yesterday", "2001-01-01", "2999-01-01"])
def test_a_suspension_needs_a_future_date(people, until):
    with pytest.raises(Invalid):
        sanctions.act(people.mod, people.author, "suspend", "spam", until=until)
    assert people.author.suspended_until is None


def test_moderators_cannot_act_on_themselves_or_each_other(people, make):
    with pytest.raises(Forbidden):
        sanctions.act(people.mod, people.mod, "warn", "spam")
    with pytest.raises(Forbidden):
        sanctions.act(people.mod, people.mod2, "suspend", "spam", until="2099-01-01")
    assert people.mod2.suspended_until is None
    admin = make.user(role="admin")
    sanctions.act(admin, people.mod2, "warn", "policy")


def test_hide_all_hides_everything_and_an_overturn_brings_it_back(people, topic, spam_post,
                                                                  practice):
    statement = sanctions.act(people.mod, people.author, "hide_all", "spam")
    assert topic.hidden and spam_post.hidden and practice.status == "hidden"
    assert people.author.hidden
    assert all(post.hidden for post in db.session.scalars(select(Post)))
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "user.hide_all"))
    assert record.after == {"post": 2, "thread": 1, "practice": 1, "user": 1}
    sanctions.appeal(people.author, statement, "These are real pumps.")
    sanctions.decide_appeal(people.mod2, statement, "overturn", "meets_criteria")
    assert not topic.hidden and not spam_post.hidden and practice.status == "published"
    assert not people.author.hidden


# -- appeals -------------------------------------------------------------------------------

@pytest.fixture
def hidden_statement(people, spam_post):
    entry = services.flag(people.a, "post", spam_post.id, "spam")
    actions.decide(people.mod, entry, "hide", "spam")
    return db.session.scalar(select(Statement))


def test_an_appeal_goes_to_another_moderator_who_can_overturn(people, spam_post,
                                                              hidden_statement):
    sanctions.appeal(people.author, hidden_statement, "It was a genuine answer.")
    assert services.queue(people.mod2).appeals == [hidden_statement]
    with pytest.raises(Forbidden, match="Another moderator"):
        sanctions.decide_appeal(people.mod, hidden_statement, "overturn", "meets_criteria")
    assert spam_post.hidden
    sanctions.decide_appeal(people.mod2, hidden_statement, "overturn", "meets_criteria",
                            "Fair enough.")
    assert not spam_post.hidden and hidden_statement.appeal_status == "overturned"
    assert hidden_statement.appeal_moderator_id == people.mod2.id
    assert "overturned" in last_note(people.author)
    assert services.queue(people.mod2).appeals == []
    assert {"appeal.open", "appeal.overturn"} <= set(
        db.session.scalars(select(AuditRecord.action)))
    with pytest.raises(Conflict):
        sanctions.decide_appeal(people.mod2, hidden_statement, "uphold", "spam")


def test_an_upheld_appeal_keeps_the_decision(people, spam_post, hidden_statement):
    sanctions.appeal(people.author, hidden_statement, "Please look again.")
    sanctions.decide_appeal(people.mod2, hidden_statement, "uphold", "spam")
    assert spam_post.hidden and hidden_statement.appeal_status == "upheld"
    assert "upheld" in last_note(people.author)


def test_a_decision_is_appealed_once_by_the_person_it_concerns(people, hidden_statement):
    with pytest.raises(NotFound):
        sanctions.appeal(people.a, hidden_statement, "Not mine, but still.")
    with pytest.raises(Invalid):
        sanctions.appeal(people.author, hidden_statement, "   ")
    assert hidden_statement.appeal_status is None
    sanctions.appeal(people.author, hidden_statement, "Please look again.")
    with pytest.raises(Conflict, match="once"):
        sanctions.appeal(people.author, hidden_statement, "And again.")


def test_statements_are_seen_by_their_person_and_moderators_only(people, hidden_statement):
    assert sanctions.get_statement(people.author, hidden_statement.id) == hidden_statement
    assert sanctions.get_statement(people.mod2, hidden_statement.id) == hidden_statement
    with pytest.raises(NotFound):
        sanctions.get_statement(people.a, hidden_statement.id)


def test_an_overturned_silence_and_suspension_are_lifted(people):
    silence = sanctions.act(people.mod, people.author, "silence", "spam", days=5)
    suspension = sanctions.act(people.mod, people.author, "suspend", "spam",
                               until=(utcnow() + timedelta(days=30)).date().isoformat())
    for statement in (silence, suspension):
        statement.appeal_status = "open"
        sanctions.decide_appeal(people.mod2, statement, "overturn", "policy")
    assert not people.author.is_silenced and not people.author.is_suspended


# -- notes ---------------------------------------------------------------------------------

def test_private_notes_are_for_moderators_only(people):
    sanctions.add_note(people.mod, people.author, "Posted the same link in three topics.")
    assert [n.body for n in sanctions.notes_on(people.mod2, people.author)] == [
        "Posted the same link in three topics."]
    assert sanctions.notes_on(people.author, people.author) == []
    assert sanctions.notes_on(people.a, people.author) == []
    with pytest.raises(Invalid):
        sanctions.add_note(people.mod, people.author, "  ")
