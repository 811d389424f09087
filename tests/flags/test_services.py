"""Flagging, scores, the automatic hide, moderators' decisions and counts."""

import pytest
from sqlalchemy import func, select

from nanum.discussions.models import Post
from nanum.errors import Conflict, Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.flags import actions, sanctions, services
from nanum.flags.models import Flag, FlagEntry, Statement
from nanum.moderation import settings
from nanum.moderation.models import AuditRecord
from nanum.notifications.models import Notification, OutgoingMail
from nanum.search import documents


def flags_on(kind, target_id):
    return db.session.scalar(select(func.count(Flag.id)).where(
        Flag.target_type == kind, Flag.target_id == target_id))


def audit_actions():
    return db.session.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all()


# -- flagging ------------------------------------------------------------------------------

def test_flags_on_one_item_collect_into_one_entry(people, spam_post):
    first = services.flag(people.a, "post", spam_post.id, "spam")
    second = services.flag(people.b, "post", spam_post.id, "offensive", "Rude too.")
    assert first.id == second.id
    assert second.flag_count == 2 and second.score == 2.0
    assert db.session.scalar(select(func.count(FlagEntry.id))) == 1


def test_a_person_flags_an_item_once(people, spam_post):
    services.flag(people.a, "post", spam_post.id, "spam")
    with pytest.raises(Invalid, match="already flagged"):
        services.flag(people.a, "post", spam_post.id, "offensive")
    assert flags_on("post", spam_post.id) == 1


def test_nobody_flags_their_own_content(people, spam_post):
    with pytest.raises(Invalid, match="yourself"):
        services.flag(people.author, "post", spam_post.id, "spam")
    assert flags_on("post", spam_post.id) == 0


@pytest.mark.parametrize(("reason", "message", "problem"), [
    ("", "", "reason"), ("nonsense", "", "reason"), ("other", "  ", "message"),
    ("spam", "x" * 1001, "message")])
def test_a_bad_flag_says_what_is_wrong_and_changes_nothing(people, spam_post, reason, message,
                                                          problem):
    with pytest.raises(Invalid) as caught:
        services.flag(people.a, "post", spam_post.id, reason, message)
    assert problem in caught.value.errors
    assert flags_on("post", spam_post.id) == 0


def test_other_needs_words_and_keeps_them(people, spam_post):
    services.flag(people.a, "post", spam_post.id, "other", "It copies our report word for word.")
    flag = db.session.scalar(select(Flag))
    assert flag.message == "It copies our report word for word."


def test_what_a_person_cannot_see_cannot_be_flagged(people, make):
    draft = make.practice(status="draft", published_at=None)
    with pytest.raises(NotFound):
        services.flag(people.a, "practice", draft.id, "spam")
    with pytest.raises(NotFound):
        services.flag(people.a, "nothing", 1, "spam")
    with pytest.raises(NotFound):
        services.flag(people.a, "post", 999999, "spam")


# -- scores and the threshold --------------------------------------------------------------

def test_weights_new_member_moderator(people):
    assert services.weight_of(people.newbie) == 0.5
    assert services.weight_of(people.a) == 1.0
    assert services.weight_of(people.mod) == 3.0


def test_a_flagger_whose_flags_were_upheld_counts_more(people, make, topic):
    posts = [services_reply(people.author, topic, f"Spam number {n}") for n in range(3)]
    for post in posts[:2]:
        entry = services.flag(people.a, "post", post.id, "spam")
        actions.decide(people.mod, entry, "keep", "spam")
    assert services.weight_of(people.a) == 1.5
    entry = services.flag(people.a, "post", posts[2].id, "spam")
    assert entry.score == 1.5
    # Dismissed flags earn nothing.
    other = services_reply(people.author, topic, "Fine words")
    actions.decide(people.mod, services.flag(people.b, "post", other.id, "spam"), "restore",
                   "meets_criteria")
    assert services.weight_of(people.b) == 1.0


def services_reply(user, thread, body):
    from nanum.discussions import services as discussions
    return discussions.reply(user, thread=thread, body=body)


def test_three_members_hide_a_post_two_do_not(people, spam_post):
    services.flag(people.a, "post", spam_post.id, "spam")
    services.flag(people.b, "post", spam_post.id, "spam")
    assert not db.session.get(Post, spam_post.id).hidden
    entry = services.flag(people.c, "post", spam_post.id, "spam")
    assert entry.auto_hidden and db.session.get(Post, spam_post.id).hidden
    assert entry.is_open  # until a moderator decides
    assert "flag.auto_hide" in audit_actions()


def test_new_accounts_need_more_of_them(people, make, spam_post):
    for _ in range(5):
        services.flag(make.user(), "post", spam_post.id, "spam")
    assert not db.session.get(Post, spam_post.id).hidden  # 2.5 < 3
    services.flag(make.user(), "post", spam_post.id, "spam")
    assert db.session.get(Post, spam_post.id).hidden


def test_one_moderator_flag_reaches_the_threshold(people, spam_post):
    services.flag(people.mod, "post", spam_post.id, "spam")
    assert db.session.get(Post, spam_post.id).hidden


def test_the_threshold_is_a_setting(app, people, spam_post, make):
    admin = make.user(role="admin")
    settings.change(admin, "hide_threshold", 1.0)
    db.session.commit()
    services.flag(people.a, "post", spam_post.id, "spam")
    assert db.session.get(Post, spam_post.id).hidden


def test_a_flagged_practice_hides_and_leaves_search_and_feeds(client, people, practice):
    key = f"practice:{practice.id}"
    assert key in documents.all_keys(db.session)
    assert practice.title in client.get("/feeds/practices.atom").get_data(as_text=True)
    for person in (people.a, people.b, people.c):
        services.flag(person, "practice", practice.id, "inaccurate")
    assert practice.status == "hidden"
    assert key not in documents.all_keys(db.session)
    assert practice.title not in client.get("/feeds/practices.atom").get_data(as_text=True)
    entry = db.session.scalar(select(FlagEntry))
    actions.decide(people.mod, entry, "restore", "meets_criteria")
    assert practice.status == "published" and key in documents.all_keys(db.session)


def test_hidden_organisations_leave_search(people, make):
    organisation = make.organisation(name="Totally Real Ministry")
    services.flag(people.mod, "organisation", organisation.id, "spam")
    assert organisation.hidden
    assert f"organisation:{organisation.id}" not in documents.all_keys(db.session)


# -- decisions -----------------------------------------------------------------------------

def test_agree_and_hide_tells_the_author_with_a_statement(people, spam_post):
    entry = services.flag(people.a, "post", spam_post.id, "spam")
    actions.decide(people.mod, entry, "hide", "spam", "Advertising a shop.")
    assert spam_post.hidden and entry.status == "hidden" and entry.open_key is None
    assert db.session.scalar(select(Flag.outcome)) == "upheld"
    statement = db.session.scalar(select(Statement))
    assert (statement.user_id, statement.action, statement.reason_code) == (
        people.author.id, "flag.hide", "spam")
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == people.author.id, Notification.kind == "moderation"))
    assert "Spam or advertising" in note.message and "Advertising a shop." in note.message
    assert "appeal" in note.message
    assert db.session.scalar(select(func.count(OutgoingMail.id)).where(
        OutgoingMail.to == people.author.email)) == 1
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "flag.hide"))
    assert record.actor_id == people.mod.id and record.reason_code == "spam"
    assert record.before["hidden"] is False and record.after["hidden"] is True


@pytest.mark.parametrize(("decision", "outcome", "status"), [
    ("keep", "upheld", "kept"), ("restore", "dismissed", "restored"),
    ("ignore", None, "ignored")])
def test_decisions_that_keep_the_item_visible(people, spam_post, decision, outcome, status):
    for person in (people.a, people.b, people.c):
        entry = services.flag(person, "post", spam_post.id, "spam")
    assert spam_post.hidden
    actions.decide(people.mod, entry, decision, "policy")
    assert not spam_post.hidden and entry.status == status
    assert set(db.session.scalars(select(Flag.outcome))) == {outcome}
    assert f"flag.{decision}" in audit_actions()
    assert db.session.scalar(select(func.count(Statement.id))) == 0


def test_a_decided_entry_cannot_be_decided_again_and_new_flags_open_a_new_one(people,
                                                                           spam_post):
    entry = services.flag(people.a, "post", spam_post.id, "spam")
    actions.decide(people.mod, entry, "keep", "policy")
    with pytest.raises(Conflict):
        actions.decide(people.mod2, entry, "hide", "spam")
    again = services.flag(people.b, "post", spam_post.id, "spam")
    assert again.id != entry.id and again.is_open


def test_a_decision_needs_a_known_decision_and_reason(people, spam_post):
    entry = services.flag(people.a, "post", spam_post.id, "spam")
    with pytest.raises(Invalid):
        actions.decide(people.mod, entry, "delete", "spam")
    with pytest.raises(Invalid):
        actions.decide(people.mod, entry, "hide", "because")
    with pytest.raises(Invalid):
        actions.decide(people.mod, entry, "hide", "other", "")
    assert entry.is_open and not spam_post.hidden


def test_only_moderators_decide(people, spam_post, make):
    entry = services.flag(people.a, "post", spam_post.id, "spam")
    held = services_reply(people.b, spam_post.thread, "Held")
    held.held = True
    db.session.commit()
    statement = Statement(user_id=people.author.id, moderator_id=people.mod.id,
                          action="user.warn", target_type="user", reason_code="spam",
                          appeal_status="open")
    db.session.add(statement)
    db.session.commit()
    member = people.c
    for call in (lambda: services.queue(member),
                 lambda: actions.decide(member, entry, "hide", "spam"),
                 lambda: actions.approve_post(member, held),
                 lambda: actions.decline_post(member, held, "spam"),
                 lambda: sanctions.act(member, people.author, "warn", "spam"),
                 lambda: sanctions.decide_appeal(member, statement, "overturn", "policy"),
                 lambda: sanctions.add_note(member, people.author, "Watch this one")):
        with pytest.raises(Forbidden):
            call()
    assert entry.is_open and held.held and statement.appeal_status == "open"
    assert sanctions.notes_on(member, people.author) == []


# -- held posts ----------------------------------------------------------------------------

def test_new_accounts_first_posts_wait_and_moderators_approve_them(app, people, topic):
    app.config["DISCUSSIONS_HOLD_NEW_ACCOUNTS"] = True
    app.config["DISCUSSIONS_HOLD_FIRST_POSTS"] = 1
    first = services_reply(people.newbie, topic, "My first post")
    assert first.held
    assert [p.id for p in services.queue(people.mod).held_posts] == [first.id]
    actions.approve_post(people.mod, first)
    assert not first.held and first.is_visible
    assert not services_reply(people.newbie, topic, "My second post").held
    assert services.queue(people.mod).held_posts == []
    with pytest.raises(Conflict):
        actions.approve_post(people.mod, first)


def test_declining_a_held_post_hides_it_and_tells_the_author(app, people, topic):
    app.config["DISCUSSIONS_HOLD_NEW_ACCOUNTS"] = True
    post = services_reply(people.newbie, topic, "Buy followers here")
    actions.decline_post(people.mod, post, "spam")
    assert post.hidden and not post.held
    assert db.session.scalar(select(Statement.user_id)) == people.newbie.id


# -- counts for other pages ----------------------------------------------------------------

def test_counts_for_people_and_organisations(people, spam_post, practice, make):
    other = make.organisation()
    actions.decide(people.mod, services.flag(people.a, "post", spam_post.id, "spam"), "hide",
                   "spam")
    services.flag(people.a, "practice", practice.id, "inaccurate")
    services.flag(people.b, "organisation", practice.organisation_id, "spam")
    counts = services.counts_for(user_ids=[people.author.id, people.a.id],
                                 organisation_ids=[practice.organisation_id, other.id])
    assert counts["users"][people.author.id] == {"received": 2, "upheld": 1}
    assert counts["users"][people.a.id] == {"received": 0, "upheld": 0}
    assert counts["organisations"][practice.organisation_id] == {"received": 2, "upheld": 0}
    assert counts["organisations"][other.id] == {"received": 0, "upheld": 0}
