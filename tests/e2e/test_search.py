"""Searching the demo content from the header box, driven in headless Chromium."""

import re
import subprocess

import pytest

from fixtures.live import ARTIFACTS, BIN

pytestmark = pytest.mark.e2e


def _count(text):
    """Return the number at the start of "12 results for …"."""
    return int(re.match(r"\s*(\d+)", text).group(1))


@pytest.fixture(scope="module")
def demo(live_server):
    """Load the demo content; the CLI brings the search index up to date as it exits."""
    done = subprocess.run([BIN / "nanum", "demo", "load"], env=live_server["env"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"nanum demo load failed:\n{done.stdout}\n{done.stderr}"
    return live_server


def test_search_from_the_header_with_facets_notes_and_spelling(demo, page, screenshot):
    url = demo["url"]
    expect = pytest.importorskip("playwright.sync_api").expect

    # Search from the header box on any page.
    page.goto(url + "/")
    page.fill("#site-search", "flood")
    page.press("#site-search", "Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=flood$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.locator("#site-search")).to_have_value("flood")
    expect(page.locator("#search-q")).to_have_value("flood")
    title = page.locator("#results-title")
    expect(title).to_have_text(re.compile(r"^\d+ results? for “flood”"))
    total = _count(title.inner_text())
    assert total >= 3
    expect(page.locator(".search-hit mark").first).to_be_visible()
    assert page.locator(".search-hit mark").first.inner_text().lower().startswith("flood")
    expect(page.get_by_role("link", name="Relevance")).to_have_attribute("aria-current", "true")
    screenshot("10-search")

    # Narrow by a region facet: fewer results, a chip to remove it.
    facet = page.locator("[aria-labelledby=facet-region] a").filter(
        has=page.locator(".facet-label", has_text=re.compile(r"^Southern Asia$")))
    expected = _count(facet.locator(".facet-count").inner_text())
    assert 0 < expected < total
    facet.click()
    expect(page).to_have_url(re.compile(r"region=Southern\+Asia"))
    expect(title).to_have_text(re.compile(rf"^{expected} results? for “flood”"))
    expect(page.locator("a.chip", has_text="Southern Asia")).to_be_visible()
    expect(page.locator("[aria-labelledby=facet-region] a[aria-current]")).to_contain_text(
        "Southern Asia")
    assert page.locator(".search-hit").count() == expected
    screenshot("11-search-facet")

    # And by an SDG goal tile.
    goal = page.locator("[aria-labelledby=facet-goal] a.sdg-bg-13")
    goal_count = _count(goal.locator(".facet-count").inner_text())
    goal.click()
    expect(page).to_have_url(re.compile(r"goal=13"))
    expect(title).to_have_text(re.compile(rf"^{goal_count} results? for “flood”"))
    expect(page.locator("a.chip", has_text="SDG 13")).to_be_visible()

    # Removing a chip widens the search again.
    page.locator("a.chip", has_text="Southern Asia").click()
    expect(page.locator("a.chip", has_text="Southern Asia")).to_have_count(0)
    expect(page.locator("a.chip", has_text="SDG 13")).to_be_visible()
    assert _count(title.inner_text()) >= goal_count

    # Open a result: the practice page, with its similar practices.
    first = page.locator(".search-hit h3 a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("heading", name="Similar practices")).to_be_visible()
    expect(page.locator("#site-search")).to_have_value("")

    # A malformed query: a note on how it was read, never an error page.
    page.fill("#site-search", '"unclosed (')
    page.press("#site-search", "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.locator(".search-notes")).to_contain_text("How we read your search")
    expect(page.locator("#search-q")).to_have_value('"unclosed (')
    screenshot("12-search-note")

    # A misspelt word: "did you mean", whose link searches for the right word.
    page.fill("#search-q", "mangove")
    page.press("#search-q", "Enter")
    expect(page.locator(".search-suggestion")).to_contain_text("Did you mean")
    page.locator(".search-suggestion a").click()
    expect(page.locator("#search-q")).to_have_value(re.compile(r"^mangroves?$"))
    expect(title).to_have_text(re.compile(r"^[1-9]\d* results? for “mangroves?”"))

    # Nothing at all matches: tips instead of results.
    page.fill("#search-q", "zzyzx qwvb")
    page.press("#search-q", "Enter")
    expect(page.get_by_text("Nothing matched.")).to_be_visible()


def test_search_on_a_phone(demo, browser):
    expect = pytest.importorskip("playwright.sync_api").expect
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(demo["url"] + "/search?q=water&region=Americas")
        expect(page.locator(".search-hit").first).to_be_visible()
        # The filters start folded on a phone: the results come first.
        panel = page.locator("details.filter-panel")
        expect(panel).not_to_have_attribute("open", "")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways ({width} px)"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "13-search-phone.png"), full_page=True)
        panel.locator("> summary").click()
        expect(page.locator("[aria-labelledby=facet-country] a").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "14-search-phone-filters.png"), full_page=True)
    finally:
        context.close()
