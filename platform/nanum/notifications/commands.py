"""`nanum notifications send | digest | status`: the mail queue, run from cron."""

import sys

import click
from flask.cli import AppGroup, with_appcontext

notifications = AppGroup("notifications", help="Send notification email and digests.")


@notifications.command("send")
@click.option("--limit", default=200, show_default=True, help="Most mails to send this run.")
@with_appcontext
def send(limit):
    """Match new practices to saved searches, then send the mail that is due."""
    from nanum.notifications import fanout, mailqueue, services

    with services.site_context():
        matched = fanout.match_pending()
        sent, failed = mailqueue.send_pending(limit=limit)
    if matched:
        click.echo(f"Matched {matched} new practice{'' if matched == 1 else 's'} "
                   "against saved searches.")
    click.echo(f"Sent {sent} mail{'' if sent == 1 else 's'}; {failed} failed "
               f"attempt{'' if failed == 1 else 's'} (retried later).")


@notifications.command("digest")
@with_appcontext
def digest():
    """Queue one digest mail per person for the notifications held since their last one."""
    from nanum.notifications import mailqueue, services

    with services.site_context():
        queued = mailqueue.send_digests()
    click.echo(f"Queued {queued} digest{'' if queued == 1 else 's'}; "
               "`nanum notifications send` delivers them.")


@notifications.command("status")
@click.option("--errors", default=5, show_default=True, help="How many recent errors to show.")
@with_appcontext
def status(errors):
    """Show the mail queue: counts by status and the latest errors (exit 1 if any failed)."""
    from nanum.notifications import mailqueue

    counts, held, latest = mailqueue.status(errors)
    for name in ("pending", "sent", "failed"):
        click.echo(f"{name:<8} {counts.get(name, 0)}")
    click.echo(f"held for the digest: {held} notification{'' if held == 1 else 's'}")
    if latest:
        click.echo("Latest errors:")
        for mail_id, to, state, attempts, error in latest:
            click.echo(f"  #{mail_id} to {to} ({state}, {attempts} attempt"
                       f"{'' if attempts == 1 else 's'}): {error}")
    if counts.get("failed"):
        sys.exit(1)
