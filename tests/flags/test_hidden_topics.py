"""Hidden topics in topic lists: shown, marked with why, to their author and to moderators;
left out for everyone else."""

import pytest

from nanum.discussions import services as discussions
from nanum.flags import actions, services

LISTS = ("/discussions/", "/discussions/c/questions")


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def others_topic(people):
    """A topic by someone else, hidden too: its author's topics are not the author's own."""
    topic = discussions.start_topic(people.b, category="questions",
                                    title="Another hidden question about pumps",
                                    body="Visit my other shop.")
    actions.decide(people.mod, services.flag(people.a, "thread", topic.id, "spam"), "hide",
                   "offensive")
    return topic


@pytest.fixture
def shown_topic(people):
    return discussions.start_topic(people.c, category="questions",
                                   title="How do you maintain rural boreholes?",
                                   body="We lose a pump a month.")


@pytest.mark.parametrize(("who", "sees_own", "sees_others"), [
    (None, False, False), ("a@example.org", False, False), ("new@example.org", False, False),
    ("author@example.org", True, False), ("mod2@example.org", True, True)])
def test_a_topic_hidden_by_a_moderator(client, auth, people, topic, others_topic, shown_topic,
                                       who, sees_own, sees_others):
    actions.decide(people.mod, services.flag(people.a, "thread", topic.id, "spam"), "hide",
                   "spam", "Advertising.")
    if who:
        auth.login(who)
    for url in LISTS:
        page = text(client.get(url))
        assert shown_topic.title in page
        assert (topic.title in page) == sees_own
        assert (others_topic.title in page) == sees_others
        assert ("Hidden by moderation" in page) == (sees_own or sees_others)
        assert ("Reason: Spam or advertising." in page) == sees_own
        assert ("Reason: Offensive or abusive." in page) == sees_others
        assert "Hidden automatically" not in page


@pytest.mark.parametrize(("who", "sees"), [
    (None, False), ("c@example.org", False), ("author@example.org", True),
    ("mod@example.org", True)])
def test_a_topic_hidden_by_flags(client, auth, people, topic, who, sees):
    for flagger in (people.a, people.b, people.c):
        services.flag(flagger, "thread", topic.id, "off_topic")
    if who:
        auth.login(who)
    for url in LISTS:
        page = text(client.get(url))
        assert (topic.title in page) == sees
        assert ("Hidden automatically after flags, until a moderator decides." in page) == sees
        assert ("Reason: Off-topic for Nanum." in page) == sees
    page = text(client.get(f"/discussions/t/{topic.id}"))
    assert ("It was hidden automatically after flags" in page) == sees


def test_a_restored_topic_is_listed_for_everyone_unmarked(client, auth, people, topic):
    entry = services.flag(people.mod, "thread", topic.id, "spam")  # a moderator's flag hides
    assert "Cheap pumps" not in text(client.get("/discussions/"))
    actions.decide(people.mod2, entry, "restore", "policy")
    page = text(client.get("/discussions/"))
    assert topic.title in page and "Hidden by moderation" not in page


def test_everything_of_a_spammer_hidden_in_one_act_is_marked_without_a_reason(
        client, auth, people, topic):
    from nanum.flags import sanctions

    sanctions.act(people.mod, people.author, "hide_all", "spam")
    auth.login("mod2@example.org")
    page = text(client.get("/discussions/"))
    assert topic.title in page and "Hidden by moderation" in page
    assert "Reason:" not in page
