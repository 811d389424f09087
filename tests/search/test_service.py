"""Searching: results, facets, leniency, spelling, similar practices, permissions."""

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nanum.practices.browse import Filters
from nanum.search import service

CORPUS = [
    # title, countries, targets, themes, kind, period
    ("Flood early warning by SMS in a small town", ["KE"], ["11.5", "13.1"],
     ["drr_resilience"], "case_study", (2019, 2021)),
    ("Community flood wardens on the river", ["UG"], ["11.5"], ["drr_resilience"],
     "policy_practice", (2020, 2020)),
    ("Participatory budgeting policies in Bogotá wards", ["CO"], ["16.7", "11.3"],
     ["local_action"], "policy_practice", (2018, 2022)),
    ("Solar pumps for village water points", ["TZ"], ["6.1", "7.2"], ["local_action"],
     "case_study", (2021, None)),
    ("School meals and local farmers", ["PE"], ["2.1", "4.1"], ["leave_no_one_behind"],
     "research", (2016, 2019)),
    ("Open data portal with low uptake", ["PH"], ["16.10", "17.18"], ["digital_governance"],
     "country_experience", (2022, 2023)),
]


@pytest.fixture(params=["whoosh", "memory", "postgres"])
def config(request, config):
    """Every behaviour here holds for every engine."""
    if request.param == "postgres":  # the engine's tables live in the application's database
        config = {**config, "SQLALCHEMY_DATABASE_URI": request.getfixturevalue("empty_postgres")}
    return {**config, "SEARCH_ENGINE": request.param}


@pytest.fixture
def corpus(app, make):
    practices = []
    for title, countries, targets, themes, kind, (start, end) in CORPUS:
        practices.append(make.practice(
            title=title, kind=kind, period_start=start, period_end=end,
            summary=f"{title}. A practice about {' and '.join(themes)}.",
            tagged={"countries": countries, "targets": targets, "themes": themes}))
    make.practice(title="Secret flood draft", status="draft")
    make.practice(title="Rejected flood idea", status="rejected")
    service.sync()
    return practices


def search(q="", **filters):
    return service.search(q, Filters.from_args(filters))


def titles(results):
    return [hit.item.title for hit in results.hits if hit.content == "practice"]


def test_practices_with_all_the_words_come_first_and_the_others_follow(corpus):
    results = search("flood warning")
    assert titles(results) == ["Flood early warning by SMS in a small town",
                               "Community flood wardens on the river"]
    assert (results.total, results.all_words_total, results.some_words_total) == (2, 1, 1)


def test_stemming_and_accent_folding(corpus):
    assert "Participatory budgeting policies in Bogotá wards" in titles(search("policy"))
    assert "Participatory budgeting policies in Bogotá wards" in titles(search("Bogota"))
    assert "Solar pumps for village water points" in titles(search("pumping"))


def test_phrases_boolean_and_prefix(corpus):
    assert titles(search('"flood wardens"')) == ["Community flood wardens on the river"]
    assert set(titles(search("solar OR meals"))) == {"Solar pumps for village water points",
                                                     "School meals and local farmers"}
    assert titles(search("flood NOT sms")) == ["Community flood wardens on the river"]
    assert titles(search("flood -sms")) == ["Community flood wardens on the river"]
    assert "Participatory budgeting policies in Bogotá wards" in titles(search("particip*"))


def test_field_filters_in_the_query(corpus):
    assert titles(search("sdg:11.5 country:KE")) == [
        "Flood early warning by SMS in a small town"]
    assert set(titles(search('region:"Eastern Africa"'))) >= {
        "Flood early warning by SMS in a small town", "Community flood wardens on the river",
        "Solar pumps for village water points"}
    assert titles(search("year:2015..2017")) == ["School meals and local farmers"]
    assert titles(search("kind:research")) == ["School meals and local farmers"]


def test_facet_counts_match_a_hand_count(corpus):
    results = search("", content="practice")
    goals = dict(results.facets["goal"])
    expected = {}
    for _title, _countries, targets, *_rest in CORPUS:
        for goal in {t.split(".")[0] for t in targets}:
            expected[goal] = expected.get(goal, 0) + 1
    assert goals == expected
    assert dict(results.facets["country"]) == {c: 1 for _, cs, *_ in CORPUS for c in cs}
    themes = dict(results.facets["theme"])
    assert themes == {"drr_resilience": 2, "local_action": 2, "leave_no_one_behind": 1,
                      "digital_governance": 1}
    assert dict(results.facets["region"])["Eastern Africa"] == 3
    assert dict(results.facets["year"])["2019"] == 3  # 2016–19, 2018–22, 2019–21


def test_facets_narrow_with_the_query(corpus):
    results = search("flood", goal="13")
    assert results.total == 1
    assert dict(results.facets["target"]) == {"11.5": 1, "13.1": 1}
    assert dict(results.facets["country"]) == {"KE": 1}


def test_drafts_and_rejected_never_appear(corpus):
    found = titles(search("flood")) + titles(search("")) + titles(search("secret OR idea"))
    assert "Secret flood draft" not in found and "Rejected flood idea" not in found


def test_organisations_are_searchable_with_a_type_filter(app, make, corpus):
    make.organisation(name="Lakeside Flood Institute", description="Studies floods.")
    service.sync()
    everything = search("flood")  # in a box of their own, beside the practices
    assert [hit.item.name for hit in everything.organisations] == ["Lakeside Flood Institute"]
    assert not any(hit.content == "organisation" for hit in everything.hits)
    only = search("flood", content="organisation")
    assert [hit.item.name for hit in only.hits] == ["Lakeside Flood Institute"]


def test_snippets_mark_the_words_and_escape_the_rest(app, make):
    make.practice(title="Markup in text", summary="Watch <script>x</script> the flood gauge.")
    service.sync()
    [hit] = search("flood").hits
    assert re.search(r"<mark[^>]*>flood</mark>", hit.snippet)
    assert "<script>" not in hit.snippet


@pytest.mark.parametrize("q", ['"unclosed flood', "flood AND", "((flood", "OR", "*ater*",
                               "foo:bar flood", "sdg:99", 'country:"Atlantis"', ")))",
                               "year:abc", "-", '"', "NOT"])
def test_malformed_queries_are_answered_with_a_note(corpus, q):
    results = search(q)
    assert results.notes, q
    assert isinstance(results.total, int)


def test_did_you_mean(corpus):
    results = search("floood")
    assert results.suggestion == "flood"


def test_one_full_match_never_hides_the_partial_ones(corpus):
    results = search("solar meals")
    assert results.total == 2 and results.all_words_total == 0


def test_stop_words_never_widen_a_query(corpus):
    assert search("the flood").total == search("flood").total == 2
    results = search("the of and")
    assert results.total == 0 and results.hits == []
    assert any("very common words" in note for note in results.notes)


def test_sorts_and_pages(app, make):
    for number in range(25):
        make.practice(title=f"Irrigation scheme {number:02d}")
    service.sync()
    first = search("irrigation")
    assert first.total == 25 and len(first.hits) == 20 and first.pages == 2
    second = service.search("irrigation", Filters(), page=2)
    assert len(second.hits) == 5
    seen = {h.key for h in itertools.chain(first.hits, second.hits)}
    assert len(seen) == 25
    newest = service.search("irrigation", Filters(), sort="newest")
    dates = [hit.item.published_at for hit in newest.hits]
    assert dates == sorted(dates, reverse=True)


def test_similar_practices(corpus):
    flood = corpus[0]
    similar = service.similar(flood)
    assert similar and similar[0].title == "Community flood wardens on the river"
    assert flood not in similar


def test_an_unreadable_index_leaves_the_practice_page_without_similar_ones(
        client, corpus, monkeypatch):
    def unreadable():
        raise ValueError("Index was created on different architecture")

    monkeypatch.setattr(service.engine(), "generation", unreadable)
    assert service.similar(corpus[0]) == []
    response = client.get(f"/practices/{corpus[0].id}")
    assert response.status_code == 200 and corpus[0].title in response.get_data(as_text=True)


def test_search_page_renders(client, corpus):
    response = client.get("/search?q=flood+sdg:11.5&goal=11")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<mark" in body and "Community flood wardens" in body
    assert client.get('/search?q="((&sort=bogus&page=-3').status_code == 200


def test_search_page_runs_a_fixed_number_of_queries(client, make, count_queries):
    def queries():
        service.sync()
        with count_queries() as statements:
            assert client.get("/search?q=cistern").status_code == 200
        return len(statements)

    # As many hits as keep "did you mean" away (the PostgreSQL engine asks it in SQL).
    for number in range(service.SUGGEST_BELOW):
        make.practice(title=f"Cistern {number}", tagged={"countries": ["KE"], "targets": ["6.1"]})
    few = queries()
    for number in range(15):
        make.practice(title=f"Cistern {number}", tagged={"countries": ["KE", "UG"],
                                                         "targets": ["6.1", "6.2"]})
    assert queries() == few


def test_hyphenated_words_keep_their_parts_together(app, make):
    make.practice(title="An e-governance portal for permits")
    make.practice(title="Governance reform in the district")
    service.sync()
    assert titles(search("e-governance")) == ["An e-governance portal for permits"]
    assert len(titles(search("governance"))) == 2


def test_short_organisation_records_do_not_crowd_out_practices(app, make):
    make.organisation(name="Policy Research Centre", description="Policy.")
    make.practice(title="Water policy for small towns",
                  summary="A policy on water tariffs and the policy process.")
    service.sync()
    assert search("policy").hits[0].content == "practice"


def test_discussion_posts_are_searchable_until_deleted(app, client, make):
    from nanum.discussions import services as discussions

    asker, helper = make.user(), make.user()
    thread = discussions.start_topic(asker, category="questions", title="Funding cisterns",
                                     body="How did you fund the cisterns?")
    answer = discussions.reply(helper, thread=thread, body="A ward levy paid for cisterns.")
    service.sync()
    found = search("cisterns", content="post")
    assert {hit.item.thread_id for hit in found.hits} == {thread.id} and found.total == 2
    assert answer.id in {hit.item.id for hit in found.hits}
    page = client.get("/search?q=levy").get_data(as_text=True)
    assert "Forum post" in page and f"/posts/{answer.id}" in page
    discussions.remove(helper, answer)
    service.sync()
    assert search("levy").total == 0


def test_words_only_in_the_title_are_marked_there(app, make):
    make.practice(title="Ferrocement tanks", summary="Cheap storage for rain.")
    service.sync()
    [hit] = search("ferrocement").hits
    assert "<mark>Ferrocement</mark>" in hit.snippet


def test_no_template_marks_user_text_safe():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    offenders = [str(path) for path in templates.rglob("*.html") if "|safe" in path.read_text()]
    assert offenders == []


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=120), args=st.dictionaries(
    st.sampled_from(["goal", "target", "country", "region", "year", "page", "sort", "content",
                     "theme", "kind", "org_type", "population_band"]),
    st.text(max_size=12), max_size=4))
def test_the_search_and_browse_pages_answer_any_input(client, q, args):
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200
    assert client.get("/practices/", query_string=args).status_code == 200


def test_country_names_are_words(app, make, corpus):
    make.organisation(name="Maji Institute", country="TZ")
    service.sync()
    assert titles(search("kenya")) == ["Flood early warning by SMS in a small town"]
    assert titles(search("flood kenya"))[0] == "Flood early warning by SMS in a small town"
    organisations = [hit.item.name for hit in search("tanzania", content="organisation").hits]
    assert organisations == ["Maji Institute"]
    assert "Solar pumps for village water points" in titles(search("tanzania"))


@pytest.mark.parametrize("words", ["Kenia", "케냐", "Afrique de l'Est", "África oriental",
                                   "동아프리카", "Eastern Africa"])
def test_countries_and_regions_are_words_in_every_language_the_site_shows(corpus, words):
    assert "Flood early warning by SMS in a small town" in titles(search(words))
    assert "Participatory budgeting policies in Bogotá wards" not in titles(search(words))


@pytest.mark.parametrize("words", ["Colombie", "콜롬비아", "Colombia"])
def test_a_country_by_its_names(corpus, words):
    assert titles(search(words)) == ["Participatory budgeting policies in Bogotá wards"]


@pytest.mark.parametrize("words", ["Amérique du Sud", "남미", "América Latina y el Caribe"])
def test_a_region_by_its_names(corpus, words):
    results = search(words)  # what has all the words first; "Sud" alone is in "Asie du Sud-Est"
    assert sorted(titles(results)[:2]) == ["Participatory budgeting policies in Bogotá wards",
                                           "School meals and local farmers"]
    assert results.all_words_total in (2, None)


def test_an_organisations_country_in_another_language(app, make):
    make.organisation(name="Maji Institute", country="TZ")
    service.sync()
    assert [hit.item.name for hit in search("Tanzanie", content="organisation").hits] == [
        "Maji Institute"]


def test_topic_titles_find_their_opening_post(app, make):
    from nanum.discussions import services as discussions

    asker, helper = make.user(), make.user()
    thread = discussions.start_topic(asker, category="questions", title="Funding cisterns",
                                     body="How did you pay for them?")
    discussions.reply(helper, thread=thread, body="A ward levy.")
    service.sync()
    found = search("funding", content="post")
    assert [hit.item.body for hit in found.hits] == ["How did you pay for them?"]


def test_an_explicit_and_never_widens_to_any_word(corpus):
    results = search("solar AND meals")
    assert results.total == 0 and results.all_words_total is None
    assert search("solar meals").total == 2  # plain words: any of them may match


def test_matching_keys_are_the_newest_matches_of_words_and_filters(app, make):
    from datetime import timedelta

    from nanum.timeutil import utcnow

    older = make.practice(title="Flood maps for wards", published_at=utcnow() - timedelta(1))
    newer = make.practice(title="Flood sirens in the market")
    make.practice(title="Flood shelters", tagged={"countries": ["UG"], "targets": ["11.5"]})
    make.practice(title="Drought reserves")
    service.sync()
    filters = Filters.from_args({"country": "KE"})
    assert service.matching_keys("flood", filters) == [f"practice:{newer.id}",
                                                       f"practice:{older.id}"]
    assert service.matching_keys("flood", filters, limit=1) == [f"practice:{newer.id}"]
    # Any of the words, as the search page finds them, newest first.
    assert service.matching_keys("sirens wards", filters) == [f"practice:{newer.id}",
                                                              f"practice:{older.id}"]
    assert service.matching_keys("flood wards", filters,
                                 within=[f"practice:{older.id}"]) == [f"practice:{older.id}"]
    assert service.matching_keys("sirens AND wards", filters) == []


def test_a_topic_title_finds_the_topic_and_the_hit_says_it_is_one(app, make, client):
    from nanum.discussions import services as discussions

    asker, helper = make.user(), make.user()
    thread = discussions.start_topic(asker, category="questions",
                                     title="Cistern maintenance rotas", body="Who does what?")
    discussions.reply(helper, thread=thread, body="Each ward takes a month.")
    practice = make.practice(title="Cistern rotas in Kisumu")
    discussions.reply(helper, practice=practice, body="We copied the rota.")
    service.sync()
    found = search("maintenance rotas", content="post")
    assert found.hits[0].item.thread_id == thread.id and found.all_words_total == 1
    replies = search("ward month")
    assert [hit.item.body for hit in replies.hits] == ["Each ward takes a month."]
    page = client.get("/search", query_string={"q": "maintenance rotas"}).get_data(as_text=True)
    assert '<p class="hit-kind">Forum topic</p>' in page
    assert "Cistern maintenance rotas" in page
