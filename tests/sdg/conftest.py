"""What the SDG tests share: an author, signed in."""

import pytest


@pytest.fixture
def writer(make, auth):
    user = make.member(email="writer@example.org")
    auth.login("writer@example.org")
    return user
