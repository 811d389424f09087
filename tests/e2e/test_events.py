"""An organiser creates an event with a session and a presentation; a member registers,
finds it in the calendar, imports its .ics and downloads the presentation."""

import urllib.request

import pytest

from fixtures.live import ARTIFACTS, log_in

pytestmark = pytest.mark.e2e

PDF = (b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture
def people(live_app):
    """An organiser in a verified organisation, and a member of another organisation."""
    from fixtures.factories import MembershipFactory, OrganisationFactory, UserFactory
    from nanum.extensions import db

    with live_app.app_context():
        institute = OrganisationFactory(name="Lakeside Institute for Local Policy",
                                        type="NRI", country="KE", verified=True)
        MembershipFactory(organisation=institute, user=UserFactory(
            email="e2e-organiser@example.org", name="Olu Organiser", handle="olu-organiser"))
        MembershipFactory(user=UserFactory(email="e2e-participant@example.org",
                                           name="Pat Participant", handle="pat-participant"))
        db.session.remove()


def _sign_in(browser, url, email):
    page = browser.new_context(viewport={"width": 1280, "height": 900},
                               accept_downloads=True).new_page()
    page.set_default_timeout(20000)
    log_in(page, url, email)
    return page


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_event_from_creation_to_calendar(live_server, browser, people, tmp_path):
    expect = pytest.importorskip("playwright.sync_api").expect
    from icalendar import Calendar

    url = live_server["url"]
    organiser = _sign_in(browser, url, "e2e-organiser@example.org")
    organiser.goto(url + "/events/new")
    organiser.fill("#title", "Peer exchange on local SDG reporting")
    organiser.select_option("#kind", "peer_learning")
    organiser.fill("#starts_at", "2031-03-10T09:00")
    organiser.fill("#ends_at", "2031-03-10T12:00")
    organiser.select_option("#time_zone", "Africa/Nairobi")
    organiser.fill("#place", "Lakeside Hall (fictional)")
    organiser.fill("#objectives", "Compare voluntary local reviews\nFind peers")
    organiser.get_by_role("button", name="Submit the event").click()
    expect(organiser.get_by_text("The event is published.")).to_be_visible()
    event_url = organiser.url

    for title, start, end in (("Voluntary local reviews", "09:00", "10:30"),
                              ("Finding peers", "10:45", "12:00")):
        organiser.get_by_text("Add a session", exact=True).click()
        organiser.fill("#title", title)
        organiser.fill("#starts_at", f"2031-03-10T{start}")
        organiser.fill("#ends_at", f"2031-03-10T{end}")
        organiser.fill("#speakers", "Wanjiru Example | Lakeside Institute")
        organiser.get_by_role("button", name="Add the session").click()
        expect(organiser.get_by_text("The session is added to the programme.")).to_be_visible()

    slides = tmp_path / "vlr-slides.pdf"
    slides.write_bytes(PDF)
    first = organiser.locator("section.event-session").first
    first.get_by_text("Add a presentation").click()
    first.locator("input[name=title]").fill("Our first local review")
    first.locator("input[type=file]").set_input_files(str(slides))
    first.get_by_role("button", name="Upload").click()
    expect(organiser.get_by_text("vlr-slides.pdf is attached.")).to_be_visible()

    participant = _sign_in(browser, url, "e2e-participant@example.org")
    participant.goto(url + "/events/")
    participant.get_by_role("link", name="Peer exchange on local SDG reporting").click()
    participant.fill("#organisation_name", "Town of Example")
    participant.get_by_role("button", name="Register").click()
    expect(participant.get_by_text("You are registered.")).to_be_visible()
    with participant.expect_download() as download:
        participant.get_by_role("link", name="Our first local review").click()
    assert download.value.path().read_bytes() == PDF
    _shot(participant, "events-01-event-page")

    participant.goto(url + "/events/")
    expect(participant.get_by_text("Peer exchange on local SDG reporting")).to_be_visible()
    _shot(participant, "events-02-calendar")

    with urllib.request.urlopen(event_url + ".ics", timeout=10) as response:
        [entry] = Calendar.from_ical(response.read()).walk("VEVENT")
    assert str(entry["summary"]) == "Peer exchange on local SDG reporting"
    assert entry.decoded("dtstart").isoformat() == "2031-03-10T06:00:00+00:00"  # 09:00 EAT

    # The organiser withdraws it: it leaves the calendar, and its page says so to them.
    organiser.goto(event_url)
    organiser.get_by_text("Withdraw this event", exact=True).click()
    organiser.fill("#message", "Postponed to the next quarter.")
    organiser.get_by_role("button", name="Withdraw the event").click()
    expect(organiser.get_by_text("The event is withdrawn: only its organisers see it now.")) \
        .to_be_visible()
    expect(organiser.get_by_role("button", name="Put the event back")).to_be_visible()
    _shot(organiser, "events-03-withdrawn-1280")
    organiser.set_viewport_size({"width": 390, "height": 844})
    _shot(organiser, "events-03-withdrawn-390")
    assert organiser.evaluate("document.documentElement.scrollWidth") <= 390
    participant.goto(url + "/events/")
    expect(participant.get_by_text("Peer exchange on local SDG reporting")).to_have_count(0)
