"""`lang` and `Accept-Language` on the API: SDG goal names, target texts and country names
in the eight languages of the SDG texts; a language it does not have is a 400."""

import json
from importlib import resources

import pytest

from nanum.taxonomy import sdg, texts


def _texts(language):
    raw = resources.files("nanum.taxonomy").joinpath(f"data/sdg-texts/{language}.json")
    return json.loads(raw.read_text("utf-8"))


def _ok(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


@pytest.mark.parametrize("language", [code for code in texts.LANGUAGES if code != "en"])
def test_goal_and_target_texts_in_each_language(client, language):
    expected = _texts(language)
    goal = _ok(client, f"/api/v1/sdg/goals/11?lang={language}").get_json()
    assert goal["title"] == expected["goals"]["11"] != sdg.goal(11).title
    assert goal["targets"][2]["text"] == expected["targets"]["11.3"]
    target = _ok(client, f"/api/v1/sdg/targets/6.b?lang={language}").get_json()
    assert target["text"] == expected["targets"]["6.b"] != sdg.target("6.b").text
    goals = _ok(client, f"/api/v1/sdg/goals?lang={language}").get_json()["goals"]
    assert [g["title"] for g in goals] == [expected["goals"][str(n)] for n in range(1, 18)]


def test_english_is_the_default_and_can_be_asked_for(client):
    assert _ok(client, "/api/v1/sdg/goals/6").get_json()["title"] == sdg.goal(6).title
    english = _ok(client, "/api/v1/sdg/goals/6?lang=en",
                  headers={"Accept-Language": "fr"}).get_json()
    assert english["title"] == sdg.goal(6).title  # `lang` wins over the header


@pytest.mark.parametrize("header, language", [
    ("fr-CA,fr;q=0.9,en;q=0.5", "fr"), ("de, ru;q=0.8", "ru"), ("zh-CN", "zh-Hans"),
    ("sw-KE", "sw"), ("zh-TW, de", "en"), ("ko-KR", "ko"), ("*", "en"),
])
def test_accept_language_is_the_fallback(client, header, language):
    response = _ok(client, "/api/v1/sdg/targets/11.3", headers={"Accept-Language": header})
    expected = sdg.target("11.3").text_in(language)
    assert response.get_json()["text"] == expected
    assert "Accept-Language" in response.headers["Vary"]


def test_country_names_of_practices_and_organisations(client, make):
    organisation = make.organisation(country="KR")
    practice = make.practice(organisation=organisation,
                             tagged={"countries": ["KE", "CN"], "targets": ["6.1"]})
    detail = _ok(client, f"/api/v1/practices/{practice.id}?lang=fr").get_json()
    assert detail["countries"] == ["KE", "CN"]
    assert detail["country_names"] == ["Kenya", "Chine"]
    assert detail["targets"][0]["text"] == _texts("fr")["targets"]["6.1"]
    listed = _ok(client, "/api/v1/practices/?lang=zh-Hans").get_json()["practices"]
    assert listed[0]["country_names"] == ["肯尼亚", "中国"]
    korean = _ok(client, f"/api/v1/organisations/{organisation.id}",
                 headers={"Accept-Language": "ko"}).get_json()
    assert korean["country_name"] == "대한민국"
    arabic = _ok(client, f"/api/v1/practices/{practice.id}?lang=ar").get_json()
    assert arabic["country_names"][0] == "كينيا"
    # What people wrote is not translated.
    assert arabic["title"] == practice.title


def test_lang_is_kept_in_paging_links(client, make):
    for _ in range(3):
        make.practice()
    response = _ok(client, "/api/v1/practices/?per_page=1&lang=ru")
    assert response.get_json()["paging"]["links"]["next"].endswith("lang=ru&page=2")


@pytest.mark.parametrize("url", ["/api/v1/sdg/goals", "/api/v1/sdg/goals/3",
                                 "/api/v1/sdg/targets/3.1", "/api/v1/practices/",
                                 "/api/v1/practices/1", "/api/v1/organisations/1",
                                 "/api/v1/collections/1"])
@pytest.mark.parametrize("bad", ["de", "zh-Hant", "", "x" * 300])
def test_a_language_it_does_not_have_is_a_400(client, url, bad):
    response = client.get(url, query_string={"lang": bad})
    assert response.status_code == 400 and response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == ["lang"]
    assert "zh-Hans" in str(error["fields"]["lang"])


def test_lang_in_any_case_and_documented(client):
    assert _ok(client, "/api/v1/sdg/goals/1?lang=ZH_hans").get_json()["title"] == (
        _texts("zh-Hans")["goals"]["1"])
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/sdg/goals", "/api/v1/sdg/goals/{number}",
                 "/api/v1/sdg/targets/{key}", "/api/v1/practices/",
                 "/api/v1/practices/{practice_id}"):
        [lang] = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "lang"]
        assert lang["in"] == "query" and set(lang["schema"]["enum"]) == set(texts.LANGUAGES)


def test_the_page_cache_keeps_each_language_apart(app, client):
    assert app.config["PAGECACHE_SECONDS"]  # the cache is on in this test
    for header, language in (("ar", "ar"), ("ru", "ru"), ("ar", "ar")):
        found = _ok(client, "/api/v1/sdg/goals/4", headers={"Accept-Language": header})
        assert found.get_json()["title"] == _texts(language)["goals"]["4"]
