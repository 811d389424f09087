"""People and topics the discussion tests share."""

import pytest

from nanum.discussions import services


@pytest.fixture
def asker(make):
    return make.user(email="asker@example.org", handle="asker", name="Ada Asker")


@pytest.fixture
def helper(make):
    return make.user(email="helper@example.org", handle="helper", name="Hal Helper")


@pytest.fixture
def moderator(make):
    return make.user(email="mod@example.org", handle="mod", name="Mo Moderator",
                     role="moderator")


@pytest.fixture
def question(asker):
    """A topic in the questions category, opened by `asker`."""
    return services.start_topic(asker, category="questions", title="How did you fund wardens?",
                                body="We are starting a flood warden scheme.")

