import json

from sqlalchemy import func, select

from nanum.accounts.services import find_by_email
from nanum.extensions import db
from nanum.practices.browse import Filters
from nanum.practices.models import Practice

RECORD = {"title": "Ward-level budget hearings", "summary": "Residents set priorities.",
          "kind": "policy_practice", "organisation": {"name": "Town of Lakeside",
                                                      "type": "LRG", "country": "UG"},
          "countries": ["UG"], "targets": ["16.7"], "themes": ["local_action"]}


def practices():
    return db.session.scalar(select(func.count(Practice.id)))


def test_create_admin(runner):
    result = runner.invoke(args=["users", "create-admin", "--email", "Root@Example.org",
                                 "--name", "Root", "--password", "a strong admin phrase"])
    assert result.exit_code == 0, result.output
    assert find_by_email("root@example.org").is_admin


def test_create_admin_refuses_weak_password(runner):
    result = runner.invoke(args=["users", "create-admin", "--email", "root@example.org",
                                 "--name", "Root", "--password", "password"])
    assert result.exit_code != 0 and "at least 10" in result.output
    assert find_by_email("root@example.org") is None


def test_set_role(runner, make):
    make.user(email="m@example.org")
    result = runner.invoke(args=["users", "set-role", "m@example.org", "moderator"])
    assert result.exit_code == 0 and find_by_email("m@example.org").is_moderator


def test_import_reports_line_numbers_and_imports_nothing(runner, tmp_path):
    source = tmp_path / "practices.jsonl"
    source.write_text(json.dumps(RECORD) + "\n" + json.dumps({**RECORD, "kind": "poem"}) + "\n")
    result = runner.invoke(args=["practices", "import", str(source)])
    assert result.exit_code == 1
    assert "line 2: kind" in result.output and "nothing was imported" in result.output
    assert practices() == 0
    result = runner.invoke(args=["practices", "import", str(source), "--skip-invalid"])
    assert result.exit_code == 0
    assert "imported 1 practices" in result.output and "1 invalid lines skipped" in result.output
    assert practices() == 1


def test_import_dry_run(runner, tmp_path):
    source = tmp_path / "practices.jsonl"
    source.write_text(json.dumps(RECORD) + "\n")
    result = runner.invoke(args=["practices", "import", str(source), "--dry-run"])
    assert result.exit_code == 0 and "would import 1" in result.output
    assert practices() == 0


def test_import_reports_existing_practices_as_asked(runner, tmp_path):
    source = tmp_path / "practices.jsonl"
    source.write_text(json.dumps(RECORD) + "\n")
    runner.invoke(args=["practices", "import", str(source)])
    changed = {**RECORD, "summary": "Residents set the priorities of each ward."}
    source.write_text(json.dumps({**RECORD, "title": "Open contracting"}) + "\n"
                      + json.dumps(changed) + "\n")

    result = runner.invoke(args=["practices", "import", str(source)])
    assert result.exit_code == 1 and practices() == 1
    assert "line 2: Town of Lakeside already has a practice titled" in result.output
    assert "--on-existing skip or update" in result.output

    result = runner.invoke(args=["practices", "import", str(source), "--dry-run",
                                 "--on-existing", "update"])
    assert result.exit_code == 0, result.output
    assert "line 1: would create: Open contracting" in result.output
    assert "line 2: would update: Ward-level budget hearings" in result.output
    assert practices() == 1

    result = runner.invoke(args=["practices", "import", str(source), "--skip-existing"])
    assert result.exit_code == 0, result.output
    assert "line 2: skip, already present: Ward-level budget hearings" in result.output
    assert "1 already present, skipped" in result.output and practices() == 2

    result = runner.invoke(args=["practices", "import", str(source), "--on-existing", "update"])
    assert result.exit_code == 0, result.output
    assert "line 2: update: Ward-level budget hearings" in result.output
    assert "line 1: already up to date: Open contracting" in result.output
    assert db.session.scalar(select(Practice.summary).where(
        Practice.title == RECORD["title"])) == changed["summary"]

    result = runner.invoke(args=["practices", "import", str(source), "--skip-existing",
                                 "--on-existing", "update"])
    assert result.exit_code == 2 and "contradicts" in result.output


def test_export_status(runner, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(RECORD) + "\n"
                      + json.dumps({**RECORD, "title": "A draft", "status": "draft"}) + "\n")
    runner.invoke(args=["practices", "import", str(source)])
    result = runner.invoke(args=["practices", "export", str(tmp_path / "out.jsonl"),
                                 "--status", "bogus"])
    assert result.exit_code == 2 and "'bogus' is not one of" in result.output
    assert "'changes_requested'" in result.output
    assert not (tmp_path / "out.jsonl").exists() or not (tmp_path / "out.jsonl").read_text()

    result = runner.invoke(args=["practices", "export", str(tmp_path / "all.jsonl")])
    assert "Exported 2 practices (every status)." in result.output
    result = runner.invoke(args=["practices", "export", str(tmp_path / "drafts.jsonl"),
                                 "--status", "draft"])
    assert "Exported 1 practices (draft)." in result.output
    assert json.loads((tmp_path / "drafts.jsonl").read_text())["title"] == "A draft"


def test_export_then_import_csv(runner, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(RECORD) + "\n")
    runner.invoke(args=["practices", "import", str(source)])
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["practices", "export", str(target)])
    assert result.exit_code == 0
    assert target.read_text().startswith("title,summary,kind,status,organisation")
    result = runner.invoke(args=["practices", "import", str(target), "--dry-run",
                                 "--on-existing", "update"])
    assert "line 2: already up to date: Ward-level budget hearings" in result.output


def test_console_script_is_installed():
    import shutil
    import subprocess

    nanum = shutil.which("nanum") or str(__import__("pathlib").Path(
        __import__("sys").executable).parent / "nanum")
    result = subprocess.run([nanum, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for group in ("practices", "users", "demo", "db"):
        assert group in result.stdout


def test_purge_unconfirmed_removes_only_old_unconfirmed_accounts(runner, make):
    from datetime import timedelta

    from nanum.discussions import services as discussions
    from nanum.timeutil import utcnow

    long_ago = utcnow() - timedelta(days=30)
    make.user(email="old@example.org", email_confirmed_at=None, created_at=long_ago)
    make.user(email="recent@example.org", email_confirmed_at=None)
    make.user(email="confirmed@example.org", created_at=long_ago)
    make.user(email="named@example.org", handle="named", email_confirmed_at=None,
              created_at=long_ago)
    asker = make.user(email="asker@example.org")
    discussions.start_topic(asker, category="questions", title="Wells, anyone?",
                            body="Any ideas, @named?")

    listed = runner.invoke(args=["users", "purge-unconfirmed", "--dry-run"])
    assert listed.exit_code == 0 and "Would remove 2" in listed.output
    assert find_by_email("old@example.org") is not None

    result = runner.invoke(args=["users", "purge-unconfirmed", "--days", "14"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 " in result.output and "Kept 1" in result.output
    db.session.expire_all()
    assert find_by_email("old@example.org") is None
    for kept in ("recent@example.org", "confirmed@example.org", "named@example.org"):
        assert find_by_email(kept) is not None, kept


def test_import_brings_the_search_index_up_to_date(runner, tmp_path):
    from nanum.search import service

    service.sync()  # the index, built
    source = tmp_path / "practices.jsonl"
    source.write_text("".join(json.dumps({**RECORD, "title": f"Ward hearings, round {n}"})
                              + "\n" for n in range(3)))
    result = runner.invoke(args=["practices", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert service.pending() == 0
    found = service.search("hearings round", Filters())
    assert sorted(hit.item.title for hit in found.hits) == [
        f"Ward hearings, round {n}" for n in range(3)]


def test_import_users_creates_confirmed_members_of_named_organisations(runner, make, tmp_path):
    organisation = make.organisation(name="Town of Lakeside")
    source = tmp_path / "people.csv"
    source.write_text("email,name,password,role,organisation\n"
                      "A@Example.org,Ana,a long workshop phrase,,town of lakeside\n"
                      "b@example.org,Ben,a long workshop phrase,moderator,\n")
    result = runner.invoke(args=["users", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert "Created 2 account(s)" in result.output
    ana, ben = find_by_email("a@example.org"), find_by_email("b@example.org")
    assert ana.email_confirmed_at is not None and ana.role == "member"
    assert [m.organisation_id for m in ana.memberships if m.is_active] == [organisation.id]
    assert ben.is_moderator and not ben.memberships


def test_import_users_names_every_wrong_line_and_creates_nothing(runner, make, tmp_path):
    make.user(email="taken@example.org")
    source = tmp_path / "people.csv"
    source.write_text("email,name,password,role,organisation\n"
                      "new@example.org,New,a long workshop phrase,,\n"
                      "taken@example.org,Taken,a long workshop phrase,,\n"
                      "x@example.org,X,a long workshop phrase,king,\n"
                      "y@example.org,Y,a long workshop phrase,,Nowhere Town\n"
                      "new@example.org,Again,a long workshop phrase,,\n")
    result = runner.invoke(args=["users", "import", str(source)])
    assert result.exit_code == 1
    for line, words in ((3, "already exists"), (4, "unknown role"), (5, "Nowhere Town"),
                        (6, "already exists")):
        assert f"line {line}:" in result.output and words in result.output
    assert "line 2:" not in result.output
    assert find_by_email("new@example.org") is None


def test_import_users_asks_for_the_columns(runner, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("mail,name\nx@example.org,X\n")
    result = runner.invoke(args=["users", "import", str(source)])
    assert result.exit_code == 1 and "missing: email, password" in result.output
