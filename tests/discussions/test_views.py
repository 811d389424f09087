"""Discussion pages as people use them: forms, links, safety, limits and query counts."""

import re

import pytest
from sqlalchemy import func, select

from nanum.discussions import services
from nanum.discussions.models import Post, Thread
from nanum.extensions import db

TOPIC = {"category": "questions", "title": "How did you pay for flood wardens?",
         "body": "We have **no** budget line yet.", "targets": "11.5, 13.1",
         "tags": "floods, budget", "action": "post"}


def posts():
    return db.session.scalar(select(func.count(Post.id)))


def threads():
    return db.session.scalar(select(func.count(Thread.id)))


def page_text(response):
    return response.get_data(as_text=True)


def topic_url(thread):
    return f"/discussions/t/{thread.id}"


def first_post(thread):
    return db.session.scalars(select(Post).where(Post.thread_id == thread.id)
                              .order_by(Post.id)).first()


@pytest.fixture
def logged_in_helper(auth, helper):
    auth.login("helper@example.org")
    return helper


# -- browsing ------------------------------------------------------------------------------

def test_the_index_groups_categories_and_lists_the_latest_topics(client, question):
    html = page_text(client.get("/discussions/"))
    for heading in ("Cooperation", "SDGs", "Themes", "Questions to implementers",
                    "Partnerships sought", "SDG 11: "):
        assert heading in html
    assert "How did you fund wardens?" in html
    assert re.search(r'href="/discussions/c/questions">.*?</a>.*?1 topic<', html, re.S)


def test_a_category_lists_its_topics_newest_activity_first(client, asker, helper):
    older = services.start_topic(asker, category="partnerships", title="Older partnership",
                                 body="Text")
    services.start_topic(asker, category="partnerships", title="Newer partnership", body="Text")
    services.start_topic(asker, category="questions", title="Elsewhere entirely", body="Text")
    services.reply(helper, thread=older, body="Bumping this one")

    html = page_text(client.get("/discussions/c/partnerships"))

    assert "Elsewhere entirely" not in html
    assert html.index("Older partnership") < html.index("Newer partnership")
    assert 'href="/discussions/new?category=partnerships"' in html  # "Start a topic"


def test_an_unknown_category_is_not_found(client):
    response = client.get("/discussions/c/no-such-thing")
    assert response.status_code == 404
    assert "no such discussion category" in page_text(response)


def test_categories_are_paginated(client, asker):
    for number in range(31):
        services.start_topic(asker, category="sdg-6", title=f"Water topic {number:02}", body="x")
    first = page_text(client.get("/discussions/c/sdg-6"))
    second = page_text(client.get("/discussions/c/sdg-6?page=2"))
    assert "Water topic 30" in first and "Water topic 00" not in first
    assert "Water topic 00" in second and 'href="/discussions/c/sdg-6?page=2"' in first


# -- starting a topic ----------------------------------------------------------------------

def test_starting_a_topic_needs_an_account(client):
    response = client.get("/discussions/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_start_a_topic(client, post, logged_in_helper):
    response = post("/discussions/new", TOPIC)
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert response.headers["Location"].endswith(topic_url(thread))
    html = page_text(client.get(topic_url(thread)))
    assert "How did you pay for flood wardens?" in html and "<strong>no</strong>" in html
    assert "Questions to implementers" in html and ">11.5<" in html and ">floods<" in html


def test_the_category_is_chosen_from_the_link(client, logged_in_helper):
    html = page_text(client.get("/discussions/new?category=partnerships"))
    assert '<option value="partnerships" selected>' in html


def test_preview_shows_the_text_and_saves_nothing(client, post, logged_in_helper):
    response = post("/discussions/new", {**TOPIC, "action": "preview"})
    html = page_text(response)
    assert response.status_code == 200 and "Preview" in html and "<strong>no</strong>" in html
    assert "We have **no** budget line yet." in html  # still in the form
    assert threads() == 0


def test_preview_shows_the_targets_and_tags_the_topic_will_have(client, post, logged_in_helper):
    html = page_text(post("/discussions/new", {**TOPIC, "targets": "11.5 13.1",
                                               "action": "preview"}))
    panel = html.split('id="preview-title"')[1].split("</section>")[0]
    assert "/sdg/11.5" in panel and "/sdg/13.1" in panel and ">budget<" in panel
    assert 'id="targets-error"' not in html and threads() == 0


@pytest.mark.parametrize("change, field, message", [
    ({"body": ""}, "body", "Please write something."),
    ({"body": "x" * 20001}, "body", "Keep it under 20,000 characters."),
    ({"category": "nowhere"}, "category", "Please choose a category."),
    ({"title": "Hey"}, "title", "at least 5 characters"),
    ({"targets": "11.3, 42.1"}, "targets", "Unknown SDG target"),
])
@pytest.mark.parametrize("action", ["post", "preview"])
def test_bad_topics_say_why_keep_the_text_and_save_nothing(client, post, logged_in_helper,
                                                           change, field, message, action):
    response = post("/discussions/new", {**TOPIC, **change, "action": action})
    html = page_text(response)
    assert response.status_code == 200
    assert re.search(rf'id="{field}-error">\s*[^<]*{re.escape(message)}', html)
    assert TOPIC["tags"] in html  # what was typed is kept
    if field != "body":
        assert TOPIC["body"] in html
    assert threads() == 0 and posts() == 0


# -- the topic page ------------------------------------------------------------------------

def test_anonymous_readers_see_the_thread_and_a_login_link(client, question, helper):
    services.reply(helper, thread=question, body="Try the ward fund.")
    html = page_text(client.get(topic_url(question)))
    assert "Try the ward fund." in html and "Log in to reply" in html
    assert 'name="body"' not in html


def test_the_thread_nests_and_marks_the_accepted_answer(client, auth, question, asker, helper):
    answer = services.reply(helper, thread=question, body="Ask the county.")
    thanks = services.reply(asker, thread=question, body="Thank you!", parent_id=answer.id)
    services.accept(asker, answer)
    auth.login("asker@example.org")

    html = page_text(client.get(topic_url(question)))

    box, _, after = html[html.index('class="accepted-answer"'):].partition("</section>")
    assert f'id="post-{answer.id}"' in box and "Accepted answer" in box
    assert f'id="post-{thanks.id}"' not in box  # the frame holds the answer alone
    assert f'id="post-{thanks.id}"' in after.split('class="post-list"')[0]  # its replies follow
    assert 'class="post-item depth-1"' in after
    assert html.count(f'id="post-{answer.id}"') == 1 and html.count(f'id="post-{thanks.id}"') == 1
    assert "Unmark accepted answer" in box


def test_deep_replies_are_flattened_with_a_link_to_whom_they_answer(client, question, asker,
                                                                    helper):
    parent = first_post(question)
    for number in range(5):
        parent = services.reply(helper if number % 2 else asker, thread=question,
                                body=f"Level {number + 1}", parent_id=parent.id)
    html = page_text(client.get(topic_url(question)))
    assert "post-item depth-4" not in html
    assert html.count('class="post-item depth-3"') == 3
    deepest = html[html.index(f'id="post-{parent.id}"'):]
    assert re.search(rf'class="replying-to" href="#post-{parent.parent_id}">replying to '
                     rf'{helper.name}', deepest)


def test_deleted_posts_leave_a_placeholder_and_their_replies(client, post, auth, question,
                                                             asker, helper):
    answer = services.reply(helper, thread=question, body="Ask the county.")
    services.reply(asker, thread=question, body="Which office?", parent_id=answer.id)
    auth.login("helper@example.org")

    response = post(f"/posts/{answer.id}/delete", page=topic_url(question))

    assert response.status_code == 302
    html = page_text(client.get(response.headers["Location"]))
    assert "Deleted by its author." in html and "Ask the county." not in html
    assert "Which office?" in html


def test_markdown_links_are_marked_and_raw_html_is_dropped(client, question, helper):
    services.reply(helper, thread=question, body=(
        "See [our report](https://example.org/report) and "
        "<script>alert('x')</script><img src=x onerror=alert(1)> "
        "[bad](javascript:alert(1))"))
    html = page_text(client.get(topic_url(question)))
    assert 'href="https://example.org/report" rel="nofollow ugc noopener"' in html
    assert "<script>alert" not in html and "onerror" not in html
    assert "javascript:" not in html


def test_mentions_link_to_profiles_unless_unknown_or_in_code(client, question, asker, helper):
    services.reply(asker, thread=question,
                   body="Thanks @helper! Not @nobody. Code: `@helper`. Mail: x@helper.org")
    html = page_text(client.get(topic_url(question)))
    assert f'<a href="/people/{helper.id}" rel="nofollow ugc noopener">@helper</a>' in html
    assert "Not @nobody." in html and "<code>@helper</code>" in html
    assert "x@helper.org" in html


def test_quote_prefills_the_reply_with_the_post(client, auth, question, helper):
    answer = services.reply(helper, thread=question, body="Line one\n\nLine two")
    auth.login("asker@example.org")
    html = page_text(client.get(f"{topic_url(question)}?quote={answer.id}"))
    assert re.search(r'id="reply-body"[^>]*>\s*&gt; Line one\n&gt;\n&gt; Line two', html)


def test_post_controls_follow_who_is_looking(client, auth, question, asker, helper, moderator):
    answer = services.reply(helper, thread=question, body="Ask the county.")
    services.edit(helper, answer, "Ask the county office.")
    auth.login("asker@example.org")
    html = page_text(client.get(topic_url(question)))
    own = html[html.index(f'id="post-{first_post(question).id}"'):html.index(
        f'id="post-{answer.id}"')]
    theirs = html[html.index(f'id="post-{answer.id}"'):]
    assert f"/posts/{first_post(question).id}/edit" in own and "/helpful" not in own
    assert "Accept as answer" not in own  # the question itself
    assert f"/posts/{answer.id}/helpful" in theirs and f"/posts/{answer.id}/edit" not in theirs
    assert "Accept as answer" in theirs and "History" not in theirs
    assert "edited" in theirs
    auth.logout()
    auth.login("mod@example.org")
    html = page_text(client.get(topic_url(question)))
    assert f"/posts/{answer.id}/history" in html and "Lock discussion" in html
    assert "Accept as answer" not in html


# -- replying ------------------------------------------------------------------------------

def test_a_reply_lands_on_its_anchor(client, post, logged_in_helper, question):
    response = post(f"{topic_url(question)}/reply", {"body": "Ask the county."},
                    page=topic_url(question))
    reply = db.session.scalars(select(Post).order_by(Post.id.desc())).first()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{topic_url(question)}?page=1#post-{reply.id}")
    assert reply.body == "Ask the county." and reply.author == logged_in_helper


def test_a_nested_reply(client, post, logged_in_helper, question):
    parent = first_post(question)
    post(f"{topic_url(question)}/reply", {"body": "Nested", "parent_id": parent.id},
         page=topic_url(question))
    reply = db.session.scalars(select(Post).order_by(Post.id.desc())).first()
    assert reply.parent_id == parent.id


@pytest.mark.parametrize("body, message", [
    ("   ", "Please write something."),
    ("Too long " * 2300, "Keep it under 20,000 characters."),
])
def test_a_bad_reply_keeps_the_text_and_says_why(client, post, logged_in_helper, question,
                                                 body, message):
    before = posts()
    response = post(f"{topic_url(question)}/reply", {"body": body}, page=topic_url(question))
    html = page_text(response)
    assert response.status_code == 200
    assert re.search(rf'id="reply-body-error">\s*{re.escape(message)}', html)
    if body.strip():
        assert body.strip()[:200] in html
    assert posts() == before


def test_a_reply_to_a_post_elsewhere_is_refused(client, post, logged_in_helper, question,
                                                asker):
    other = services.start_topic(asker, category="sdg-6", title="Another topic", body="x")
    before = posts()
    response = post(f"{topic_url(question)}/reply",
                    {"body": "Keep me", "parent_id": first_post(other).id},
                    page=topic_url(question))
    html = page_text(response)
    assert response.status_code == 200 and "not in this discussion" in html
    assert "Keep me" in html and posts() == before


def test_a_locked_topic_shows_why_and_keeps_an_unsent_reply(client, logged_in_helper, question,
                                                            moderator):
    from fixtures.app import csrf_token

    token = csrf_token(client, topic_url(question))  # the form was open before the lock
    services.lock(moderator, question, "Moved to the partnerships category.")
    before = posts()

    response = client.post(f"{topic_url(question)}/reply",
                           data={"body": "My long answer", "csrf_token": token})

    html = page_text(response)
    assert response.status_code == 200 and posts() == before
    assert "Moved to the partnerships category." in html
    assert "My long answer" in html and 'id="reply-body"' not in html


def test_replies_need_an_account(client, question):
    response = client.post(f"{topic_url(question)}/reply", data={"body": "Hi"})
    assert response.status_code in (302, 400)
    assert posts() == 1


def test_the_first_reply_under_a_practice_starts_its_discussion(client, post, logged_in_helper,
                                                                make):
    practice = make.practice()
    url = f"/practices/{practice.id}"
    assert "No one has written here yet." in page_text(client.get(url))

    response = post(f"{url}/discussion", {"body": "How long did it take?"}, page=url)

    reply = db.session.scalar(select(Post))
    assert response.headers["Location"].endswith(f"{url}?page=1#post-{reply.id}")
    assert services.thread_of_practice(practice) == reply.thread
    html = page_text(client.get(url))
    assert "How long did it take?" in html and f'action="{url}/discussion"' in html


def test_a_bad_reply_under_a_practice_keeps_the_text(client, post, logged_in_helper, make):
    practice = make.practice(title="Community flood wardens")
    url = f"/practices/{practice.id}"
    response = post(f"{url}/discussion", {"body": "x" * 20001 + "KEEP"}, page=url)
    html = page_text(response)
    assert response.status_code == 200 and "Community flood wardens" in html
    assert "Keep it under 20,000 characters." in html and "KEEP" in html
    assert posts() == 0


def test_practice_discussions_invite_anonymous_readers_to_log_in(client, make):
    practice = make.practice()
    html = page_text(client.get(f"/practices/{practice.id}"))
    assert "Log in to join the discussion" in html


def test_draft_practices_have_no_discussion(client, post, auth, make):
    member = make.member(email="member@example.org")
    practice = make.practice(organisation=member.memberships[0].organisation, status="draft",
                             published_at=None)
    auth.login("member@example.org")
    url = f"/practices/{practice.id}"
    html = page_text(client.get(url))
    assert 'id="discussion"' not in html
    response = post(f"{url}/discussion", {"body": "Hello"}, page=url)
    assert response.status_code == 404 and posts() == 0


def test_hidden_threads_show_a_placeholder_and_their_posts_are_not_found(client, auth, question,
                                                                        helper, moderator):
    question.hidden = True
    db.session.commit()
    post_id = first_post(question).id
    auth.login("helper@example.org")
    # Others get a neutral placeholder in place of the topic, and nothing of what it said.
    response = client.get(topic_url(question))
    assert "hidden by moderation" in page_text(response)
    assert question.title not in page_text(response)
    assert client.get(f"/posts/{post_id}").status_code == 404
    auth.logout()
    auth.login("mod@example.org")
    assert client.get(topic_url(question)).status_code == 200


# -- the stable link -----------------------------------------------------------------------

def test_the_stable_link_lands_on_the_right_page(client, question, asker, helper):
    roots = [services.reply(helper, thread=question, body=f"Answer number {n}")
             for n in range(24)]
    late = services.reply(asker, thread=question, body="A reply on page two",
                          parent_id=roots[21].id)

    response = client.get(f"/posts/{late.id}")

    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith(f"{topic_url(question)}?page=2#post-{late.id}")
    html = page_text(client.get(location))
    assert f'id="post-{late.id}"' in html and "A reply on page two" in html
    assert f'href="{topic_url(question)}#discussion"' in html  # back to page 1
    early = page_text(client.get(client.get(f"/posts/{roots[0].id}").headers["Location"]))
    assert f'id="post-{roots[0].id}"' in early and f'id="post-{late.id}"' not in early


def test_the_stable_link_of_a_practice_post_goes_to_the_practice(client, make, helper):
    practice = make.practice()

    reply = services.reply(helper, practice=practice, body="Hi")
    response = client.get(f"/posts/{reply.id}")
    assert response.headers["Location"].endswith(
        f"/practices/{practice.id}?page=1#post-{reply.id}")
    assert client.get(f"/discussions/t/{reply.thread_id}").status_code == 302


def test_an_unknown_post_is_not_found(client):
    assert client.get("/posts/999").status_code == 404


# -- editing and deleting ------------------------------------------------------------------

def test_edit_your_post(client, post, auth, question, asker):
    mine = first_post(question)
    auth.login("asker@example.org")
    url = f"/posts/{mine.id}/edit"
    assert "We are starting a flood warden scheme." in page_text(client.get(url))

    response = post(url, {"body": "Now with *details*", "action": "save"})

    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"#post-{mine.id}")
    db.session.refresh(mine)
    assert mine.body == "Now with *details*" and mine.edited_at is not None


def test_a_bad_edit_keeps_the_text_and_changes_nothing(client, post, auth, question):
    mine = first_post(question)
    auth.login("asker@example.org")
    url = f"/posts/{mine.id}/edit"
    response = post(url, {"body": "x" * 20001, "action": "save"})
    assert response.status_code == 200
    assert "Keep it under 20,000 characters." in page_text(response)
    preview = post(url, {"body": "A *preview*", "action": "preview"})
    assert "<em>preview</em>" in page_text(preview)
    db.session.refresh(mine)
    assert mine.body == "We are starting a flood warden scheme." and mine.edited_at is None


def test_someone_elses_post_cannot_be_edited_or_deleted(client, post, logged_in_helper,
                                                        question):
    theirs = first_post(question)
    assert client.get(f"/posts/{theirs.id}/edit").status_code == 403
    response = post(f"/posts/{theirs.id}/edit", {"body": "Mine now", "action": "save"},
                    page=topic_url(question))
    assert response.status_code == 403 and "your own posts" in page_text(response)
    response = post(f"/posts/{theirs.id}/delete", page=topic_url(question))
    assert response.status_code == 403 and "your own posts" in page_text(response)
    db.session.refresh(theirs)
    assert theirs.body == "We are starting a flood warden scheme." and not theirs.is_deleted


# -- helpful, accept, history, lock --------------------------------------------------------

def test_mark_helpful_and_take_it_back(client, post, logged_in_helper, question):
    theirs = first_post(question)
    url = f"/posts/{theirs.id}/helpful"
    post(url, page=topic_url(question))
    html = page_text(client.get(topic_url(question)))
    assert 'aria-pressed="true"' in html and "· 1" in html
    post(url, page=topic_url(question))
    db.session.refresh(theirs)
    assert theirs.helpful_count == 0


def test_your_own_post_cannot_be_marked_helpful(client, post, auth, question):
    mine = first_post(question)
    auth.login("asker@example.org")
    response = post(f"/posts/{mine.id}/helpful", page=topic_url(question),
                    follow_redirects=True)
    assert "You cannot mark your own post as helpful." in page_text(response)
    db.session.refresh(mine)
    assert mine.helpful_count == 0


def test_only_the_asker_accepts(client, post, auth, question, helper):
    answer = services.reply(helper, thread=question, body="Ask the county.")
    auth.login("helper@example.org")
    response = post(f"/posts/{answer.id}/accept", page=topic_url(question))
    assert response.status_code == 403 and "Only the asker" in page_text(response)
    assert question.accepted_post_id is None
    auth.logout()
    auth.login("asker@example.org")
    response = post(f"/posts/{answer.id}/accept", page=topic_url(question),
                    follow_redirects=True)
    assert "Marked as the accepted answer." in page_text(response)
    db.session.refresh(question)
    assert question.accepted_post_id == answer.id


def test_a_topic_can_be_asked_as_a_question_in_any_category(client, post, auth, asker, helper):
    auth.login("asker@example.org")
    post("/discussions/new", {**TOPIC, "category": "sdg-6", "question": "y"})
    post("/discussions/new", {**TOPIC, "category": "sdg-6", "title": "Just sharing a story"})
    question, story = db.session.scalars(select(Thread).order_by(Thread.id)).all()
    assert question.question and not story.question
    for thread in (question, story):
        services.reply(helper, thread=thread, body="Solar pumps with local spares.")
    assert "Accept as answer" in page_text(client.get(topic_url(question)))
    assert "Accept as answer" not in page_text(client.get(topic_url(story)))


def test_history_is_for_moderators(client, auth, question, asker, helper, moderator):
    mine = first_post(question)
    services.edit(asker, mine, "The new text")
    assert client.get(f"/posts/{mine.id}/history").status_code == 403
    auth.login("helper@example.org")
    assert client.get(f"/posts/{mine.id}/history").status_code == 403
    auth.logout()
    auth.login("mod@example.org")
    html = page_text(client.get(f"/posts/{mine.id}/history"))
    assert "We are starting a flood warden scheme." in html and "The new text" in html


@pytest.fixture
def logged_in_moderator(auth, moderator):
    auth.login("mod@example.org")
    return moderator


def test_moderators_lock_with_a_reason_and_unlock(client, post, logged_in_moderator, question):
    url = f"{topic_url(question)}/lock"
    response = post(url, {"reason": ""}, page=topic_url(question), follow_redirects=True)
    assert "Say why the discussion is locked." in page_text(response)
    db.session.refresh(question)
    assert not question.locked

    post(url, {"reason": "Off topic for this category."}, page=topic_url(question))
    html = page_text(client.get(topic_url(question)))
    assert "This discussion is locked." in html and "Off topic for this category." in html
    assert 'id="reply-body"' not in html

    post(f"{topic_url(question)}/unlock", page=topic_url(question))
    db.session.refresh(question)
    assert not question.locked and question.lock_reason is None


def test_members_cannot_lock(client, post, logged_in_helper, question):
    response = post(f"{topic_url(question)}/lock", {"reason": "Mine"}, page=topic_url(question))
    assert response.status_code == 403
    db.session.refresh(question)
    assert not question.locked


# -- @mention completion -------------------------------------------------------------------

def test_people_api_suggests_handles(client, logged_in_helper, make):
    make.user(handle="wanjiru", name="Wanjiru Kamau")
    for number in range(10):
        make.user(handle=f"wa-{number}", name=f"Wa {number}")
    response = client.get("/api/people?q=wanj")
    assert response.status_code == 200
    assert response.get_json() == [{"handle": "wanjiru", "name": "Wanjiru Kamau"}]
    assert len(client.get("/api/people?q=wa").get_json()) == 8
    assert client.get("/api/people?q=").get_json() == []


def test_people_api_needs_an_account(client):
    assert client.get("/api/people?q=a").status_code in (302, 401)


# -- limits and costs ----------------------------------------------------------------------

def test_posting_is_rate_limited(config, tmp_path):
    from fixtures.app import Auth, csrf_token
    from fixtures.factories import UserFactory
    from nanum import create_app

    app = create_app({**config, "RATELIMIT_ENABLED": True, "RATELIMIT_POST": "2 per minute"},
                     instance_path=tmp_path / "limited")
    with app.app_context():
        db.create_all()
        author = UserFactory(email="fast@example.org")
        topic = services.start_topic(author, category="sdg-1", title="Fast poster", body="x")
        client = app.test_client()
        Auth(client).login("fast@example.org")
        url = f"/discussions/t/{topic.id}"
        token = csrf_token(client, url)
        statuses = [client.post(f"{url}/reply", data={"body": f"Reply {n}",
                                                      "csrf_token": token}).status_code
                    for n in range(4)]
        saved = posts()
        db.session.remove()
    assert statuses == [302, 302, 429, 429]
    assert saved == 3


def _build(thread, people, size, nested):
    """Add `size - 1` replies: each answering the previous one, or all at the top level."""
    parent = first_post(thread)
    for number in range(size - 1):
        parent = services.reply(people[number % 2], thread=thread,
                                body=f"Reply {number} to @{people[(number + 1) % 2].handle}",
                                parent_id=parent.id if nested else None)


@pytest.mark.parametrize("nested", [False, True], ids=["flat", "nested"])
def test_a_topic_page_costs_the_same_queries_for_3_or_40_posts(client, auth, asker, helper,
                                                               count_queries, nested):
    from nanum.search import service

    small = services.start_topic(asker, category="questions", title="A small topic", body="x")
    large = services.start_topic(asker, category="questions", title="A large topic", body="x")
    _build(small, [asker, helper], 3, nested)
    _build(large, [asker, helper], 40, nested)
    services.toggle_helpful(helper, first_post(large))
    services.toggle_helpful(helper, first_post(small))
    auth.login("helper@example.org")
    urls = [topic_url(small), topic_url(large)]
    service.sync()
    client.get(urls[0])  # warm up

    counts = []
    for url in urls:
        db.session.remove()
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12


def test_held_posts_wait_for_moderation_in_view_of_their_author(app, client, post, auth, make,
                                                                question):
    app.config["DISCUSSIONS_HOLD_NEW_ACCOUNTS"] = True
    make.user(email="new@example.org")
    auth.login("new@example.org")
    response = post(f"{topic_url(question)}/reply", {"body": "My very first words"},
                    page=topic_url(question), follow_redirects=True)
    html = page_text(response)
    assert "once a moderator has seen it" in html
    assert "My very first words" in html and "Waiting for moderation" in html
    held = db.session.scalars(select(Post).order_by(Post.id.desc())).first()
    auth.logout()
    html = page_text(client.get(topic_url(question)))
    assert "My very first words" not in html
    assert client.get(f"/posts/{held.id}").status_code == 404
