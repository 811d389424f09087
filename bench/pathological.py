"""Time cooking and search snippets on pathological inputs of growing size.

For each input of the corpus in tests/test_pathological_input.py (runs of every bracket and
emphasis opener, deep lists and quotes, long lines, mixed HTML) it prints the best of a few
runs of `nanum.markdown.cook` and of the search snippet function at 10,000, 20,000 and
40,000 characters, and the ratio of the 40,000 to the 10,000 time: about 4 is linear, about
16 would be quadratic. Both run without an app or a database.

    .venv/bin/python bench/pathological.py [--repeat 3] [--sizes 10000 20000 40000]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform")]

from nanum import markdown  # noqa: E402
from nanum.search.snippets import snippet  # noqa: E402

OPENERS = ["[", "![", "[a](", "<a ", "*", "_", "`", "~", "(", "<", "&", "\\", "**a", "a[",
           "@", "@asker ", "- ", "1. ", "> ", ">", "- > ", "a", "a\n", "water and sanitation ",
           "| x | y |\n", "<div><b><i><a href='javascript:alert(1)' onclick=x>",
           "<!-- <script>x</script> <a <b ", "&amp;&#x41;&#65;&nosuch;",
           "[a](http://e.org/ \"t\") ![i](x.png) <http://e.org> "]
MENTIONS = {"asker": "/people/1"}


def best_of(repeat, function, *args):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - started)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000, 40_000])
    args = parser.parse_args()
    sizes = args.sizes
    header = " ".join(f"{size:>9,}" for size in sizes)
    print(f"{'input':<28} {'step':<8} {header}   ratio   (ms, best of {args.repeat})")
    worst = {}
    for opener in OPENERS:
        for step in ("cook", "snippet"):
            row = []
            for size in sizes:
                text = "waterworks " + (opener * (size // len(opener) + 1))[:size]
                if step == "cook":
                    row.append(best_of(args.repeat, markdown.cook, text, MENTIONS))
                else:
                    plain = markdown.cook(text)[1]
                    row.append(best_of(args.repeat, snippet, plain, ["waterworks", "water"],
                                       ["wat", "a"]))
            ratio = row[-1] / row[0] if row[0] > 0.0005 else float("nan")
            worst[step] = max(worst.get(step, 0), row[-1])
            cells = " ".join(f"{seconds * 1000:9.1f}" for seconds in row)
            print(f"{opener[:26]!r:<28} {step:<8} {cells}   {ratio:5.1f}")
    for step, seconds in worst.items():
        print(f"slowest {step} at {sizes[-1]:,} characters: {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
