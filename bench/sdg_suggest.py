"""Measure the SDG suggester's `about` decisions on Nanum's development set.

Run from the repository root:

    .venv/bin/python bench/sdg_suggest.py                        # bench/sdg/dev.jsonl
    .venv/bin/python bench/sdg_suggest.py --model /tmp/other.npz # another build, to compare

Each item of the development set is a text, a goal and a label (about or not); the item is
correct when `goal in about` equals the label. The script prints accuracy, precision, recall and
F1 per goal and over all items, the milliseconds per text (one text at a time, as an author's
form asks, and practice-length texts in a batch, as an import asks), and the suggester's size
on disk (its data files and the installed embedding package).
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "platform"))

from nanum.sdg import features, model  # noqa: E402


def measures(pairs):
    """Accuracy, precision, recall and F1 of (predicted, label) pairs."""
    tp = sum(1 for p, t in pairs if p and t)
    fp = sum(1 for p, t in pairs if p and not t)
    fn = sum(1 for p, t in pairs if t and not p)
    correct = sum(1 for p, t in pairs if p == t)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(pairs), "accuracy": correct / len(pairs) if pairs else 0.0,
            "precision": precision, "recall": recall, "f1": f1}


def size_mb(*paths):
    total = 0
    for path in paths:
        path = Path(path)
        files = path.rglob("*") if path.is_dir() else [path]
        total += sum(f.stat().st_size for f in files if f.is_file())
    return total / 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, default=ROOT / "bench" / "sdg" / "dev.jsonl")
    parser.add_argument("--model", type=Path, default=model.MODEL)
    args = parser.parse_args()

    items = [json.loads(line) for line in args.dev.open(encoding="utf-8") if line.strip()]
    suggester = model.Suggester.load(args.model)
    suggester.suggest("Warm-up: safe drinking water for every village.")
    answers, seconds = {}, []
    for item in items:
        if item["text"] not in answers:
            start = time.perf_counter()
            answers[item["text"]] = suggester.suggest(item["text"])
            seconds.append(time.perf_counter() - start)

    by_goal = {}
    for item in items:
        predicted = item["goal"] in answers[item["text"]]["about"]
        by_goal.setdefault(item["goal"], []).append((predicted, bool(item["about"])))

    print(f"{'goal':>5} {'n':>4} {'accuracy':>9} {'precision':>9} {'recall':>7} {'F1':>6}")
    for goal in sorted(by_goal):
        m = measures(by_goal[goal])
        print(f"{goal:>5} {m['n']:>4} {m['accuracy']:>9.3f} {m['precision']:>9.3f} "
              f"{m['recall']:>7.3f} {m['f1']:>6.3f}")
    m = measures([pair for pairs in by_goal.values() for pair in pairs])
    print(f"{'all':>5} {m['n']:>4} {m['accuracy']:>9.3f} {m['precision']:>9.3f} "
          f"{m['recall']:>7.3f} {m['f1']:>6.3f}")
    macro = statistics.mean(measures(pairs)["f1"] for pairs in by_goal.values())
    print(f"macro F1 over goals: {macro:.3f}")

    ms = sorted(s * 1000 for s in seconds)
    print(f"ms per text: mean {statistics.mean(ms):.1f}, median {statistics.median(ms):.1f}, "
          f"95th percentile {ms[int(0.95 * (len(ms) - 1))]:.1f} ({len(ms)} texts)")
    # Practice-length texts: 25 development texts in a row (about 600 words, 25 sentences).
    texts = list(answers)
    long_ms, long_texts = [], []
    for start in range(0, len(texts) - 25, 25):
        text = " ".join(texts[start:start + 25])
        long_texts.append(text)
        began = time.perf_counter()
        suggester.suggest(text)
        long_ms.append((time.perf_counter() - began) * 1000)
    if long_ms:
        long_ms.sort()
        print(f"ms per practice-length text (~{len(text.split())} words): mean "
              f"{statistics.mean(long_ms):.1f}, worst {long_ms[-1]:.1f} ({len(long_ms)} texts)")
        # As an import asks: a batch of texts at once (`suggest_many`), embedded together.
        began = time.perf_counter()
        suggester.suggest_many(long_texts)
        print(f"ms per practice-length text in one batch of {len(long_texts)}: "
              f"{(time.perf_counter() - began) * 1000 / len(long_texts):.1f}")
    import wordllama

    data = size_mb(Path(model.__file__).parent / "data")
    embeddings = size_mb(Path(wordllama.__file__).parent)
    print(f"size: suggester data {data:.1f} MB (weights {size_mb(args.model):.2f} MB), "
          f"wordllama package {embeddings:.1f} MB; longest text read "
          f"{features.MAX_CHARS} characters")


if __name__ == "__main__":
    main()
