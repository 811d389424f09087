"""Measure the practices' PDF briefs: made cold, and served once made.

Run from the repository root:

    .venv/bin/python bench/brief_bench.py [--rounds 20]

It makes a throw-away instance in a temporary folder, loads the demo content (practices of
typical length), then through the Flask test client, as a visitor:

- cold: for each of `--rounds` published practices, the first request for its brief, which
  lays the brief out with WeasyPrint (again with shorter sections if it ran past a page),
  writes the PDF and sends it;
- kept: the same briefs requested again, each read from the instance folder;
- long: a practice whose sections are 18,000 characters each, cut until it fits.

It prints the median and worst time of each, the kept/cold ratio, the PDFs' sizes and the
pages of every brief made (all must be 1; the exit status is 1 otherwise).
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from nanum import create_app
from nanum.demo import loader
from nanum.extensions import db
from nanum.practices import rules
from nanum.practices import services as practices
from nanum.practices.models import Practice

LONG = "The committee met every month and kept minutes that anyone could read. " * 250


def _pages(data, folder):
    path = Path(folder) / "page-count.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines()
                    if line.startswith("Pages:")))


def _timed(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, response.get_data()


def _long_practice(template):
    values = practices.snapshot(template)
    values.update(title="A practice with very long sections",
                  **{section: LONG for section in ("context", "implementation", "results",
                                                   "lessons")})
    practice = practices.add(template.organisation_id, rules.clean(values, complete=True),
                             author_id=None, status="published")
    db.session.commit()
    return practice.id


def _line(label, times):
    print(f"{label:<34} median {statistics.median(times) * 1000:8.1f} ms   "
          f"worst {max(times) * 1000:8.1f} ms   ({len(times)} briefs)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="practices whose brief is timed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                          "SEARCH_ENGINE": "memory", "SECRET_KEY": "bench",
                          "PAGECACHE_SECONDS": 0, "SERVER_NAME": "nanum.localhost"},
                         instance_path=Path(folder) / "instance")
        with app.app_context():
            db.create_all()
            loader.load()
            ids = db.session.scalars(select(Practice.id).where(Practice.status == "published")
                                     .order_by(Practice.id).limit(args.rounds)).all()
            long_id = _long_practice(db.session.get(Practice, ids[0]))
        client = app.test_client()
        client.get("/")  # the app's first request: statics, templates
        cold, kept, sizes, page_counts = [], [], [], []
        for practice_id in ids:
            elapsed, data = _timed(client, f"/practices/{practice_id}/brief.pdf")
            cold.append(elapsed)
            sizes.append(len(data))
            page_counts.append(_pages(data, folder))
        for practice_id in ids:
            kept.append(_timed(client, f"/practices/{practice_id}/brief.pdf")[0])
        long_cold, long_data = _timed(client, f"/practices/{long_id}/brief.pdf")
        long_kept = _timed(client, f"/practices/{long_id}/brief.pdf")[0]
        page_counts.append(_pages(long_data, folder))

    _line("cold (made with WeasyPrint)", cold)
    _line("kept (read from the instance)", kept)
    _line("long sections, cold", [long_cold])
    _line("long sections, kept", [long_kept])
    ratio = statistics.median(kept) / statistics.median(cold)
    print(f"kept / cold (medians)              {ratio:.4f}")
    print(f"PDF size                           median {statistics.median(sizes) / 1024:.0f} KB, "
          f"largest {max(sizes) / 1024:.0f} KB; long sections {len(long_data) / 1024:.0f} KB")
    print(f"pages per brief                    {sorted(set(page_counts))}")
    return 0 if set(page_counts) == {1} else 1


if __name__ == "__main__":
    sys.exit(main())
