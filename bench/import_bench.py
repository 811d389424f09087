"""Benchmark `nanum practices import` end to end, and how soon the index has caught up.

Run from the repository root:

    .venv/bin/python bench/import_bench.py                  # 2,000 practices, indexer mode
    .venv/bin/python bench/import_bench.py --practices 5000 --apply inline
    .venv/bin/python bench/import_bench.py --profile        # also print the import's cProfile
    .venv/bin/python bench/import_bench.py --in-process     # CPU time of import and catch-up
    .venv/bin/python bench/import_bench.py --untagged 0.2   # a fifth untagged: SDG suggestions
    .venv/bin/python bench/import_bench.py --startup 7      # CPU of the command's start-up

Each run starts from a fresh instance under `--out` (database migrated, demo-sized base of
practices, index built), writes N generated practices as JSON Lines (the organisations named
in them are new, a few of them shared by many practices, and some practices name partners;
`--untagged` is the share of drafts without SDG tags, which get SDG suggestions), and runs
the real command, `nanum practices import FILE`, in a process of its own. It prints
practices per second for the command (wall clock, start-up included) and the seconds from the
command's end until the index holds exactly the live documents: in `indexer` mode a
`nanum search indexer` runs beside the import, as `make run` deploys it; in `inline` mode
(the default setting) the command brings the index up to date itself before it ends.

The machine may be shared: the seconds are also given as a ratio to a reference run just
before the import (summing two million floats with numpy, 50 times, as `search_parts.py`
does), which keeps comparisons between runs meaningful on a busy machine.
"""

import argparse
import cProfile
import gc
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent

COUNTRIES = ["KE", "TZ", "UG", "RW", "ET", "CO", "PE", "EC", "BR", "MX", "VN", "TH", "PH",
             "ID", "BD", "NP", "IN", "FJ"]
TARGETS = ["6.1", "6.2", "6.3", "6.b", "11.1", "11.3", "11.6", "11.b", "13.1", "13.2", "2.3",
           "5.5", "16.7", "17.17", "7.1", "3.8"]
THEMES = ["nri_capacity", "digital_governance", "local_action", "drr_resilience",
          "leave_no_one_behind"]
KINDS = ["policy_practice", "country_experience", "case_study", "research"]
TOPICS = ["rainwater harvesting", "ward assemblies", "participatory budgeting",
          "flood early warning", "solid waste", "community health workers", "mangroves",
          "school feeding", "street lighting", "market sanitation", "drip irrigation",
          "open data", "land titling", "youth employment", "women's cooperatives",
          "borehole maintenance", "cash transfers", "climate adaptation", "bus rapid transit"]
WORDS = ("council residents district water plan budget ward committee training women youth "
         "village data survey monitoring households services clinic school road drainage "
         "reform pilot funding partners evaluation results capacity maintenance tariffs "
         "volunteers sensors maps officials transfers procurement").split()


def sentence(rng, words=14):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, sentences):
    return " ".join(sentence(rng, rng.randint(9, 18)) for _ in range(sentences))


def organisation_spec(rng, number):
    return {"name": f"Bench Municipality {number}", "type": "LRG",
            "country": rng.choice(COUNTRIES)}


def practice_record(rng, number, organisations):
    topic = rng.choice(TOPICS)
    organisation = organisations[0] if number % 3 else rng.choice(organisations)
    partners = [rng.choice(organisations[1:])] if number % 5 == 0 else []
    return {
        "title": f"{topic.capitalize()} in practice number {number}",
        "summary": paragraph(rng, 3),
        "kind": rng.choice(KINDS),
        "organisation": organisation,
        "countries": rng.sample(COUNTRIES, rng.randint(1, 2)),
        "language": "en",
        "period_start": 2015 + number % 8, "period_end": 2024,
        "targets": rng.sample(TARGETS, rng.randint(1, 3)),
        "themes": rng.sample(THEMES, rng.randint(1, 2)),
        "tags": rng.sample(TOPICS, 3),
        "context": paragraph(rng, 3),
        "objectives": "\n".join(f"- {sentence(rng, 8)}" for _ in range(3)),
        "implementation": "\n".join(f"{i}. {sentence(rng, 12)}" for i in range(1, 5)),
        "results": f"**{rng.randint(2, 90)}%** more. " + paragraph(rng, 2),
        "lessons": paragraph(rng, 2),
        "evidence_level": "monitored",
        "budget_amount": rng.randint(1000, 900000), "budget_currency": "USD",
        "government_level": "municipal",
        "partners": partners,
    }


def write_corpus(path, count, seed, untagged=0.0):
    rng = Random(seed)
    organisations = [organisation_spec(rng, number) for number in range(1, 6)]
    with path.open("w", encoding="utf-8") as stream:
        for number in range(1, count + 1):
            record = practice_record(rng, number, organisations)
            if number <= round(count * untagged):  # drafts without SDG tags
                record.update(status="draft", targets=[])
            stream.write(json.dumps(record) + "\n")


def environment(instance, apply):
    env = dict(os.environ)
    env.update(NANUM_INSTANCE_PATH=str(instance), NANUM_SEARCH_INDEX_DIR=str(instance / "index"),
               NANUM_SEARCH_APPLY=apply, NANUM_SEARCH_INDEXER_INTERVAL="0.1",
               FLASK_APP="nanum:create_app()")
    return env


def nanum(env, *args, check=True):
    return subprocess.run([str(BIN / "nanum"), *args], env=env, cwd=ROOT, check=check,
                          capture_output=True, text=True)


def counts(app):
    """Return (live documents, documents in the index, outbox rows), read in this process."""
    from nanum.search import service

    with app.app_context():
        return service.indexable_count(), service.engine().stats()["documents"], \
            service.pending()


def checker(instance):
    """Return an app that reads the instance, made before the import so that its start-up
    is not counted in the catching up."""
    from nanum import create_app

    return create_app({"SEARCH_INDEX_DIR": str(instance / "index"), "SEARCH_APPLY": "indexer"},
                      instance_path=instance)


def caught_up_after(app, started, timeout):
    """Poll until the index holds exactly the live documents; return the seconds waited."""
    while True:
        live, indexed, waiting = counts(app)
        if live == indexed and not waiting:
            return time.perf_counter() - started, live, indexed
        if time.perf_counter() - started > timeout:
            return None, live, indexed
        time.sleep(0.1)


def reference_seconds():
    """Time a fixed piece of CPU work in this process, to compare runs on a busy machine."""
    import numpy as np

    values = np.random.default_rng(1).random(2_000_000)
    started = time.perf_counter()
    for _ in range(50):
        values.sum()
    return time.perf_counter() - started


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu_of(pid):
    """Return a running process's CPU seconds (user and system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def profile_import(instance, corpus, apply):
    """Import in this process under cProfile and print the costliest calls."""
    os.environ.update(environment(instance, apply))
    from nanum import create_app

    app = create_app(instance_path=instance)
    gc.freeze()  # as `nanum` does after start-up
    profiler = cProfile.Profile()
    profiler.enable()
    result = app.test_cli_runner().invoke(args=["practices", "import", str(corpus)],
                                          catch_exceptions=False)
    profiler.disable()
    print(result.output.strip().splitlines()[-1])
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    from nanum.search import service

    with app.app_context():
        profiler = cProfile.Profile()
        profiler.enable()
        applied = service.sync()
        profiler.disable()
    print(f"--- the index catching up: {applied} outbox rows applied")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


def time_in_process(instance, corpus, apply):
    """Import, then bring the index up to date, in this process; print both's CPU time."""
    os.environ.update(environment(instance, apply))
    from nanum import create_app
    from nanum.search import service

    app = create_app(instance_path=instance)
    gc.freeze()  # as `nanum` does after start-up
    started = time.process_time()
    result = app.test_cli_runner().invoke(args=["practices", "import", str(corpus)],
                                          catch_exceptions=False)
    imported = time.process_time() - started
    print(result.output.strip().splitlines()[-1])
    with app.app_context():
        started, wall = time.process_time(), time.perf_counter()
        applied = service.sync()
        cpu, wall = time.process_time() - started, time.perf_counter() - wall
    print(f"import, in process:   {imported:.2f} CPU s")
    print(f"index catching up:    {cpu:.2f} CPU s ({wall:.2f} s wall) for {applied} changes, "
          f"{applied / cpu:.0f} per CPU second (load average {os.getloadavg()[0]:.1f})")


def time_startup(instance, env, runs):
    """Print the median CPU seconds of importing an empty file: the command's start-up
    (importing the app and its dependencies, creating the app) and nothing else."""
    empty = instance / "empty.jsonl"
    empty.write_text("")
    seconds = []
    for _ in range(runs):
        before = _children_cpu()
        nanum(env, "practices", "import", str(empty))
        seconds.append(_children_cpu() - before)
    seconds.sort()
    print(f"start-up CPU time:  {seconds[len(seconds) // 2]:.2f} s median of {runs} "
          f"(from {seconds[0]:.2f} to {seconds[-1]:.2f}; load average "
          f"{os.getloadavg()[0]:.1f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=2000)
    parser.add_argument("--apply", choices=("indexer", "inline"), default="indexer")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "import")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--untagged", type=float, default=0.0,
                        help="share of the practices written as drafts without SDG tags")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--profile", action="store_true",
                        help="import in this process under cProfile instead of timing it")
    parser.add_argument("--in-process", action="store_true",
                        help="import and catch the index up in this process, timing the CPU")
    parser.add_argument("--startup", type=int, metavar="RUNS",
                        help="only time the command's start-up (an empty file), RUNS times")
    options = parser.parse_args()

    instance = options.out.resolve()
    shutil.rmtree(instance, ignore_errors=True)
    instance.mkdir(parents=True)
    env = environment(instance, options.apply)
    nanum(env, "db", "upgrade")
    if options.startup:
        time_startup(instance, env, options.startup)
        return
    nanum(env, "demo", "load")
    nanum(env, "search", "rebuild")
    corpus = instance / "practices.jsonl"
    write_corpus(corpus, options.practices, options.seed, options.untagged)
    if options.profile:
        profile_import(instance, corpus, options.apply)
        return
    if options.in_process:
        time_in_process(instance, corpus, options.apply)
        return
    indexer = None
    if options.apply == "indexer":
        indexer = subprocess.Popen([str(BIN / "nanum"), "search", "indexer"], env=env,
                                   cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
    reference = reference_seconds()
    app = checker(instance)
    try:
        started = time.perf_counter()
        cpu_before = _children_cpu()
        result = nanum(env, "practices", "import", str(corpus), check=False)
        seconds = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        if result.returncode:
            print(result.stdout, result.stderr[-2000:], sep="\n")
            sys.exit(1)
        finished = time.perf_counter()
        waited, live, indexed = caught_up_after(app, finished, options.timeout)
        indexer_cpu = _cpu_of(indexer.pid) if indexer is not None else None
    finally:
        if indexer is not None:
            indexer.terminate()
            indexer.wait()
    print(result.stdout.strip())
    print(f"practices imported: {options.practices} ({options.apply} mode, "
          f"{options.untagged:.0%} without SDG tags)")
    print(f"import command:     {seconds:.2f} s, {options.practices / seconds:.0f} practices/s "
          f"(end to end, process start-up included; {seconds / reference:.1f}x reference)")
    print(f"import CPU time:     {cpu:.2f} s, {options.practices / cpu:.0f} practices per CPU "
          f"second (less sensitive to other load; load average {os.getloadavg()[0]:.1f})")
    if waited is None:
        print(f"index NOT caught up after {options.timeout:.0f} s: {indexed} documents "
              f"for {live} live")
        sys.exit(1)
    print(f"index caught up:    {waited:.2f} s after the command ended "
          f"({waited / reference:.1f}x reference; {indexed} documents for {live} live)")
    print(f"reference run:      {reference:.3f} s")
    if indexer_cpu is not None:
        print(f"indexer CPU time:   {indexer_cpu:.2f} s in all, "
              f"{options.practices / indexer_cpu:.0f} practices per CPU second")


if __name__ == "__main__":
    main()
