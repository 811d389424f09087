"""Measure that account pages take the same time whether or not an address has an account.

Run from the repository root:

    .venv/bin/python bench/accounts_bench.py [--rounds 30]

It makes a throw-away instance in a temporary folder, creates one account, and times through
the Flask test client, interleaved: signing in with a wrong password (known and unknown
address), asking for a password reset, and registering (a known and a new address). It
prints the median time of each and the known/unknown ratio (1.00 means no difference).
"""

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from nanum import create_app
from nanum.accounts import services
from nanum.extensions import db

PASSWORD = "correct horse battery"


def _token(client, url):
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _timed(client, url, data):
    data = {**data, "csrf_token": _token(client, url)}
    start = time.perf_counter()
    response = client.post(url, data=data)
    elapsed = time.perf_counter() - start
    assert response.status_code in (200, 302), (url, response.status_code)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                          "SEARCH_INDEX_DIR": str(folder / "index"), "RATELIMIT_ENABLED": False,
                          "LOGIN_THROTTLE_ACCOUNT": "1000000 per minute",
                          "LOGIN_THROTTLE_ADDRESS": "1000000 per minute"},
                         instance_path=folder / "instance")
        with app.app_context():
            db.create_all()
            services.create_account(name="Known Person", email="known@example.org",
                                    password=PASSWORD)
        client = app.test_client()
        cases = {
            "sign in, wrong password": lambda address, n: (
                "/login", {"email": address, "password": "not the password"}),
            "forgot password": lambda address, n: ("/forgot-password", {"email": address}),
            "register": lambda address, n: ("/register", {
                "name": "Some One", "password": "a long enough phrase",
                "email": address if address.startswith("known") else f"new{n}@example.org"}),
        }
        print(f"{'page':<26} {'known (ms)':>11} {'unknown (ms)':>13} {'ratio':>6}")
        for label, build in cases.items():
            times = {"known": [], "unknown": []}
            for n in range(rounds):
                for kind, address in (("known", "known@example.org"),
                                      ("unknown", f"nobody{n}@example.org")):
                    times[kind].append(_timed(client, *build(address, n)))
            known, unknown = (statistics.median(times[k]) * 1000 for k in ("known", "unknown"))
            print(f"{label:<26} {known:>11.1f} {unknown:>13.1f} {known / unknown:>6.2f}")


if __name__ == "__main__":
    main()
