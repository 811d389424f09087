"""`nanum backup FILE` and `nanum restore FILE`."""

import click
from flask.cli import with_appcontext

from nanum import backup as service


def _say(message):
    click.echo(message, err=True)


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False))
@with_appcontext
def backup(target):
    """Write the database, uploads, secret key and settings to one archive (.tar.gz).

    Safe while the site serves: the database is copied as one consistent snapshot.
    """
    try:
        summary = service.create(target, report=_say)
    except service.BackupError as error:
        raise click.ClickException(str(error)) from None
    for note in summary.notes:
        _say(f"Note: {note}")
    click.echo(f"Backup written to {target}: {summary.database} database at migration "
               f"{summary.revision}, {summary.uploads} uploaded files "
               f"({summary.upload_bytes / 1e6:.1f} MB), {len(summary.instance_files)} instance "
               f"files; {summary.archive_bytes / 1e6:.1f} MB in {summary.seconds:.1f} s.")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
@with_appcontext
def restore(source):
    """Restore an archive of `nanum backup` into this empty instance, and rebuild the index."""
    try:
        summary = service.restore(source, report=_say)
    except service.BackupError as error:
        raise click.ClickException(str(error)) from None
    for note in summary.notes:
        _say(f"Note: {note}")
    click.echo(f"Restored {source}: {summary.database} database at migration "
               f"{summary.revision}, {summary.uploads} uploaded files, "
               f"{len(summary.instance_files)} instance files, in {summary.seconds:.1f} s. "
               "Restart Nanum's processes so that they use the restored secret key.")
