"""What a brief says, before any PDF: blocks of text and how long sections are cut."""

from nanum.briefs import content
from nanum.briefs.content import Block


def test_blocks_keep_paragraphs_and_list_items_apart():
    html = ("<p>The river floods <strong>twice</strong> a year.</p>"
            "<ol><li>Map the wards.</li><li><p>Train wardens.</p></li></ol>"
            "<ul><li>Radios</li></ul><h3>After</h3><p>Fewer losses.</p>")
    blocks = content.blocks_of(html)
    assert [(b.kind, b.marker, b.text) for b in blocks] == [
        ("p", "", "The river floods twice a year."),
        ("li", "1.", "Map the wards."),
        ("li", "2.", "Train wardens."),
        ("li", "•", "Radios"),
        ("h", "", "After"),
        ("p", "", "Fewer losses."),
    ]


def test_text_within_budget_is_kept_whole():
    blocks = [Block("p", "One sentence. Two sentences.")]
    kept, cut = content.fit(blocks, 100)
    assert not cut and [b.text for b in kept] == ["One sentence. Two sentences."]


def test_a_long_section_is_cut_after_a_whole_sentence():
    blocks = [Block("p", "First things first. " * 3 + "A last sentence that will not fit.")]
    kept, cut = content.fit(blocks, 70)
    assert cut
    assert [b.text for b in kept] == ["First things first. First things first. "
                                      "First things first. …"]


def test_blocks_past_the_budget_are_left_out_and_the_last_kept_one_marked():
    blocks = [Block("p", "Short opening."), Block("li", "A step much too long to keep " * 5,
                                                  "1."), Block("p", "Never reached.")]
    kept, cut = content.fit(blocks, 30)
    assert cut and [b.text for b in kept] == ["Short opening. …"]


def test_a_first_sentence_longer_than_the_budget_is_cut_at_a_word():
    kept, cut = content.fit([Block("p", "word " * 100)], 22)
    assert cut and kept[0].text == "word word word word …"


def test_korean_and_chinese_sentences_end_at_their_full_stops():
    assert content.sentences_within("물을 나눴다. 마을이 바뀌었다. 끝.", 12) == "물을 나눴다."
    assert content.sentences_within("第一句。第二句。", 5) == "第一句。"
