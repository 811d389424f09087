"""The Whoosh engine's ranking against Whoosh's own BM25F, and its fast paths through
whoosh-reloaded's private API: these fail when an upgrade changes what they rely on."""

import io
import math
import random
from datetime import datetime

import numpy as np
import pytest
from whoosh import query as whoosh_query
from whoosh import scoring
from whoosh.codec.whoosh3 import W3Codec
from whoosh.reading import TermNotFound

from nanum.search import analysis
from nanum.search.engine import TEXT_FIELDS, Plan
from nanum.search.engines.whoosh import WhooshEngine
from nanum.search.engines.whoosh.bitsets import flags_of
from nanum.search.engines.whoosh.blocks import RAW, RawLeafMatcher
from nanum.search.engines.whoosh.positions import packed_positions
from nanum.search.engines.whoosh.postings import (
    all_ids,
    column_of_lengths,
    field_lengths,
    has_block_reads,
    posting_arrays,
    posting_positions,
    posting_values,
)
from nanum.search.engines.whoosh.schema import PHRASE_FIELD, as_fields, schema
from nanum.search.engines.whoosh.storage import CompoundStorage, Segment, ViewFile
from nanum.search.query import Or, Phrase, Word
from nanum.search.ranking import Ranking

WORDS = ("water flood school clinic market road budget forest river waste energy youth "
         "women farmer transport housing data council climate coast").split()


class WhooshIdf(Ranking):
    """Nanum's BM25F with Whoosh's idf, to compare scores one for one."""

    def idf(self, doc_frequency, documents):
        return math.log(documents / (doc_frequency + 1)) + 1


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    ranking = WhooshIdf(coordination=0, weights={"title": 0, "summary": 0, "body": 1.0,
                                                 "about": 0})
    engine = WhooshEngine(tmp_path_factory.mktemp("index"), ranking=ranking)
    rng = random.Random(11)
    documents = []
    for number in range(600):
        # Lengths from 3 to 300 words: the one-byte length encoding is exercised too.
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 300)))
        documents.append({"key": f"practice:{number}", "content": "practice", "body": body,
                          "published": datetime(2020, 1, 1)})
    engine.rebuild(documents[:400])
    with engine.writing() as writer:  # a second segment
        for document in documents[400:]:
            writer.update(document)
    return engine


@pytest.mark.parametrize("words", [["water"], ["flood", "river"], ["youth", "women", "data"],
                                   ["coast", "climate", "housing", "waste"]])
def test_ranking_agrees_with_whoosh_bm25f(engine, words):
    searcher = engine._current()
    reference = searcher.search(whoosh_query.Or([whoosh_query.Term("body", analysis.term(w))
                                                 for w in words]),
                                limit=None, scored=True)
    scores = {hit["key"]: hit.score for hit in reference}
    node = Or(tuple(Word(w) for w in words)) if len(words) > 1 else Word(words[0])
    found = engine.match(Plan(node=node, limit=50))
    assert found.total == len(scores)
    expected = sorted(scores.values(), reverse=True)[:50]
    # The same scores in the same order; documents with equal scores may swap places.
    assert [scores[key] for key in found.keys] == pytest.approx(expected, rel=1e-5)
    assert searcher.weighting.__class__ is scoring.BM25F


def test_posting_lists_are_read_a_block_at_a_time_and_agree_with_the_public_api(engine):
    engine._current()
    for leaf in engine._leaves:
        for word in WORDS[:5]:
            text = analysis.term(word)
            matcher = leaf.reader.postings("body", text)
            assert has_block_reads(matcher), "whoosh no longer exposes block reads"
            # The codec's own matcher, read straight from the postings file by posting_arrays.
            assert type(matcher) is RawLeafMatcher, "whoosh's posting lists changed class"
            assert matcher._compression != RAW  # scored fields: Whoosh's blocks, smaller
            ids, frequencies = posting_arrays(matcher)
            slow = leaf.reader.postings("body", text)
            expected_ids, expected_weights = [], []
            while slow.is_active():
                expected_ids.append(slow.id())
                expected_weights.append(slow.weight())
                slow.next()
            assert ids.tolist() == expected_ids
            assert frequencies.tolist() == pytest.approx(expected_weights)
            assert list(all_ids(leaf.reader.postings("body", text))) == expected_ids


def _whoosh_layout(monkeypatch):
    """Write posting blocks as Whoosh's codec does (pickled, compressed): an index built
    before blocks were raw arrays, its segments still naming Nanum's codec."""
    from nanum.search.engines.whoosh.engine import Codec

    monkeypatch.setattr(Codec, "postings_writer", W3Codec.postings_writer)


@pytest.mark.parametrize("layout", ["raw", "whoosh"])
@pytest.mark.parametrize("blocklimit", [3, 64])
def test_posting_lists_of_many_blocks_read_as_the_public_api_reads_them(
        tmp_path, monkeypatch, blocklimit, layout):
    """Block by block, with weights all one, all equal or varied, and the last block short;
    positions, fixed-size values and no values; in raw blocks and in Whoosh's own."""
    from whoosh import fields, index

    from nanum.search.engines.whoosh.engine import Codec
    from nanum.search.engines.whoosh.positions import PackedPositions

    rng = random.Random(blocklimit)
    folder = tmp_path / "index"
    folder.mkdir()
    phrase = fields.TEXT()
    phrase.format = PackedPositions()
    built = index.create_in(folder, fields.Schema(body=fields.TEXT(phrase=False),
                                                  phrase=phrase, key=fields.ID()))
    with monkeypatch.context() as patch:
        if layout == "whoosh":
            _whoosh_layout(patch)
        writer = built.writer(codec=Codec(blocklimit=blocklimit))
        for number in range(500):
            repeat = 1 if number < 100 else (2 if number < 200 else rng.randint(1, 6))
            words = ["river"] * repeat + ["x%d" % number] + ["river"] * (number % 3)
            writer.add_document(body=" ".join(words), phrase=" ".join(words),
                                key="k" if number % 2 else "j")
        writer.commit()
    with built.searcher() as searcher:
        reader = searcher.reader()
        for name in ("body", "phrase", "key"):
            term = "k" if name == "key" else "river"
            matcher = reader.postings(name, term)
            assert type(matcher) is RawLeafMatcher
            assert (matcher._compression == RAW) is (layout == "raw" and name == "phrase")
            ids, frequencies = posting_arrays(matcher)
            slow = reader.postings(name, term)
            expected, values = [], []
            while slow.is_active():
                expected.append((slow.id(), slow.weight()))
                values.append(slow.value())
                slow.next()
            assert len(expected) == (250 if name == "key" else 500)
            assert list(zip(ids.tolist(), frequencies.tolist(), strict=True)) == expected
            assert [v for _d, _w, v in zip(*posting_values(reader.postings(name, term)),
                                           strict=True)] == values
            if name == "phrase":
                docs, counts, positions = posting_positions(reader.postings(name, term))
                assert docs.tolist() == [d for d, _w in expected]
                assert counts.tolist() == [len(v) // 4 for v in values]
                assert positions.tolist() == [p for v in values
                                              for p in phrase.format.decode_positions(v)]


def test_posting_values_are_read_a_block_at_a_time_and_agree_with_the_public_api(engine):
    engine._current()
    body_format = engine._leaves[0].searcher.schema[PHRASE_FIELD].format
    for leaf in engine._leaves:
        for word in WORDS[:5]:
            text = analysis.term(word)
            ids, frequencies, fast = posting_values(leaf.reader.postings(PHRASE_FIELD, text))
            slow, matcher = [], leaf.reader.postings(PHRASE_FIELD, text)
            while matcher.is_active():
                slow.append((matcher.id(), matcher.weight(),
                             body_format.decode_positions(matcher.value())))
                matcher.next()
            assert [(d, f, body_format.decode_positions(value)) for d, f, value in zip(
                ids.tolist(), frequencies.tolist(), fast, strict=True)] == slow
            assert all(found == sorted(found) for _doc, _freq, found in slow)


def test_positions_of_some_documents_agree_with_all_positions(engine):
    """Read for a phrase, a posting list leaves out only blocks without the candidates."""
    engine._current()
    for leaf in engine._leaves:
        text = analysis.term("water")
        ids, frequencies, values = posting_values(leaf.reader.postings(PHRASE_FIELD, text))
        assert len(ids)
        assert leaf.reader.postings(PHRASE_FIELD, text)._compression == RAW
        everything = posting_positions(leaf.reader.postings(PHRASE_FIELD, text),
                                       np.arange(leaf.cache.size))
        assert everything[0].tolist() == ids.tolist()
        assert everything[1].tolist() == frequencies.tolist()
        assert everything[2].tolist() == packed_positions(values).tolist()
        some = ids[::3]
        found, found_frequencies, found_positions = posting_positions(
            leaf.reader.postings(PHRASE_FIELD, text), some)
        assert set(some.tolist()) <= set(found.tolist())
        kept = dict(zip(ids.tolist(), zip(frequencies.tolist(), values, strict=True),
                        strict=True))
        assert [kept[d] for d in found.tolist()] == [
            (count, positions.tobytes()) for count, positions in zip(
                found_frequencies.tolist(),
                np.split(found_positions, np.cumsum(found_frequencies)[:-1]), strict=True)]
        nothing = posting_positions(leaf.reader.postings(PHRASE_FIELD, text),
                                    np.zeros(0, dtype=np.int64))
        assert len(nothing[0]) == 0 and len(nothing[2]) == 0


@pytest.mark.parametrize("words", [["water", "flood"], ["flood", "water"],
                                   ["school", "clinic", "market"], ["coast", "coast"]])
def test_phrases_agree_with_whoosh_phrase_matching(engine, words):
    """Phrases are found on whole posting lists; Whoosh's own phrase matcher, which reads
    the same positions a document at a time, must find the same documents."""
    terms = [analysis.term(word) for word in words]
    engine._current()
    for leaf in engine._leaves:
        matcher = whoosh_query.Phrase(PHRASE_FIELD, terms).matcher(leaf.searcher)
        expected = set(all_ids(matcher)) if matcher.is_active() else set()
        found = flags_of(engine._phrase_bits(leaf, terms), leaf.cache.size)
        assert engine._phrase(leaf, tuple(terms), leaf.cache.all) == engine._phrase_bits(
            leaf, terms)
        assert set(np.flatnonzero(found).tolist()) == expected
    assert engine.match(Plan(node=Phrase(tuple(words)), limit=5)).total > 0


def test_field_lengths_are_read_as_a_column_and_agree_with_the_public_api(engine):
    engine._current()
    for leaf in engine._leaves:
        assert column_of_lengths(leaf.reader, "body") is not None, (
            "whoosh no longer keeps field lengths in a column")
        size = leaf.reader.doc_count_all()
        fast = field_lengths(leaf.reader, "body", size)
        slow = np.array([leaf.reader.doc_field_length(d, "body") for d in range(size)])
        assert fast.tolist() == slow.tolist()


def test_a_missing_term_raises_what_the_engine_catches(engine):
    engine._current()
    with pytest.raises(TermNotFound):
        engine._leaves[0].reader.postings("body", "nosuchterm")


MIXED_TEXT = ("Bogotá's Ward-Assemblies: 11.5 and e.g. the COMMUNITIES of Đà Nẵng, Straße; "
              "it is what they did in 2019 — an 'in-situ' pilot (İzmir).\nNext line. The end.")


def _postings(field, value):
    return sorted(field.index(value))


@pytest.mark.parametrize("name", [*TEXT_FIELDS, "spell"])
def test_analysed_values_index_as_the_analyzers_index_their_text(name):
    """Documents go to Whoosh as lists of terms; Whoosh must index them exactly as its
    analyzers index the text, positions included, or queries and phrases would miss."""
    document = {"key": "practice:1", "content": "practice", "title": MIXED_TEXT[:60],
                "summary": MIXED_TEXT, "body": MIXED_TEXT * 3, "about": "Kenya Kenia Colombie",
                "spell": MIXED_TEXT}
    fields, field = as_fields(document), schema()[name]
    assert fields[name], "the document has words in this field"
    assert _postings(field, fields[name]) == _postings(field, document[name])


def test_the_phrase_field_holds_each_field_s_positions_with_a_gap_between_fields():
    document = {"key": "practice:1", "title": "Early warning", "summary": "",
                "body": "Warning: early floods", "about": "Kenya"}
    field = schema()[PHRASE_FIELD]
    positions = {term.decode(): field.format.decode_positions(value)
                 for term, _freq, _weight, value in field.index(as_fields(document)[PHRASE_FIELD])}
    assert positions == {"earli": [0, 4], "warn": [1, 3], "flood": [5], "kenya": [7]}


def test_facet_values_index_as_whoosh_reads_them_from_text():
    document = {"key": "practice:1", "goal": ["6", "11"], "target": ["11.5", " 6.b "],
                "country": "KE", "verified": []}
    fields, fields_schema = as_fields(document), schema()
    for name, text in (("goal", "6,11"), ("target", "11.5, 6.b"), ("country", "KE")):
        assert _postings(fields_schema[name], fields[name]) == _postings(fields_schema[name],
                                                                         text)
    assert fields["verified"] == []


def test_segments_open_their_files_as_views_on_the_map_without_copying(engine):
    engine._current()
    for leaf in engine._leaves:
        segment = leaf.reader._segment
        assert isinstance(segment, Segment) and segment.is_compound()
        storage = leaf.reader._storage.a  # the compound file, overlaid on the folder
        assert isinstance(storage, CompoundStorage)
        for name in storage.list():
            opened = storage.open_file(name)
            assert isinstance(opened.file, ViewFile)
            assert isinstance(opened._buf, memoryview)
            assert opened._buf.obj is storage._source  # the map itself, not a copy
            assert len(opened._buf) == storage.file_length(name)


def test_a_view_file_reads_as_bytes_io_reads():
    data = b"".join(random.Random(5).choice([b"ab", b"\n", b"xyz\n", b"", b"q" * 300])
                    for _ in range(400))
    view, reference = ViewFile(memoryview(data)), io.BytesIO(data)
    steps = random.Random(6)
    for _ in range(2000):
        step = steps.choice(["read", "readline", "seek", "tell"])
        if step == "read":
            size = steps.choice([None, -1, 0, 1, 7, 500, 10**6])
            assert view.read(size) == reference.read(size)
        elif step == "readline":
            size = steps.choice([-1, 3, 400])
            assert view.readline(size) == reference.readline(size)
        elif step == "seek":
            whence = steps.choice([0, 1, 2])
            offset = steps.randint(0, len(data)) if whence == 0 else steps.randint(-50, 50)
            if whence and reference.tell() + offset < 0 or whence == 2 and offset < -len(data):
                continue
            assert view.seek(offset, whence) == reference.seek(offset, whence)
        assert view.tell() == reference.tell()
    view.seek(0)
    assert list(view) == io.BytesIO(data).readlines()
