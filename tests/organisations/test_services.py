import pytest
from sqlalchemy import func, select

from nanum.errors import Forbidden, Invalid
from nanum.extensions import db
from nanum.organisations import services
from nanum.organisations.models import Membership, Organisation

LRG = {"name": "Municipality of Testville", "type": "LRG", "country": "ke",
       "government_level": "municipal", "population": "42000",
       "website": "https://testville.example.org", "description": "A town."}


def count(model):
    return db.session.scalar(select(func.count(model.id)))


def test_create_makes_creator_admin_and_derives_region(app, make):
    user = make.user()
    organisation = services.create(user, **LRG)
    assert organisation.country == "KE"
    assert (organisation.region, organisation.subregion) == ("Africa", "Eastern Africa")
    assert organisation.population == 42000
    assert services.membership(user, organisation).is_admin
    assert not organisation.verified


@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"), ({"name": "x" * 201}, "name"), ({"type": "GUILD"}, "type"),
    ({"country": "ZZ"}, "country"), ({"population": "many"}, "population"),
    ({"population": "-5"}, "population"), ({"website": "javascript:alert(1)"}, "website"),
    ({"government_level": "galactic"}, "government_level"),
])
def test_create_refuses_bad_input(app, make, change, field):
    user = make.user()
    with pytest.raises(Invalid) as caught:
        services.create(user, **{**LRG, **change})
    assert field in caught.value.errors
    assert count(Organisation) == 0 and count(Membership) == 0


def test_names_are_unique_ignoring_case(app, make):
    services.create(make.user(), **LRG)
    with pytest.raises(Invalid, match="already exists"):
        services.create(make.user(), **{**LRG, "name": LRG["name"].upper()})


def test_non_lrg_drops_government_fields(app, make):
    organisation = services.create(make.user(), **{**LRG, "type": "NRI"})
    assert organisation.government_level is None and organisation.population is None


def test_join_and_approval(app, make):
    admin = make.user()
    organisation = services.create(admin, **LRG)
    newcomer = make.user()
    request = services.request_join(newcomer, organisation)
    assert request.status == "pending"
    assert not services.is_member(newcomer, organisation.id)
    with pytest.raises(Invalid, match="waiting"):
        services.request_join(newcomer, organisation)
    with pytest.raises(Forbidden):
        services.approve(make.user(), organisation, request.id)
    services.approve(admin, organisation, request.id)
    assert services.is_member(newcomer, organisation.id)
    with pytest.raises(Invalid, match="already a member"):
        services.request_join(newcomer, organisation)
    assert [m.user for m in services.members([organisation.id])] == [admin, newcomer]


def test_last_admin_cannot_be_removed(app, make):
    admin = make.user()
    organisation = services.create(admin, **LRG)
    own = services.membership(admin, organisation)
    with pytest.raises(Invalid, match="at least one admin"):
        services.decline(admin, organisation, own.id)
    assert services.is_member(admin, organisation.id)


def test_update_only_by_admins_or_moderators(app, make):
    admin = make.user()
    organisation = services.create(admin, **LRG)
    member = make.member(organisation)
    with pytest.raises(Forbidden):
        services.update(member, organisation, **{**LRG, "name": "Taken over"})
    assert organisation.name == LRG["name"]
    moderator = make.user(role="moderator")
    services.update(moderator, organisation, **{**LRG, "description": "Edited"})
    assert organisation.description == "Edited"


def test_find_or_create(app):
    first, created = services.find_or_create("Lake Institute", "NRI", "UG")
    again, created_again = services.find_or_create("lake institute", "NRI", "UG")
    assert created and not created_again and first is again
    with pytest.raises(Invalid):
        services.find_or_create("Nowhere", "NRI", "XX")
