"""What the search page shows: what each hit is, the organisations' box, the counts."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from nanum.discussions.models import Post
from nanum.extensions import db
from nanum.search import service


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def query(href):
    return parse_qs(urlsplit(href).query)


def text(node):
    return " ".join(node.get_text(" ").split())


def test_each_hit_says_what_it_is(app, client, make):
    from nanum.discussions import services as discussions

    asker, helper = make.user(), make.user()
    practice = make.practice(title="Cistern levy in Kitui")
    thread = discussions.start_topic(asker, category="questions", title="Paying for cisterns",
                                     body="Who paid for the cistern?")
    answer = discussions.reply(helper, thread=thread, body="A cistern levy on each ward.")
    service.sync()
    soup = page(client, "/search?q=cistern")
    kinds = {hit.select_one("h3 a")["href"]: text(hit.select_one(".hit-kind"))
             for hit in soup.select(".search-hit")}
    opening = db.session.scalar(select(func.min(Post.id)).where(Post.thread_id == thread.id))
    assert kinds == {f"/practices/{practice.id}": "Practice",
                     f"/posts/{opening}": "Forum topic", f"/posts/{answer.id}": "Forum post"}


def test_organisations_have_a_box_of_their_own(app, client, make):
    for number in range(6):
        make.organisation(name=f"Mangrove Trust {number}", country="VN")
    make.practice(title="Mangrove replanting with fishers")
    service.sync()
    soup = page(client, "/search?q=mangrove")
    box = soup.select_one(".organisation-box")
    assert text(box.select_one("h2")) == "Organisations matching “mangrove” (6)"
    assert len(box.select("li")) == 5
    see_all = box.find("a", string=re.compile("See all 6 organisations"))
    assert see_all["href"] == "/search?q=mangrove&content=organisation"
    assert [text(h) for h in soup.select(".search-hit h3")] == ["Mangrove replanting with fishers"]
    assert text(soup.select_one("#results-title")) == "1 result for “mangrove”"

    listed = page(client, see_all["href"])
    assert listed.select_one(".organisation-box") is None
    assert len(listed.select(".search-hit")) == 6
    assert text(listed.select_one("#results-title")) == "6 organisations for “mangrove”"


def test_organisations_alone_are_shown_with_a_word_on_the_rest(app, client, make):
    make.organisation(name="Mangrove Trust")
    service.sync()
    soup = page(client, "/search?q=mangrove")
    assert "Mangrove Trust" in text(soup.select_one(".organisation-box"))
    assert "No practice or discussion matched" in text(soup)
    assert "Nothing matched." not in text(soup)


def fake_results(total, all_words_total, q_words=("clean", "water")):
    results = service.Results(total=total, hits=[], facets={}, notes=[], page=1, per_page=200,
                              sort="relevance", words=list(q_words))
    results.all_words_total = all_words_total
    return results


@pytest.mark.parametrize(("total", "all_words", "heading"), [
    (152, 12, "12 results match all your words · 140 more match some"),
    (152, 1, "1 result matches all your words · 151 more match some"),
    (40, 0, "40 results match some of your words"),
    (12, 12, "12 results for “clean water”"),
    (12, None, "12 results for “clean water”"),
])
def test_the_count_tells_all_words_from_some(client, monkeypatch, total, all_words, heading):
    monkeypatch.setattr(service, "search", lambda *args, **kwargs: fake_results(total, all_words))
    soup = page(client, "/search?q=clean+water")
    assert text(soup.select_one("#results-title")) == heading


def test_the_count_names_what_the_content_filter_lists(client, monkeypatch):
    monkeypatch.setattr(service, "search", lambda *args, **kwargs: fake_results(30, 3))
    soup = page(client, "/search?q=clean+water&content=practice")
    assert text(soup.select_one("#results-title")) == (
        "3 practices match all your words · 27 more match some")


def test_search_pages_share_the_pager(app, client, make):
    for number in range(65):
        make.practice(title=f"Irrigation scheme {number:02d}")
    service.sync()
    soup = page(client, "/search?q=irrigation&page=2")
    pager = soup.select_one("nav[aria-label='Pages of results']")
    labels = [text(item) for item in pager.select("li")]
    assert labels == ["← Previous", "Page 1", "Page 2", "Page 3", "Page 4", "Next →"]
    current = pager.select_one("[aria-current=page]")
    assert text(current) == "Page 2"
    assert query(pager.select_one("a[rel=next]")["href"]) == {"q": ["irrigation"], "page": ["3"]}
    assert query(pager.select_one("a[rel=prev]")["href"]) == {"q": ["irrigation"]}


def test_a_kept_sdg_badge_speaks_the_language_of_each_page(app, client, make):
    make.practice(title="Cistern levy in Kitui", tagged={"countries": ["KE"], "goals": [6],
                                                         "targets": []})
    service.sync()
    badges = {}
    for language in ("en", "es", "en"):
        response = client.get("/search?q=cistern", headers={"Accept-Language": language})
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        badge = soup.select_one(".search-hit .sdg-badge")
        badges.setdefault(language, set()).add((badge["href"], badge["title"], text(badge)))
    assert len(badges["en"]) == 1  # the kept badge is the one rendered the first time
    [(href, title, label)] = badges["en"]
    [(spanish_href, spanish_title, _spanish_label)] = badges["es"]
    assert href == spanish_href == "/sdg/6"
    assert title.startswith("Goal 6: ") and label.startswith("Goal SDG 6")
    assert spanish_title != title  # not the English badge kept from the first page


def test_the_warm_up_compiles_the_search_page_and_its_templates(app):
    from nanum.search import indexing

    app.jinja_env.cache.clear()
    with app.app_context():
        service.warm()
    compiled = {key[1] for key in app.jinja_env.cache}
    assert set(indexing.SEARCH_PAGES) | {"base.html", "_macros.html", "_filters.html"} <= compiled


def practice_hit(soup):
    hit = soup.select_one(".search-hit:not(.organisation-hit)")
    return {"kind": text(hit.select_one(".hit-kind")), "href": hit.select_one("h3 a")["href"],
            "meta": text(hit.select_one(".meta")),
            "verified": text(hit.select_one(".verified-badge")),
            "goals": hit.select_one(".badge-row")["aria-label"],
            "badge": text(hit.select_one(".sdg-badge"))}


def test_the_kept_parts_of_each_hit_follow_the_language_of_each_page(app, client, make):
    trust = make.organisation(name="Cistern Trust", country="KE", verified=True)
    practice = make.practice(title="Cistern levy in Kitui", organisation=trust,
                             tagged={"countries": ["KE", "TZ"], "goals": [6], "targets": []})
    service.sync()
    hits = {}
    # The third page is another search, rendered rather than taken from the page cache.
    for language, words in (("en", "cistern"), ("fr", "cistern"), ("en", "cistern+levy")):
        soup = page_in(client, f"/search?q={words}&content=practice", language)
        hits.setdefault(language, []).append(practice_hit(soup))
    english, french = hits["en"][0], hits["fr"][0]
    assert hits["en"] == [english, english]  # not the French parts kept from the page before
    assert english == {"kind": "Practice", "href": f"/practices/{practice.id}",
                       "meta": "Case study · Cistern Trust Verified · Kenya, Tanzania",
                       "verified": "Verified", "goals": "SDG goals",
                       "badge": "Goal SDG 6 : Clean water and sanitation"}
    assert french["kind"] == "Pratique" and french["href"] == english["href"]
    assert french["meta"].startswith("Étude de cas · Cistern Trust Vérifiée · Kenya, ")
    assert "Tanzanie" in french["meta"] and french["verified"] == "Vérifiée"
    assert french["goals"] == "Objectifs de développement durable"
    assert french["badge"] != english["badge"]

    organisation = page_in(client, "/search?q=cistern&content=organisation", "fr")
    hit = organisation.select_one(".organisation-hit")
    assert text(hit.select_one(".hit-kind")) == "Organisation"
    assert hit.select_one("h3 a")["href"] == f"/organisations/{trust.id}"
    assert text(hit.select_one(".verified-badge")) == "Vérifiée"


def test_the_links_of_hits_keep_the_site_root(app, client, make):
    trust = make.organisation(name="Cistern Trust")
    practice = make.practice(title="Cistern levy in Kitui", organisation=trust)
    service.sync()
    soup = page(client, "/search?q=cistern")  # the address without a root, first
    response = client.get("/search?q=cistern+levy", base_url="http://nanum.localhost/nanum")
    rooted = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.select_one(".search-hit h3 a")["href"] == f"/practices/{practice.id}"
    assert rooted.select_one(".search-hit h3 a")["href"] == f"/nanum/practices/{practice.id}"
    assert (rooted.select_one(".organisation-box a")["href"]
            == f"/nanum/organisations/{trust.id}")
    assert rooted.select_one(".search-hit .sdg-badge")["href"] == "/nanum/sdg/11"


def page_in(client, url, language):
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
