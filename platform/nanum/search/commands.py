"""`nanum search rebuild | sync | check | indexer`."""

import os
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from nanum.ops import lifetime
from nanum.search import service, wakeup

search = AppGroup("search", help="Keep the search index in step with the database.")


@search.command("rebuild")
@click.option("--if-missing", is_flag=True,
              help="Only when the index is missing, incomplete or unreadable.")
@with_appcontext
def rebuild(if_missing):
    """Rebuild the index from the database."""
    if if_missing and not service.index_missing():
        click.echo("The search index is in place.")
        return
    total = service.indexable_count()
    with click.progressbar(length=total, label="Indexing", file=sys.stderr,
                           show_pos=True) as bar:
        count, seconds = service.rebuild(progress=bar.update)
    rate = count / seconds if seconds else count
    click.echo(f"Indexed {count} documents in {seconds:.1f} s ({rate:.0f} docs/s).")


@search.command("sync")
@with_appcontext
def sync():
    """Apply the changes waiting in the outbox."""
    applied = service.sync()
    left = service.pending()
    click.echo(f"Applied {applied} changes; {left} waiting.")
    if left:
        sys.exit(1)


@search.command("check")
@click.option("--repair", is_flag=True, help="Add what is missing and drop what is extra.")
@with_appcontext
def check(repair):
    """Compare the index with the database."""
    missing, extra = service.check(repair=repair)
    for key in missing:
        click.echo(f"missing from the index: {key}")
    for key in extra:
        click.echo(f"extra in the index: {key}")
    if not missing and not extra:
        click.echo("The index matches the database.")
        return
    if repair:
        click.echo(f"Repaired: added {len(missing)}, removed {len(extra)}.")
    else:
        click.echo(f"{len(missing)} missing, {len(extra)} extra; run with --repair to fix.")
        sys.exit(1)


@search.command("indexer")
@click.option("--once", is_flag=True, help="Apply what waits, then stop.")
@with_appcontext
def indexer(once):
    """Apply the outbox continuously: the single writer beside the web workers.

    It looks at the outbox every SEARCH_INDEXER_INTERVAL seconds, and at once when a
    process that committed a change wakes it (nanum/search/wakeup.py). When idle, it merges
    the small segments that single-change commits leave. An index that is missing,
    incomplete or unreadable is rebuilt first.
    """
    config = current_app.config
    interval = config["SEARCH_INDEXER_INTERVAL"]
    timings = config["SEARCH_INDEXER_TIMINGS"]
    parent = lifetime.stop_with_parent()
    _renice(config["SEARCH_INDEXER_NICE"])
    listener = None if once else wakeup.Listener(config["SEARCH_INDEX_DIR"],
                                                 config.get("SQLALCHEMY_DATABASE_URI"))
    click.echo(f"Search indexer started (every {interval} s).", err=True)
    try:
        while os.getppid() == parent:  # stop with the server that started us
            woke = time.time()
            try:
                applied = service.sync(timeout=10.0)
            except Exception:  # keep serving: the outbox still holds what failed
                current_app.logger.exception("Search indexer: applying the outbox failed")
                applied = 0
            if once:
                click.echo(f"Applied {applied} changes.")
                return
            if applied and timings:
                # Wall-clock times, to set beside those of the processes that committed.
                click.echo(f"search-indexer applied={applied} woke={woke:.6f} "
                           f"committed={time.time():.6f}", err=True)
            if applied:
                continue
            if not listener.wait(interval):
                try:
                    service.tidy(timeout=0.0)  # idle: merge small segments
                except Exception:
                    current_app.logger.exception("Search indexer: merging segments failed")
    finally:
        if listener is not None:
            listener.close()


def _renice(increment):
    """Change the indexer's priority; without the privilege to raise it, say so and go on."""
    if not increment:
        return
    try:
        os.nice(increment)
    except OSError as error:
        current_app.logger.warning("Search indexer: could not change its nice value by %s "
                                   "(%s)", increment, error)
