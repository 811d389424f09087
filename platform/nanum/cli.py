"""The `nanum` command line: Flask's CLI group around the app factory."""

import gc
import sys
from functools import cached_property
from importlib import metadata

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from nanum.practices.vocab import STATUSES

users = AppGroup("users", help="Manage accounts.")
practices = AppGroup("practices", help="Import and export practices.")
demo = AppGroup("demo", help="Illustrative demo content.")
content = AppGroup("content", help="Stored content.")


def _create_app():
    from nanum import create_app

    # What start-up makes (modules, mappers, routes) lives as long as the command, and it
    # frees little: the garbage collector's passes during start-up find next to nothing (a
    # sixth of its CPU), so they wait until it is done. Then what it made is kept out of
    # the passes, which otherwise walk it again and again while a command such as an
    # import allocates (a fifth of an import's time).
    gc.disable()
    try:
        app = create_app()
    finally:
        gc.freeze()
        gc.enable()
    return app


class Deferred(click.Command):
    """A command (or group) imported when it runs, its help when it is listed, rather than
    at every start-up: for those whose modules are costly to import and seldom needed."""

    def __init__(self, name, load):
        super().__init__(name)
        self._load = load

    @cached_property
    def command(self):
        return self._load()

    def make_context(self, info_name, args, parent=None, **extra):
        # The context belongs to the real command, which is what click then invokes.
        return self.command.make_context(info_name, args, parent=parent, **extra)

    def get_short_help_str(self, limit=45):
        return self.command.get_short_help_str(limit)


class NanumGroup(FlaskGroup):
    """Flask's command group, with the commands that installed packages add (Flask-Limiter's
    `limiter`) imported only when one of them runs: Flask imports them all before any
    command, and `limiter` (with Rich) cost every command's start-up about 3 %."""

    def _load_plugin_commands(self):
        if self._loaded_plugin_commands:
            return
        for entry_point in metadata.entry_points(group="flask.commands"):
            self.add_command(Deferred(entry_point.name, entry_point.load), entry_point.name)
        self._loaded_plugin_commands = True


@click.group(cls=NanumGroup, create_app=_create_app,
             help="Nanum: a knowledge exchange for localising the SDGs.")
def main():
    """Run Nanum's commands."""


def _fail(error):
    problems = [f"{field}: {message}" for field, message in getattr(error, "errors", {}).items()]
    raise click.ClickException("; ".join(problems) or getattr(error, "message", str(error)))


@users.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin(email, name, password):
    """Create an account with the admin role."""
    from nanum.accounts import services
    from nanum.errors import DomainError

    try:
        user = services.create_account(name=name, email=email, password=password, role="admin")
    except DomainError as error:
        _fail(error)
    click.echo(f"Created admin {user.email}.")


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(["member", "moderator", "admin"]))
@with_appcontext
def set_role(email, role):
    """Give an existing account a role."""
    from nanum.accounts import services
    from nanum.errors import DomainError

    try:
        user = services.set_role(email, role)
    except DomainError as error:
        _fail(error)
    click.echo(f"{user.email} is now {user.role}.")


@users.command("import")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@with_appcontext
def import_users(source):
    """Create confirmed accounts from a CSV file with the columns email, name, password and
    optionally role (member, moderator, admin) and organisation (its exact name: the account
    becomes an active member). All lines are checked first; a wrong line stops them all."""
    from nanum.accounts import bulk
    from nanum.errors import DomainError

    try:
        created = bulk.import_accounts(bulk.read_rows(source))
    except DomainError as error:
        for number, problem in sorted(getattr(error, "errors", {}).items()):
            click.echo(f"line {number}: {problem}", err=True)
        raise click.ClickException(error.message) from None
    click.echo(f"Created {created} account(s).")


@users.command("purge-unconfirmed")
@click.option("--days", default=14, show_default=True, type=click.IntRange(min=0),
              help="Remove accounts made more than this many days ago.")
@click.option("--dry-run", is_flag=True, help="Only list the accounts that would go.")
@with_appcontext
def purge_unconfirmed(days, dry_run):
    """Remove accounts whose address was never confirmed."""
    from nanum.accounts import housekeeping

    deleted, kept = housekeeping.purge_unconfirmed(days, dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    click.echo(f"{verb} {len(deleted)} unconfirmed account(s) older than {days} days.")
    for email in deleted:
        click.echo(f"  {email}")
    if kept:
        click.echo(f"Kept {len(kept)} that other records refer to: {', '.join(kept)}")


@practices.command("import")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]),
              help="Defaults to the file name's extension (.csv, else JSON Lines).")
@click.option("--status", default="published", show_default=True,
              type=click.Choice(list(STATUSES)),
              help="Status of lines that do not give their own.")
@click.option("--author", "author_email", help="Email of the account to record as author.")
@click.option("--dry-run", is_flag=True,
              help="Check every line and say what it would do; import nothing.")
@click.option("--skip-invalid", is_flag=True,
              help="Import the valid lines and list the skipped ones.")
@click.option("--on-existing", type=click.Choice(["error", "skip", "update"]),
              help="What to do with a line whose organisation already has a practice of that "
                   "title: count it as an invalid line (the default), skip it, or update the "
                   "practice from it.")
@click.option("--skip-existing", is_flag=True, help="Short for --on-existing skip.")
@with_appcontext
def import_practices(source, fmt, status, author_email, dry_run, skip_invalid, on_existing,
                     skip_existing):
    """Import practices from JSON Lines or CSV (see the README for the columns)."""
    from nanum.accounts.services import find_by_email
    from nanum.practices import exporting, transfer

    if skip_existing and on_existing not in (None, "skip"):
        raise click.UsageError("--skip-existing contradicts --on-existing " + on_existing + ".")
    on_existing = "skip" if skip_existing else on_existing or "error"
    author = None
    if author_email:
        author = find_by_email(author_email.strip().lower())
        if author is None:
            raise click.ClickException(f"No account for {author_email}.")
    records = list(transfer.read_records(source, exporting.format_of(source.name, fmt)))
    with click.progressbar(records, label="Importing", file=sys.stderr,
                           show_pos=True) as progress:
        report = transfer.import_records(
            progress, default_status=status, author=author, dry_run=dry_run,
            skip_invalid=skip_invalid, on_existing=on_existing)
    _print_report(report, dry_run=dry_run, skip_invalid=skip_invalid)
    if report.imported and not dry_run:
        _catch_up_search_index()


def _catch_up_search_index():
    """Bring the index up to date now, unless a separate indexer does it: after a commit a
    command applies only one batch of the outbox, and an import writes many."""
    from nanum.search import service as search

    if current_app.config["SEARCH_APPLY"] == "inline":
        search.sync()


def _print_report(report, *, dry_run, skip_invalid):
    would = "would " if dry_run else ""
    lines = list(report.errors)
    if dry_run:  # say what each line would do; a real import lists only the exceptions
        lines += [(number, f"would create: {title}") for number, title in report.created]
    lines += [(number, f"{would}update: {title}") for number, title in report.updated]
    lines += [(number, f"{would}skip, already present: {title}")
              for number, title in report.skipped_existing]
    lines += [(number, f"already up to date: {title}") for number, title in report.unchanged]
    for number, text in sorted(lines, key=lambda line: line[0]):
        click.echo(f"line {number}: {text}", err=True)
    if report.errors and not skip_invalid and not dry_run:
        raise click.ClickException(
            f"{len(report.errors)} of {report.read} lines are invalid; nothing was imported. "
            "Fix them, or use --skip-invalid to import the rest.")
    verb = "would import" if dry_run else "imported"
    summary = f"{report.read} lines read; {verb} {report.imported} practices"
    if report.updated:
        summary += f" ({len(report.created)} new, {len(report.updated)} updated)"
    if report.organisations_created:
        summary += f"; {len(report.organisations_created)} new organisations"
    if report.errors:
        summary += f"; {len(report.errors)} invalid lines " + (
            "skipped" if skip_invalid else "found")
    if report.skipped_existing:
        summary += f"; {len(report.skipped_existing)} already present, {would}skipped"
    if report.unchanged:
        summary += f"; {len(report.unchanged)} already up to date"
    if report.untagged:
        summary += (f"; {len(report.untagged)} without SDG tags, " + (
            "which would get SDG suggestions to review" if dry_run else
            f"{len(report.suggested)} of them given SDG suggestions to review"))
    click.echo(summary + ".")
    if dry_run and report.errors:
        sys.exit(1)


@practices.command("export")
@click.argument("target", type=click.File("w", encoding="utf-8"), default="-")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]),
              help="Defaults to the file name's extension (.csv, else JSON Lines).")
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(list(STATUSES)),
              help="Only practices with this status (repeatable). Default: every status.")
@with_appcontext
def export_practices(target, fmt, statuses):
    """Export practices in the import format (every status unless --status is given)."""
    from nanum.practices import exporting

    count = exporting.write(exporting.export_records(statuses or None), target,
                           exporting.format_of(target.name, fmt))
    which = ", ".join(statuses) if statuses else "every status"
    click.echo(f"Exported {count} practices ({which}).", err=True)


@demo.command("load")
@click.option("--once", is_flag=True,
              help="Do nothing if the demo was loaded into this instance before.")
@with_appcontext
def load_demo(once):
    """Load the illustrative demo content (safe to run again)."""
    from nanum.demo import loader

    if once and loader.loaded_before():
        click.echo("Demo content was loaded before; the demo accounts are listed in "
                   f"{loader.accounts_file()}.")
        return
    result = loader.load()
    click.echo(f"Demo content: {result.organisations} organisations, {result.practices} "
               f"new practices ({result.total} in all).")
    click.echo(f"Demo accounts (kept in {result.accounts_file}):")
    for role, email, password in result.accounts:
        click.echo(f"  {role:<20} {email:<36} {password}")


@content.command("cook")
@click.option("--all", "everything", is_flag=True,
              help="Cook every record again (after the renderer or its allow-list changed).")
@with_appcontext
def cook_content(everything):
    """Cook the Markdown of records never cooked: store their HTML and plain text."""
    from nanum.accounts.models import User
    from nanum.cooking import recook, uncooked
    from nanum.discussions.models import Post
    from nanum.notifications.services import site_context
    from nanum.organisations.models import Organisation
    from nanum.practices.models import Practice

    models = [Practice, Post, Organisation, User]
    with site_context(), click.progressbar(length=uncooked(models, everything=everything),
                                           label="Cooking", file=sys.stderr,
                                           show_pos=True) as progress:
        count = recook(models, everything=everything, progress=progress.update)
    click.echo(f"Cooked {count} records.")


@click.command("copy")
@click.option("--from", "source", required=True, metavar="URL",
              help="The database to copy, e.g. sqlite:///instance/nanum.sqlite")
@click.option("--to", "target", metavar="URL",
              help="An empty database with Nanum's schema (default: the configured one)")
@with_appcontext
def db_copy(source, target):
    """Copy every row of another Nanum database into an empty one (SQLite to PostgreSQL)."""
    from nanum import dbcopy

    target = target or current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        report = dbcopy.copy(source, target, click.progressbar)
    except dbcopy.CopyError as error:
        raise click.ClickException(str(error)) from None
    for table, count in report.counts.items():
        click.echo(f"{table:<32} {count:>9}")
    click.echo(f"Copied {report.total} rows in {len(report.counts)} tables. "
               "Next: `nanum search rebuild` on the new database.")


def _migration_commands():
    """Flask-Migrate's `db` group (which imports Alembic), with `nanum db copy`."""
    from flask_migrate.cli import db as group

    group.add_command(db_copy)
    return group


def init_app(app):
    from nanum.backup.commands import backup, restore
    from nanum.events.commands import events
    from nanum.notifications.commands import notifications
    from nanum.ops.commands import doctor
    from nanum.sdg.commands import sdg
    from nanum.search.commands import search

    app.cli.add_command(Deferred("db", _migration_commands))
    for group in (users, practices, demo, content, search, notifications, sdg, events):
        app.cli.add_command(group)
    for command in (backup, restore, doctor):
        app.cli.add_command(command)
