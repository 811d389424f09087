"""Read whole posting lists as a first search does: Whoosh's block decoding against Nanum's
direct reading (`engines/whoosh/postings.py`), with blocks of 128 postings (Whoosh's default)
and of 1,024 (Nanum's codec).

    .venv/bin/python bench/postings_bench.py            # 20,000 documents, ~1 min
    .venv/bin/python bench/postings_bench.py --docs 5000

Two indexes of the same generated documents (20 words, each in nearly every document) are
built in a temporary folder; each way of reading reads the 20 posting lists five times, and
is timed in CPU milliseconds and as a ratio to Whoosh's decoding of 128-posting blocks,
measured in the same process (so the ratios hold on a busy machine).
"""

import argparse
import random
import tempfile
import time
from datetime import datetime
from pathlib import Path

from nanum.search import analysis
from nanum.search.engines.whoosh import WhooshEngine, engine, postings

WORDS = ("water flood school clinic market road budget forest river waste energy youth "
         "women farmer transport housing data council climate coast").split()


def build(folder, documents, blocklimit):
    default = engine.BLOCK_POSTINGS
    engine.BLOCK_POSTINGS = blocklimit
    try:
        built = WhooshEngine(folder)
        built.rebuild(documents)
    finally:
        engine.BLOCK_POSTINGS = default
    built._current()
    return built._leaves[0].reader


def whoosh_decoding(matcher):
    ids, frequencies, _values = postings._read(matcher, with_values=False)
    return ids, frequencies


def cpu_ms(reader, read, rounds=5):
    started = time.process_time()
    for _ in range(rounds):
        for word in WORDS:
            read(reader.postings("body", analysis.term(word)))
    return (time.process_time() - started) * 1000 / rounds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20000)
    options = parser.parse_args()
    rng = random.Random(3)
    documents = [{"key": f"practice:{n}", "content": "practice",
                  "body": " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 200))),
                  "published": datetime(2020, 1, 1)} for n in range(options.docs)]
    with tempfile.TemporaryDirectory() as folder:
        small = build(Path(folder) / "128", documents, 128)
        large = build(Path(folder) / "1024", documents, 1024)
        ways = [("Whoosh's decoding, 128-posting blocks", small, whoosh_decoding),
                ("direct reading, 128-posting blocks", small, postings.posting_arrays),
                ("Whoosh's decoding, 1,024-posting blocks", large, whoosh_decoding),
                ("direct reading, 1,024-posting blocks", large, postings.posting_arrays)]
        for round_number in range(2):
            reference = None
            print(f"round {round_number + 1}: 20 posting lists of ~{options.docs:,} postings")
            for name, reader, read in ways:
                ms = cpu_ms(reader, read)
                reference = reference or ms
                print(f"  {name:42} {ms:7.1f} CPU ms  {ms / reference:5.2f}x")


if __name__ == "__main__":
    main()
