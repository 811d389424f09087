"""`nanum search rebuild | sync | check`."""

import shutil

from fixtures.databases import sqlite_only
from nanum.extensions import db
from nanum.search import service


def test_rebuild_reports_speed_and_restores_a_lost_index(app, runner, make):
    for number in range(5):
        make.practice(title=f"Cistern {number}")
    service.sync()
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    result = runner.invoke(args=["search", "rebuild", "--if-missing"])
    assert result.exit_code == 0, result.output
    assert "Indexed 10 documents" in result.output and "docs/s" in result.output
    assert service.search("cistern", _filters()).total == 5
    result = runner.invoke(args=["search", "rebuild", "--if-missing"])
    assert "in place" in result.output


def test_check_finds_and_repairs_drift(app, runner, make):
    kept = make.practice(title="Kept practice")
    gone = make.practice(title="Deleted behind the index's back")
    kept_id, gone_id = kept.id, gone.id
    service.sync()
    # Drift: one row vanishes without the outbox, one document vanishes from the index.
    db.session.execute(db.text("DELETE FROM practice_countries WHERE practice_id = :i"),
                       {"i": gone_id})
    db.session.execute(db.text("DELETE FROM practice_targets WHERE practice_id = :i"),
                       {"i": gone_id})
    db.session.execute(db.text("DELETE FROM practice_goals WHERE practice_id = :i"),
                       {"i": gone_id})
    db.session.execute(db.text("DELETE FROM revisions WHERE practice_id = :i"), {"i": gone_id})
    db.session.execute(db.text("DELETE FROM practices WHERE id = :i"), {"i": gone_id})
    db.session.execute(db.text("DELETE FROM search_outbox"))
    db.session.commit()
    with service.engine().writing() as writer:
        writer.delete(f"practice:{kept_id}")
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"missing from the index: practice:{kept_id}" in result.output
    assert f"extra in the index: practice:{gone_id}" in result.output
    result = runner.invoke(args=["search", "check", "--repair"])
    assert "Repaired: added 1, removed 1" in result.output
    final = runner.invoke(args=["search", "check"])
    assert final.exit_code == 0, final.output


def test_sync_applies_what_waits(app, runner, make):
    app.config["SEARCH_APPLY"] = "indexer"
    make.practice(title="Waiting in the outbox")
    assert service.pending() > 0
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0 and "0 waiting" in result.output
    assert service.search("outbox", _filters()).total == 1


def test_indexer_once(app, runner, make):
    app.config["SEARCH_APPLY"] = "indexer"
    make.practice(title="Picked up by the indexer")
    result = runner.invoke(args=["search", "indexer", "--once"])
    assert result.exit_code == 0
    assert service.search("indexer", _filters()).total == 1


def _filters():
    from nanum.practices.browse import Filters

    return Filters()


@sqlite_only
def test_idle_indexer_leaves_the_database_free_for_writers(app, config, tmp_path):
    import os
    import sqlite3
    import subprocess
    import sys
    import time
    from pathlib import Path

    env = {**os.environ, "NANUM_INSTANCE_PATH": str(tmp_path / "instance"),
           "NANUM_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
           "NANUM_SEARCH_INDEX_DIR": config["SEARCH_INDEX_DIR"]}
    indexer = subprocess.Popen([Path(sys.executable).parent / "nanum", "search", "indexer"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)  # several polls
        database = config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
        for _ in range(20):
            connection = sqlite3.connect(database, timeout=0.05, isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")  # fails fast if the indexer holds the lock
            connection.execute("ROLLBACK")
            connection.close()
            time.sleep(0.05)
    finally:
        indexer.terminate()
        indexer.wait(timeout=10)


def test_the_indexer_changes_its_nice_value_or_says_why_not(app, monkeypatch, caplog):
    from nanum.search import commands

    asked = []
    monkeypatch.setattr(commands.os, "nice", lambda increment: asked.append(increment))
    commands._renice(0)
    commands._renice(3)
    assert asked == [3]

    def refused(_increment):
        raise PermissionError("Operation not permitted")

    monkeypatch.setattr(commands.os, "nice", refused)
    commands._renice(-5)  # no privilege: a warning, and the indexer goes on
    assert "could not change its nice value by -5" in caplog.text
