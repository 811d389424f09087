"""No English left on the marked pages: rendered in a pseudo-language where every marked
message reads ⟦message⟧, a page shows no English word outside the markers.

What is not the templates' to translate is left out: the content people wrote (here in
Greek, so that it is told apart), names, numbers, and the strings of the Python code
(labels of vocabularies, SDG texts, messages), which are checked once marked there.
`MARKED_PAGES` lists the pages checked; add a page here when its template is marked.
"""

import ast
import datetime
import json
import re
from pathlib import Path

import pycountry
import pytest
from bs4 import BeautifulSoup

from nanum.curation import calls, collections, featured
from nanum.discussions import services as discussions
from nanum.extensions import db
from nanum.flags import services as flags
from nanum.flags.models import Statement
from nanum.notifications import tokens
from nanum.notifications.models import Notification
from nanum.organisations.models import VerificationRequest
from nanum.practices import services as practices
from nanum.review.models import ReviewRequest
from nanum.search import service

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "platform" / "nanum"

# Pages whose templates are marked, each by a name and how to reach it in `site`.
MARKED_PAGES = {
    "home": lambda s: "/",
    "browse": lambda s: "/practices/",
    "browse, filtered to nothing": lambda s: "/practices/?theme=drr&country=FR",
    "search": lambda s: "/search?q=%CE%BD%CE%B5%CF%81%CF%8C",
    "search, nothing found": lambda s: "/search?q=%CE%BE%CE%B5%CE%BD%CE%BF",
    "practice": lambda s: f"/practices/{s['practice']}",
    "log in": lambda s: "/login",
    "register": lambda s: "/register",
    "forgot password": lambda s: "/forgot-password",
    "not found": lambda s: "/practices/999999",
    "the 17 SDGs": lambda s: "/sdg/",
    "organisations": lambda s: "/organisations/",
    "organisations, searched": lambda s: "/organisations/?q=%CE%94%CE%AE%CE%BC&type=NRI",
    "about": lambda s: "/about",
    "an organisation": lambda s: f"/organisations/{s['organisation']}",
    "an SDG target": lambda s: "/sdg/6.1",
    "an SDG target with no practice": lambda s: "/sdg/1.1",
    "a practice's lineage": lambda s: f"/practices/{s['practice']}/lineage",
    "discussions": lambda s: "/discussions/",
    "a discussion category": lambda s: "/discussions/c/questions",
    "a topic": lambda s: f"/discussions/t/{s['topic']}",
    "collections": lambda s: "/collections/",
    "a collection": lambda s: f"/collections/{s['collection']}",
    "calls for contributions": lambda s: "/calls/",
    "a call for contributions": lambda s: f"/calls/{s['call']}",
    "where practices are missing": lambda s: "/sdg/coverage",
    "where practices are missing, in a region": lambda s: "/sdg/coverage?region=Africa",
    "practices wanted": lambda s: "/sdg/coverage/wanted?target=1.1&country=KE",
    "practices wanted, found": lambda s: "/sdg/coverage/wanted?target=6.1",
    "a person": lambda s: f"/people/{s['author']}",
    "the API's documentation": lambda s: "/api/v1/docs",
    "stop notification email": lambda s: f"/unsubscribe/{s['unsubscribe']}",
}
# Pages for a signed-in member of the site's organisation.
MARKED_MEMBER_PAGES = {
    "my drafts": lambda s: "/practices/mine",
    "write a practice": lambda s: "/practices/new",
    "edit a draft": lambda s: f"/practices/{s['revised']}/edit",
    "my organisations": lambda s: "/organisations/mine",
    "create an organisation": lambda s: "/organisations/new",
    "an organisation, seen by a member": lambda s: f"/organisations/{s['organisation']}",
    "a draft's history": lambda s: f"/practices/{s['revised']}/history",
    "a draft's history, two revisions compared": lambda s: (
        f"/practices/{s['revised']}/history?from={s['revisions'][1]}&to={s['revisions'][0]}"),
    "notifications": lambda s: "/notifications",
    "notification settings": lambda s: "/account/notifications",
    "API tokens": lambda s: "/account/tokens/",
    "start a topic": lambda s: "/discussions/new",
    "edit a post": lambda s: f"/posts/{s['post']}/edit",
    "a topic, seen by its author": lambda s: f"/discussions/t/{s['topic']}",
    "a moderation decision": lambda s: f"/decisions/{s['statement']}",
    "my profile": lambda s: f"/people/{s['author']}",
    "an organisation's verification": lambda s: f"/organisations/{s['organisation']}/verification",
    "a review conversation": lambda s: (
        f"/moderation/review/practices/{s['submitted']}/conversation"),
}
# Pages for a moderator who is also an admin (so that every tab shows).
MARKED_MODERATOR_PAGES = {
    "moderation": lambda s: "/moderation/",
    "audit log": lambda s: "/moderation/audit",
    "people and roles": lambda s: "/moderation/people",
    "site settings": lambda s: "/moderation/settings",
    "organisations to verify": lambda s: "/moderation/organisations/",
    "merge an organisation": lambda s: f"/moderation/organisations/{s['organisation']}/merge",
    "review queue": lambda s: "/moderation/review/",
    "a practice to review": lambda s: f"/moderation/review/{s['submitted']}",
    "flags": lambda s: "/moderation/flags",
    "a person, moderated": lambda s: f"/moderation/people/{s['author']}",
    "featured practices": lambda s: "/moderation/featured",
    "new collection": lambda s: "/collections/new",
    "curate a collection": lambda s: f"/collections/{s['collection']}/edit",
    "open a call": lambda s: "/calls/new",
    "edit a call": lambda s: f"/calls/{s['call']}/edit",
    "a post's history": lambda s: f"/posts/{s['post']}/history",
    "a topic, seen by a moderator": lambda s: f"/discussions/t/{s['topic']}",
    "a practice, seen by a moderator": lambda s: f"/practices/{s['practice']}",
}
NOT_FOUND = {"not found"}
# Attributes a person reads or hears.
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
# Words that are the same in every language: names, codes, abbreviations.
SAME_IN_EVERY_LANGUAGE = {"Nanum", "English", "Español", "Français", "SDG", "SDGs", "PDF",
                          "KE", "FR", "KB", "MB", "UTC", "Atom", "OR", "AND", "NOT",
                          # A practice's language, as its code.
                          "EN"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
SEPARATORS = re.compile(r" · |: ")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Addresses and handles are the same in every language: web and mail addresses, @handles.
ADDRESS = re.compile(r"\bhttps?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@[\w-]+")


def normal(text):
    """Text without its numbers, addresses and spare spaces: "Goal 9" and "Goal {number}"
    compare alike."""
    return " ".join(NUMBER.sub(" ", ADDRESS.sub(" ", text)).split()).strip(" ·:,;.()")


def python_strings():
    """The string literals of the package's code (the Python side's to mark), country
    names, and the text of its data files (SDG texts, vocabularies), joined."""
    from nanum.organisations import place_names
    from nanum.organisations.regions import COUNTRY_CHOICES, SUBREGIONS

    found = {normal(name) for _code, name in COUNTRY_CHOICES}
    # pycountry's names, which a language without a translation of one shows as they are.
    found |= {normal(name) for country in pycountry.countries
              for name in (country.name, getattr(country, "common_name", None)) if name}
    # ...and its translations, some of which keep an English name ("바티칸 시티 (Holy See)").
    found |= {normal(place_names.country_name(code, language)) for code, _name in COUNTRY_CHOICES
              for language in ("es", "fr", "ko")}
    found |= {normal(name) for name in SUBREGIONS}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(normal(node.value))
    data = []
    for path in PACKAGE.glob("**/data/**/*.json"):  # the SDG texts of every language too
        stack = [json.loads(path.read_text())]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, str):
                data.append(normal(value))
    return found, "\n".join(data)


def unmarked(text):
    """Take the marked messages out; nested ones (a count inside a sentence) from inside."""
    while True:
        shorter = MARKED.sub("\n", text)
        if shorter == text:
            return text
        text = shorter


def english_left(html, allowed=(frozenset(), "")):
    """Return the English words of a page that are neither marked nor allowed."""
    strings, data = allowed

    def passes(fragment):
        fragment = normal(fragment)
        return (not WORD.search(fragment) or fragment in strings
                or (" " in fragment and fragment in data))

    soup = BeautifulSoup(html, "html.parser")
    for node in soup(["script", "style", "code"]):
        node.decompose()
    # The language chooser names each language in itself.
    for node in soup.select(".language-chooser button"):
        node.decompose()
    pieces = [soup.get_text("\n")]
    pieces += [element[name] for element in soup.find_all(True)
               for name in READ_ATTRIBUTES if element.has_attr(name)]
    left = []
    for piece in pieces:
        for line in unmarked(piece).splitlines():
            if passes(line):
                continue
            for fragment in SEPARATORS.split(line):
                if passes(fragment):
                    continue
                for part in fragment.split(", "):
                    if not passes(part):
                        left += [word for word in WORD.findall(part)
                                 if word not in SAME_IN_EVERY_LANGUAGE]
    return left


@pytest.fixture
def site(app, make):
    """A practice and an organisation whose content is Greek, as people might write it."""
    # Her profile says Korean, the page's language, so that what is written for her (her
    # notifications) is in it too.
    author = make.user(name="Ελένη Παππά", handle="eleni", locale="ko")
    organisation = make.organisation(name="Δήμος Αθηναίων", country="KE")
    make.membership(user=author, organisation=organisation, role="admin")
    practice = make.practice(
        title="Σημεία νερού που διαρκούν", organisation=organisation, author=author,
        summary="Οι αντλίες νερό δούλευαν πέντε χρόνια.", context="Μικρή πόλη.",
        tagged={"countries": ["KE"], "targets": ["6.1", "11.5"], "themes": ["drr"]})
    make.practice(title="Νερό για όλους", organisation=organisation, summary="Νερό.",
                  context="Πόλη.")
    # A practice written and revised through the forms' service, so that it has a history.
    fields = {"title": "Φύλακες πλημμυρών", "summary": "Εθελοντές προσέχουν το ποτάμι.",
              "kind": "case_study", "language": "en", "countries": ["KE"],
              "targets": ["11.5"], "themes": ["drr_resilience"], "tags": "πλημμύρες",
              "context": "Το ποτάμι πλημμυρίζει.", "population_band": "10k_50k"}
    revised = practices.create(author, organisation.id, fields, action="draft")
    practices.update(author, revised, {**fields, "title": "Φύλακες πλημμυρών, δεύτερη χρονιά"})
    revisions = [revision.id for revision in practices.history(revised)]
    found = {"practice": practice.id, "revised": revised.id, "revisions": revisions,
             "member": author.email, "organisation": organisation.id, "author": author.id}
    found.update(_moderated(make, author, organisation, practice))
    service.sync()
    return found


def _moderated(make, author, organisation, practice):
    """A discussion, a collection, a call, a flag, a decision, a practice waiting for review
    and a verification request: what the moderators' pages and the discussions show."""
    moderator = make.user(name="Νίκος Παύλου", handle="nikos", role="admin")
    neighbour = make.user(name="Μαρία Κώστα", handle="maria")
    topic = discussions.start_topic(author, category="questions", title="Ποιος πληρώνει;",
                                    body="Το συμβούλιο ρωτά.", question=True)
    answer = discussions.reply(neighbour, thread=topic, body="Ο δήμος πληρώνει το μισό.")
    post = discussions.reply(author, thread=topic, body="Ευχαριστώ πολύ.")
    discussions.edit(author, post, "Ευχαριστώ πάρα πολύ.")
    discussions.reply(neighbour, practice=practice, body="Πόσο κράτησαν οι αντλίες;")
    flags.flag(author, "post", answer.id, "spam")
    featured.feature(moderator, str(practice.id), "Αξίζει")
    collection = collections.create(moderator, "Σημεία νερού", "Πρακτικές που *διαρκούν*.")
    collections.add(moderator, collection, str(practice.id), "Η πρώτη")
    collections.set_published(moderator, collection, True)
    call = calls.open_call(moderator, title="Νερό για όλους", sdgs="6.1",
                           closes_on=datetime.date.today() + datetime.timedelta(days=60))
    submitted = make.practice(title="Κήποι στις στέγες", organisation=organisation,
                              author=author, status="submitted", published_at=None,
                              summary="Κήποι πάνω στα σχολεία.", context="Ζέστη.")
    statement = Statement(user_id=author.id, moderator_id=moderator.id, action="user.warn",
                          target_type="user", target_id=author.id, reason_code="spam",
                          message="Παρακαλώ όχι διαφημίσεις.")
    db.session.add_all([
        ReviewRequest(practice=submitted, reason="policy", submitted_by_id=author.id),
        VerificationRequest(organisation=organisation, website="https://dimos.example.org",
                            email="grafeio@dimos.example.org", contact="Ελένη"),
        Notification(user_id=author.id, kind="reply", message="Η Μαρία απάντησε.",
                     url=f"/discussions/t/{topic.id}", event="test:reply",
                     email_state="skipped"),
        statement])
    db.session.commit()
    return {"topic": topic.id, "post": post.id, "collection": collection.id, "call": call.id,
            "submitted": submitted.id, "statement": statement.id, "moderator": moderator.email,
            "unsubscribe": tokens.unsubscribe_token(author)}


@pytest.mark.parametrize("locale", ["ko"])
def test_no_english_left_on_marked_pages(client, site, locale):
    allowed = python_strings()
    problems = {}
    for name, address in MARKED_PAGES.items():
        response = client.get(address(site), headers={"Accept-Language": locale})
        assert response.status_code == (404 if name in NOT_FOUND else 200), name
        left = english_left(response.get_data(as_text=True), allowed)
        if left:
            problems[name] = sorted(set(left))
    assert problems == {}, f"English outside ⟦⟧ in {locale}: {problems}"


@pytest.mark.parametrize("locale", ["ko"])
def test_no_english_left_on_marked_member_pages(client, auth, site, locale):
    auth.login(site["member"])
    client.get("/")  # the welcome, flashed in the language of the log-in, is shown here
    allowed = python_strings()
    problems = {}
    for name, address in MARKED_MEMBER_PAGES.items():
        response = client.get(address(site), headers={"Accept-Language": locale})
        assert response.status_code == 200, name
        left = english_left(response.get_data(as_text=True), allowed)
        if left:
            problems[name] = sorted(set(left))
    assert problems == {}, f"English outside ⟦⟧ in {locale}: {problems}"


@pytest.mark.parametrize("locale", ["ko"])
def test_no_english_left_on_marked_moderator_pages(client, auth, site, locale):
    auth.login(site["moderator"])
    client.get("/")
    allowed = python_strings()
    problems = {}
    for name, address in MARKED_MODERATOR_PAGES.items():
        response = client.get(address(site), headers={"Accept-Language": locale})
        assert response.status_code == 200, name
        left = english_left(response.get_data(as_text=True), allowed)
        if left:
            problems[name] = sorted(set(left))
    assert problems == {}, f"English outside ⟦⟧ in {locale}: {problems}"


def test_the_check_sees_unmarked_english(client, site):
    """The check itself: English on a page that is not marked is found."""
    html = '<p>⟦Marked⟧ but this is left</p><a title="Open it">⟦x⟧</a>'
    assert english_left(html) == ["but", "this", "is", "left", "Open", "it"]
    assert english_left('<p>⟦⟦3 practices⟧ match⟧</p>') == []
