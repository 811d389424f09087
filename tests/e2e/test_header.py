"""The header is one line on a phone and on a desktop, signed in or not."""

import pytest

from fixtures.live import confirmation_link, log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PAGES = ["/", "/practices/", "/search?q=water", "/discussions/", "/organisations/", "/about"]

# The visible parts of the header bar: their boxes, and the header's height.
MEASURE = """() => {
  const header = document.querySelector('header.site-header');
  const parts = Array.from(header.querySelectorAll('.header-bar > *'))
    .filter(element => element.offsetParent !== null)
    .map(element => {
      const box = element.getBoundingClientRect();
      return {name: element.className || element.tagName, top: box.top, bottom: box.bottom,
              right: box.right};
    });
  return {height: header.getBoundingClientRect().height, parts: parts,
          width: document.documentElement.clientWidth};
}"""


def _assert_one_line(page, where):
    found = page.evaluate(MEASURE)
    assert found["height"] <= 72, f"{where}: the header is {found['height']} px high"
    parts = found["parts"]
    assert len(parts) >= 3, f"{where}: {parts}"
    first = parts[0]
    for part in parts[1:]:  # every part overlaps the brand's row: nothing wrapped below
        assert part["top"] < first["bottom"] and part["bottom"] > first["top"], f"{where}: {parts}"
    assert max(part["right"] for part in parts) <= found["width"], f"{where}: overflows {parts}"


def _sign_up(page, live_server):
    url = live_server["url"]
    page.goto(url + "/register")
    page.fill("#name", "Maria Fernanda Gonçalves da Silva")
    page.fill("#email", "maria.fernanda@example.org")
    page.fill("#password", "one line of header please")
    page.get_by_role("button", name="Create account").click()
    page.goto(confirmation_link(live_server["instance"] / "mail", "maria.fernanda@example.org"))
    page.get_by_role("button", name="Confirm my account").click()
    page.wait_for_url("**/organisations/")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_header_is_one_line(live_server, browser, viewport):
    url = live_server["url"]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        for path in PAGES:
            page.goto(url + path)
            _assert_one_line(page, f"anonymous {viewport['width']} px {path}")
        if viewport is PHONE:
            _sign_up(page, live_server)
        else:
            log_in(page, url, "maria.fernanda@example.org", "one line of header please")
            page.wait_for_url(url + "/")
        for path in PAGES:
            page.goto(url + path)
            _assert_one_line(page, f"signed in {viewport['width']} px {path}")
    finally:
        context.close()


def test_the_phone_menu_holds_the_links_and_the_search(live_server, browser):
    expect = pytest.importorskip("playwright.sync_api").expect
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server["url"] + "/about")
        links = page.get_by_role("navigation", name="Main").get_by_role("link")
        expect(links).to_have_count(0)  # folded away
        page.get_by_text("Menu").click()
        expect(links).to_have_text(["Practices", "SDGs", "Coverage", "Discussions", "Events",
                                    "Organisations", "About"])
        page.fill("#site-search-menu", "water")
        page.press("#site-search-menu", "Enter")
        page.wait_for_url("**/search?q=water")
    finally:
        context.close()
