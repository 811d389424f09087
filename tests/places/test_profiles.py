"""Setting a place on a person's profile and on an organisation, and which place ranks."""

import pytest
from sqlalchemy import select

from nanum.extensions import db
from nanum.organisations import merging
from nanum.places import services
from nanum.places.models import PlaceProfile
from nanum.places.similarity import Place


def saved(**owner):
    (name, value), = owner.items()
    db.session.expire_all()
    return db.session.scalar(select(PlaceProfile).where(
        getattr(PlaceProfile, name) == value.id))


@pytest.fixture
def person(make, auth):
    user = make.member(email="officer@example.org")
    auth.login("officer@example.org")
    return user


def test_a_person_sets_their_place_on_their_profile_page(client, post, person):
    page = client.get("/account/profile").get_data(as_text=True)
    assert 'id="place"' in page and 'name="place_population_band"' in page
    response = post("/account/place", {"place_country": "ke", "place_population_band": "10k_50k",
                                       "place_settlement_type": "rural"},
                    page="/account/profile")
    assert response.status_code == 302 and response.location.endswith("#place")
    profile = saved(user_id=person)
    assert profile.place == Place(country="KE", region="Eastern Africa",
                                  population_band="10k_50k", settlement_type="rural")
    page = client.get("/account/profile").get_data(as_text=True)
    assert '<option selected value="10k_50k">' in page


@pytest.mark.parametrize("form, field, message", [
    ({"place_country": "KE", "place_region": "Western Europe"}, "place_region",
     "Kenya lies in Eastern Africa, not Western Europe"),
    ({"place_country": "XX"}, "place_country", "Please choose a country from the list."),
    ({"place_region": "Atlantis"}, "place_region", "Please choose a region from the list."),
    ({"place_population_band": "huge"}, "place_population_band",
     "Please choose a population from the list."),
])
def test_bad_input_says_what_is_wrong_and_changes_nothing(client, post, person, form, field,
                                                         message):
    post("/account/place", {"place_country": "TZ", "place_staff_band": "lt_5"},
         page="/account/profile")
    response = post("/account/place", {"place_staff_band": "gt_100", **form},
                    page="/account/profile")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body and f'href="#{field}"' in body and "nothing was saved" in body
    assert saved(user_id=person).place == Place(country="TZ", region="Eastern Africa",
                                                staff_band="lt_5")


def test_a_person_may_rank_by_their_organisations_place_but_no_other(client, post, person,
                                                                     make):
    organisation = person.memberships[0].organisation
    other = make.organisation()
    response = post("/account/place", {"place_source": str(other.id)}, page="/account/profile")
    assert "Choose one of your organisations" in response.get_data(as_text=True)
    assert saved(user_id=person) is None
    post("/account/place", {"place_source": str(organisation.id), "place_country": "PE"},
         page="/account/profile")
    assert saved(user_id=person).uses_organisation_id == organisation.id


@pytest.fixture
def lrg(make):
    organisation = make.organisation(type="LRG", country="TZ", government_level="municipal",
                                     population=64_000)
    admin = make.member(organisation, role="admin", email="admin@example.org")
    member = make.member(organisation, email="member@example.org")
    return organisation, admin, member


def test_an_organisations_admin_sets_its_place_starting_from_its_record(client, post, auth,
                                                                       lrg):
    organisation, _admin, _member = lrg
    auth.login("admin@example.org")
    page = client.get(f"/organisations/{organisation.id}/edit").get_data(as_text=True)
    assert '<option selected value="50k_250k">' in page  # from its population of 64,000
    assert '<option selected value="municipal">' in page
    response = post(f"/organisations/{organisation.id}/place",
                    {"place_country": "TZ", "place_population_band": "50k_250k",
                     "place_budget_band": "100k_1m"},
                    page=f"/organisations/{organisation.id}/edit")
    assert response.status_code == 302
    assert saved(organisation_id=organisation).place == Place(
        country="TZ", region="Eastern Africa", population_band="50k_250k",
        budget_band="100k_1m")


def test_only_an_organisations_managers_may_change_its_place(client, post, auth, lrg):
    organisation, _admin, _member = lrg
    services.save_for_organisation(_admin, organisation, {"country": "TZ",
                                                          "staff_band": "lt_5"})
    auth.login("member@example.org")
    response = post(f"/organisations/{organisation.id}/place",
                    {"place_country": "KE", "place_staff_band": "gt_100"}, page="/")
    assert response.status_code == 403
    assert saved(organisation_id=organisation).place == Place(
        country="TZ", region="Eastern Africa", staff_band="lt_5")


def test_bad_input_on_an_organisations_place_changes_nothing(client, post, auth, lrg):
    organisation, _admin, _member = lrg
    auth.login("admin@example.org")
    response = post(f"/organisations/{organisation.id}/place",
                    {"place_country": "TZ", "place_budget_band": "billions"},
                    page=f"/organisations/{organisation.id}/edit")
    assert response.status_code == 200
    assert "Please choose a budget from the list." in response.get_data(as_text=True)
    assert saved(organisation_id=organisation) is None


def test_the_place_a_person_ranks_by(make, lrg):
    organisation, admin, member = lrg
    assert services.ranking_for(member, {}) is None
    services.save_for_organisation(admin, organisation, {"country": "TZ",
                                                         "staff_band": "lt_5"})
    # Set once by the organisation, it serves its members.
    found = services.ranking_for(member, {})
    assert (found.place.staff_band, found.owner) == ("lt_5", organisation.name)
    services.save_for_person(member, {"country": "PE"})
    assert services.ranking_for(member, {}).place.country == "PE"  # their own, once set
    services.save_for_person(member, {"country": "PE"}, uses_organisation=organisation.id)
    assert services.ranking_for(member, {}).place.country == "TZ"  # as they chose
    # A place in the query string ranks this page only, for anyone.
    found = services.ranking_for(member, {"my_country": "NG"})
    assert found.place.country == "NG" and found.from_args
    assert services.ranking_for(make.user(), {}) is None


def test_a_merged_organisation_leaves_its_place_to_the_one_that_stays(make, lrg):
    organisation, admin, member = lrg
    survivor = make.organisation(name="Survivor Town")
    services.save_for_organisation(admin, organisation, {"country": "TZ",
                                                         "staff_band": "lt_5"})
    services.save_for_person(member, {}, uses_organisation=organisation.id)
    moderator = make.user(role="moderator")
    merging.merge(moderator, organisation, survivor, reason="duplicate")
    assert saved(organisation_id=survivor).place.staff_band == "lt_5"
    assert saved(user_id=member).uses_organisation_id == survivor.id
