"""The SDG goal names and target texts in every language Nanum ships."""

import json
import re
from importlib import resources

import pytest

from nanum import i18n
from nanum.taxonomy import sdg, texts

SHIPPED = ("es", "fr", "ko", "ar", "ru", "sw", "zh-Hans")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# The only Latin-script words the Korean texts keep: abbreviations written so in Korean documents.
KOREAN_KEEPS = {"ODA", "GNI", "TRIPS", "Aid", "for", "Trade"}
KOREAN_FIGURES = {"100000": "10만"}  # figures Korean writes with its own units


def _raw(lang):
    path = resources.files("nanum.taxonomy").joinpath(f"data/sdg-texts/{lang}.json")
    return json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_goal_and_target_has_a_text_under_the_codes_of_the_taxonomy(lang):
    raw = _raw(lang)
    assert raw["language"] == lang
    assert set(raw["goals"]) == {str(number) for number in sdg.GOALS}
    assert set(raw["targets"]) == set(sdg.TARGETS)
    assert all(text.strip() for text in [*raw["goals"].values(), *raw["targets"].values()])


@pytest.mark.parametrize("lang", SHIPPED)
def test_the_api_gives_each_languages_own_text(lang):
    for goal in sdg.GOALS.values():
        assert goal.title_in(lang) == _raw(lang)["goals"][str(goal.number)]
    for target in sdg.TARGETS.values():
        assert target.text_in(lang) == _raw(lang)["targets"][target.key]
        if lang != "sw":  # Kiswahili keeps some English words, e.g. "Aid for Trade"
            assert target.text_in(lang) != target.text


def test_the_korean_texts_are_hangul_sentences_not_english():
    raw = _raw("ko")
    assert "Nanum's own translation" in raw["source"]
    for key, text in [*raw["goals"].items(), *raw["targets"].items()]:
        assert len(HANGUL.findall(text)) >= 3, key
        assert set(LATIN_WORD.findall(text)) <= KOREAN_KEEPS, key
    # The targets are whole: every year and figure of the English text is in the Korean one.
    for target in sdg.TARGETS.values():
        figures = re.findall(r"\d+(?:\.\d+)?", target.text.replace(",", ""))
        korean = raw["targets"][target.key].replace(",", "")
        assert all(KOREAN_FIGURES.get(figure, figure) in korean for figure in figures), target.key


def test_known_goal_names():
    assert sdg.goal(11).title_in("es") == "Ciudades y comunidades sostenibles"
    assert sdg.goal(13).title_in("ko") == "기후변화 대응"
    assert sdg.goal(8).title_in("fr") == "Travail décent et croissance économique"
    assert sdg.target("11.3").text_in("ko").startswith("2030년까지")


@pytest.mark.parametrize(("locale", "expected"), [
    ("es", "es"), ("es_MX", "es"), ("es-419", "es"), ("fr_CA", "fr"), ("ko_KR", "ko"),
    ("zh", "zh-Hans"), ("zh_Hans_CN", "zh-Hans"), ("zh-Hans", "zh-Hans"), ("zh_TW", "en"),
    ("zh_Hant", "en"), ("de", "en"), ("en_GB", "en"), ("", "en"), (None, "en"), (12, "en"),
    ("x" * 10_000, "en"),
])
def test_locale_codes_are_read_as_the_languages_shipped(locale, expected):
    assert texts.normalise(locale) == expected


def test_a_language_without_texts_falls_back_to_english():
    assert sdg.goal(1).title_in("de") == "No poverty"
    assert sdg.target("1.1").text_in("pt_BR") == sdg.target("1.1").text
    assert sdg.target("1.1").text_in("en") == sdg.target("1.1").text


def test_a_text_missing_in_a_language_falls_back_to_english(monkeypatch):
    partial = texts.Texts("es", {"1": "Fin de la pobreza"}, {"1.1": "Erradicar la pobreza"})
    monkeypatch.setattr(texts, "texts", lambda lang: partial)
    assert sdg.goal(1).title_in("es") == "Fin de la pobreza"
    assert sdg.goal(2).title_in("es") == "Zero hunger"
    assert sdg.target("1.1").text_in("es") == "Erradicar la pobreza"
    assert sdg.target("1.2").text_in("es") == sdg.target("1.2").text


def test_the_language_is_english_outside_a_request(app):
    assert i18n.current_language() == "en"
    with app.app_context():
        assert i18n.current_language() == "en"


def test_the_texts_follow_the_language_of_the_request(app):
    with app.test_request_context("/", headers={"Accept-Language": "es-MX,es;q=0.9"}):
        assert i18n.current_language() == "es"
        assert sdg.goal(11).title_in(i18n.current_language()).startswith("Ciudades")
