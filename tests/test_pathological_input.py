"""No text a user writes can take a page, a search, a feed or the database down.

Each input of the corpus is posted as a reply through the real view, written into the
summary and long sections of a practice, and then read back on the thread page, the practice
page, in search results with their snippets and in the feeds. Each step must answer without
a server error and within BOUND seconds of processor time.
"""

import gc
import signal
from contextlib import contextmanager

import pytest

from fixtures.app import Auth, csrf_token
from nanum.discussions import services as discussions
from nanum.practices import services as practices
from nanum.practices import vocab
from nanum.practices.rules import TEXT_LIMIT

# The limit. The heaviest steps (cooking and indexing 60,000 characters of text)
# take ~0.1-0.3 s, the others a few tens of milliseconds: only work that grows faster than
# the input (a quadratic parser, a backtracking expression) can reach it. It is counted in
# processor time, so that a machine busy with other work does not fail the test.
BOUND = 1.0
SIZE = 20_000  # the longest post accepted
WORD = "waterworks"  # a word each practice holds, to find it by and to make its snippets


def _run(opener, size=SIZE):
    return (opener * (size // len(opener) + 1))[:size]


OPENERS = ["[", "![", "[a](", "<a ", "*", "_", "`", "~", "(", "<", "&", "\\"]
CORPUS = {f"run of {opener}": _run(opener) for opener in OPENERS}
CORPUS.update({
    "run of **a": _run("**a"),
    "run of a[": _run("a["),
    "run of [ closed at the end": _run("[", SIZE - 3) + "](x",
    "run of @": _run("@"),
    "run of @handles": _run("@asker "),
    "lists 1,000 deep": "- " * 1000 + "x",
    "numbered lists 1,000 deep": "1. " * 1000 + "x",
    "quotes 1,000 deep": "> " * 1000 + "x",
    "quotes 20,000 deep": _run(">"),
    "quotes in lists 1,000 deep": "- > " * 1000 + "x",
    "a 20,000-character word": _run("a"),
    "a 20,000-character line of words": _run("water and sanitation "),
    "20,000 line breaks": _run("a\n"),
    "a long table": "| a | b |\n|---|---|\n" + _run("| x | y |\n", SIZE - 30),
    "mixed HTML": _run("<div><b><i><a href='javascript:alert(1)' onclick=x>"),
    "unclosed HTML comments and tags": _run("<!-- <script>x</script> <a <b "),
    "entities": _run("&amp;&#x41;&#65;&nosuch;"),
    "links and images": _run("[a](http://e.org/ \"t\") ![i](x.png) <http://e.org> "),
})


class TookTooLong(Exception):
    pass


@contextmanager
def within(step):
    """Fail the step when it takes more than BOUND (a timer stops it rather than waiting).

    Objects from earlier tests are set aside from the garbage collector meanwhile, so that
    the step is charged for collecting its own objects only.
    """
    def stop(_signal, _frame):
        raise TookTooLong(f"{step} took more than {BOUND} s of processor time")

    gc.collect()
    gc.freeze()
    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, BOUND)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        gc.unfreeze()


@contextmanager
def unmeasured(_step):
    yield


def get(client, url, step, measure):
    with measure(step):
        response = client.get(url)
    assert response.status_code == 200, f"{step}: {response.status_code}"
    return response.get_data(as_text=True)


# Every section goes through the same cooking, so the text fills the summary and three
# sections (one shown first, one in the middle, one last) rather than multiplying the same
# work by nine.
LONG_SECTIONS = ("context", "results", "sustainability")


def walk(client, member, organisation, topic, text, measure):
    """Post `text` as a reply and as a practice, then read both everywhere they appear."""
    token = csrf_token(client, f"/discussions/t/{topic.id}")
    with measure("posting the reply"):
        response = client.post(f"/discussions/t/{topic.id}/reply",
                               data={"body": text, "csrf_token": token})
    assert response.status_code == 302, response.status_code
    page = get(client, f"/discussions/t/{topic.id}", "the thread page", measure)
    assert "post-body" in page and "Where do we start?" in page
    get(client, f"/feeds/topics/{topic.id}.atom", "the topic's feed", measure)

    section = f"{WORD} " + text[:TEXT_LIMIT - len(WORD) - 1]
    fields = {"title": f"The {WORD} of the city", "summary": f"{WORD} " + text[:1400],
              "kind": "case_study", "countries": ["KE"], "targets": ["6.1"],
              **{name: section if name in LONG_SECTIONS else f"The {name} of the {WORD}."
                 for name in vocab.SECTIONS}}
    with measure("saving the practice"):
        practice = practices.create(member, organisation.id, fields, action="submit")
    assert practice.is_published
    get(client, f"/practices/{practice.id}", "the practice page", measure)
    get(client, "/practices/", "the list of practices", measure)
    results = get(client, f"/search?q={WORD}", "searching for its word", measure)
    assert f"/practices/{practice.id}" in results and f"<mark>{WORD}</mark>" in results
    get(client, "/search?q=wat*", "searching for a prefix", measure)
    get(client, "/feeds/practices.atom", "the feed of practices", measure)
    get(client, f"/feeds/search.atom?q={WORD}", "the feed of a search", measure)


@pytest.mark.parametrize("text", CORPUS.values(), ids=CORPUS.keys())
def test_pathological_text_is_posted_shown_searched_and_fed(app, client, make, text):
    organisation = make.organisation()
    member = make.member(organisation, email="member@example.org", handle="asker")
    topic = discussions.start_topic(member, category="questions", title=f"About {WORD}",
                                    body="Where do we start?")
    Auth(client).login("member@example.org")
    # A first walk with ordinary text compiles the templates and loads what is loaded once,
    # which is no part of what is measured.
    walk(client, member, organisation, topic, "Plain words about water.", unmeasured)
    walk(client, member, organisation, topic, text, within)
