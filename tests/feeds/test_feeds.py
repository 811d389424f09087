"""Atom feeds: well-formed, published practices only, newest first, cached and cheap."""

from datetime import datetime, timedelta

import feedparser
import pytest

from nanum.extensions import db
from nanum.search import service

BASE = "http://nanum.localhost"
ATOM = "application/atom+xml; charset=utf-8"


def day(n):
    return datetime(2024, 3, 1, 9, 30) + timedelta(days=n)


def fetch(client, url, **kwargs):
    """GET a feed, check that it is well-formed Atom, and return (response, parsed)."""
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == ATOM
    parsed = feedparser.parse(response.data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return response, parsed


def titles(parsed):
    return [entry.title for entry in parsed.entries]


def link(parsed, rel):
    return next(item.href for item in parsed.feed.links if item.rel == rel)


@pytest.fixture
def water(make):
    """Three published practices a day apart, a draft and a submitted one."""
    org = make.organisation(name="Kisumu County")
    other = make.organisation(name="Bogor City")
    made = {
        "old": make.practice(title="Old water kiosks", organisation=org, published_at=day(1),
                             tagged={"countries": ["KE"], "targets": ["6.1"],
                                     "themes": ["local_action"]}),
        "mid": make.practice(title="Flood maps for wards", organisation=other,
                             published_at=day(2),
                             tagged={"countries": ["ID"], "targets": ["11.5", "13.1"],
                                     "themes": ["drr_resilience", "digital_governance"]}),
        "new": make.practice(title="Participatory water budgeting", organisation=org,
                             published_at=day(3),
                             tagged={"countries": ["KE"], "targets": ["11.3"],
                                     "themes": ["local_action"]}),
    }
    make.practice(title="Secret water draft", status="draft", organisation=org,
                  published_at=None, tagged={"targets": ["11.3"], "themes": ["local_action"]})
    make.practice(title="Submitted water plan", status="submitted", organisation=org,
                  published_at=None, tagged={"targets": ["11.3"], "themes": ["local_action"]})
    service.sync()
    return {"org": org, "other": other, **made}


# -- the latest practices ------------------------------------------------------------------

def test_latest_practices_feed_is_atom_with_published_practices_newest_first(client, water):
    response, parsed = fetch(client, "/feeds/practices.atom")
    assert titles(parsed) == ["Participatory water budgeting", "Flood maps for wards",
                              "Old water kiosks"]
    assert b"Secret water draft" not in response.data
    assert b"Submitted water plan" not in response.data

    feed = parsed.feed
    assert feed.title == "Nanum — latest practices"
    assert feed.id == f"{BASE}/practices/"
    assert link(parsed, "self") == f"{BASE}/feeds/practices.atom"
    assert link(parsed, "alternate") == f"{BASE}/practices/"
    assert feed.author == "Nanum"
    assert feed.updated == "2024-03-04T09:30:00Z"  # the newest entry's publication


def test_entries_carry_absolute_links_dates_authors_and_categories(client, water):
    response, parsed = fetch(client, "/feeds/practices.atom")
    entry = parsed.entries[1]
    url = f"{BASE}/practices/{water['mid'].id}"
    assert entry.id == url
    assert entry.link == url
    assert all(item.href.startswith("http://") for item in entry.links)
    assert entry.published == entry.updated == "2024-03-03T09:30:00Z"
    assert entry.author == "Bogor City"
    assert entry.author_detail.href == f"{BASE}/organisations/{water['other'].id}"
    assert [(tag.term, tag.label) for tag in entry.tags] == [
        ("sdg-11", "SDG 11"), ("sdg-13", "SDG 13"),
        ("digital_governance", "Technological innovation and digital governance"),
        ("drr_resilience", "Disaster risk reduction and resilience"),
    ]
    assert entry.summary == "A short summary of what was done and what changed."
    assert entry.summary_detail.type == "text/plain"
    assert entry.content[0].type == "text/html"
    assert entry.content[0].value == ("<p>A short summary of what was done and what "
                                      "changed.</p>")


def test_feed_holds_the_newest_thirty(client, make):
    org = make.organisation()
    for n in range(32):
        make.practice(title=f"Practice {n:02}", organisation=org, published_at=day(n))
    _response, parsed = fetch(client, "/feeds/practices.atom")
    assert titles(parsed) == [f"Practice {n:02}" for n in range(31, 1, -1)]


def test_an_empty_feed_is_valid_and_keeps_its_etag(client):
    first, parsed = fetch(client, "/feeds/practices.atom")
    assert parsed.entries == []
    assert parsed.feed.updated  # "now"
    second = client.get("/feeds/practices.atom")
    assert first.headers["ETag"] == second.headers["ETag"]
    assert client.get("/feeds/practices.atom", headers={
        "If-None-Match": first.headers["ETag"]}).status_code == 304


# -- SDG, theme and organisation feeds -----------------------------------------------------

def test_goal_feed(client, water):
    _response, parsed = fetch(client, "/feeds/sdg/11.atom")
    assert parsed.feed.title == "Nanum — practices on SDG 11: Sustainable cities and communities"
    assert parsed.feed.id == f"{BASE}/sdg/11"
    assert link(parsed, "alternate") == f"{BASE}/sdg/11"
    assert link(parsed, "self") == f"{BASE}/feeds/sdg/11.atom"
    assert titles(parsed) == ["Participatory water budgeting", "Flood maps for wards"]


def test_target_feed(client, water):
    _response, parsed = fetch(client, "/feeds/sdg/11.3.atom")
    assert parsed.feed.title == "Nanum — practices on SDG target 11.3"
    assert parsed.feed.id == f"{BASE}/sdg/11.3"
    assert titles(parsed) == ["Participatory water budgeting"]


@pytest.mark.parametrize("key", ["SDG11", "goal 11", "11.03"])
def test_sdg_keys_are_normalised_like_the_sdg_pages(client, water, key):
    _response, parsed = fetch(client, f"/feeds/sdg/{key}.atom")
    assert parsed.feed.id in (f"{BASE}/sdg/11", f"{BASE}/sdg/11.3")
    assert "Participatory water budgeting" in titles(parsed)


@pytest.mark.parametrize("url", ["/feeds/sdg/18.atom", "/feeds/sdg/11.99.atom",
                                 "/feeds/sdg/water.atom", "/feeds/sdg/0.atom",
                                 "/feeds/themes/gardening.atom",
                                 "/feeds/organisations/999.atom"])
def test_unknown_goal_theme_or_organisation_is_404(client, water, url):
    assert client.get(url).status_code == 404


def test_theme_feed(client, water):
    _response, parsed = fetch(client, "/feeds/themes/local_action.atom")
    assert parsed.feed.title == ("Nanum — practices on Local activists and local and "
                                 "regional action")
    assert parsed.feed.id == f"{BASE}/practices/?theme=local_action"
    assert titles(parsed) == ["Participatory water budgeting", "Old water kiosks"]


def test_organisation_feed(client, water):
    org = water["org"]
    _response, parsed = fetch(client, f"/feeds/organisations/{org.id}.atom")
    assert parsed.feed.title == "Nanum — practices by Kisumu County"
    assert parsed.feed.id == f"{BASE}/organisations/{org.id}"
    assert titles(parsed) == ["Participatory water budgeting", "Old water kiosks"]
    assert {entry.author for entry in parsed.entries} == {"Kisumu County"}


def test_a_hidden_organisation_has_no_feed(client, water):
    org = water["org"]
    org.hidden = True
    db.session.commit()
    assert client.get(f"/feeds/organisations/{org.id}.atom").status_code == 404


# -- search --------------------------------------------------------------------------------

def test_search_feed_lists_practice_hits_newest_first(client, water, make):
    make.organisation(name="Water Board of Nairobi")  # an organisation hit, left out
    service.sync()
    response, parsed = fetch(client, "/feeds/search.atom?q=water")
    assert titles(parsed) == ["Participatory water budgeting", "Old water kiosks"]
    assert b"Water Board" not in response.data
    assert b"Secret water draft" not in response.data
    assert parsed.feed.id == f"{BASE}/search?q=water"
    assert link(parsed, "self") == f"{BASE}/feeds/search.atom?q=water"
    assert "water" in parsed.feed.title


def test_search_feed_applies_the_filters(client, water):
    _response, parsed = fetch(client, "/feeds/search.atom?q=water&goal=11&country=KE")
    assert titles(parsed) == ["Participatory water budgeting"]
    assert parsed.feed.id == f"{BASE}/search?q=water&goal=11&country=KE"
    _response, parsed = fetch(client, "/feeds/search.atom?theme=drr_resilience")
    assert titles(parsed) == ["Flood maps for wards"]


# -- safety --------------------------------------------------------------------------------

def test_control_characters_in_a_search_do_not_break_the_feed(client, water):
    _response, parsed = fetch(client, "/feeds/search.atom?q=water%0B%01")
    assert "water" in parsed.feed.title


def test_user_text_is_escaped(client, make):
    org = make.organisation(name="Tom & Jerry <Council>")
    make.practice(title="<script>alert('title')</script> & more", organisation=org,
                  summary="Before <script>alert('x')</script> **after** & \x0b done "
                          "[link](javascript:alert(1))")
    response, parsed = fetch(client, "/feeds/practices.atom")
    raw = response.data
    assert b"<script" not in raw
    assert b"&lt;script&gt;alert(&#39;title&#39;)" in raw  # the title, escaped not dropped
    entry = parsed.entries[0]
    assert entry.title == "<script>alert('title')</script> & more"
    assert entry.author == "Tom & Jerry <Council>"
    assert entry.summary == "Before alert('x') after & done link"  # the tags go, not the text
    html = entry.content[0].value
    assert "script" not in html and "javascript" not in html
    assert "<strong>after</strong>" in html


# -- caching -------------------------------------------------------------------------------

def test_cache_headers_and_conditional_get(client, water, make):
    response, _parsed = fetch(client, "/feeds/sdg/11.atom")
    assert response.cache_control.public
    assert response.cache_control.max_age == 300
    etag = response.headers["ETag"]
    assert response.headers["Last-Modified"]

    again = client.get("/feeds/sdg/11.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag

    since = client.get("/feeds/sdg/11.atom",
                       headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert since.status_code == 304

    make.practice(title="Newer still", organisation=water["org"], published_at=day(9),
                  tagged={"targets": ["11.1"]})
    changed = client.get("/feeds/sdg/11.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert feedparser.parse(changed.data).entries[0].title == "Newer still"


def test_feeds_set_no_session_cookie(client, water, make, auth):
    for url in ("/feeds/practices.atom", "/feeds/sdg/11.atom", "/feeds/search.atom?q=water",
                "/feeds/themes/local_action.atom",
                f"/feeds/organisations/{water['org'].id}.atom"):
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url
    user = make.user()
    assert auth.login(user.email).status_code == 302
    response = client.get("/feeds/practices.atom")
    assert "Set-Cookie" not in response.headers


# -- discovery -----------------------------------------------------------------------------

@pytest.mark.parametrize("url, feed", [
    ("/", "/feeds/practices.atom"),
    ("/practices/", "/feeds/practices.atom"),
    ("/practices/?theme=local_action", "/feeds/themes/local_action.atom"),
    ("/practices/?goal=11", "/feeds/sdg/11.atom"),
    ("/practices/?country=KE&kind=case_study", "/feeds/search.atom?country=KE&amp;kind=case_study"),
    ("/sdg/11", "/feeds/sdg/11.atom"),
    ("/sdg/11.3", "/feeds/sdg/11.3.atom"),
    ("/search?q=water&goal=11", "/feeds/search.atom?q=water&amp;goal=11"),
])
def test_pages_link_to_their_feed(client, water, url, feed):
    html = client.get(url).get_data(as_text=True)
    head, body = html.split("</head>", 1)
    assert '<link rel="alternate" type="application/atom+xml" title="Nanum — ' in head
    assert f'href="{feed}"' in head
    assert f'href="{feed}"' in body and "Atom feed</a>" in body


def test_organisation_page_links_to_its_feed(client, water):
    org = water["org"]
    html = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    head, body = html.split("</head>", 1)
    feed = f"/feeds/organisations/{org.id}.atom"
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert f'href="{feed}"' in head and f'href="{feed}"' in body


def test_linked_feeds_resolve(client, water):
    html = client.get("/practices/?country=KE&kind=case_study").get_data(as_text=True)
    start = html.index('href="/feeds/') + len('href="')
    url = html[start:html.index('"', start)].replace("&amp;", "&")
    _response, parsed = fetch(client, url)
    assert titles(parsed) == ["Participatory water budgeting", "Old water kiosks"]


# -- cost ----------------------------------------------------------------------------------

FEEDS = ["/feeds/practices.atom", "/feeds/sdg/11.atom", "/feeds/sdg/11.3.atom",
         "/feeds/themes/local_action.atom", "/feeds/organisations/{org}.atom",
         "/feeds/search.atom?q=practice", "/feeds/search.atom?goal=11"]


def _costs(client, count_queries, org):
    service.sync()  # apply the outbox first, so that only the feed's queries are counted
    costs = {}
    for url in FEEDS:
        url = url.format(org=org.id)
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        costs[url] = len(statements)
    return costs


def test_a_feed_runs_a_fixed_number_of_queries(client, make, count_queries):
    org = make.organisation()
    spec = {"countries": ["KE", "UG"], "targets": ["11.3", "11.1"],
            "themes": ["local_action", "drr_resilience"]}
    make.practice(title="Practice alpha", organisation=org, published_at=day(0), tagged=spec)
    few = _costs(client, count_queries, org)
    for n in range(1, 12):
        make.practice(title=f"Practice {n}", published_at=day(n), tagged=spec,
                      organisation=org if n % 2 else make.organisation())
    many = _costs(client, count_queries, org)
    assert many == few
    assert max(many.values()) <= 12, many


def test_topic_feed_lists_visible_posts_newest_first(app, client, make):
    import feedparser

    from nanum.discussions import services as discussions

    asker, helper = make.user(name="Asker"), make.user(name="Helper")
    thread = discussions.start_topic(asker, category="questions", title="Who pays for SMS?",
                                     body="Our council wonders.")
    answer = discussions.reply(helper, thread=thread, body="We *share* the cost.")
    gone = discussions.reply(helper, thread=thread, body="Never mind <script>x</script>")
    discussions.remove(helper, gone)
    response = client.get(f"/feeds/topics/{thread.id}.atom")
    feed = feedparser.parse(response.data)
    assert feed.bozo == 0
    assert [e.link for e in feed.entries] == [
        f"http://nanum.localhost/posts/{answer.id}", f"http://nanum.localhost/posts/{thread.id}"
    ] or [e.author for e in feed.entries] == ["Helper", "Asker"]
    assert len(feed.entries) == 2 and feed.entries[0].author == "Helper"
    assert "<em>share</em>" in feed.entries[0].content[0].value
    assert "script" not in response.get_data(as_text=True)
    page = client.get(f"/discussions/t/{thread.id}").get_data(as_text=True)
    assert f'href="/feeds/topics/{thread.id}.atom"' in page
    assert client.get("/feeds/topics/999.atom").status_code == 404
