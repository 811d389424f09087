"""Each engine on its own, given the same documents and plans: matching, deletions,
merges, ranking, facets; then what is particular to the Whoosh engine."""

import random
from datetime import datetime

import numpy as np
import pytest

from nanum.search.engine import Plan
from nanum.search.engines.memory import MemoryEngine
from nanum.search.engines.whoosh import WhooshEngine
from nanum.search.engines.whoosh.bitsets import bits_of, flags_of
from nanum.search.engines.whoosh.schema import same_fields, schema
from nanum.search.planning import plan as make_plan
from nanum.search.planning import prepare
from nanum.search.query import parse


def document(number, text="water", **fields):
    return {"key": f"practice:{number}", "content": "practice", "title": f"Doc {number}",
            "body": text, "published": datetime(2020, 1, 1 + number % 28), **fields}


@pytest.fixture
def whoosh(tmp_path):
    return WhooshEngine(tmp_path / "index", writer_timeout=1)


def planned(text, **options):
    """The plan the search service makes of what a user typed."""
    return make_plan(prepare(parse(text)), **options)


def test_bitset_round_trip():
    ids = sorted(random.Random(3).sample(range(10_000), 700))
    assert list(np.flatnonzero(flags_of(bits_of(ids, 10_000), 10_000))) == ids
    assert not flags_of(0, 64).any()


def test_deletions_are_seen_by_the_next_search(backend):
    with backend.writing() as writer:
        for number in range(3):
            writer.update(document(number))
    assert backend.keys() == {"practice:0", "practice:1", "practice:2"}
    with backend.writing() as writer:
        writer.delete("practice:1")
    assert backend.keys() == {"practice:0", "practice:2"}
    assert backend.match(Plan(node=parse("water").node)).total == 2


def test_many_small_commits_and_merges_keep_exactly_the_live_documents(backend):
    expected = {}
    rng = random.Random(5)
    for step in range(120):
        number = rng.randrange(40)
        with backend.writing() as writer:
            if rng.random() < 0.25:
                writer.delete(f"practice:{number}")
                expected.pop(number, None)
            else:
                word = rng.choice(["rain", "sun", "wind"])
                writer.update(document(number, text=word))
                expected[number] = word
        if step % 30 == 0:  # searches in between keep per-segment caches warm
            backend.match(Plan(node=parse("rain").node))
    assert backend.keys() == {f"practice:{n}" for n in expected}
    for word in ("rain", "sun", "wind"):
        match = backend.match(Plan(node=parse(word).node, limit=100))
        assert sorted(match.keys) == sorted(f"practice:{n}" for n, w in expected.items()
                                            if w == word)


def test_ranking_puts_frequent_words_first(backend):
    with backend.writing() as writer:
        writer.update(document(1, "a note on gardens"))
        writer.update({**document(2, "compost compost compost"), "title": "Compost guide"})
        writer.update(document(3, "some compost mentioned once among many other words"))
    match = backend.match(Plan(node=parse("compost").node))
    assert match.keys == ["practice:2", "practice:3"] and match.total == 2


def test_documents_matching_more_words_come_first_and_partial_ones_are_found(backend):
    with backend.writing() as writer:
        writer.update(document(1, "clean water and sanitation for every school"))
        writer.update(document(2, "water water water tariffs"))
        writer.update(document(3, "sanitation workers"))
        writer.update(document(4, "road repairs"))
    match = backend.match(planned("clean water sanitation", limit=10))
    assert match.keys[0] == "practice:1"
    assert set(match.keys) == {"practice:1", "practice:2", "practice:3"}
    assert (match.total, match.all_groups) == (3, 1)


def test_an_explicit_and_keeps_every_word_required(backend):
    with backend.writing() as writer:
        writer.update(document(1, "clean water and sanitation"))
        writer.update(document(2, "water tariffs"))
    match = backend.match(planned("water AND sanitation", limit=10))
    assert (match.keys, match.all_groups) == (["practice:1"], None)


def test_stop_words_never_widen_a_query(backend):
    with backend.writing() as writer:
        writer.update(document(1, "the river"))
        writer.update(document(2, "a field"))
    assert backend.match(planned("the river")).keys == ["practice:1"]
    prepared = prepare(parse("the of"))
    assert prepared.node is None and prepared.dropped == ["the", "of"]


def test_phrases_not_and_filters_keep_their_meaning(backend):
    with backend.writing() as writer:
        writer.update(document(1, "early warning system for floods", goal=["13"]))
        writer.update(document(2, "warning signs came early", goal=["13"]))
        writer.update(document(3, "early warning of drought", goal=["2"]))
    assert backend.match(planned('"early warning" floods')).keys[0] == "practice:1"
    assert set(backend.match(planned('"early warning"')).keys) == {"practice:1", "practice:3"}
    assert backend.match(planned("warning -drought sdg:2")).keys == []
    assert backend.match(planned("early warning sdg:13", limit=10)).total == 2


def test_a_phrase_matches_within_one_field_and_prefixes_reach_every_field(backend):
    with backend.writing() as writer:
        writer.update(document(1, "flood warning in the delta", title="Early"))
        writer.update(document(2, "Early warning for floods", title="Delta"))
        writer.update(document(3, "river", title="Early warning", summary="Floodplain maps"))
    assert set(backend.match(planned('"early warning"')).keys) == {"practice:2",
                                                                   "practice:3"}
    # The title's last word and the body's first are not a phrase.
    assert backend.match(planned('"early flood"')).keys == []
    assert set(backend.match(planned("flood*")).keys) == {"practice:1", "practice:2",
                                                          "practice:3"}


def test_closest_practices_share_the_rarer_words_of_a_text(backend):
    with backend.writing() as writer:
        writer.update(document(1, "mangrove replanting on the coast with fishers"))
        writer.update(document(2, "school feeding with local farmers"))
        writer.update(document(3, "mangrove nurseries run by women fishers"))
        writer.update(document(4, "coast road repairs"))
        writer.update({**document(5, "mangrove fishers"), "content": "post"})
    found = backend.closest("Replanting mangrove with fishers", limit=2)
    assert [key for key, _score in found] == ["practice:1", "practice:3"]
    assert found[0][1] > found[1][1] > 0
    assert backend.similar("practice:1", "mangrove fishers", limit=5)[0] == "practice:3"
    assert "practice:1" not in backend.similar("practice:1", "mangrove fishers coast")


def test_within_limits_a_match_to_given_keys(backend):
    with backend.writing() as writer:
        for number in range(5):
            writer.update(document(number, "river"))
    match = backend.match(planned("river", within=("practice:2", "practice:9")))
    assert match.keys == ["practice:2"]


def test_newest_first(backend):
    with backend.writing() as writer:
        for number in range(10):
            writer.update(document(number))
    match = backend.match(Plan(node=parse("water").node, sort="newest", limit=3))
    assert match.keys == ["practice:9", "practice:8", "practice:7"]


def test_facets_count_within_the_match(backend):
    with backend.writing() as writer:
        writer.update(document(1, "flood", goal=["11", "13"], country=["KE"]))
        writer.update(document(2, "flood", goal=["11"], country=["UG"]))
        writer.update(document(3, "drought", goal=["2"], country=["KE"]))
    match = backend.match(Plan(node=parse("flood").node))
    assert match.facets["goal"] == {"11": 2, "13": 1}
    assert match.facets["country"] == {"KE": 1, "UG": 1}


def test_warm_prepares_every_segment(whoosh):
    backend = whoosh
    with backend.writing() as writer:
        writer.update(document(1, "flood", goal=["11"]))
    with backend.writing() as writer:
        writer.update(document(2, "flood", goal=["13"]))
    backend.warm()
    assert all(leaf.cache.facets.get("goal") is not None and leaf.cache.lengths
               for leaf in backend._leaves)
    assert backend.match(Plan(node=parse("flood").node)).facets["goal"] == {"11": 1, "13": 1}


def test_warm_reads_the_commonest_words_postings_ahead_of_searches(whoosh):
    backend = whoosh
    with backend.writing() as writer:
        for number in range(6):
            writer.update(document(number, "flood water" if number % 2 else "water"))
    backend.warm()
    leaf = backend._leaves[0]
    assert backend._common_terms(leaf)[:2] == ["water", "flood"]  # most documents first
    for term in ("water", "flood"):
        assert backend._terms.get((leaf.segment_id, "term", term)) is not None
        assert backend._terms.get((leaf.segment_id, "positions", term)) is not None
    unwarmed = WhooshEngine(backend.folder)
    assert backend.match(planned("water flood")) == unwarmed.match(planned("water flood"))


def test_a_removed_index_folder_is_noticed_by_the_next_search(whoosh):
    import shutil

    backend = whoosh
    with backend.writing() as writer:
        writer.update(document(1))
    assert backend.keys() == {"practice:1"}
    shutil.rmtree(backend.folder)
    assert backend.keys() == set()
    with backend.writing() as writer:
        writer.update(document(2))
    assert backend.keys() == {"practice:2"}


def test_the_engine_and_its_ranking_come_from_the_settings(tmp_path):
    from nanum.search import engines

    config = {"SEARCH_ENGINE": "whoosh", "SEARCH_INDEX_DIR": str(tmp_path / "index"),
              "SEARCH_WRITER_TIMEOUT": 1.0, "SEARCH_FIELD_WEIGHTS": {"title": 3.0},
              "SEARCH_COORDINATION": 0.5}
    engine = engines.create(config)
    assert isinstance(engine, WhooshEngine)
    assert engine.ranking.weights["title"] == 3.0 and engine.ranking.weights["body"] == 1.0
    assert engine.ranking.coordination == 0.5
    assert isinstance(engines.create({**config, "SEARCH_ENGINE": "memory"}), MemoryEngine)
    with pytest.raises(ValueError, match="SEARCH_ENGINE"):
        engines.create({**config, "SEARCH_ENGINE": "elastic"})


def test_a_heavier_field_weight_changes_the_order(backend):
    with backend.writing() as writer:
        writer.update({**document(1, "river river river"), "title": "Notes"})
        writer.update({**document(2, "notes"), "title": "River"})
    assert backend.match(planned("river")).keys[0] == "practice:1"
    backend.ranking = type(backend.ranking)(weights={"title": 20.0, "summary": 1.0,
                                                     "body": 1.0, "about": 1.0})
    assert backend.match(planned("river")).keys[0] == "practice:2"


def test_a_full_build_replaces_an_index_written_with_older_fields(whoosh, tmp_path):
    """An index from an earlier release keeps its fields until a full build, which writes
    today's: packed positions for phrases, ordering values as columns."""
    from whoosh import fields, index

    old = fields.Schema(key=fields.ID(stored=True, unique=True), body=fields.TEXT(phrase=False),
                        published=fields.DATETIME(sortable=True))
    (tmp_path / "index").mkdir()
    index.create_in(str(tmp_path / "index"), old)
    assert not same_fields(whoosh._open().schema, schema())
    whoosh.rebuild([document(1, "early warning for floods"), document(2, "warning early")],
                   procs=2)
    assert same_fields(whoosh._open().schema, schema())
    assert whoosh.match(planned('"early warning"')).keys == ["practice:1"]
    assert whoosh.match(planned("warning", sort="newest")).keys == ["practice:2",
                                                                    "practice:1"]


def _blocks_of(engine, word):
    """The compression slots of the blocks of a word's posting lists, segment by segment."""
    from nanum.search import analysis

    engine._current()
    slots = []
    for leaf in engine._leaves:
        matcher = leaf.reader.postings("text", analysis.term(word))
        matcher = getattr(matcher, "child", matcher)
        slots.append(matcher._compression)
    return slots


def test_an_index_of_whoosh_s_blocks_reads_the_same_and_is_rebuilt(
        whoosh, tmp_path, monkeypatch):
    """An index written before posting blocks were raw arrays (pickled and compressed by
    Whoosh's codec, under Nanum's codec name) answers as before, with new segments beside
    it; its stamp differs, so the index is rebuilt, in raw blocks."""
    from whoosh.codec.whoosh3 import W3Codec

    from nanum.search import documents
    from nanum.search.engines.whoosh.blocks import RAW
    from nanum.search.engines.whoosh.engine import Codec

    texts = ["early warning for floods", "warning early", "early warning systems work",
             "floods without warning", "an early start"] * 40
    corpus = [document(n, text) for n, text in enumerate(texts)]
    queries = ['"early warning"', "warning", "early floods", '"warning early"', "-early warning"]
    with monkeypatch.context() as patch:
        patch.setattr(Codec, "postings_writer", W3Codec.postings_writer)
        whoosh.rebuild(corpus[:150], stamp="10: an older format")
    assert _blocks_of(whoosh, "warning") == [3]
    older = WhooshEngine(tmp_path / "index", writer_timeout=1)  # a process started since
    with older.writing() as writer:
        for item in corpus[150:]:
            writer.update(item)
    assert sorted(_blocks_of(older, "warning")) == [RAW, 3]
    reference = WhooshEngine(tmp_path / "reference", writer_timeout=1)
    reference.rebuild(corpus, stamp=documents.FORMAT)
    assert _blocks_of(reference, "warning") == [RAW]
    for text in queries:
        expected = reference.match(planned(text, limit=300))
        found = older.match(planned(text, limit=300))
        assert found.total == expected.total > 0
        assert sorted(found.keys) == sorted(expected.keys)
    assert not older.is_complete(documents.FORMAT)
    older.rebuild(corpus, stamp=documents.FORMAT)
    assert older.is_complete(documents.FORMAT)
    assert _blocks_of(older, "warning") == [RAW]
