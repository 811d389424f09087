"""What keeps a committed change's wait for search short: the indexer is woken by the
commit, small commits merge nothing, and a process reopens only the segments it has not read.
"""

import sys
from datetime import datetime

import pytest

from fixtures.databases import postgres_only
from nanum.extensions import db
from nanum.search import indexing, service, wakeup
from nanum.search.engine import Plan
from nanum.search.engines.whoosh import WhooshEngine
from nanum.search.engines.whoosh import engine as whoosh_engine
from nanum.search.query import parse

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the wake-up socket is in Linux's abstract namespace")


def document(number, text="water"):
    return {"key": f"practice:{number}", "content": "practice", "title": f"Doc {number}",
            "body": text, "published": datetime(2020, 1, 1 + number % 28)}


def found(engine, text):
    return engine.match(Plan(node=parse(text).node)).total


# -- waking the indexer ----------------------------------------------------------------------

@pytest.fixture
def listener(app):
    app.config["SEARCH_APPLY"] = "indexer"
    listening = wakeup.Listener(app.config["SEARCH_INDEX_DIR"],
                                app.config["SQLALCHEMY_DATABASE_URI"])
    listening.wait(0)  # forget anything from the set-up
    yield listening
    listening.close()


@linux_only
def test_a_commit_of_searchable_content_wakes_the_indexer(app, make, listener):
    assert not listener.wait(0)
    make.practice(title="Woken for")
    assert listener.wait(5)
    assert not listener.wait(0)  # every wake-up queued was taken at once
    service.sync()
    assert service.search("woken", _filters()).total == 1


@linux_only
def test_a_rolled_back_change_and_other_writes_wake_nobody(app, make, listener):
    practice = make.practice(title="Still")
    listener.wait(0)
    practice.title = "Never committed"
    db.session.flush()
    db.session.rollback()
    assert not listener.wait(0)
    db.session.execute(db.text("SELECT 1"))
    db.session.commit()  # a commit with no outbox rows
    assert not listener.wait(0)


@linux_only
def test_only_an_app_with_an_indexer_wakes_one(app, make, listener):
    app.config["SEARCH_APPLY"] = "inline"
    make.practice(title="Applied by the request itself")
    assert not listener.wait(0)


@linux_only
def test_the_indexers_of_two_indexes_are_woken_apart(app, make, listener, tmp_path):
    other = wakeup.Listener(str(tmp_path / "another-index"))
    try:
        make.practice(title="For the first index")
        assert listener.wait(5)
        assert not other.wait(0)
    finally:
        other.close()


@postgres_only
def test_on_postgresql_the_commit_notifies_listeners_on_any_host(app, make, listener):
    assert listener._pg is not None
    listener._socket.close()
    listener._socket = None  # only the database can wake it now
    make.practice(title="Notified")
    assert listener.wait(5)


def test_a_listener_without_a_socket_or_database_just_sleeps(tmp_path, monkeypatch):
    monkeypatch.setattr(wakeup, "_address", lambda folder: None)
    listening = wakeup.Listener(str(tmp_path), None)
    assert listening.wait(0.01) is False
    listening.close()


def _filters():
    from nanum.practices.browse import Filters

    return Filters()


# -- commits and merges ------------------------------------------------------------------------

@pytest.fixture
def whoosh(tmp_path):
    engine = WhooshEngine(tmp_path / "index", writer_timeout=1)
    engine.rebuild(document(number) for number in range(50))
    return engine


def segment_sizes(engine):
    engine.generation()
    return sorted(leaf.reader.doc_count_all() for leaf in engine._leaves)


def test_a_small_commit_merges_nothing_and_tidy_merges_the_small_segments(whoosh):
    for number in range(50, 56):
        with whoosh.writing() as writer:
            writer.update(document(number))
    assert segment_sizes(whoosh) == [1, 1, 1, 1, 1, 1, 50]
    assert whoosh.tidy()
    assert segment_sizes(whoosh) == [1, 5, 50]  # five merged; the large one left as it was
    assert not whoosh.tidy()  # nothing left to merge: no new generation
    assert found(whoosh, "water") == 56


def test_without_tidying_the_segments_stay_bounded(whoosh):
    for number in range(50, 50 + 3 * whoosh_engine.MAX_SEGMENTS):
        with whoosh.writing() as writer:
            writer.update(document(number))
    assert len(segment_sizes(whoosh)) <= whoosh_engine.MAX_SEGMENTS
    assert found(whoosh, "water") == 50 + 3 * whoosh_engine.MAX_SEGMENTS


def test_tidy_gives_way_to_a_writer(whoosh):
    for number in range(50, 56):
        with whoosh.writing() as writer:
            writer.update(document(number))
    with whoosh.writing():
        assert not whoosh.tidy(timeout=0)
    assert whoosh.tidy(timeout=0)


def test_the_indexer_tidies_up_when_idle(app, runner, make, monkeypatch):
    tidied = []
    monkeypatch.setattr(service, "tidy", lambda timeout=0.0: tidied.append(timeout))
    monkeypatch.setattr("os.getppid", _parent_going_after(2))
    app.config["SEARCH_INDEXER_INTERVAL"] = 0.01
    result = runner.invoke(args=["search", "indexer"])
    assert result.exit_code == 0, result.output
    assert tidied


def _parent_going_after(loops):
    """os.getppid as the indexer sees it: its parent, then (after `loops` looks) init."""
    calls = []

    def getppid():
        calls.append(1)
        return 4242 if len(calls) <= loops + 1 else 1

    return getppid


# -- reopening after a commit ------------------------------------------------------------------

def test_a_new_generation_opens_only_the_new_segment(whoosh):
    whoosh.generation()
    before = {leaf.segment_id: leaf.reader for leaf in whoosh._leaves}
    with whoosh.writing() as writer:
        writer.update(document(100, "rainwater"))
    whoosh.generation()
    after = {leaf.segment_id: leaf.reader for leaf in whoosh._leaves}
    kept = set(before) & set(after)
    assert kept and all(after[segment] is before[segment] for segment in kept)
    assert len(set(after) - set(before)) == 1
    assert found(whoosh, "rainwater") == 1


def test_deletions_in_a_kept_segment_are_seen_and_removed_segments_closed(whoosh):
    whoosh.generation()
    (first,) = whoosh._leaves
    with whoosh.writing() as writer:
        writer.delete("practice:3")
        writer.update(document(7, "drought"))
    assert found(whoosh, "water") == 48
    assert found(whoosh, "drought") == 1
    assert whoosh.keys() == {f"practice:{n}" for n in range(50) if n != 3}
    assert not first.reader.is_closed
    whoosh.rebuild(document(number) for number in range(10))  # every segment replaced
    assert found(whoosh, "water") == 10
    assert first.reader.is_closed


def test_the_writer_finds_what_it_replaces_with_the_open_readers(whoosh):
    whoosh.generation()
    (leaf,) = whoosh._leaves
    with whoosh.writing() as writer:
        assert writer._writer._searcher.reader() is leaf.reader
        writer.update(document(5, "replaced"))
    assert found(whoosh, "replaced") == 1
    assert found(whoosh, "water") == 49
    assert not leaf.reader.is_closed  # the writer closed none of the process's readers


# -- the page cache --------------------------------------------------------------------------

def test_a_kept_search_page_gives_way_to_the_indexers_commit(app, make, monkeypatch):
    """The indexer is another process: its commit changes no content version, only the
    index's generation, which a kept page is keyed by."""
    assert app.config["PAGECACHE_SECONDS"] > 0
    service.sync()  # the index built
    app.config["SEARCH_APPLY"] = "indexer"
    make.practice(title="Cisterns of Quixada")
    visitor = app.test_client()
    page = visitor.get("/search?q=quixada").get_data(as_text=True)
    assert ">Cisterns of Quixada</a>" not in page
    kept = visitor.get("/search?q=quixada")
    assert kept.get_data(as_text=True) == page  # served from the cache, still without it
    indexer = WhooshEngine(app.config["SEARCH_INDEX_DIR"], writer_timeout=1)
    monkeypatch.setattr(indexing, "engine", lambda: indexer)
    assert service.sync() > 0
    monkeypatch.undo()
    assert ">Cisterns of Quixada</a>" in visitor.get("/search?q=quixada").get_data(as_text=True)
