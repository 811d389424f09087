"""People and practices the curation tests share."""

import pytest


@pytest.fixture
def moderator(make):
    return make.user(name="Mina Moderator", role="moderator")


@pytest.fixture
def member(make):
    return make.user(name="Maya Member")


@pytest.fixture
def published(make):
    """Three published practices of one organisation, A to C."""
    organisation = make.organisation(name="Lakeside Council")
    return [make.practice(organisation=organisation, title=f"Practice {letter}")
            for letter in "ABC"]
