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


@notifications.command("worker")
@click.option("--every", default=5.0, show_default=True, help="Seconds between sending runs.")
@click.option("--digest-hour", default=6, show_default=True,
              help="Hour (UTC) at which the daily digests are queued.")
@with_appcontext
def worker(every, digest_hour):
    """Send mail continuously, and queue the digests once a day: the mail worker."""
    import os
    import time

    from flask import current_app

    from nanum import mail
    from nanum.events import registrations
    from nanum.extensions import db
    from nanum.notifications import fanout, mailqueue, services
    from nanum.ops import lifetime
    from nanum.timeutil import utcnow

    parent = lifetime.stop_with_parent()
    last_digest = utcnow().date()  # the first digests go out at the next digest hour
    config = current_app.config
    click.echo(f"Mail worker started (every {every:g} s). {mail.describe(config)}", err=True)
    if not config["SITE_URL"]:
        click.echo("NANUM_SITE_URL is not set: links in mail will point to http://localhost.",
                   err=True)
    while os.getppid() == parent:  # stop with the server that started us
        try:
            with services.site_context():
                fanout.match_pending()
                now = utcnow()
                if now.date() > last_digest and now.hour >= digest_hour:
                    mailqueue.send_digests()
                    last_digest = now.date()
                registrations.send_reminders(now)  # each registration once, 48 h before
                mailqueue.send_pending()
        except Exception:  # the queue keeps what failed; the next run retries
            current_app.logger.exception("Mail worker: a sending run failed")
        db.session.rollback()  # never sleep inside a transaction
        time.sleep(every)
