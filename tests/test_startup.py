"""What the `nanum` command imports when it starts, and the commands it imports later."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NANUM = Path(sys.executable).parent / "nanum"
# Imported by the commands that use them, never by every command's start-up.
DEFERRED = ["alembic", "flask_migrate", "rich", "email_validator",
            "sqlalchemy.dialects.postgresql"]
LOADED = """
import json, sys
from nanum.cli import main

sys.argv = ["nanum", *sys.argv[1:]]
main(standalone_mode=False)
print(json.dumps(sorted(sys.modules)))
"""


@pytest.fixture
def environment(tmp_path):
    return {**os.environ, "NANUM_INSTANCE_PATH": str(tmp_path),
            "NANUM_SEARCH_INDEX_DIR": str(tmp_path / "index")}


def loaded(environment, *args):
    """Run `nanum ARGS` in a process of its own; return the modules it had imported."""
    result = subprocess.run([sys.executable, "-c", LOADED, *args], env=environment,
                            capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_a_command_starts_without_the_modules_of_other_commands(environment):
    modules = loaded(environment, "routes")
    assert "nanum.practices.views" in modules and "nanum.api" in modules  # the whole app
    assert [name for name in DEFERRED if name in modules] == []


def test_migration_commands_import_flask_migrate_when_run(environment):
    modules = loaded(environment, "db", "heads")
    assert "flask_migrate" in modules and "alembic" in modules


@pytest.mark.parametrize("group, commands", [("db", ["upgrade", "copy"]),
                                             ("limiter", ["clear", "config"])])
def test_deferred_command_groups_still_answer(environment, group, commands):
    result = subprocess.run([NANUM, group, "--help"], env=environment, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for command in commands:
        assert command in result.stdout


def test_deferred_command_groups_are_listed_with_their_help(environment):
    result = subprocess.run([NANUM, "--help"], env=environment, capture_output=True,
                            text=True, timeout=120)
    lines = [line.split() for line in result.stdout.splitlines()]
    assert ["db", "Perform", "database", "migrations."] in lines
    assert ["limiter", "Flask-Limiter", "maintenance", "&", "utility", "commands"] in lines
