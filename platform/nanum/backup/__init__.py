"""`nanum backup` and `nanum restore`: one archive with everything a Nanum site needs.

An archive holds a consistent copy of the database (`databases`), the uploaded files, and the
files at the top of the instance folder: the secret key and the settings kept there. It
leaves out what Nanum makes again from the database: the search index (rebuilt on restore),
the practices' PDF briefs (made again when first asked for), the built static files, and the
copies of sent mail of the `file` mail backend.

A restore goes only into an empty instance: a database without content (none, or the bare
schema of `nanum db upgrade`) and an empty uploads folder. Restoring over a site's content
would mix two states of it; to go back to a backup, move the damaged instance aside (or
create a new database) first. Every checksum is verified before anything is changed.
"""

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from flask import current_app

from nanum import migrations
from nanum.backup import archive, databases
from nanum.backup.archive import ArchiveError
from nanum.backup.databases import DatabaseError

LEFT_OUT = ["search index (rebuilt on restore)", "PDF briefs (made again when asked for)",
            "built static files", "copies of sent mail (file mail backend)"]
PROGRESS_EVERY = 1000  # uploaded files between two progress lines
# Not settings: databases (the snapshot holds the database) and archives (earlier backups
# kept in the instance folder would otherwise nest inside every later one).
_NOT_SETTINGS = (".sqlite", ".sqlite-wal", ".sqlite-shm", ".sqlite-journal", ".db", "-wal",
                 "-shm", "-journal", ".tar.gz", ".tgz", ".tar", ".zip", ".partial")


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing was changed."""


class PartlyRestored(BackupError):
    """A restore that stopped after changing the instance."""


@dataclass
class Summary:
    """What an archive holds, or what a restore put back."""

    database: str = ""
    revision: str | None = None
    uploads: int = 0
    upload_bytes: int = 0
    instance_files: list = field(default_factory=list)
    archive_bytes: int = 0
    seconds: float = 0.0
    notes: list = field(default_factory=list)


def _quiet(_message):
    pass


def _instance_files(instance, database_url):
    """The regular files at the top of the instance folder, databases and archives aside."""
    skip = set()
    if databases.kind(database_url) == databases.SQLITE:
        skip.add(databases.sqlite_path(database_url).resolve())
    return sorted(path for path in Path(instance).iterdir()
                  if path.is_file() and not path.name.startswith(".")
                  and not path.name.endswith(_NOT_SETTINGS) and path.resolve() not in skip)


def _upload_files(folder):
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file())


def create(target, report=_quiet):
    """Write a backup of the current app's site to `target`; return a Summary."""
    started = time.perf_counter()
    config = current_app.config
    url = config["SQLALCHEMY_DATABASE_URI"]
    try:
        summary = Summary(database=databases.kind(url))
        writer = archive.Writer(target)
    except OSError as error:
        raise BackupError(f"Cannot write {target}: {error}") from None
    except (ArchiveError, DatabaseError) as error:
        raise BackupError(str(error)) from None
    try:
        with tempfile.TemporaryDirectory(prefix=".nanum-backup-",
                                         dir=writer.target.parent) as scratch:
            report(f"Database ({summary.database}): taking a consistent copy")
            dump = Path(scratch) / "database"
            summary.revision = databases.dump(url, dump)
            entry = writer.add_file(dump, databases.DUMP_NAMES[summary.database])
            report(f"Database: {entry.size / 1e6:.1f} MB at migration {summary.revision}")
        uploads = Path(config["UPLOAD_DIR"])
        files = _upload_files(uploads)
        report(f"Uploads: {len(files)} files in {uploads}")
        for number, path in enumerate(files, 1):
            if number % PROGRESS_EVERY == 0:
                report(f"Uploads: {number} of {len(files)} files")
            try:
                entry = writer.add_file(path, "uploads/" + path.relative_to(uploads).as_posix())
            except FileNotFoundError:  # removed since the database was copied
                summary.notes.append(f"{path.name} was removed during the backup")
                continue
            summary.uploads += 1
            summary.upload_bytes += entry.size
        for path in _instance_files(current_app.instance_path, url):
            writer.add_file(path, f"instance/{path.name}")
            summary.instance_files.append(path.name)
        report(f"Instance files: {', '.join(summary.instance_files) or 'none'}")
        now = datetime.now(UTC)
        writer.finish({"format": archive.FORMAT, "nanum_version": metadata.version("nanum"),
                       "revision": summary.revision, "database": summary.database,
                       "created_at": now.isoformat(timespec="seconds"),
                       "created": int(now.timestamp()), "left_out": LEFT_OUT})
    except (DatabaseError, ArchiveError) as error:
        writer.abandon()
        raise BackupError(f"{error} No archive was written.") from None
    except OSError as error:
        writer.abandon()
        raise BackupError(f"The backup stopped: {error}. No archive was written.") from None
    except BaseException:
        writer.abandon()
        raise
    summary.archive_bytes = writer.target.stat().st_size
    summary.seconds = time.perf_counter() - started
    return summary


def _check_empty(url, uploads):
    filled = databases.filled_tables(url)
    if filled:
        raise BackupError(
            f"The database already holds content ({', '.join(filled[:5])}"
            f"{', ...' if len(filled) > 5 else ''}). A backup is restored only into an empty "
            "instance: point NANUM_DATABASE_URL at a new database (or move the SQLite file "
            "aside) and try again. Nothing was changed.")
    if _upload_files(uploads):
        raise BackupError(f"The uploads folder {uploads} is not empty. A backup is restored "
                          "only into an empty instance: move its files aside and try again. "
                          "Nothing was changed.")


def _check_revision(revision):
    from alembic.util import CommandError

    scripts = migrations.scripts()
    if revision is None:
        return scripts.get_current_head()
    try:
        scripts.get_revision(revision)
    except CommandError:
        raise BackupError(f"The archive's database is at migration {revision}, which this "
                          "version of Nanum does not know: restore it with the Nanum it was "
                          "made with, or a newer one. Nothing was changed.") from None
    return scripts.get_current_head()


def _unpack_and_check(source, staging, kind, report):
    """Unpack the archive into `staging` and check it fits this instance; return the
    manifest, the head migration and the database dump's path."""
    report(f"Checking {source}")
    manifest = archive.unpack(source, staging / "archive")
    report(f"Archive of {manifest['created_at']}, Nanum {manifest['nanum_version']}, "
           f"{manifest['database']} at migration {manifest['revision']}: "
           f"{len(manifest['files'])} files, every checksum matches")
    if manifest["database"] != kind:
        raise BackupError(
            f"The archive holds a {manifest['database']} database and this instance uses "
            f"{kind}. Restore it into an instance of its own kind, then move it with "
            "`nanum db copy --from ...`. Nothing was changed.")
    head = _check_revision(manifest["revision"])
    dump = staging / "archive" / databases.DUMP_NAMES[kind]
    if not dump.is_file():
        raise BackupError("The archive holds no database. Nothing was changed.")
    databases.check_dump(kind, dump)
    return manifest, head, dump


def restore(source, report=_quiet):
    """Restore the archive `source` into the current app's (empty) instance."""
    from flask_migrate import upgrade

    from nanum.extensions import db
    from nanum.search import service as search

    started = time.perf_counter()
    config = current_app.config
    url, uploads = config["SQLALCHEMY_DATABASE_URI"], Path(config["UPLOAD_DIR"])
    instance = Path(current_app.instance_path)
    changed = False
    try:
        kind = databases.kind(url)
        _check_empty(url, uploads)
        with tempfile.TemporaryDirectory(prefix=".nanum-restore-", dir=instance) as staging:
            staging = Path(staging)
            manifest, head, dump = _unpack_and_check(source, staging, kind, report)
            summary = Summary(database=kind, revision=manifest["revision"])
            db.engine.dispose()
            report("Database: restoring")
            databases.load(url, dump, staging)  # all or nothing
            changed = True
            summary.uploads, summary.upload_bytes = _move_uploads(staging / "archive", uploads)
            report(f"Uploads: {summary.uploads} files")
            summary.instance_files = _move_instance_files(staging / "archive", instance)
            report(f"Instance files: {', '.join(summary.instance_files) or 'none'}")
        db.engine.dispose()
        if manifest["revision"] is None:
            summary.notes.append("the archive's database records no migration: if it was "
                                 "made without `nanum db upgrade`, run `nanum db stamp head`")
        elif manifest["revision"] != head:
            report(f"Database: upgrading from migration {manifest['revision']} to {head}")
            upgrade()
            summary.revision = head
        report("Search index: rebuilding")
        documents, _seconds = search.rebuild()
        summary.notes.append(f"search index rebuilt with {documents} documents")
        if "secret_key" in summary.instance_files and os.environ.get("NANUM_SECRET_KEY"):
            summary.notes.append("NANUM_SECRET_KEY is set and wins over the restored "
                                 "instance/secret_key")
    except (ArchiveError, DatabaseError, OSError) as error:
        problem = f"The restore stopped: {error}." if isinstance(error, OSError) else str(error)
        if changed:
            raise PartlyRestored(f"{problem} The database was restored before it stopped: "
                                 "empty the instance (database and uploads) before trying "
                                 "again.") from None
        raise BackupError(f"{problem} Nothing was changed.") from None
    summary.seconds = time.perf_counter() - started
    return summary


def _move_uploads(unpacked, uploads):
    count = size = 0
    source = unpacked / "uploads"
    for path in _upload_files(source):
        target = uploads / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        size += path.stat().st_size
        shutil.move(path, target)
        count += 1
    return count, size


def _move_instance_files(unpacked, instance):
    names = []
    source = unpacked / "instance"
    for path in sorted(source.iterdir()) if source.is_dir() else []:
        path.chmod(0o600)
        os.replace(path, instance / path.name)  # the staging folder is inside the instance
        names.append(path.name)
    return names
