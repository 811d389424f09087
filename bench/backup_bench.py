"""Time `nanum backup` and `nanum restore` on a site of a given size, on either stack.

Run from the repository root:

    .venv/bin/python bench/backup_bench.py                    # SQLite, 2,000 practices
    .venv/bin/python bench/backup_bench.py --postgres         # the same on a PostgreSQL cluster
    .venv/bin/python bench/backup_bench.py --practices 5000 --uploads 500

Each run builds a fresh instance under `--out` (migrated, the demo loaded, N generated
practices imported through `nanum practices import`, and `--uploads` files of random bytes,
which do not compress, in its uploads folder), then runs the real commands in processes of
their own, start-up included (printed apart, with the CPU seconds, as the wall clock
depends on what else the machine runs): `nanum backup` while nothing else runs, and `nanum restore`
into a second, empty instance, which rebuilds the search index. It prints the seconds of
each, the archive's size, and checks that the restored site has as many practices.
"""

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from import_bench import environment, nanum, write_corpus  # noqa: E402

from nanum import pgcluster  # noqa: E402


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(env, *args):
    """Run a command; return (wall seconds, CPU seconds, result)."""
    started, cpu = time.perf_counter(), _children_cpu()
    result = nanum(env, *args, check=False)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"nanum {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return seconds, _children_cpu() - cpu, result


def _practices(url):
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(sa.text("SELECT count(*) FROM practices")).scalar()
    engine.dispose()
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=2000)
    parser.add_argument("--uploads", type=int, default=100)
    parser.add_argument("--upload-kb", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "backup")
    parser.add_argument("--seed", type=int, default=11)
    arguments = parser.parse_args()

    out = arguments.out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    source, target = out / "source", out / "target"
    urls = {}
    if arguments.postgres:
        url = pgcluster.start(out / "postgresql", durable=False)
        admin = sa.create_engine(url.rsplit("/", 1)[0] + "/postgres",
                                 isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text("CREATE DATABASE restored"))
        admin.dispose()
        urls = {source: url, target: url.rsplit("/", 1)[0] + "/restored"}
    else:
        urls = {folder: f"sqlite:///{folder / 'nanum.sqlite'}" for folder in (source, target)}
    try:
        envs = {}
        for folder in (source, target):
            folder.mkdir()
            envs[folder] = {**environment(folder, "indexer"),
                            "NANUM_DATABASE_URL": urls[folder]}
        env = envs[source]
        nanum(env, "db", "upgrade")
        nanum(env, "demo", "load")
        corpus = out / "practices.jsonl"
        write_corpus(corpus, arguments.practices, arguments.seed)
        nanum(env, "practices", "import", str(corpus))
        uploads = source / "uploads"
        uploads.mkdir(exist_ok=True)
        for number in range(arguments.uploads):
            (uploads / f"{number:032x}").write_bytes(os.urandom(arguments.upload_kb * 1024))
        practices = _practices(urls[source])

        archive = out / "site.tar.gz"
        _timed(env, "--help")  # the start-up alone, to tell it apart below
        startup = _timed(env, "--help")
        backup = _timed(env, "backup", str(archive))
        restore = _timed(envs[target], "restore", str(archive))
        restored_practices = _practices(urls[target])
    finally:
        if arguments.postgres:
            pgcluster.remove(out / "postgresql")

    stack = "PostgreSQL" if arguments.postgres else "SQLite"
    upload_mb = arguments.uploads * arguments.upload_kb / 1024
    print(f"{stack}: {practices} practices, {arguments.uploads} uploads ({upload_mb:.0f} MB)")
    print(f"  start-up {startup[0]:6.1f} s wall {startup[1]:6.1f} s CPU   (nanum --help)")
    print(f"  backup   {backup[0]:6.1f} s wall {backup[1]:6.1f} s CPU   "
          f"archive {archive.stat().st_size / 1e6:.1f} MB")
    print(f"  restore  {restore[0]:6.1f} s wall {restore[1]:6.1f} s CPU   "
          f"{restore[2].stderr.strip().splitlines()[-1].removeprefix('Note: ')}")
    print(f"  practices after restore: {restored_practices} "
          f"({'same' if restored_practices == practices else 'DIFFERENT'})")


if __name__ == "__main__":
    main()
