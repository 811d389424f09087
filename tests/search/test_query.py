"""Tests for the lenient search-box parser."""

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nanum.search.query import (
    MAX_CHARS,
    And,
    Field,
    Not,
    Or,
    Parsed,
    Phrase,
    Word,
    parse,
    to_text,
)

W = Word


def P(*words):
    return Phrase(tuple(words))


def A(*children):
    return And(tuple(children))


def O(*children):  # noqa: E743 - reads like the operator it builds
    return Or(tuple(children))


# -- exact trees of well-formed queries: no notes expected ------------------------------------

CLEAN = [
    ("flood", W("flood")),
    ("Flood Drought", A(W("flood"), W("drought"))),
    ("flood and drought", A(W("flood"), W("and"), W("drought"))),
    ("flood or not drought", A(W("flood"), W("or"), W("not"), W("drought"))),
    ("flood AND drought", A(W("flood"), W("drought"))),
    ("flood OR drought", O(W("flood"), W("drought"))),
    ("flood NOT drought", A(W("flood"), Not(W("drought")))),
    ("flood -drought", A(W("flood"), Not(W("drought")))),
    ("+flood", W("flood")),
    ("a b OR c", O(A(W("a"), W("b")), W("c"))),
    ("a OR b c", O(W("a"), A(W("b"), W("c")))),
    ("NOT a OR b", O(Not(W("a")), W("b"))),
    ("NOT a b", A(Not(W("a")), W("b"))),
    ("(a OR b) c", A(O(W("a"), W("b")), W("c"))),
    ("a (b OR c) -(d e)", A(W("a"), O(W("b"), W("c")), Not(A(W("d"), W("e"))))),
    ("(a b) c", A(W("a"), W("b"), W("c"))),
    ("NOT NOT flood", W("flood")),
    ("flood flood", W("flood")),
    ('"early warning"', P("early", "warning")),
    ("“Early Warning”", P("early", "warning")),
    ('"flood"', W("flood")),
    ('""', None),
    ('-"early warning"', A(Not(P("early", "warning")))),
    ('foo"bar baz"', A(W("foo"), P("bar", "baz"))),
    ("-flood", A(Not(W("flood")))),
    ("-flood -drought", A(Not(W("flood")), Not(W("drought")))),
    ("-AND", A(Not(W("and")))),
    ("wat*", W("wat", prefix=True)),
    ("Water*", W("water", prefix=True)),
    ("e-gov*", W("e-gov", prefix=True)),
    ("how to fund?", A(W("how"), W("to"), W("fund"))),
    ("?", None),
    ("e-governance, 11.5!", A(W("e-governance"), W("11.5"))),
    ("women's (rights)", A(W("women's"), W("rights"))),
    ("flood,drought", A(W("flood"), W("drought"))),
    ("...", None),
    ("Café Résumé", A(W("café"), W("résumé"))),
    ("sdg:11", Field("goal", "11")),
    ("goal:11", Field("goal", "11")),
    ("SDG:11.5", Field("target", "11.5")),
    ("target:11.5", Field("target", "11.5")),
    ("sdg:11.a", Field("target", "11.a")),
    ("country:KE", Field("country", "KE")),
    ("country:ke", Field("country", "KE")),
    ("Country:Kenya", Field("country", "KE")),
    ('country:"Viet Nam"', Field("country", "VN")),
    ("country:Vietnam", Field("country", "VN")),
    ('country:"cote d\'ivoire"', Field("country", "CI")),
    ("country:“Côte d’Ivoire”", Field("country", "CI")),
    ('region:"Eastern Africa"', Field("region", "Eastern Africa")),
    ("region:eastern-africa", Field("region", "Eastern Africa")),
    ("region:EASTERN_AFRICA", Field("region", "Eastern Africa")),
    ("region:Africa", Field("region", "Africa")),
    ('region:"Latin America and the Caribbean"',
     Field("region", "Latin America and the Caribbean")),
    ("region:sub-saharan-africa", Field("region", "Sub-Saharan Africa")),
    ("region:south-eastern-asia", Field("region", "South-eastern Asia")),
    ('region:"Australia & New Zealand"', Field("region", "Australia and New Zealand")),
    ('country:"Trinidad & Tobago"', Field("country", "TT")),
    ("type:NRI", Field("org_type", "NRI")),
    ("type:lrg", Field("org_type", "LRG")),
    ("orgtype:cso", Field("org_type", "CSO")),
    ("org_type:io", Field("org_type", "IO")),
    ("type:academia", Field("org_type", "ACADEMIA")),
    ("type:university", Field("org_type", "ACADEMIA")),
    ("type:civil-society", Field("org_type", "CSO")),
    ("type:ngo", Field("org_type", "CSO")),
    ("type:ministry", Field("org_type", "NGM")),
    ("theme:drr_resilience", Field("theme", "drr_resilience")),
    ("theme:drr", Field("theme", "drr_resilience")),
    ("theme:digital", Field("theme", "digital_governance")),
    ('theme:"leaving no one behind"', Field("theme", "leave_no_one_behind")),
    ("theme:resilience", Field("theme", "drr_resilience")),
    ("kind:case_study", Field("kind", "case_study")),
    ('kind:"case study"', Field("kind", "case_study")),
    ("kind:case-study", Field("kind", "case_study")),
    ("kind:research", Field("kind", "research")),
    ("year:2019", Field("year", (2019, 2019))),
    ("year:2019..2023", Field("year", (2019, 2023))),
    ("year:2019-2023", Field("year", (2019, 2023))),
    ("year:2019..", Field("year", (2019, 2100))),
    ("year:..2019", Field("year", (1950, 2019))),
    ("year:1950..2100", Field("year", (1950, 2100))),
    ("is:practice", Field("content", "practice")),
    ("is:organisation", Field("content", "organisation")),
    ("is:organization", Field("content", "organisation")),
    ("is:post", Field("content", "post")),
    ("population:10k_50k", Field("population_band", "10k_50k")),
    ("budget:lt_10k", Field("budget_band", "lt_10k")),
    ("settlement:rural", Field("settlement_type", "rural")),
    ("settlement:peri-urban", Field("settlement_type", "peri_urban")),
    ("infrastructure:basic", Field("infrastructure_level", "basic")),
    ("staff:lt_5", Field("staff_band", "lt_5")),
    ("level:municipal", Field("government_level", "municipal")),
    ("level:city", Field("government_level", "municipal")),
    ("-country:KE flood", A(Not(Field("country", "KE")), W("flood"))),
    ("http://example.org/page", A(W("http"), W("example.org"), W("page"))),
    ("note: hello", A(W("note"), W("hello"))),
    ("10:30", A(W("10"), W("30"))),
    ('flood "early warning" sdg:11.5 country:KE',
     A(W("flood"), P("early", "warning"), Field("target", "11.5"), Field("country", "KE"))),
    ("(flood OR drought) -sdg:13 year:2019..2023 is:practice",
     A(O(W("flood"), W("drought")), Not(Field("goal", "13")), Field("year", (2019, 2023)),
       Field("content", "practice"))),
]


@pytest.mark.parametrize(("query", "expected"), CLEAN)
def test_well_formed_queries_parse_exactly_without_notes(query, expected):
    parsed = parse(query)
    assert parsed.node == expected
    assert parsed.notes == []


@pytest.mark.parametrize("query", ["", "   ", "\n\t "])
def test_empty_query_is_empty(query):
    assert parse(query) == Parsed(None, [])


# -- lenient readings: exact tree plus a note containing the given text -----------------------

NOTED = [
    ('"early warning', P("early", "warning"), "quote was not closed"),
    ('flood "early warning', A(W("flood"), P("early", "warning")), "read as a phrase to the end"),
    ('"flood', W("flood"), "quote was not closed"),
    ('flood "', W("flood"), "quote was not closed"),
    ('country:"Viet Nam', Field("country", "VN"), "quote was not closed"),
    ("(flood OR drought", O(W("flood"), W("drought")), "was not closed"),
    ("((flood", W("flood"), "was not closed"),
    ("flood)", W("flood"), "unmatched “)”"),
    (") flood (", W("flood"), "unmatched “)”"),
    ("AND", None, "“AND”"),
    ("OR", None, "“OR”"),
    ("NOT", None, "“NOT”"),
    ("AND OR", None, "“OR”"),
    ("OR flood", W("flood"), "“OR”"),
    ("flood OR", W("flood"), "“OR”"),
    ("flood AND", W("flood"), "“AND”"),
    ("AND flood", W("flood"), "“AND”"),
    ("flood AND AND drought", A(W("flood"), W("drought")), "“AND”"),
    ("flood NOT", W("flood"), "“NOT”"),
    ("flood AND OR drought", O(W("flood"), W("drought")), "“AND”"),
    ("(flood OR)", W("flood"), "“OR”"),
    ("wa*", W("wa"), "Wildcards need at least three letters before the *; searched for “wa”."),
    ("w*", W("w"), "at least three letters"),
    ("*ater", W("ater"),
     "Wildcards are only allowed at the end of a word; searched for “ater” instead."),
    ("*ater*", W("ater"), "only allowed at the end"),
    ("wa*er", W("waer"), "only allowed at the end"),
    ("wat?r", W("watr"), "only allowed at the end"),
    ("?ater", W("ater"), "only allowed at the end"),
    ("-", None, "“-”"),
    ("flood - drought", A(W("flood"), W("drought")), "right before the word"),
    ("flood -)", W("flood"), "“-”"),
    ("*", None, "lone “*”"),
    ("flood *", W("flood"), "lone “*”"),
    ("sdg:11.9", None, "There is no SDG target 11.9; that filter was ignored."),
    ("sdg:18", None, "There is no SDG 18"),
    ("target:banana", None, "There is no SDG"),
    ("flood sdg:99", W("flood"), "There is no SDG 99"),
    ("flood -sdg:99", W("flood"), "There is no SDG 99"),
    ("country:Narnia", None, "no country “Narnia”"),
    ("country:XX", None, "no country"),
    ("region:Mordor", None, "no region “Mordor”"),
    ("type:government", None, "organisation type"),
    ("theme:and", None, "more than one theme"),
    ("theme:cooking", None, "no theme"),
    ("kind:poem", None, "no kind"),
    ("staff:5", None, "more than one staff band"),
    ("population:huge", None, "no population band"),
    ("level:galactic", None, "no government level"),
    ("year:2023..2019", Field("year", (2019, 2023)), "reversed"),
    ("year:1900", None, "between 1950 and 2100"),
    ("year:2019..2200", None, "between 1950 and 2100"),
    ("year:soon", None, "not understood"),
    ("year:19", None, "not understood"),
    ("year:..", None, "not understood"),
    ("is:video", None, "is:"),
    ("sdg:", None, "“sdg:” filter had no value"),
    ('country:""', None, "“country:” filter had no value"),
    ("flood year: 2019", A(W("flood"), W("2019")), "“year:” filter had no value"),
    ("foo:bar", A(W("foo"), W("bar")),
     "There is no “foo:” filter; searched for the words instead. Filters: sdg:, country:, "
     "region:, type:, theme:, kind:, year:, is:"),
    ('foo:"bar baz"', A(W("foo"), P("bar", "baz")), "There is no “foo:” filter"),
    ("-foo:bar", A(Not(A(W("foo"), W("bar")))), "There is no “foo:” filter"),
]


@pytest.mark.parametrize(("query", "expected", "note"), NOTED)
def test_lenient_readings_say_what_happened(query, expected, note):
    parsed = parse(query)
    assert parsed.node == expected
    assert any(note in text for text in parsed.notes), parsed.notes


@pytest.mark.parametrize("query", [row[0] for row in NOTED])
def test_notes_are_short_plain_sentences(query):
    for note in parse(query).notes:
        assert isinstance(note, str)
        assert "\n" not in note and "<" not in note
        assert len(note) < 250


def test_duplicate_notes_are_not_repeated():
    parsed = parse("foo:bar foo:baz OR OR x")
    assert len(parsed.notes) == len(set(parsed.notes)) == 2


def test_quiet_url_schemes_and_trailing_colons():
    assert parse("https://example.org http://x").notes == []
    assert parse("Lesson: share").notes == []


# -- limits -----------------------------------------------------------------------------------


def test_long_input_is_cut_with_a_note():
    parsed = parse("flood " * 100 + "drought")
    assert parsed.node == W("flood")
    assert any("500 characters" in note for note in parsed.notes)


def test_cut_quote_is_not_reported_as_unclosed():
    parsed = parse('"' + "flood " * 100 + '"')
    assert not any("quote" in note for note in parsed.notes)


def test_more_than_thirty_terms_are_dropped_with_a_note():
    words = [f"w{i}" for i in range(40)]
    parsed = parse(" ".join(words))
    assert parsed.node == And(tuple(W(w) for w in words[:30]))
    assert any("first 30" in note for note in parsed.notes)


def test_term_limit_counts_pieces_of_one_token():
    parsed = parse(",".join(f"w{i}" for i in range(40)))
    assert parsed.node == And(tuple(W(f"w{i}") for i in range(30)))
    assert any("first 30" in note for note in parsed.notes)


def test_trailing_operator_after_the_term_limit_is_not_noted():
    parsed = parse(" ".join(f"w{i}" for i in range(30)) + " OR w30")
    assert not any("“OR”" in note for note in parsed.notes)


def test_deep_nesting_is_flattened():
    parsed = parse("(" * 40 + "flood OR drought" + ")" * 40)
    assert parsed.node == O(W("flood"), W("drought"))
    assert any("nested" in note for note in parsed.notes)
    assert not any("unmatched" in note or "not closed" in note for note in parsed.notes)


def test_ten_levels_are_kept():
    parsed = parse("(" * 10 + "a OR b" + ")" * 10 + " c")
    assert parsed.node == A(O(W("a"), W("b")), W("c"))
    assert parsed.notes == []


# -- the helpers on Parsed --------------------------------------------------------------------


def test_words_lists_positive_words_and_phrase_words_in_order():
    parsed = parse('Flood "early warning" -drought wat* sdg:11 (fire OR flood) NOT "dry spell"')
    assert parsed.words() == ["flood", "early", "warning", "wat", "fire"]


def test_has_text():
    assert parse("flood sdg:11").has_text()
    assert parse('"early warning"').has_text()
    assert not parse("sdg:11 country:KE").has_text()
    assert not parse("-flood sdg:11").has_text()
    assert not parse("").has_text()


def test_fields_are_the_positive_filters():
    parsed = parse("flood sdg:11 -country:KE (year:2019 OR is:post)")
    assert parsed.fields() == [
        Field("goal", "11"),
        Field("year", (2019, 2019)),
        Field("content", "post"),
    ]
    assert parse("").fields() == []


def test_nodes_are_frozen_and_hashable():
    node = parse('flood "early warning" year:2019').node
    assert hash(node) == hash(parse('flood "early warning" year:2019').node)
    with pytest.raises(AttributeError):
        node.children = ()


# -- to_text ----------------------------------------------------------------------------------

TEXTS = [
    ('flood "early warning" sdg:11.5', 'flood AND "early warning" AND sdg:11.5'),
    ("-flood", "NOT flood"),
    ("a b OR c", "(a AND b) OR c"),
    ("a (b OR c)", "a AND (b OR c)"),
    ("-(a b)", "NOT (a AND b)"),
    ("wat*", "wat*"),
    ("goal:11 type:ngo is:organization", "sdg:11 AND type:CSO AND is:organisation"),
    ("region:eastern-africa", 'region:"Eastern Africa"'),
    ("year:2019..2023 year:2019.. year:..2019 year:2019",
     "year:2019..2023 AND year:2019.. AND year:..2019 AND year:2019"),
    ("level:city population:10k_50k", "level:municipal AND population:10k_50k"),
    ("", ""),
]


@pytest.mark.parametrize(("query", "text"), TEXTS)
def test_to_text_writes_the_canonical_query(query, text):
    assert to_text(parse(query).node) == text


ROUND_TRIPS = [query for query, _ in CLEAN] + [
    "a OR (b c) OR -d",
    "NOT (a OR b) c",
    '(flood OR "storm surge") AND NOT drought*',
    "country:“Viet Nam” region:Africa theme:digital kind:research staff:lt_5",
    "budget:lt_10k infrastructure:basic settlement:rural",
    "year:2100 year:1950 year:1950..1951",
]


@pytest.mark.parametrize("query", ROUND_TRIPS)
def test_to_text_round_trips(query):
    node = parse(query).node
    again = parse(to_text(node))
    assert again.node == node
    assert again.notes == []


# -- never raises, stays fast -----------------------------------------------------------------

TOKENS = st.sampled_from([
    "AND", "OR", "NOT", "and", "or", "not", "(", ")", '"', "“", "”", "-", "+", "*", "?", ":",
    " ", "  ", "\t", "flood", "wat", "wa", "e-gov", "11.5", "sdg", "sdg:", "country:", "year:",
    "region:", "theme:", "type:", "is:", "foo:", "http://", "..", "2019", "ke", "é", "\u0301",
    "İ", "ß", "\x00", "\ud800", "中文", ",", ".", "'", "’",
])
MIXED = st.lists(TOKENS, max_size=60).map("".join)


def _check(query):
    parsed = parse(query)
    assert isinstance(parsed, Parsed)
    assert isinstance(parsed.notes, list)
    assert all(isinstance(note, str) for note in parsed.notes)
    assert len(parsed.notes) == len(set(parsed.notes))
    assert isinstance(to_text(parsed.node), str)
    assert isinstance(parsed.words(), list)
    parsed.has_text()
    parsed.fields()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_any_text(query):
    _check(query)


@settings(max_examples=300, deadline=None)
@given(MIXED)
def test_never_raises_on_operator_soup(query):
    _check(query)


@settings(max_examples=200, deadline=None)
@given(MIXED)
def test_canonical_text_reparses_to_the_same_tree(query):
    node = parse(query).node
    again = parse(to_text(node))
    assert again.node == node
    assert again.notes == []


@pytest.mark.parametrize("value", [None, 42, b"flood"])
def test_non_text_input_is_empty(value):
    assert parse(value) == Parsed(None, [])


# Hostile runs, each repeated to fill the input: brackets, quotes, operators, prefixes,
# separators, field syntax and combining marks.
ADVERSARIAL = ["((((", '"a', ")", "-", "(-", "NOT (", "AND ", "a*", "x,", "a:b ", "\u0301",
               "country:x", "(a OR ", "water ", "sdg:11 "]


def _calls(text):
    """Count the Python and C function calls made while parsing `text`: its work."""
    calls = 0

    def count(_frame, event, _arg):
        nonlocal calls
        calls += event in ("call", "c_call")

    sys.setprofile(count)
    try:
        parsed = parse(text)
    finally:
        sys.setprofile(None)
    assert isinstance(parsed, Parsed)
    return calls


def _filled(unit, size):
    return unit * (size // len(unit))


@pytest.mark.parametrize("unit", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_input_costs_linear_bounded_work(unit):
    quarter, half, full = (_calls(_filled(unit, size))
                           for size in (MAX_CHARS // 4, MAX_CHARS // 2, MAX_CHARS))
    # Twice the input, at most about twice the work (quadratic work would be four times).
    assert half <= 2.2 * quarter
    assert full <= 2.2 * half
    # A few dozen calls per character at most; beyond the input cap, nothing more.
    assert full <= 40 * MAX_CHARS
    assert _calls(unit * 10_000) <= full * 1.05
