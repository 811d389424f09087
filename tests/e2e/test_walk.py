"""A walk through the demo site as every role, following the links each one is offered,
and the forms each role fills in most, sent empty.

Every page reached must answer below 400, ask nothing of any host but the server, log no
browser error (a script error, or anything the content security policy blocked), show every
image with a text alternative, and fit the screen's width on a phone. A form sent empty must
answer below 500 with a message saying what is missing.
"""

import json
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from fixtures.live import log_in, serving

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PAGES_PER_WALK = 30
SAME_KIND = 2  # pages walked per kind of address (its first two path segments)
# Addresses that are files, act on a token sent by mail, or end the walk.
SKIPPED = (".ics", ".pdf", ".csv", ".json", ".xml", ".atom", ".rss", ".zip", "/export",
           "/download", "/feeds", "/metrics", "/health", "/uploads/", "/attachments/",
           "/confirm", "/reset", "/unsubscribe", "/invitations/", "/logout", "/api/")
ROLES = {"visitor": None, "member": "member@demo.nanum.example",
         "organisation admin": "org-admin@demo.nanum.example",
         "moderator": "moderator@demo.nanum.example", "admin": "admin@demo.nanum.example"}
# Where a role's walk starts, beside the home page: the pages its work begins on.
STARTS = {"visitor": ["/search?q=water", "/sdg/6", "/sdg/coverage", "/discussions/",
                     "/events/", "/board/", "/register"],
          "member": ["/practices/new", "/practices/mine", "/notifications", "/account/profile",
                     "/board/new", "/experts/me"],
          "organisation admin": ["/organisations/mine", "/events/new"],
          "moderator": ["/moderation/", "/moderation/review/", "/moderation/flags",
                        "/board/review", "/events/review", "/calls/new"],
          "admin": ["/moderation/settings", "/moderation/people", "/moderation/audit"]}

# What the page shows that a walk checks: images without alt, and its width.
LOOK = """() => ({
  imagesWithoutAlt: Array.from(document.images).filter(i => !i.hasAttribute('alt'))
    .map(i => i.src),
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
})"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The demo content served as `make run` serves it."""
    with serving(tmp_path_factory.mktemp("demo-instance"),
                 setup=[("content", "cook"), ("demo", "load", "--once"),
                        ("search", "rebuild", "--if-missing")]) as server:
        server["passwords"] = json.loads((server["instance"] / "demo_accounts.json").read_text())
        yield server


def _walkable(url, origin):
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    return not any(word in parts.path for word in SKIPPED)


def _kind(url):
    return tuple(urlsplit(url).path.strip("/").split("/")[:2])


def _faults(where, found, errors):
    """The faults of one page, from what LOOK found and the browser's errors."""
    faults = []
    if found["imagesWithoutAlt"]:
        faults.append(f"{where}: images without alt {found['imagesWithoutAlt']}")
    if found["scrollWidth"] > found["clientWidth"] + 1:
        faults.append(f"{where}: {found['scrollWidth']} px wide in {found['clientWidth']} px")
    if errors:
        faults.append(f"{where}: browser errors {errors[:3]}")
    return faults


def _walk(browser, server, role, viewport):
    """Walk the site as a role; return the problems found, one line each."""
    origin = server["url"]
    context = browser.new_context(viewport=viewport)
    problems, outside = [], []

    def keep_inside(route):
        if urlsplit(route.request.url).hostname in ("127.0.0.1", None):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", keep_inside)
    page = context.new_page()
    page.set_default_timeout(20000)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        if ROLES[role]:
            log_in(page, origin, ROLES[role], server["passwords"][ROLES[role]])
            assert "/login" not in page.url, f"{role} could not log in"
        queue = deque(origin + path for path in ["/", *STARTS[role]])
        seen, kinds, walked = set(queue), {}, 0
        while queue and walked < PAGES_PER_WALK:
            url = queue.popleft()
            if kinds.get(_kind(url), 0) >= SAME_KIND:
                continue
            kinds[_kind(url)] = kinds.get(_kind(url), 0) + 1
            walked += 1
            errors.clear()
            response = page.goto(url)
            where = f"{role} {viewport['width']} px {url[len(origin):]}"
            if response is None or response.status >= 400:
                problems.append(f"{where}: answered {response.status if response else None}")
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            found = page.evaluate(LOOK)
            problems += _faults(where, found, errors)
            for link in found["links"]:
                link = urldefrag(link).url
                if link not in seen and _walkable(link, origin):
                    seen.add(link)
                    queue.append(link)
        assert walked >= 10, f"{role} reached only {walked} pages"
    finally:
        context.close()
    problems += [f"{role}: asked {url}" for url in outside]
    return problems


@pytest.mark.parametrize("role", list(ROLES))
def test_every_role_walks_the_site_without_a_fault(browser, demo_server, role):
    problems = _walk(browser, demo_server, role, DESKTOP)
    if role in ("visitor", "member"):
        problems += _walk(browser, demo_server, role, PHONE)
    assert not problems, "\n".join(problems)


# The forms each role fills in most, sent with every text field emptied.
FORMS = {"visitor": ["/register", "/login", "/forgot-password"],
         "member": ["/practices/new", "/discussions/new", "/board/new", "/account/profile",
                    "/organisations/new"],
         "organisation admin": ["/events/new"],
         "moderator": ["/calls/new"]}
EMPTIED = ("main form[method=post] input:not([type]), main form[method=post] "
           "input[type=text], main form[method=post] input[type=email], "
           "main form[method=post] input[type=url], main form[method=post] input[type=number], "
           "main form[method=post] input[type=date], main form[method=post] input[type=password], "
           "main form[method=post] textarea")
SUBMIT = "button[type=submit]:visible, input[type=submit]:visible"
SAID = ".invalid-feedback, .alert-danger, .alert-warning, [role=alert]"


def _send_empty(page, url):
    """Open a form, empty its text fields, send it; return the answer's status."""
    page.goto(url)
    for field in page.locator(EMPTIED).all():
        if field.is_visible() and field.is_editable():
            field.fill("")
    form = page.locator("main form[method=post]").filter(has=page.locator(SUBMIT)).last
    with page.expect_navigation() as sent:
        form.locator(SUBMIT).first.click()
    return sent.value.status if sent.value else None


@pytest.mark.parametrize("role", list(FORMS))
def test_forms_sent_empty_say_what_is_missing(browser, demo_server, role):
    origin = demo_server["url"]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(20000)
    errors, problems = [], []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        if ROLES[role]:
            log_in(page, origin, ROLES[role], demo_server["passwords"][ROLES[role]])
            assert "/login" not in page.url, f"{role} could not log in"
        for path in FORMS[role]:
            errors.clear()
            status = _send_empty(page, origin + path)
            said = page.locator(SAID).filter(has_text=re.compile(r"\w")).count()
            if status is None or status >= 500 or not said or errors:
                problems.append(f"{role} {path}: answered {status}, {said} messages shown, "
                                f"browser errors {errors[:3]}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
