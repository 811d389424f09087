"""Review tests run under the site's default policy: every submission is reviewed."""

import pytest

from nanum.practices import services as practices

FIELDS = {"title": "Flood wardens in every ward", "kind": "case_study",
          "summary": "Volunteers watch the river.", "countries": "KE", "targets": "11.5",
          "context": "Floods came every year.", "results": "Nobody drowned since."}


@pytest.fixture
def config(config):
    return {**config, "MODERATION_SUBMISSION_POLICY": "review_all",
            "MODERATION_NEW_ACCOUNT_REVIEWS": 2}


@pytest.fixture
def moderator(make):
    return make.user(role="moderator", name="Mona Moderator")


@pytest.fixture
def submit(make):
    """Submit a practice as a new member of a new organisation: `submit(**fields)`."""

    def submitting(author=None, **fields):
        author = author or make.member()
        return practices.create(author, author.memberships[0].organisation_id,
                                {**FIELDS, **fields}, action="submit")

    return submitting
