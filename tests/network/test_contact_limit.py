"""Contact requests are rate-limited per person."""

import pytest
from sqlalchemy import select

from nanum.extensions import db
from nanum.network import services
from nanum.network.models import ContactRequest


@pytest.fixture
def config(config):
    return {**config, "RATELIMIT_ENABLED": True, "RATELIMIT_EXPERT_CONTACT": "2 per hour"}


def test_contact_requests_are_rate_limited(client, auth, post, make):
    experts = []
    for number in range(3):
        expert = make.user(email=f"e{number}@example.org", name=f"E{number}")
        services.save_profile(expert, listed=True, targets="6.1", countries="", languages="",
                              summary="")
        experts.append(expert)
    make.user(email="asker@example.org")
    auth.login("asker@example.org")
    answers = [post(f"/experts/{expert.id}/contact", {"message": "Hello"},
                    page="/experts/").status_code for expert in experts]
    assert answers == [302, 302, 429]
    assert len(db.session.scalars(select(ContactRequest)).all()) == 2
