"""Who may do what: routes × roles."""

import pytest

from nanum.organisations import services as organisations

ROLES = ("anonymous", "outsider", "member", "org_admin", "moderator")


@pytest.fixture
def world(make):
    admin = make.user(email="org_admin@example.org")
    organisation = organisations.create(admin, name="Town of Matrix", type="LRG", country="KE")
    make.membership(user=make.user(email="member@example.org"), organisation=organisation)
    make.user(email="outsider@example.org")
    make.user(email="moderator@example.org", role="moderator")
    practice = make.practice(organisation=organisation, status="published")
    draft = make.practice(organisation=organisation, status="draft")
    return {"organisation": organisation.id, "practice": practice.id, "draft": draft.id}


# (url, {role: expected status for GET})
MATRIX = [
    ("/practices/{practice}", dict.fromkeys(ROLES, 200)),
    ("/practices/{draft}", {"anonymous": 404, "outsider": 404, "member": 200,
                            "org_admin": 200, "moderator": 200}),
    ("/practices/{practice}/edit", {"anonymous": 302, "outsider": 302, "member": 200,
                                    "org_admin": 200, "moderator": 200}),
    ("/practices/{draft}/history", {"anonymous": 404, "outsider": 404, "member": 200,
                                    "org_admin": 200, "moderator": 200}),
    ("/organisations/{organisation}/edit", {"anonymous": 302, "outsider": 403,
                                            "member": 403, "org_admin": 200,
                                            "moderator": 200}),
    ("/practices/new", {"anonymous": 302, "outsider": 302, "member": 200, "org_admin": 200,
                        "moderator": 302}),
    ("/account/profile", {"anonymous": 302, "outsider": 200, "member": 200, "org_admin": 200,
                          "moderator": 200}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url, expected", MATRIX)
def test_route_role_matrix(client, auth, world, role, url, expected):
    if role != "anonymous":
        auth.login(f"{role}@example.org")
    response = client.get(url.format(**world))
    assert response.status_code == expected[role]
