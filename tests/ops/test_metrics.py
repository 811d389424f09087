"""/metrics: who may read it, and what it says."""

import subprocess
import sys
import textwrap

import pytest
from prometheus_client.parser import text_string_to_metric_families

from nanum.extensions import db
from nanum.notifications.models import OutgoingMail
from nanum.ops import metrics
from nanum.practices import services as practices

TOKEN = "a-long-random-scraper-token"


def samples(text):
    """Map (sample name, sorted labels) to value."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(text, name, **labels):
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def scrape(app, client):
    app.config["METRICS_TOKEN"] = TOKEN

    def scrape():
        response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        return response.get_data(as_text=True)
    return scrape


def test_visitors_and_members_may_not_read_the_metrics(app, client, auth, make):
    app.config["METRICS_TOKEN"] = TOKEN
    assert client.get("/metrics").status_code == 403
    member = make.user()
    auth.login(member.email)
    response = client.get("/metrics")
    assert response.status_code == 403
    assert "nanum_http_requests_total" not in response.get_data(as_text=True)


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN, "Bearer ",
                                    f"bearer{TOKEN}"])
def test_a_wrong_token_may_not_read_the_metrics(app, client, header):
    app.config["METRICS_TOKEN"] = TOKEN
    assert client.get("/metrics", headers={"Authorization": header}).status_code == 403


def test_no_token_is_accepted_when_none_is_set(app, client):
    app.config["METRICS_TOKEN"] = None
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer None"}).status_code == 403


def test_an_admin_signed_in_reads_the_metrics(app, client, auth, make):
    admin = make.user(role="admin")
    auth.login(admin.email)
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type == metrics.CONTENT_TYPE
    assert "nanum_http_requests_total" in response.get_data(as_text=True)


def test_the_token_reads_the_metrics_uncached(scrape, client):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_requests_are_counted_by_endpoint_not_by_address(scrape, client):
    before = scrape()
    assert client.get("/").status_code == 200
    assert client.get("/no-such-page/12345").status_code == 404
    assert client.get("/no-such-page/67890").status_code == 404
    after = scrape()
    home = {"endpoint": "main.home", "method": "GET", "status": "200"}
    missing = {"endpoint": "unmatched", "method": "GET", "status": "404"}
    for name, labels, more in [("nanum_http_requests_total", home, 1),
                               ("nanum_http_requests_total", missing, 2),
                               ("nanum_http_request_duration_seconds_count",
                                {"endpoint": "main.home"}, 1)]:
        assert value(after, name, **labels) - value(before, name, **labels) == more
    assert "no-such-page" not in after


def test_searches_are_timed(scrape, client):
    before = value(scrape(), "nanum_search_duration_seconds_count")
    assert client.get("/search?q=water").status_code == 200
    assert value(scrape(), "nanum_search_duration_seconds_count") == before + 1


def test_queue_figures(app, scrape, make):
    app.config["SEARCH_APPLY"] = "indexer"  # the changes below wait in the outbox
    app.config["MODERATION_SUBMISSION_POLICY"] = "review_all"
    text = scrape()
    assert value(text, "nanum_mail_queue_size") == 0
    assert value(text, "nanum_review_queue_size") == 0
    db.session.add_all([OutgoingMail(to="a@example.org", subject="Hello", body="x"),
                        OutgoingMail(to="b@example.org", subject="Sent", body="x",
                                     status="sent"),
                        OutgoingMail(to="c@example.org", subject="Failed", body="x",
                                     status="failed")])
    db.session.commit()
    author = make.member()
    practices.create(author, author.memberships[0].organisation_id, {
        "title": "Flood wardens in every ward", "kind": "case_study",
        "summary": "Volunteers watch the river.", "countries": "KE", "targets": "11.5"},
        action="submit")
    text = scrape()
    assert value(text, "nanum_review_queue_size") == 1
    assert value(text, "nanum_mail_queue_size") == 1
    assert value(text, "nanum_mail_failed") == 1
    assert value(text, "nanum_mail_queue_age_seconds") >= 0
    assert value(text, "nanum_search_outbox_rows") >= 1
    assert value(text, "nanum_search_outbox_lag_seconds") >= 0


WORKER = textwrap.dedent("""
    from nanum.ops import metrics
    for _ in range({count}):
        metrics.observe_request("main.home", "GET", 200, 0.01)
    metrics.observe_search(0.02)
""")


def test_the_workers_figures_are_summed(tmp_path, monkeypatch):
    """Under gunicorn each worker writes its own file; a scrape shows their sum."""
    folder = tmp_path / "metrics"
    folder.mkdir()
    for count in (3, 4):
        subprocess.run([sys.executable, "-c", WORKER.format(count=count)], check=True,
                       env={"PROMETHEUS_MULTIPROC_DIR": str(folder), "PATH": ""}, timeout=60)
    assert len(list(folder.glob("*.db"))) >= 2
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    text = metrics.exposition([("nanum_review_queue_size", "Waiting.", 5)]).decode()
    assert value(text, "nanum_http_requests_total", endpoint="main.home", method="GET",
                 status="200") == 7
    assert value(text, "nanum_search_duration_seconds_count") == 2
    assert value(text, "nanum_review_queue_size") == 5
