"""A newcomer's first visit, driven in headless Chromium against gunicorn."""

import re

import pytest

from fixtures.live import confirmation_link

pytestmark = pytest.mark.e2e

TITLE = "Ward rain gauges for flood early warning"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_newcomer_publishes_a_practice_and_finds_it(live_server, page, screenshot, tmp_path):
    url = live_server["url"]
    expect = pytest.importorskip("playwright.sync_api").expect

    page.goto(url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot("01-home")

    # Register.
    page.get_by_role("link", name="Register").click()
    page.fill("#name", "Achieng Otieno")
    page.fill("#email", "achieng@example.org")
    page.fill("#password", "rain gauges in every ward")
    screenshot("02-register")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Check your inbox")).to_be_visible()

    # The mail worker writes the confirmation mail to instance/mail; its link leads here.
    link = confirmation_link(live_server["instance"] / "mail", "achieng@example.org")
    assert link.startswith(url + "/confirm/")
    page.goto(link)
    page.get_by_role("button", name="Confirm my account").click()
    expect(page).to_have_url(re.compile(r"/organisations/$"))
    expect(page.get_by_text("Welcome to Nanum, Achieng Otieno")).to_be_visible()

    # Create an organisation.
    page.get_by_role("link", name="Create an organisation").click()
    page.fill("#name", "Municipality of Ziwani")
    page.select_option("#type", "LRG")
    page.select_option("#country", "KE")
    page.select_option("#government_level", "municipal")
    page.fill("#population", "38000")
    page.fill("#description", "A lakeside town of *fictional* fame.")
    screenshot("03-organisation-form")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Municipality of Ziwani"))
    expect(page.get_by_text("Eastern Africa").first).to_be_visible()
    screenshot("04-organisation")

    # Write a practice with two targets; save it as a draft first.
    page.get_by_role("link", name="Write a practice").first.click()
    page.fill("#title", TITLE)
    page.fill("#summary", "Volunteers read rain gauges in six wards and text the readings "
                          "to the town's disaster office, which warns riverside households.")
    page.select_option("#kind", "case_study")
    page.select_option("#countries", ["KE"])
    page.locator("summary", has_text="Goal 11:").click()
    page.check("#target-11\\.5")
    page.locator("summary", has_text="Goal 13:").click()
    page.check("#target-13\\.1")
    page.check("input[name=themes][value=drr_resilience]")
    page.fill("#tags", "floods, early warning, volunteers")
    page.fill("#context", "The river burst its banks **three times** in five years.")
    page.fill("#results", "Warnings now reach riverside households about six hours earlier.")
    page.select_option("#population_band", "10k_50k")
    page.select_option("#settlement_type", "peri_urban")
    screenshot("05-practice-form")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Ward rain gauges for flood early warning"))

    # Attach a report.
    report = tmp_path / "Rain gauge report.pdf"
    report.write_bytes(PDF)
    page.set_input_files("input[type=file]", str(report))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name=re.compile("Rain gauge report.pdf"))).to_be_visible()

    # Publish it.
    page.get_by_role("link", name="Edit practice").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Your practice is published.")).to_be_visible()
    expect(page.locator("strong", has_text="three times")).to_be_visible()
    screenshot("06-practice")
    practice_url = page.url

    # The attachment downloads with its name.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Rain gauge report.pdf")).click()
    assert download.value.suggested_filename == "Rain gauge report.pdf"

    # It is on the SDG 11 page.
    page.goto(url + "/sdg/11")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot("07-sdg-11")

    # And on the browse page, narrowed by a filter.
    page.goto(url + "/practices/")
    page.get_by_role("link", name="Disaster risk & resilience").first.click()
    expect(page).to_have_url(re.compile(r"theme=drr_resilience"))
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot("08-browse-filtered")

    page.goto(practice_url.rstrip("/") + "/history")
    screenshot("09-history")

    # Log out.
    page.locator("details.user-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
