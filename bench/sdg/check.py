"""Check the SDG training and development sets and print their counts.

Usage: python3 bench/sdg/check.py
Exits with status 1 if a line does not parse or breaks the format.
"""

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOALS = range(1, 18)


def read(path, errors):
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except ValueError as exc:
            errors.append(f"{path.name}:{number}: {exc}")
    return rows


def check_common(name, rows, keys, errors):
    ids = Counter(row.get("id") for row in rows)
    errors.extend(f"{name}: duplicate id {i}" for i, n in ids.items() if n > 1)
    texts = Counter(row.get("text") for row in rows)
    errors.extend(f"{name}: duplicate text {t[:40]!r}" for t, n in texts.items() if n > 1)
    for row in rows:
        if set(row) != keys:
            errors.append(f"{name}: {row.get('id')}: keys {sorted(row)}")
        if not isinstance(row.get("text"), str) or not row["text"].strip():
            errors.append(f"{name}: {row.get('id')}: empty text")


def words(rows):
    lengths = sorted(len(row["text"].split()) for row in rows)
    median = lengths[len(lengths) // 2]
    return f"words per text: min {lengths[0]}, median {median}, max {lengths[-1]}"


def check_train(rows, errors):
    check_common("train", rows, {"id", "text", "goals"}, errors)
    main, any_goal, multi = Counter(), Counter(), 0
    for row in rows:
        goals = row.get("goals")
        if not goals or any(g not in GOALS for g in goals) or len(set(goals)) != len(goals):
            errors.append(f"train: {row['id']}: bad goals {goals}")
            continue
        main[goals[0]] += 1
        any_goal.update(goals)
        multi += len(goals) > 1
    print(f"train.jsonl: {len(rows)} texts, {multi} with several goals; {words(rows)}")
    print("goal  main  any")
    for goal in GOALS:
        print(f"{goal:4}  {main[goal]:4}  {any_goal[goal]:3}")


def check_dev(rows, errors):
    check_common("dev", rows, {"id", "text", "goal", "about"}, errors)
    counts = Counter()
    for row in rows:
        if row.get("goal") not in GOALS or not isinstance(row.get("about"), bool):
            errors.append(f"dev: {row['id']}: bad goal or about")
            continue
        counts[row["goal"], row["about"]] += 1
    about = sum(n for (_, a), n in counts.items() if a)
    not_about = len(rows) - about
    print(f"\ndev.jsonl: {len(rows)} items, {about} about, {not_about} not about; {words(rows)}")
    print("goal  about  not  total")
    for goal in GOALS:
        yes, no = counts[goal, True], counts[goal, False]
        print(f"{goal:4}  {yes:5}  {no:3}  {yes + no:5}")


def main():
    errors = []
    train = read(HERE / "train.jsonl", errors)
    dev = read(HERE / "dev.jsonl", errors)
    check_train(train, errors)
    check_dev(dev, errors)
    overlap = {row["text"] for row in train} & {row["text"] for row in dev}
    errors.extend(f"text in both sets: {t[:40]!r}" for t in overlap)
    for error in errors:
        print("error:", error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
