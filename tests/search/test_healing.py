"""The index keeps to its own session, and heals itself when it is lost or damaged."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from nanum.extensions import db
from nanum.organisations.models import Organisation
from nanum.practices.browse import Filters
from nanum.search import service
from nanum.search.models import SearchOutbox


def found(q):
    return {hit.item.title for hit in service.search(q, Filters()).hits
            if hit.content == "practice"}


# -- the caller's session is the caller's ------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda: service.apply_outbox(),
    lambda: service.sync(),
    lambda: service.pending(),
    lambda: service.check(),
    lambda: service.check(repair=True),
    lambda: service.rebuild(),
])
def test_index_work_keeps_the_callers_pending_work(app, make, call):
    app.config["SEARCH_APPLY"] = "indexer"
    make.practice(title="Waiting to be indexed")  # committed: the outbox has work
    kept = Organisation(name="Flushed before the index work", type="NRI", country="KE")
    db.session.add(kept)
    db.session.flush()
    call()
    db.session.commit()
    db.session.expunge_all()
    assert db.session.scalar(select(Organisation.name).where(
        Organisation.name == "Flushed before the index work")) is not None


def test_index_work_reads_only_committed_content(app, make):
    app.config["SEARCH_APPLY"] = "indexer"
    organisation = make.organisation()
    practice = make.practice.build(organisation=organisation, title="Flushed, never committed")
    db.session.add(practice)
    db.session.flush()
    service.sync()
    db.session.rollback()
    service.sync()
    assert found("flushed") == set()
    assert service.pending() == 0


def test_sync_does_not_loop_while_the_caller_holds_a_transaction(app, make):
    app.config["SEARCH_APPLY"] = "indexer"
    for number in range(3):
        make.practice(title=f"Cistern {number}")
    db.session.scalar(select(Organisation.id))  # the caller is inside a transaction
    assert service.sync() > 0
    assert len(found("cistern")) == 3
    db.session.commit()
    assert service.pending() == 0


def test_the_end_of_a_request_does_not_end_the_callers_transaction(app, make):
    make.practice(title="Committed in the request")  # the request applies this at its end
    with app.test_request_context("/practices/new", method="POST"):
        kept = Organisation(name="Flushed before the request ended", type="NRI", country="KE")
        db.session.add(kept)
        db.session.flush()
        app.do_teardown_request()
    db.session.commit()
    db.session.expunge_all()
    assert db.session.scalar(select(Organisation.id).where(
        Organisation.name == "Flushed before the request ended")) is not None
    assert found("committed") == {"Committed in the request"}


# -- healing ---------------------------------------------------------------------------------

@pytest.fixture
def indexed(app, make):
    for number in range(4):
        make.practice(title=f"Rainwater harvesting {number}")
    service.sync()
    assert service.index_ready()
    app.config["SEARCH_APPLY"] = "indexer"  # only the indexer (here: sync) writes
    return Path(app.config["SEARCH_INDEX_DIR"])


def lose_the_folder(folder):
    shutil.rmtree(folder)


def empty_the_folder(folder):
    for path in folder.iterdir():
        path.unlink()


def lose_the_segments(folder):
    for path in folder.iterdir():
        if path.suffix in (".seg", ".trm", ".pst"):
            path.unlink()


def garble_the_table_of_contents(folder):
    for path in folder.glob("_MAIN_*.toc"):
        garbled = path.with_suffix(".tmp")
        garbled.write_bytes(b"not an index")
        garbled.replace(path)  # a new file: the open one stays intact for its readers


@pytest.mark.parametrize("damage", [lose_the_folder, empty_the_folder, lose_the_segments,
                                    garble_the_table_of_contents])
def test_search_says_it_is_being_rebuilt_and_the_next_writer_rebuilds(indexed, app, client,
                                                                       make, damage):
    damage(indexed)
    # A worker that starts now; one that had the index open sees a missing one at once.
    app.extensions["nanum.search"] = type(service.engine())(indexed)
    page = client.get("/search?q=rainwater")
    assert page.status_code == 200
    assert "Search is being rebuilt; results may be incomplete." in page.get_data(as_text=True)
    make.practice(title="Rainwater harvesting, newest")
    service.sync()  # the next writer (the indexer, or a request when applying inline)
    assert len(found("rainwater")) == 5
    page = client.get("/search?q=rainwater").get_data(as_text=True)
    assert "being rebuilt" not in page


def test_an_index_holding_only_new_documents_is_not_taken_for_complete(indexed, runner, make):
    shutil.rmtree(indexed)
    newest = make.practice(title="Rainwater harvesting, newest")
    with service.engine().writing() as writer:  # a writer that knows nothing of the loss
        writer.update({"key": f"practice:{newest.id}", "content": "practice",
                       "title": newest.title, "body": newest.title})
    assert found("rainwater") == {"Rainwater harvesting, newest"}
    assert service.index_missing()
    result = runner.invoke(args=["search", "rebuild", "--if-missing"])
    assert "Indexed" in result.output, result.output
    assert len(found("rainwater")) == 5


def test_a_worker_whose_index_was_deleted_sees_the_rebuilt_one(indexed, app):
    assert len(found("rainwater")) == 4  # this process now holds a searcher
    shutil.rmtree(indexed)
    assert found("rainwater") == set()
    other = type(service.engine())(indexed)  # the indexer, in its own process
    app.extensions["nanum.search"], mine = other, service.engine()
    service.sync()
    app.extensions["nanum.search"] = mine
    assert len(found("rainwater")) == 4


def test_an_index_of_another_format_is_rebuilt(indexed, app):
    (indexed / "nanum-build").write_text("an older format")
    assert not service.index_ready()
    service.sync()
    assert service.index_ready() and len(found("rainwater")) == 4


def test_rebuild_covers_the_outbox_it_saw(indexed, make):
    make.practice(title="Rainwater harvesting, newest")
    assert service.pending()
    service.rebuild()
    assert service.pending() == 0
    assert db.session.scalar(select(SearchOutbox.id)) is None


def test_changes_applied_elsewhere_between_the_peek_and_the_lock_are_skipped(
        app, make, monkeypatch):
    app.config["SEARCH_APPLY"] = "indexer"
    service.sync()  # the index exists
    make.practice(title="Applied by another host")
    assert service.pending() > 0
    from nanum.search import outbox
    real_read = outbox.read
    calls = []

    def read(session, limit, after=0):
        calls.append(limit)
        rows = real_read(session, limit, after)
        if len(calls) == 2:  # under the lock: another indexer has applied them meanwhile
            with db.engine.begin() as connection:
                outbox.remove(connection, [row_id for row_id, _key in rows])
            return []
        return rows

    monkeypatch.setattr(outbox, "read", read)
    assert service.sync() == 0
    assert len(calls) == 2
    assert service.pending() == 0
