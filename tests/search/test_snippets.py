"""Snippets: which passages are shown, what is marked, and that the rest is escaped."""

from nanum.search.snippets import snippet

FILLER = " ".join(["the council met again to discuss the plan"] * 12)


def test_the_passage_with_most_of_the_words_comes_first_and_words_are_marked_whole():
    text = (f"Flooding was reported. {FILLER} The flood wardens and the rain gauges worked. "
            f"{FILLER} Floodplain maps.")
    found = snippet(text, ["flood", "gauge"], top=1)
    assert "<mark>flood</mark> wardens" in found and "rain <mark>gauges</mark>" in found
    assert "Floodplain" not in found  # another word, only sharing the letters
    assert found.startswith("… ") and found.endswith(" …")


def test_two_passages_never_overlap_and_keep_text_order():
    text = f"Water kiosks opened. {FILLER} Water tariffs fell. {FILLER} Water quality rose."
    first, second = snippet(text, ["water"], top=2).split(" … ")[:2]
    assert first.count("<mark>") and second.count("<mark>")
    assert text.index("kiosks") < text.index("tariffs")
    assert "kiosks" in first and "kiosks" not in second


def test_prefixes_mark_every_word_they_start_and_the_rest_is_escaped():
    text = "Irrigation <b>and</b> irrigated plots & irrigators; irk."
    found = snippet(text, ["irrig"], prefixes=["irrig"])
    assert found.count("<mark>") == 3
    assert "&lt;b&gt;and&lt;/b&gt;" in found and "&amp;" in found
    assert "<mark>irk" not in found


def test_many_matching_words_are_found_as_well_as_a_few():
    words = [f"word{number}" for number in range(30)]
    text = " ".join(words)
    found = snippet(text, ["word"], prefixes=["word"], maxchars=1000)
    assert found.count("<mark>") == 30


def test_a_page_s_shared_marker_marks_each_text_as_its_own_marker_would():
    from nanum.search.snippets import Marker

    texts = [f"Flood wardens. {FILLER} Floods and flooding.", "Irrigation and flood maps.",
             "Nothing to see here.", "Bogotá's irrigators met the flood wardens."]
    for words, prefixes in ((["flood"], ()), (["irrig", "Bogota"], ["irrig"])):
        marker = Marker(words, prefixes)
        assert [snippet(text, words, prefixes, marker=marker) for text in texts] == [
            snippet(text, words, prefixes) for text in texts]
    assert snippet(texts[2], ["flood"], marker=Marker(["flood"])) == ""
