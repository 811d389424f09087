"""Every interface language on a phone and on a desktop: the language a visitor's browser
asks for is the page's language, nothing runs off the side of a 390 px screen, and the
chooser switches the language and keeps it."""

import pytest

from fixtures.live import ARTIFACTS

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# The browser's language, and the footer's first link in that language.
LANGUAGES = {"en": ("en-GB", "Browse practices"), "es": ("es-ES", "Explorar prácticas"),
             "fr": ("fr-FR", "Parcourir les pratiques"), "ko": ("ko-KR", "사례 둘러보기")}
PAGES = {"home": "/", "browse": "/practices/", "search": "/search?q=water",
         "goal": "/sdg/11", "about": "/about", "register": "/register"}

# How far the page can be scrolled sideways: nothing may stick out of the screen.
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_language_fits_the_screen(live_server, browser, language, viewport):
    locale, word = LANGUAGES[language]
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15000)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        for name, path in PAGES.items():
            response = page.goto(live_server["url"] + path)
            assert response.status == 200, path
            assert page.get_attribute("html", "lang") == language, path
            assert word in page.inner_text("body"), f"{language} {path}"
            assert page.evaluate(OVERFLOW) <= 0, f"{language} {viewport['width']} px {path}"
            page.screenshot(path=str(ARTIFACTS / f"lang-{language}-{viewport['width']}-{name}.png"),
                            full_page=True)
    finally:
        context.close()


def test_the_chooser_switches_and_keeps_the_language(live_server, browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server["url"] + "/about")
        assert page.get_attribute("html", "lang") == "en"
        page.locator("form.language-chooser button[value=ko]").click()
        page.wait_for_function("document.documentElement.lang === 'ko'")
        assert page.url.endswith("/about")
        page.goto(live_server["url"] + "/practices/")  # the choice is kept
        assert page.get_attribute("html", "lang") == "ko"
    finally:
        context.close()
