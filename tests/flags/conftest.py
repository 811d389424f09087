"""People and content the flag tests share: established members (older than the new-account
period), a new account, two moderators, and a topic, a post and a practice to flag."""

from datetime import timedelta

import pytest

from nanum.discussions import services as discussions
from nanum.timeutil import utcnow

LONG_AGO = timedelta(days=400)


@pytest.fixture
def people(make):
    old = utcnow() - LONG_AGO

    class People:
        author = make.user(email="author@example.org", name="Ann Author", created_at=old)
        a = make.user(email="a@example.org", name="Flagger A", created_at=old)
        b = make.user(email="b@example.org", name="Flagger B", created_at=old)
        c = make.user(email="c@example.org", name="Flagger C", created_at=old)
        newbie = make.user(email="new@example.org", name="New Person")
        mod = make.user(email="mod@example.org", name="Mo Moderator", role="moderator",
                        created_at=old)
        mod2 = make.user(email="mod2@example.org", name="Max Moderator", role="moderator",
                         created_at=old)

    return People


@pytest.fixture
def topic(people):
    return discussions.start_topic(people.author, category="questions",
                                   title="Cheap pumps for sale, visit my shop",
                                   body="Buy pumps at my shop, best prices.")


@pytest.fixture
def spam_post(people, topic):
    return discussions.reply(people.author, thread=topic, body="Spam spam, buy now.")


@pytest.fixture
def practice(make, people):
    organisation = make.organisation(name="Flagged Council")
    make.membership(user=people.author, organisation=organisation)
    return make.practice(organisation=organisation, status="published",
                         title="Rainwater tanks for schools", author_id=people.author.id)
