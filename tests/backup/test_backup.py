"""`nanum backup` and `nanum restore`: a site survives the round trip whole, on either stack,
and a damaged archive is refused before anything changes."""

import io
import json
import os
import tarfile
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from fixtures.app import Auth, app_settings
from fixtures.databases import database_url, forget, postgres_only
from nanum import create_app, dbcopy
from nanum.extensions import db
from nanum.organisations.models import Organisation
from nanum.practices.models import Attachment, Practice, PracticeCountry, PracticeTarget

CONTENT_TABLES = ("users", "organisations", "practices", "revisions", "attachments", "threads",
                  "posts", "notifications", "audit_records")

# The newest migration, which a new backup records and a restore upgrades to.
HEAD = ScriptDirectory(str(Path(__file__).resolve().parents[2] / "migrations")).get_current_head()


def _site(folder, static_build_dir, **settings):
    folder.mkdir(parents=True, exist_ok=True)
    config = app_settings(folder, SQLALCHEMY_DATABASE_URI=database_url(folder, empty=True),
                          STATIC_BUILD_DIR=str(static_build_dir), **settings)
    return create_app(config, instance_path=folder / "instance")


def _rows(app):
    """Every row of every model table, in primary key order."""
    with app.app_context():
        engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.connect() as connection:
            rows = {table.name: [row._asdict() for row in connection.execute(
                sa.select(table).order_by(*table.primary_key.columns))]
                for table in dbcopy.tables()}
        engine.dispose()
        db.engine.dispose()
    return rows


def _files(folder):
    return {path.name: path.read_bytes() for path in folder.iterdir()} if folder.is_dir() else {}


@pytest.fixture(scope="module")
def source(tmp_path_factory, static_build_dir):
    """A migrated site with the demo content and two attachments, and its backup."""
    folder = tmp_path_factory.mktemp("source")
    app = _site(folder, static_build_dir)
    instance = folder / "instance"
    (instance / "secret_key").write_text("the source's own secret\n")
    (instance / "nanum.env").write_text("NANUM_SITE_URL=https://nanum.example.org\n")
    (instance / "nanum-2026-01-01.tar.gz").write_bytes(b"an earlier backup kept here")
    with app.app_context():
        upgrade()
        loaded = app.test_cli_runner().invoke(args=["demo", "load"])
        assert loaded.exit_code == 0, loaded.output
        practice = db.session.scalars(sa.select(Practice).where(
            Practice.status == "published").order_by(Practice.id).limit(1)).one()
        uploads = folder / "instance" / "uploads"
        uploads.mkdir(exist_ok=True)
        for number in range(2):
            stored = f"{number:032x}"
            (uploads / stored).write_bytes(os.urandom(40_000))
            db.session.add(Attachment(practice=practice, original_name=f"Plan {number}.pdf",
                                      stored_name=stored, mime_type="application/pdf",
                                      size=40_000))
        db.session.commit()
        title = practice.title
        archive = folder / "site.tar.gz"
        result = app.test_cli_runner().invoke(args=["backup", str(archive)])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    accounts = json.loads((instance / "demo_accounts.json").read_text())
    yield {"app": app, "archive": archive, "rows": _rows(app), "uploads": _files(uploads),
           "title": title, "accounts": accounts, "output": result.output}
    forget(folder)


def test_the_backup_says_what_it_holds(source):
    output = source["output"]
    assert "Backup written to" in output
    assert f"{len(source['uploads'])} uploaded files" in output
    with tarfile.open(source["archive"]) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[-1] == "manifest.json"
    assert manifest["revision"] == HEAD
    assert manifest["database"] in ("sqlite", "postgresql")
    assert {entry["path"] for entry in manifest["files"]} == set(names[:-1])
    assert {"instance/secret_key", "instance/nanum.env"} <= set(names)
    assert "instance/nanum-2026-01-01.tar.gz" not in names
    assert sum(name.startswith("uploads/") for name in names) == len(source["uploads"])
    assert not [path for path in source["archive"].parent.iterdir()
                if path.name.endswith(".partial")]


def test_a_site_comes_back_whole(source, tmp_path, static_build_dir):
    target = _site(tmp_path / "target", static_build_dir)
    with target.app_context():
        upgrade()  # an empty instance may already have the bare schema
        result = target.test_cli_runner().invoke(args=["restore", str(source["archive"])])
        assert result.exit_code == 0, result.output
        assert "every checksum matches" in result.output
        db.engine.dispose()
    restored = _rows(target)
    for table in CONTENT_TABLES:
        assert restored[table], f"no {table} in the demo to restore"
    assert restored == source["rows"]
    instance = tmp_path / "target" / "instance"
    assert _files(instance / "uploads") == source["uploads"]
    assert (instance / "secret_key").read_text() == "the source's own secret\n"
    assert (instance / "nanum.env").read_text() == "NANUM_SITE_URL=https://nanum.example.org\n"

    client = target.test_client()
    page = client.get("/search", query_string={"q": source["title"]}).get_data(as_text=True)
    assert source["title"] in page
    email = "member@demo.nanum.example"
    signed_in = Auth(client).login(email, source["accounts"][email])
    assert signed_in.status_code == 302
    assert "Log out" in client.get("/").get_data(as_text=True)

    again = target.test_cli_runner().invoke(args=["restore", str(source["archive"])])
    assert again.exit_code == 1
    assert "already holds content" in again.output
    assert "Nothing was changed" in again.output
    assert _rows(target) == source["rows"]


@postgres_only
def test_the_index_is_rebuilt_in_the_database_with_the_postgresql_engine(
        source, tmp_path, static_build_dir):
    target = _site(tmp_path / "target", static_build_dir, SEARCH_ENGINE="postgres")
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(source["archive"])])
        assert result.exit_code == 0, result.output
        checked = target.test_cli_runner().invoke(args=["search", "check"])
        assert "The index matches the database." in checked.output
        db.engine.dispose()
    page = target.test_client().get("/search", query_string={"q": source["title"]})
    assert source["title"] in page.get_data(as_text=True)
    assert not (tmp_path / "target" / "search_index").exists()


def _rewrite(archive, target, *, change=None, drop=(), manifest=None):
    """Copy `archive` to `target`, changing a member's bytes, dropping members or editing
    the manifest (without fixing the checksums)."""
    with tarfile.open(archive) as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            if member.name in drop:
                continue
            data = old.extractfile(member).read()
            if member.name == change:
                data = bytes([data[0] ^ 1]) + data[1:]
            if member.name == "manifest.json" and manifest:
                data = json.dumps({**json.loads(data), **manifest}).encode()
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


def _bad_archive(kind, archive, path):
    if kind == "not an archive":
        path.write_text("just some notes, not a backup\n")
    elif kind == "truncated":
        path.write_bytes(archive.read_bytes()[:archive.stat().st_size // 2])
    elif kind == "wrong checksum":
        with tarfile.open(archive) as tar:
            upload = next(name for name in tar.getnames() if name.startswith("uploads/"))
        _rewrite(archive, path, change=upload)
    elif kind == "missing manifest":
        _rewrite(archive, path, drop={"manifest.json"})
    elif kind == "other database":
        _rewrite(archive, path, manifest={"database": "oracle"})
    elif kind == "unknown migration":
        _rewrite(archive, path, manifest={"revision": "ffffffffffff"})
    return path


@pytest.mark.parametrize("kind, message", [
    ("not an archive", "is not a readable archive"),
    ("truncated", "damaged or truncated"),
    ("wrong checksum", "does not match its SHA-256 checksum"),
    ("missing manifest", "has no manifest.json"),
    ("other database", "nanum db copy"),
    ("unknown migration", "does not know"),
])
def test_a_bad_archive_is_refused_and_nothing_changes(source, tmp_path, static_build_dir,
                                                       kind, message):
    bad = _bad_archive(kind, source["archive"], tmp_path / "bad.tar.gz")
    target = _site(tmp_path / "target", static_build_dir)
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(bad)])
        assert result.exit_code == 1
        assert message in result.output
        assert "Nothing was changed" in result.output
        assert "Traceback" not in result.output
        with db.engine.connect() as connection:
            assert sa.inspect(connection).get_table_names() == []
        db.engine.dispose()
    assert not (tmp_path / "target" / "instance" / "uploads").exists()
    assert not (tmp_path / "target" / "instance" / "secret_key").exists()


def test_a_failed_backup_leaves_no_archive(app, runner, tmp_path, monkeypatch):
    def disk_full(_folder):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("nanum.backup._upload_files", disk_full)
    result = runner.invoke(args=["backup", str(tmp_path / "site.tar.gz")])
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert "Traceback" not in result.output
    assert [path.name for path in tmp_path.iterdir() if "site.tar.gz" in path.name] == []


def test_a_backup_taken_while_others_write_is_consistent(tmp_path, static_build_dir):
    """Each writer transaction adds an organisation and its practice: a backup holds both
    or neither of every pair, however the writes fall around it."""
    site = _site(tmp_path / "live", static_build_dir)
    with site.app_context():
        upgrade()
        db.engine.dispose()
    stop, written, errors = threading.Event(), [], []

    def write():
        try:
            with site.app_context():
                while not stop.is_set():
                    number = len(written)
                    organisation = Organisation(name=f"Writer {number}", type="LRG",
                                                country="KE")
                    practice = Practice(title=f"Practice {number}", summary="Concurrent.",
                                        kind="case_study", status="published",
                                        organisation=organisation)
                    practice.countries = [PracticeCountry(country="KE")]
                    practice.targets = [PracticeTarget(target="11.3")]
                    db.session.add(practice)
                    db.session.commit()
                    written.append(number)
                db.session.remove()
        except Exception as error:  # reported to the test below
            errors.append(error)

    writer = threading.Thread(target=write)
    writer.start()
    archives = []
    try:
        while len(written) < 5 and writer.is_alive():
            threading.Event().wait(0.05)
        with site.app_context():
            for number in range(2):
                archives.append(tmp_path / f"live-{number}.tar.gz")
                result = site.test_cli_runner().invoke(args=["backup", str(archives[-1])])
                assert result.exit_code == 0, result.output
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not errors
    before = len(written)
    for number, archive in enumerate(archives):
        target = _site(tmp_path / f"restored-{number}", static_build_dir)
        with target.app_context():
            result = target.test_cli_runner().invoke(args=["restore", str(archive)])
            assert result.exit_code == 0, result.output
            organisations = db.session.scalar(sa.select(sa.func.count(Organisation.id)))
            practices = db.session.scalars(sa.select(Practice)).all()
            assert organisations == len(practices) >= 5
            assert len(practices) <= before
            assert {practice.organisation.name for practice in practices} == {
                f"Writer {practice.title.split()[-1]}" for practice in practices}
            db.session.remove()
            db.engine.dispose()


def test_uploads_left_in_the_instance_are_refused(tmp_path, static_build_dir):
    target = _site(tmp_path / "target", static_build_dir)
    uploads = tmp_path / "target" / "instance" / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "left-over").write_bytes(b"an earlier site's file")
    with target.app_context():
        # Refused before the archive is even read.
        result = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "any.tgz")])
        db.engine.dispose()
    assert result.exit_code == 1
    assert "uploads folder" in result.output and "is not empty" in result.output
    assert _files(uploads) == {"left-over": b"an earlier site's file"}


def test_an_archive_of_an_older_migration_is_upgraded(tmp_path, static_build_dir):
    older = "5e9a7c3b1d28"  # the migration before the place profiles
    site = _site(tmp_path / "older", static_build_dir)
    with site.app_context():
        upgrade(revision=older)
        db.engine.dispose()
        result = site.test_cli_runner().invoke(args=["backup", str(tmp_path / "old.tar.gz")])
        assert result.exit_code == 0, result.output
        assert f"at migration {older}" in result.output
    target = _site(tmp_path / "target", static_build_dir)
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "old.tar.gz")])
        assert result.exit_code == 0, result.output
        assert f"upgrading from migration {older} to {HEAD}" in result.output
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT version_num FROM alembic_version")
                                      ).scalar() == HEAD
            assert sa.inspect(connection).has_table("place_profiles")
        db.engine.dispose()


def test_a_restore_that_stops_halfway_says_so(source, tmp_path, static_build_dir,
                                              monkeypatch):
    def disk_full(_unpacked, _uploads):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("nanum.backup._move_uploads", disk_full)
    target = _site(tmp_path / "target", static_build_dir)
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(source["archive"])])
        db.engine.dispose()
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert "empty the instance" in result.output
    assert "Nothing was changed" not in result.output
    assert "Traceback" not in result.output
