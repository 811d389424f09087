"""Events' test data: an organiser in a verified organisation and an event's form fields."""

import pytest

from nanum.events import services


def event_fields(**changes):
    """Plausible form fields of an event (times local to the time zone)."""
    return {"title": "Partnerships for local SDG action", "kind": "workshop",
            "starts_at": "2031-07-14 09:00", "ends_at": "2031-07-14 17:30",
            "time_zone": "Asia/Seoul", "place": "Riverside Convention Hall",
            "country": "KR", "background": "Why we *meet*.",
            "objectives": "Share practices\nBuild partnerships", "targets": ["17.17"],
            "themes": ["nri_capacity"], **changes}


@pytest.fixture
def organiser(make):
    """A member of a verified organisation."""
    organisation = make.organisation(verified=True, name="Verified Institute")
    return make.member(organisation=organisation, email="organiser@example.org")


@pytest.fixture
def event(organiser):
    """A published event of the organiser's organisation."""
    organisation_id = organiser.memberships[0].organisation_id
    return services.create(organiser, organisation_id, event_fields())
