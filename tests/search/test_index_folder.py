"""The index folder's table of contents and temporary files (engines/whoosh/folder.py)."""

import pickle
from datetime import datetime

from whoosh.index import TOC

from nanum.search.engines.whoosh import WhooshEngine
from nanum.search.engines.whoosh import folder as index_folder
from nanum.search.engines.whoosh.schema import schema


def document(number, text="water"):
    return {"key": f"practice:{number}", "content": "practice", "title": f"{text} {number}",
            "published": datetime(2020, 1, 1)}


def test_the_table_of_contents_reads_as_whooshs_own(tmp_path):
    engine = WhooshEngine(tmp_path)
    engine.rebuild([document(number) for number in range(5)])
    with engine.writing() as writer:
        writer.update(document(7, "flood"))
        writer.delete("practice:2")
    ours = index_folder.open_index(tmp_path)._read_toc()
    theirs = TOC.read(index_folder.Storage(str(tmp_path)), "MAIN")
    assert ours.generation == theirs.generation == index_folder.latest_generation(tmp_path)
    assert [(s.segment_id(), s.doc_count_all(), sorted(s.deleted_docs()))
            for s in ours.segments] == [(s.segment_id(), s.doc_count_all(),
                                         sorted(s.deleted_docs())) for s in theirs.segments]
    assert ours.schema.names() == theirs.schema.names()


def test_the_schema_is_unpickled_again_only_when_it_changed(tmp_path, monkeypatch):
    engine = WhooshEngine(tmp_path)
    engine.rebuild([document(1)])
    index = index_folder.open_index(tmp_path)
    first = index._read_toc().schema
    loads = []
    real_loads = pickle.loads
    monkeypatch.setattr(index_folder.pickle, "loads",
                        lambda data: loads.append(1) or real_loads(data))
    with engine.writing() as writer:
        writer.update(document(2))
    toc = index._read_toc()
    assert toc.generation == 2 and toc.schema is first and not loads
    assert {s.doc_count_all() for s in toc.segments} == {1}

    changed = schema()
    changed.remove("spell")  # a full build with other fields: its schema is read afresh
    writer = index.writer()
    writer.schema = changed
    writer.commit()
    toc = index._read_toc()
    assert loads and toc.schema is not first and "spell" not in toc.schema.names()


def test_the_folder_is_gone_or_empty(tmp_path):
    assert index_folder.latest_generation(tmp_path / "missing") == -1
    assert not index_folder.exists(tmp_path)
    (tmp_path / "_MAIN_3.toc").write_bytes(b"")
    assert index_folder.latest_generation(tmp_path) == 3


def test_a_small_commit_makes_no_temporary_folder(tmp_path, monkeypatch):
    engine = WhooshEngine(tmp_path)
    engine.rebuild([document(1)])
    made = []
    real_makedirs = index_folder.os.makedirs
    monkeypatch.setattr(index_folder.os, "makedirs",
                        lambda path, **kw: made.append(path) or real_makedirs(path, **kw))
    with engine.writing() as writer:
        writer.update(document(2))
    assert not made
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_dir()) == []
    assert engine.keys() == {"practice:1", "practice:2"}


def test_a_writer_that_spills_makes_and_removes_its_folder(tmp_path):
    engine = WhooshEngine(tmp_path)
    engine.rebuild([document(1)])
    index = index_folder.open_index(tmp_path)
    writer = index.writer()
    temporary = writer.temp_storage()
    temporary.create_file("run").write(b"postings")  # what a pool past its memory writes
    assert (tmp_path / "MAIN.tmp" / "run").exists()
    writer.add_document(key="practice:3", content="practice", title="water 3")
    writer.commit()
    assert not (tmp_path / "MAIN.tmp").exists()
