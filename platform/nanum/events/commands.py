"""`nanum events ...`: the events' jobs."""

import click
from flask.cli import AppGroup, with_appcontext

events = AppGroup("events", help="Events: reminders.")


@events.command("remind")
@click.option("--hours", default=48, show_default=True,
              help="Remind people of the events that start within this many hours.")
@with_appcontext
def remind(hours):
    """Queue a reminder mail to everyone registered for an event starting soon (once each)."""
    from datetime import timedelta

    from nanum.events import registrations
    from nanum.notifications import services

    if not 1 <= hours <= 24 * 60:
        raise click.BadParameter("between 1 and 1440 hours", param_hint="--hours")
    with services.site_context():
        queued = registrations.send_reminders(ahead=timedelta(hours=hours))
    click.echo(f"Queued {queued} reminder mail(s); `nanum notifications send` sends them.")
