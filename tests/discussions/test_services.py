"""Discussion rules: threads as trees, who may do what, mentions, helpful marks, answers."""

import pytest
from sqlalchemy import func, select

from nanum.discussions import mentions, services, signals
from nanum.discussions.models import Helpful, Mention, Post
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db


def opening(thread):
    return db.session.scalars(select(Post).where(Post.thread_id == thread.id)
                              .order_by(Post.id)).first()


def post_count():
    return db.session.scalar(select(func.count(Post.id)))


def chain(thread, people, length, parent=None):
    """Post `length` replies, each answering the one before; return them."""
    posts = []
    for number in range(length):
        parent = services.reply(people[number % len(people)], thread=thread,
                                body=f"Reply number {number}",
                                parent_id=parent.id if parent else None)
        posts.append(parent)
    return posts


# -- building the thread -------------------------------------------------------------------

def test_replies_nest_under_their_parents(question, asker, helper):
    first = opening(question)
    answer = services.reply(helper, thread=question, body="Ask the council.", parent_id=first.id)
    follow_up = services.reply(asker, thread=question, body="Which one?", parent_id=answer.id)
    other = services.reply(helper, thread=question, body="A second thought.")

    page = services.thread_page(question, asker)

    assert [node.post for node in page.nodes] == [first, other]
    root = page.nodes[0]
    assert root.depth == 0 and [c.post for c in root.children] == [answer]
    assert root.children[0].depth == 1
    assert [c.post for c in root.children[0].children] == [follow_up]
    assert root.children[0].children[0].depth == 2
    assert page.total == 4 and page.pages == 1


def test_replies_deeper_than_four_levels_are_shown_flat_saying_whom_they_answer(
        question, asker, helper):
    first = opening(question)
    posts = chain(question, [helper, asker], 6, parent=first)  # depths 1, 2, 3, then too deep

    page = services.thread_page(question, asker)

    level1 = page.nodes[0].children[0]
    level2 = level1.children[0]
    level3 = level2.children[0]
    assert [level1.post, level2.post, level3.post] == posts[:3]
    assert level3.depth == services.MAX_DEPTH - 1 and level3.replying_to is None
    # The rest sit beside the deepest level, each saying which post it answers.
    flat = level2.children[1:]
    assert [node.post for node in flat] == posts[3:]
    assert [node.replying_to for node in flat] == posts[2:5]
    assert all(node.depth == services.MAX_DEPTH - 1 and not node.children for node in flat)


def test_a_deleted_post_keeps_its_replies(question, asker, helper):
    answer = services.reply(helper, thread=question, body="Try a levy.")
    reply = services.reply(asker, thread=question, body="What levy?", parent_id=answer.id)
    services.remove(helper, answer)

    page = services.thread_page(question, asker)

    node = page.nodes[1]
    assert node.post == answer and answer.is_deleted and not answer.is_visible
    assert [child.post for child in node.children] == [reply]
    assert answer.body == "Try a levy."  # kept, unseen


def test_the_accepted_answer_comes_first_apart_from_the_rest(question, asker, helper, make):
    other = make.user()
    early = services.reply(other, thread=question, body="An early idea.")
    best = services.reply(helper, thread=question, body="What worked for us.")
    services.accept(asker, best)

    page = services.thread_page(question, asker)

    assert page.accepted == best
    assert [node.post for node in page.nodes] == [opening(question), early]


def test_pages_hold_twenty_top_level_posts_with_all_their_replies(question, asker, helper):
    roots = [services.reply(helper, thread=question, body=f"Answer {n}") for n in range(24)]
    late_reply = services.reply(asker, thread=question, body="On page two", parent_id=roots[22].id)

    first = services.thread_page(question, asker, page=1)
    second = services.thread_page(question, asker, page=2)

    assert first.pages == second.pages == 2
    assert len(first.nodes) == 20 and len(second.nodes) == 5
    assert second.nodes[3].children[0].post == late_reply
    assert services.page_of(late_reply) == 2 and services.page_of(roots[0]) == 1
    assert services.thread_page(question, asker, page=99).page == 2


def test_held_posts_are_shown_to_their_author_only(app, question, asker, make):
    app.config["DISCUSSIONS_HOLD_NEW_ACCOUNTS"] = True
    newcomer = make.user()
    held = services.reply(newcomer, thread=question, body="My first post")
    assert held.held

    assert held in [n.post for n in services.thread_page(question, newcomer).nodes]
    assert held not in [n.post for n in services.thread_page(question, asker).nodes]


# -- who may do what -----------------------------------------------------------------------

def test_only_the_author_edits_and_deletes(question, asker, helper):
    post = opening(question)
    with pytest.raises(Forbidden):
        services.edit(helper, post, "Taken over")
    with pytest.raises(Forbidden):
        services.remove(helper, post)
    db.session.refresh(post)
    assert post.body == "We are starting a flood warden scheme." and not post.is_deleted

    services.edit(asker, post, "We are starting a flood warden scheme in Kisumu.")
    assert post.edited_at is not None and post.body.endswith("in Kisumu.")
    services.remove(asker, post)
    assert post.is_deleted
    with pytest.raises(Forbidden):
        services.edit(asker, post, "Back from the dead")


def test_an_edit_keeps_the_earlier_text_for_moderators(question, asker, helper, moderator):
    post = opening(question)
    services.edit(asker, post, "Second version")
    assert [r.body for r in services.history(moderator, post)] == [
        "We are starting a flood warden scheme."]
    with pytest.raises(Forbidden):
        services.history(helper, post)


def test_a_locked_thread_refuses_replies_with_the_reason(question, helper, moderator):
    before = post_count()
    services.lock(moderator, question, "Answered; see the accepted answer.")

    with pytest.raises(Forbidden, match="see the accepted answer"):
        services.reply(helper, thread=question, body="One more thing")
    assert post_count() == before

    services.unlock(moderator, question)
    services.reply(helper, thread=question, body="One more thing")
    assert post_count() == before + 1


def test_only_moderators_lock_and_they_say_why(question, helper, moderator):
    with pytest.raises(Forbidden):
        services.lock(helper, question, "Because")
    with pytest.raises(Invalid) as error:
        services.lock(moderator, question, "  ")
    assert "reason" in error.value.errors
    assert not question.locked


def test_hidden_threads_are_not_found_except_by_moderators(question, helper, moderator):
    question.hidden = True
    db.session.commit()

    with pytest.raises(NotFound):
        services.get_thread(question.id, helper)
    with pytest.raises(NotFound):
        services.reply(helper, thread=question, body="Hello?")
    assert services.get_thread(question.id, moderator) == question
    assert question.id not in [t.id for t in services.topics().items]


def test_the_thread_of_a_draft_practice_is_out_of_reach(make, helper):
    author = make.member()
    practice = make.practice(organisation=author.memberships[0].organisation)
    thread_page_post = services.reply(author, practice=practice, body="Notes")
    thread = thread_page_post.thread
    practice.status = "draft"
    db.session.commit()

    with pytest.raises(NotFound):
        services.get_thread(thread.id, helper)
    with pytest.raises(NotFound):
        services.reply(helper, practice=practice, body="Can I see this?")
    assert services.get_thread(thread.id, author) == thread  # its organisation still can


def test_the_first_post_under_a_practice_starts_its_thread(make, helper):
    practice = make.practice()
    post = services.reply(helper, practice=practice, body="How long did it take?")
    assert services.thread_of_practice(practice) == post.thread


def test_two_first_replies_at_once_share_the_practice_thread(make, helper, asker,
                                                             monkeypatch):
    practice = make.practice()
    first = services.reply(asker, practice=practice, body="We did this too.")
    # The second reply looked for the thread before the first one was committed.
    looked = []
    real = services.thread_of_practice

    def not_yet(practice):
        looked.append(practice.id)
        return None if len(looked) == 1 else real(practice)

    monkeypatch.setattr(services, "thread_of_practice", not_yet)
    second = services.reply(helper, practice=practice, body="How long did it take?")
    assert second.thread_id == first.thread_id
    assert [p.body for p in db.session.scalars(select(Post).order_by(Post.id))] == [
        "We did this too.", "How long did it take?"]


def test_a_reply_must_answer_a_post_of_the_same_thread(question, helper, asker):
    other = services.start_topic(asker, category="partnerships", title="Partners in Mombasa",
                                 body="Looking for a university.")
    with pytest.raises(Invalid):
        services.reply(helper, thread=question, body="Hi", parent_id=opening(other).id)


@pytest.mark.parametrize("body, message", [
    ("", "Please write something."),
    ("   \n ", "Please write something."),
    ("x" * (services.BODY_LIMIT + 1), "Keep it under 20,000 characters."),
])
def test_empty_or_overlong_posts_are_refused(question, helper, body, message):
    before = post_count()
    with pytest.raises(Invalid) as error:
        services.reply(helper, thread=question, body=body)
    assert error.value.errors == {"body": message}
    assert post_count() == before


def test_topic_fields_are_checked_together(asker):
    with pytest.raises(Invalid) as error:
        services.start_topic(asker, category="nowhere", title="Hi", body="Body",
                             targets=["11.3", "99.9"], tags="a, " + "b" * 51)
    assert set(error.value.errors) == {"category", "title", "targets", "tags"}
    assert post_count() == 0


# -- mentions ------------------------------------------------------------------------------

@pytest.fixture
def mentioned():
    """Collect who each new post mentions, as the notifications would."""
    seen = []

    def listen(post, mentioned):
        seen.append(sorted(person.handle for person in mentioned))

    signals.post_created.connect(listen)
    yield seen
    signals.post_created.disconnect(listen)


def mention_handles(post):
    from nanum.accounts.models import User

    return sorted(db.session.scalars(select(User.handle).join(Mention, Mention.user_id == User.id)
                                     .where(Mention.post_id == post.id)))


def test_mentions_are_found_by_handle(question, asker, helper, make, mentioned):
    grace = make.user(handle="grace-o")
    post = services.reply(asker, thread=question,
                          body="@helper and @Grace-O, any ideas? (cc @nobody-here)")
    assert mention_handles(post) == ["grace-o", "helper"]
    assert mentioned[-1] == ["grace-o", "helper"]
    cooked = post.html("body")
    assert f'href="/people/{grace.id}"' in cooked and f'href="/people/{helper.id}"' in cooked
    assert ">@Grace-O</a>" in cooked and "@nobody-here" in cooked
    assert cooked.count("<a ") == 2


def test_unknown_and_own_handles_and_email_addresses_are_not_mentions(question, asker, make):
    make.user(handle="example")
    post = services.reply(asker, thread=question,
                          body="Me, @asker, and @ghost; write to wardens@example.org or a@b.org")
    assert mention_handles(post) == []


@pytest.mark.parametrize("text, handles", [
    ("hello @ana-b.", ["ana-b"]),
    ("(@ana)", ["ana"]),
    ("someone@ana.org", []),
    ("https://example.org/@ana", []),
    ("@@ana", []),
    ("@-ana", []),
])
def test_the_mention_pattern(text, handles):
    assert [m.group(1) for m in mentions.MENTION.finditer(text)] == handles


def test_a_post_may_mention_only_a_few_people(app, question, asker, make):
    app.config["DISCUSSIONS_MAX_MENTIONS"] = 3
    for number in range(4):
        make.user(handle=f"peer-{number}")
    before = post_count()
    with pytest.raises(Invalid, match="at most 3"):
        services.reply(asker, thread=question, body="@peer-0 @peer-1 @peer-2 @peer-3")
    assert post_count() == before
    post = services.reply(asker, thread=question, body="@peer-0 @peer-1 @peer-2")
    assert len(mention_handles(post)) == 3


def test_an_edit_mentions_only_the_newly_named(question, asker, helper, make, mentioned):
    make.user(handle="grace")
    post = services.reply(asker, thread=question, body="Thanks @helper")
    services.edit(asker, post, "Thanks @helper and @grace")
    assert mention_handles(post) == ["grace", "helper"]


# -- helpful marks -------------------------------------------------------------------------

def test_helpful_marks_are_one_per_person_and_can_be_taken_back(question, asker, helper, make):
    answer = services.reply(helper, thread=question, body="Use the ward budget.")
    other = make.user()

    assert services.toggle_helpful(asker, answer) is True
    assert services.toggle_helpful(other, answer) is True
    assert answer.helpful_count == 2
    assert services.toggle_helpful(asker, answer) is False
    assert answer.helpful_count == 1
    assert db.session.scalar(select(func.count()).select_from(Helpful)) == 1
    assert services.thread_page(question, other).helpful_by_me == {answer.id}


def test_nobody_marks_their_own_post_helpful(question, helper):
    answer = services.reply(helper, thread=question, body="Use the ward budget.")
    with pytest.raises(Invalid, match="your own post"):
        services.toggle_helpful(helper, answer)
    assert answer.helpful_count == 0


def test_deleted_posts_cannot_be_marked(question, asker, helper):
    answer = services.reply(helper, thread=question, body="Use the ward budget.")
    services.remove(helper, answer)
    with pytest.raises(Invalid):
        services.toggle_helpful(asker, answer)


# -- accepted answers ----------------------------------------------------------------------

def test_the_asker_accepts_an_answer_in_the_questions_category(question, asker, helper):
    answer = services.reply(helper, thread=question, body="Use the ward budget.")
    assert services.can_accept(asker, question) and not services.can_accept(helper, question)

    assert services.accept(asker, answer) is True
    assert question.accepted_post_id == answer.id
    assert services.accept(asker, answer) is False  # again: taken back
    assert question.accepted_post_id is None


def test_others_cannot_accept(question, asker, helper, moderator, make):
    answer = services.reply(helper, thread=question, body="Use the ward budget.")
    for person in (helper, moderator, make.user()):
        with pytest.raises(Forbidden):
            services.accept(person, answer)
    assert question.accepted_post_id is None


def test_no_accepted_answer_in_a_topic_that_is_not_a_question(asker, helper):
    topic = services.start_topic(asker, category="sdg-11", title="Urban planning tools",
                                 body="What do you use?")
    answer = services.reply(helper, thread=topic, body="QGIS.")
    assert not services.can_accept(asker, topic)
    with pytest.raises(Forbidden):
        services.accept(asker, answer)
    assert topic.accepted_post_id is None


@pytest.mark.parametrize("category", ["sdg-6", "theme-drr_resilience", "partnerships"])
def test_a_question_in_any_category_can_have_an_accepted_answer(asker, helper, category):
    topic = services.start_topic(asker, category=category, title="Which pumps last longest?",
                                 body="Ours break every year.", question=True)
    answer = services.reply(helper, thread=topic, body="Solar pumps with local spares.")
    assert topic.is_question and not services.can_accept(helper, topic)
    with pytest.raises(Forbidden):
        services.accept(helper, answer)
    assert services.accept(asker, answer) is True
    assert topic.accepted_post_id == answer.id


def test_the_question_itself_is_not_an_answer(question, asker):
    with pytest.raises(Invalid):
        services.accept(asker, opening(question))


def test_the_practice_organisation_accepts_in_a_practice_thread(make, helper):
    member = make.member()
    practice = make.practice(organisation=member.memberships[0].organisation)
    question = services.reply(helper, practice=practice, body="How long?")
    answer = services.reply(member, thread=question.thread, body="Two years.",
                            parent_id=question.id)

    with pytest.raises(Forbidden):
        services.accept(helper, answer)
    assert services.accept(member, answer) is True
    assert question.thread.accepted_post_id == answer.id


def test_deleting_the_accepted_answer_unaccepts_it(question, asker, helper):
    answer = services.reply(helper, thread=question, body="Use the ward budget.")
    services.accept(asker, answer)
    services.remove(helper, answer)
    assert question.accepted_post_id is None


# -- people for @mention completion --------------------------------------------------------

def test_people_like_matches_handles_and_names(make):
    make.user(handle="wanjiru", name="Wanjiru Kamau")
    make.user(handle="kamau-j", name="Joseph Kamau")
    make.user(handle="inactive", name="Wandering Ghost", active=False)
    assert [p.handle for p in services.people_like("@wan")] == ["wanjiru"]
    assert [p.handle for p in services.people_like("jos")] == ["kamau-j"]
    assert services.people_like("") == []
    for number in range(10):
        make.user(handle=f"wa-{number}", name=f"Wa {number}")
    assert len(services.people_like("wa")) == 8


def _shown(nodes):
    for node in nodes:
        yield node.post
        yield from _shown(node.children)


def test_replies_to_an_accepted_top_level_answer_stay_in_the_page(question, asker, helper):
    answer = services.reply(helper, thread=question, body="Use the ward budget.")
    thanks = services.reply(asker, thread=question, body="Thanks!", parent_id=answer.id)
    services.accept(asker, answer)
    page = services.thread_page(question, asker)
    assert page.accepted_node.post == answer and page.accepted_node.children == []
    assert [node.post for node in page.accepted_replies] == [thanks]
    assert thanks not in list(_shown(page.nodes))


def test_a_parent_that_is_not_a_number_is_refused(question, helper):
    with pytest.raises(Invalid):
        services.reply(helper, thread=question, body="Hello", parent_id="abc")


def test_targets_may_come_as_text(asker):
    thread = services.start_topic(asker, category="questions", title="Flood warnings by SMS",
                                  body="Who pays for the messages?", targets="11.5, 13.1")
    assert thread.target_keys == ["11.5", "13.1"]


def test_deleting_a_post_lowers_the_count(question, helper):
    before = question.post_count
    post = services.reply(helper, thread=question, body="A reply")
    services.remove(helper, post)
    assert question.post_count == before


def test_empty_body_and_bad_title_are_reported_together(asker):
    with pytest.raises(Invalid) as caught:
        services.start_topic(asker, category="questions", title="x", body="")
    assert {"title", "body"} <= set(caught.value.errors)
