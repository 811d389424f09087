"""`nanum doctor`: check this deployment and print what to fix."""

import sys

import click
from flask.cli import with_appcontext

from nanum.ops import doctor as checks


@click.command("doctor")
@click.option("--send-test", "address", metavar="ADDRESS",
              help="Also send a test mail to ADDRESS now, through the configured backend.")
@with_appcontext
def doctor(address):
    """Check the secret key, HTTPS, mail, database, search index, disk, workers and
    monitoring settings; one line per check (OK, WARN or FAIL with what to do).

    Exits with status 1 when any check fails.
    """
    results = checks.run(send_to=address)
    for result in results:
        click.echo(result.line())
    counts = {status: sum(r.status == status for r in results)
              for status in (checks.OK, checks.WARN, checks.FAIL)}
    click.echo(f"{counts[checks.OK]} OK, {counts[checks.WARN]} warnings, "
               f"{counts[checks.FAIL]} failures.")
    if checks.failed(results):
        sys.exit(1)
