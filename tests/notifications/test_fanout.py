"""Who hears about what: replies, mentions, watchers, accepted answers, new practices."""

from sqlalchemy import select

from nanum.discussions import services as discussions
from nanum.extensions import db
from nanum.notifications import fanout, services, watching
from nanum.notifications.models import PendingSearchMatch
from nanum.search import service as search


def test_a_reply_tells_the_author_of_the_post_it_answers(make, helpers):
    asker, helper = make.user(), make.user()
    thread = helpers.topic(asker)
    helpers.reply(helper, thread, parent=helpers.first_post(thread))
    [note] = helpers.notes(asker)
    assert note.kind == "reply" and note.actor_id == helper.id
    assert "replied to your post" in note.message and "Funding a local review" in note.message
    assert helpers.notes(helper) == []  # never about your own act


def test_mention_reply_and_watch_collapse_to_one_mention(make, helpers):
    asker, helper = make.user(handle="asker"), make.user()
    thread = helpers.topic(asker)  # the asker now watches the thread
    helpers.reply(helper, thread, body="@asker we did it with the city budget.",
                  parent=helpers.first_post(thread))
    assert helpers.kinds(asker) == ["mention"]


def test_watchers_hear_of_new_posts_and_the_replied_to_hear_it_as_a_reply(make, helpers):
    asker, first, second = make.user(), make.user(), make.user()
    thread = helpers.topic(asker)
    answer = helpers.reply(first, thread)
    helpers.reply(second, thread, parent=answer)
    assert helpers.kinds(asker) == ["watched", "watched"]
    assert helpers.kinds(first) == ["reply"]  # watching too, but a reply is stronger
    assert helpers.kinds(second) == []
    assert "posted in" in helpers.notes(asker)[0].message


def test_posting_in_your_own_thread_tells_you_nothing(make, helpers):
    asker = make.user(handle="asker")
    thread = helpers.topic(asker)
    helpers.reply(asker, thread, body="Also, @asker: note to self.",
                  parent=helpers.first_post(thread))
    assert helpers.notes() == []


def test_the_same_event_twice_tells_nobody_twice(make, helpers):
    asker, helper = make.user(), make.user()
    thread = helpers.topic(asker)
    post = helpers.reply(helper, thread, parent=helpers.first_post(thread))
    fanout.notify_post(post)  # e.g. the moderation queue releasing it again
    assert helpers.kinds(asker) == ["reply"]


def test_nothing_about_a_hidden_thread_except_to_moderators(make, helpers):
    asker, helper = make.user(handle="asker"), make.user()
    moderator, other_moderator = make.user(role="moderator"), make.user(role="moderator")
    thread = helpers.topic(asker)
    answer = helpers.reply(helper, thread)
    helpers.reply(other_moderator, thread)  # so that a moderator watches it
    thread.hidden = True
    db.session.commit()
    before = {person.id: helpers.kinds(person) for person in (asker, helper)}
    helpers.reply(moderator, thread, body="@asker this stays hidden.", parent=answer)
    assert {person.id: helpers.kinds(person) for person in (asker, helper)} == before
    assert helpers.kinds(other_moderator)[-1] == "watched"


def test_nothing_about_a_practice_that_is_no_longer_public(make, helpers):
    member = make.member()
    practice = helpers.publish(member)
    outsider = make.user()
    post = helpers.reply_to_practice(outsider, practice)
    assert ("practice", str(practice.id)) in helpers.watches(outsider)
    practice.status = "archived"
    db.session.commit()
    helpers.reply(member, discussions.thread_of_practice(practice), body="Forty.", parent=post)
    assert helpers.notes(outsider) == []
    assert helpers.kinds(member) == ["watched"]  # told of the outsider's post, while public


def test_inactive_people_hear_nothing(make, helpers):
    asker, helper, gone = make.user(), make.user(), make.user(handle="gone")
    thread = helpers.topic(asker)
    helpers.reply(gone, thread)
    gone.active = False
    db.session.commit()
    post = helpers.reply(helper, thread, body="As @gone said.")
    from nanum.accounts.models import User

    fanout.notify_post(post, mentioned=[db.session.get(User, gone.id)])
    assert helpers.notes(gone) == []
    assert helpers.kinds(asker) == ["watched", "watched"]


def test_held_posts_tell_nobody_until_released(app, make, helpers):
    asker = make.user()
    thread = helpers.topic(asker)
    app.config["DISCUSSIONS_HOLD_NEW_ACCOUNTS"] = True
    newcomer = make.user()
    post = helpers.reply(newcomer, thread, parent=helpers.first_post(thread))
    assert post.held and helpers.notes(asker) == []
    assert ("thread", str(thread.id)) in helpers.watches(newcomer)


def test_an_accepted_answer_tells_its_author(make, helpers):
    asker, helper = make.user(), make.user()
    thread = helpers.topic(asker)
    answer = helpers.reply(helper, thread, parent=helpers.first_post(thread))
    discussions.accept(asker, answer)
    assert helpers.kinds(helper) == ["accepted"]
    assert "accepted your answer" in helpers.notes(helper)[0].message
    assert helpers.kinds(asker) == ["reply"]  # the answer itself; nothing for accepting it


def test_locking_a_topic_tells_its_author(make, helpers):
    asker, moderator = make.user(), make.user(role="moderator")
    thread = helpers.topic(asker)
    discussions.lock(moderator, thread, "Off topic.")
    [note] = helpers.notes(asker)
    assert note.kind == "moderation" and "Off topic." in note.message


def test_notify_moderation_is_a_plain_notification(make, helpers):
    author = make.user()
    services.notify_moderation(author, "Your practice needs changes.", "/practices/1")
    [note] = helpers.notes(author)
    assert (note.kind, note.message, note.url) == ("moderation", "Your practice needs changes.",
                                                  "/practices/1")


# -- new practices -------------------------------------------------------------------------

def _watching(make, target_type, key):
    person = make.user()
    watching.watch(person, target_type, key)
    return person


def test_a_new_practice_tells_the_watchers_of_its_goals_targets_themes_and_organisation(
        make, helpers):
    author = make.member()
    organisation_id = author.memberships[0].organisation_id
    by_goal = _watching(make, "sdg", "11")
    by_target = _watching(make, "sdg", "13.1")
    by_theme = _watching(make, "theme", "drr_resilience")
    by_organisation = _watching(make, "organisation", organisation_id)
    elsewhere = _watching(make, "sdg", "4")
    everything = make.user()
    for target_type, key in (("sdg", "11"), ("sdg", "11.5"), ("theme", "drr_resilience"),
                             ("organisation", organisation_id)):
        watching.watch(everything, target_type, key)
    watching.watch(author, "sdg", "11")
    practice = helpers.publish(author)
    for person in (by_goal, by_target, by_theme, by_organisation, everything):
        [note] = helpers.notes(person)
        assert note.kind == "watched" and note.url == f"/practices/{practice.id}"
    assert helpers.notes(by_target)[0].message.startswith("New practice on SDG target 13.1")
    assert helpers.notes(everything)[0].message.startswith("New practice from")
    assert helpers.notes(elsewhere) == [] and helpers.notes(author) == []
    assert ("practice", str(practice.id)) in helpers.watches(author)


def test_drafts_tell_nobody(make, helpers):
    from nanum.practices import services as practices

    author = make.member()
    watcher = _watching(make, "sdg", "11")
    practices.create(author, author.memberships[0].organisation_id,
                     {"title": "Unfinished", "kind": "case_study", "targets": ["11.5"]})
    assert helpers.notes(watcher) == []


def test_saved_searches_that_find_a_new_practice_are_told_inline(app, make, helpers):
    finder = _watching(make, "search", "q=flood&country=KE")
    missing = _watching(make, "search", "q=drought")
    other_country = _watching(make, "search", "q=flood&country=UG")
    practice = helpers.publish(make.member(), title="Flood early warning by text message")
    [note] = helpers.notes(finder)
    assert note.message.startswith("New practice for your saved search “flood” · Kenya")
    assert note.url == f"/practices/{practice.id}"
    assert helpers.notes(missing) == [] and helpers.notes(other_country) == []
    assert db.session.scalars(select(PendingSearchMatch)).all() == []


def test_saved_searches_match_by_keys_alone_without_running_the_search_page(
        app, make, helpers, monkeypatch):
    def full_search(*_args, **_kwargs):
        raise AssertionError("a saved search ran a full search")

    monkeypatch.setattr(search, "search", full_search)
    finder = _watching(make, "search", "q=flood warning")
    partly = _watching(make, "search", "q=flood cyclone")  # any of the words, as /search
    helpers.publish(make.member(), title="Flood early warning by text message")
    assert helpers.kinds(finder) == ["watched"] and helpers.kinds(partly) == ["watched"]


def test_a_saved_search_hears_of_a_practice_however_many_newer_ones_it_finds(
        app, make, helpers):
    from datetime import timedelta

    from nanum.practices.models import Practice

    author = make.member()
    for number in range(51):  # more than any page of "newest first" holds
        newer = helpers.publish(author, title=f"Flood shelter number {number}")
        newer.published_at += timedelta(days=30)
    db.session.commit()
    finder = _watching(make, "search", "q=flood")
    practice = helpers.publish(author, title="Flood early warning by text message")
    assert db.session.get(Practice, practice.id).published_at < newer.published_at
    [note] = helpers.notes(finder)
    assert note.url == f"/practices/{practice.id}"


def test_with_a_separate_indexer_saved_searches_are_matched_by_the_send_run(
        app, make, helpers, runner):
    app.config["SEARCH_APPLY"] = "indexer"
    finder = _watching(make, "search", "q=flood")
    by_goal = _watching(make, "sdg", "11")
    helpers.publish(make.member(), title="Flood early warning by text message")
    assert helpers.kinds(by_goal) == ["watched"]  # goal watchers need no index
    assert helpers.notes(finder) == []
    assert len(db.session.scalars(select(PendingSearchMatch)).all()) == 1

    runner.invoke(args=["notifications", "send"])  # the index has not caught up yet
    assert helpers.notes(finder) == []
    search.sync()  # what the indexer does
    result = runner.invoke(args=["notifications", "send"])
    assert "Matched 1 new practice" in result.output
    assert helpers.kinds(finder) == ["watched"]
    runner.invoke(args=["notifications", "send"])
    assert helpers.kinds(finder) == ["watched"]
    assert db.session.scalars(select(PendingSearchMatch)).all() == []
