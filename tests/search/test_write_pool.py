"""A commit's postings gathered by term (`pool.py`) write the same index as Whoosh's
sorting pool."""

import random
from datetime import datetime

from nanum.search.engines.whoosh import WhooshEngine
from nanum.search.engines.whoosh.pool import TermPool

WORDS = ("water flood school clinic market road budget forest river waste energy youth "
         "women farmer transport housing data council climate coast").split()


def _documents(count, seed=5):
    rng = random.Random(seed)
    return [{"key": f"practice:{number}", "content": "practice",
             "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6))),
             "body": " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 200))),
             "about": "Kenya\nwater", "country": ["KE", "TZ"][number % 2:],
             "goal": [str(1 + number % 17)], "spell": "water clinic budget",
             "published": datetime(2020, 1, 1 + number % 28), "discussed": number % 3}
            for number in range(count)]


def _postings(engine):
    engine.generation()  # the latest searcher
    reader = engine._current().reader()
    return list(reader.iter_postings()), list(reader.all_stored_fields())


def test_a_commit_writes_the_postings_a_full_build_writes(tmp_path):
    documents = _documents(300)
    built = WhooshEngine(tmp_path / "built")
    built.rebuild(documents)  # Whoosh's own sorting pool
    written = WhooshEngine(tmp_path / "written")
    with written.writing() as writer:
        for document in documents:
            writer.update(document)
    postings, stored = _postings(written)
    assert len(postings) > 10_000
    assert (postings, stored) == _postings(built)


def test_merged_segments_keep_every_posting(tmp_path, monkeypatch):
    from nanum.search.engines.whoosh import engine as whoosh_engine

    monkeypatch.setattr(whoosh_engine, "MAX_SEGMENTS", 3)
    documents = _documents(60)
    engine = WhooshEngine(tmp_path / "index")
    for start in range(0, 60, 10):  # six commits: the later ones merge the small segments
        with engine.writing() as writer:
            for document in documents[start:start + 10]:
                writer.update(document)
    assert engine.stats()["segments"] < 6
    built = WhooshEngine(tmp_path / "built")
    built.rebuild(documents)
    merged = engine._current().reader()
    expected = built._current().reader()
    assert engine.keys() == {document["key"] for document in documents}
    assert sorted(merged.all_terms()) == sorted(expected.all_terms())
    for field, term in expected.all_terms():
        assert merged.doc_frequency(field, term) == expected.doc_frequency(field, term)


def test_postings_out_of_document_order_come_out_sorted():
    pool = TermPool()
    for item in [("body", b"water", 3, 1.0, b""), ("about", b"kenya", 1, 1.0, b""),
                 ("body", b"water", 1, 2.0, b""), ("body", b"clinic", 2, 1.0, b"")]:
        pool.add(item)
    assert list(pool.iter_postings()) == [
        ("about", b"kenya", 1, 1.0, b""), ("body", b"clinic", 2, 1.0, b""),
        ("body", b"water", 1, 2.0, b""), ("body", b"water", 3, 1.0, b"")]
    pool.cleanup()
    assert list(pool.iter_postings()) == []
