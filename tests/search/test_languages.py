"""Text in several languages: each document analysed in its own language, a query finding
documents in the language it is written in, CJK text as pairs, and the language facet."""

from datetime import datetime

import pytest

from nanum.search import analysis, snippets
from nanum.search.engines.memory import MemoryEngine
from nanum.search.engines.whoosh import WhooshEngine
from nanum.search.planning import plan as make_plan
from nanum.search.planning import prepare
from nanum.search.query import Field, parse


def document(number, title, body, language):
    return {"key": f"practice:{number}", "content": "practice", "title": title,
            "body": body, "language": language, "published": datetime(2024, 1, number)}


DOCUMENTS = [
    document(1, "Vivienda social en barrios informales",
             "El municipio construyó vivienda asequible con las cooperativas.", "es"),
    document(2, "Logements sociaux dans les quartiers",
             "La commune a rénové des logements pour les familles.", "fr"),
    document(3, "주거지원 사업", "서울시는 청년 주거지원을 위해 공공임대주택을 공급했다.", "ko"),
    document(4, "Social housing in informal settlements",
             "The council built affordable homes with housing cooperatives.", "en"),
    document(5, "Water kiosks", "Kiosks sell clean water by the jerrycan.", "en"),
]


@pytest.fixture(params=["whoosh", "memory"])
def engine(request, tmp_path):
    if request.param == "memory":
        return MemoryEngine()
    return WhooshEngine(tmp_path / "index", writer_timeout=1)


@pytest.fixture
def whoosh(tmp_path):
    engine = WhooshEngine(tmp_path / "index", writer_timeout=1)
    engine.rebuild(DOCUMENTS)
    return engine


def found(engine, text, **options):
    return engine.match(make_plan(prepare(parse(text)), limit=50, **options))


def test_each_language_is_stemmed_with_its_own_stemmer():
    assert analysis.terms("viviendas", "es") == analysis.terms("vivienda", "es")
    assert analysis.terms("logements", "fr") == analysis.terms("logement", "fr")
    assert analysis.terms("communities") == analysis.terms("community") == ["communiti"]
    # Spanish stop words are left out of Spanish text; a language without a stemmer is
    # folded only; Spanish terms never meet English ones.
    assert analysis.terms("la vivienda de las familias", "es") == ["es:viviend", "es:famili"]
    assert analysis.terms("Maji safi", "sw") == ["sw:maji", "sw:safi"]
    assert not set(analysis.terms("housing")) & set(analysis.terms("housing", "es"))


def test_korean_is_cut_into_pairs_of_characters_in_any_language():
    assert analysis.terms("주거지원") == ["주거", "거지", "지원"]
    assert analysis.terms("주거지원", "ko") == ["주거", "거지", "지원"]
    assert analysis.terms("청년 주거", "es") == ["청년", "주거"]
    assert analysis.terms("KB국민") == ["kb", "국민"]
    assert analysis.terms("집") == ["집"]


def test_a_spanish_query_finds_the_spanish_practice_by_a_stemmed_form(whoosh):
    match = found(whoosh, "viviendas")
    assert match.keys == ["practice:1"]
    assert found(whoosh, "cooperativa").keys == ["practice:1"]  # "cooperativas" in the text
    assert found(whoosh, "logement").keys == ["practice:2"]  # French: "logements"


def test_an_english_query_still_finds_english_practices_as_before(whoosh):
    match = found(whoosh, "housing cooperative")
    assert match.keys[0] == "practice:4" and "practice:1" not in match.keys
    assert found(whoosh, "kiosk").keys == ["practice:5"]
    assert found(whoosh, "\"clean water\"").keys == ["practice:5"]


def test_a_korean_query_finds_korean_text_by_its_pairs(whoosh):
    assert found(whoosh, "주거지원").keys == ["practice:3"]  # inside "주거지원을"
    assert found(whoosh, "임대주택").keys == ["practice:3"]  # inside "공공임대주택을"
    assert found(whoosh, "주택 청년").keys == ["practice:3"]
    assert found(whoosh, "지원주거").total == 0  # the same pairs, not next to each other


def test_a_word_finds_its_stem_in_each_language_the_index_holds(whoosh):
    # English "social", Spanish "social", French "sociaux": one facet count each.
    assert found(whoosh, "social").facets["language"] == {"en": 1, "es": 1, "fr": 1}


def test_a_prefix_finds_words_of_every_language(whoosh):
    assert set(found(whoosh, "vivien*").keys) == {"practice:1"}
    assert set(found(whoosh, "coop*").keys) == {"practice:1", "practice:4"}


def test_language_facet_counts(engine):
    engine.rebuild(DOCUMENTS)
    match = found(engine, "")
    assert match.facets["language"] == {"es": 1, "fr": 1, "ko": 1, "en": 2}
    assert found(engine, "vivienda").facets["language"] == {"es": 1}
    assert found(engine, "kiosks water").facets["language"] == {"en": 1}
    assert found(engine, "", filters=[Field("language", "es")]).keys == ["practice:1"]


def test_did_you_mean_knows_words_of_every_language(whoosh):
    assert whoosh.unknown_words(["viviendas", "주거지원", "housing", "zzzq"]) == ["zzzq"]


def test_snippets_mark_korean_words_holding_the_pairs_searched():
    marked = snippets.snippet("서울시는 청년 주거지원을 위해", ["주거지원"])
    assert "<mark>주거지원을</mark>" in marked
