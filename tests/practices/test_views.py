import pytest
from sqlalchemy import func, select

from nanum.extensions import db
from nanum.practices import services
from nanum.practices.models import Practice
from nanum.search import service as search

FORM = {"title": "Community flood wardens", "summary": "Volunteers watch the river.",
        "kind": "case_study", "language": "en", "countries": ["KE"],
        "targets": ["11.5", "13.1"], "themes": ["drr_resilience"], "tags": "floods",
        "context": "The river floods **twice** a year.", "population_band": "10k_50k"}


@pytest.fixture
def writer(make, auth):
    user = make.member(email="writer@example.org")
    auth.login("writer@example.org")
    return user


def count():
    return db.session.scalar(select(func.count(Practice.id)))


def test_write_and_publish(client, post, writer):
    organisation = writer.memberships[0].organisation
    response = post("/practices/new", {**FORM, "organisation": organisation.id,
                                       "action": "submit"})
    assert response.status_code == 302
    practice = db.session.scalar(select(Practice))
    assert practice.status == "published" and practice.author == writer
    page = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert "Community flood wardens" in page and "<strong>twice</strong>" in page
    assert organisation.name in page and writer.name in page


def test_preview_saves_nothing(client, post, writer):
    organisation = writer.memberships[0].organisation
    response = post("/practices/new", {**FORM, "organisation": organisation.id,
                                       "action": "preview"})
    assert response.status_code == 200
    assert "<strong>twice</strong>" in response.get_data(as_text=True)
    assert count() == 0


def test_bad_input_keeps_what_was_typed(client, post, writer):
    organisation = writer.memberships[0].organisation
    response = post("/practices/new", {**FORM, "organisation": organisation.id,
                                       "period_start": "2020", "period_end": "2010",
                                       "action": "draft"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "cannot be before the start year" in body
    assert "The river floods **twice** a year." in body  # nothing the user wrote is lost
    assert count() == 0


def test_cannot_post_for_someone_elses_organisation(client, post, writer, make):
    other = make.organisation()
    response = post("/practices/new", {**FORM, "organisation": other.id, "action": "draft"})
    assert response.status_code == 200  # not a valid choice for this writer
    assert count() == 0


def test_someone_elses_practice_cannot_be_edited(client, post, writer, make):
    practice = make.practice(title="Not yours")
    response = client.get(f"/practices/{practice.id}/edit")
    assert response.status_code == 302
    response = post(f"/practices/{practice.id}/edit", {**FORM, "action": "save"},
                    page=f"/practices/{practice.id}")
    assert response.status_code == 302
    db.session.refresh(practice)
    assert practice.title == "Not yours"


def test_edit_records_history(client, post, writer):
    organisation_id = writer.memberships[0].organisation_id
    practice = services.create(writer, organisation_id, FORM, action="submit")
    response = post(f"/practices/{practice.id}/edit",
                    {**FORM, "organisation": organisation_id, "title": "Flood wardens, year two",
                     "action": "save"})
    assert response.status_code == 302
    history = client.get(f"/practices/{practice.id}/history").get_data(as_text=True)
    assert "Flood wardens, year two" in history and writer.name in history


def test_flash_says_what_a_save_did(client, post, writer):
    organisation_id = writer.memberships[0].organisation_id

    def save(url, action, **changes):
        response = post(url, {**FORM, "organisation": organisation_id, "action": action,
                              **changes}, follow_redirects=True)
        return response.get_data(as_text=True)

    assert "Your draft is saved." in save("/practices/new", "draft")
    practice = db.session.scalar(select(Practice))
    edit = f"/practices/{practice.id}/edit"
    body = save(edit, "save", title="Flood wardens, year two")
    assert "Your changes are saved." in body and "Your practice is" not in body
    assert "Your practice is published." in save(edit, "submit")
    body = save(edit, "save", title="Flood wardens, year three")
    assert "Your changes are saved." in body and "Your practice is published." not in body
    assert [r.action for r in services.history(practice)] == [
        "edited", "published", "edited", "created"]


def test_drafts_are_not_public(client, post, writer, app):
    organisation_id = writer.memberships[0].organisation_id
    practice = services.create(writer, organisation_id, FORM, action="draft")
    assert client.get(f"/practices/{practice.id}").status_code == 200
    assert "Community flood wardens" in client.get("/practices/mine").get_data(as_text=True)
    anonymous = app.test_client()
    assert anonymous.get(f"/practices/{practice.id}").status_code == 404
    assert "Community flood wardens" not in anonymous.get("/practices/").get_data(as_text=True)


def test_browse_filters_combine(client, make):
    make.practice(title="Kenyan flood practice", tagged={"countries": ["KE"],
                                                         "targets": ["11.5"]})
    make.practice(title="Peruvian flood practice", tagged={"countries": ["PE"],
                                                           "targets": ["11.5"]})
    make.practice(title="Kenyan school practice", tagged={"countries": ["KE"],
                                                          "targets": ["4.1"]})
    body = client.get("/practices/?goal=11&region=Eastern+Africa").get_data(as_text=True)
    assert "Kenyan flood practice" in body
    assert "Peruvian flood practice" not in body and "Kenyan school practice" not in body
    body = client.get("/practices/?target=11.5&sort=title").get_data(as_text=True)
    assert body.index("Kenyan flood practice") < body.index("Peruvian flood practice")


def test_browse_ignores_nonsense_filters(client, make):
    make.practice(title="Still listed")
    response = client.get("/practices/?goal=99&country=ZZ&page=abc&sort=drop")
    assert response.status_code == 200 and "Still listed" in response.get_data(as_text=True)


def test_sdg_pages(client, make):
    make.practice(title="Housing plan", tagged={"countries": ["KE"], "targets": ["11.1"]})
    make.practice(title="Transport plan", tagged={"countries": ["KE"], "targets": ["11.2"]})
    goal = client.get("/sdg/11").get_data(as_text=True)
    assert "Sustainable cities and communities" in goal
    assert "Housing plan" in goal and "Transport plan" in goal
    target = client.get("/sdg/11.1").get_data(as_text=True)
    assert "Housing plan" in target and "Transport plan" not in target
    assert client.get("/sdg/18").status_code == 404
    assert client.get("/sdg/11.9").status_code == 404


def test_home_shows_goals_and_recent(client, make):
    make.practice(title="Recent practice")
    body = client.get("/").get_data(as_text=True)
    assert "Recent practice" in body and "No poverty" in body and "illustrative" in body


@pytest.mark.parametrize("url", ["/", "/practices/", "/sdg/11", "/sdg/11.1", "/sdg/",
                                 "/organisations/"])
def test_list_pages_run_a_fixed_number_of_queries(client, make, count_queries, url):
    def queries():
        search.sync()  # count the page's queries, not those that update the index
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    organisation = make.organisation()
    make.practice(organisation=organisation, tagged={"countries": ["KE"], "targets": ["11.1"],
                                                     "themes": ["local_action"]})
    few = queries()
    for _ in range(12):
        make.practice(organisation=make.organisation(),
                      tagged={"countries": ["KE", "UG"], "targets": ["11.1", "11.2"],
                              "themes": ["local_action", "nri_capacity"]})
    assert queries() == few


def test_detail_page_runs_a_fixed_number_of_queries(client, make, count_queries):
    plain = make.practice(tagged={"countries": ["KE"], "targets": ["11.1"]})
    rich = make.practice(tagged={"countries": ["KE", "UG", "TZ"],
                                 "targets": ["11.1", "11.2", "6.1", "13.1"],
                                 "themes": ["local_action", "nri_capacity"]})
    urls = [f"/practices/{plain.id}", f"/practices/{rich.id}"]
    search.sync()
    counts = []
    for url in urls:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_summaries_are_escaped_once(client, make):
    make.practice(title="Tom and Jerry", summary="Tom & Jerry <b>build</b> wells.")
    body = client.get("/practices/").get_data(as_text=True)
    assert "Tom &amp; Jerry &lt;b&gt;build" not in body  # markup never survives as tags...
    assert "Tom &amp; Jerry build wells." in body  # ...and text is escaped exactly once


def test_words_on_the_browse_page_go_to_search(client):
    response = client.get("/practices/?q=flood&goal=11")
    assert response.status_code == 302
    assert "/search?" in response.headers["Location"] and "goal=11" in response.headers["Location"]
