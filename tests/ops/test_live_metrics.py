"""Under gunicorn (gunicorn.conf.py), /metrics shows every worker's requests, not one's."""

import json
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from fixtures.live import LIVE_METRICS_TOKEN

# Not the home page: the server's start-up check may still be answering one of those.
ABOUT = {"endpoint": "main.about", "method": "GET", "status": "200"}


def about_count(live_server):
    request = urllib.request.Request(live_server["url"] + "/metrics", headers={
        "Authorization": f"Bearer {LIVE_METRICS_TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    return sum(sample.value for family in text_string_to_metric_families(text)
               for sample in family.samples
               if sample.name == "nanum_http_requests_total" and sample.labels == ABOUT)


def test_every_scrape_shows_the_whole_sites_figures(live_server):
    before = about_count(live_server)
    for _ in range(12):  # a connection each: the workers share them
        with urllib.request.urlopen(live_server["url"] + "/about", timeout=30) as response:
            assert response.status == 200
            assert response.headers["X-Request-ID"]
    counts = {about_count(live_server) - before for _ in range(6)}
    assert counts == {12}  # whichever worker answered each scrape


def test_the_live_probes(live_server):
    with urllib.request.urlopen(live_server["url"] + "/healthz", timeout=10) as response:
        assert response.read() == b"ok\n"
    with urllib.request.urlopen(live_server["url"] + "/readyz", timeout=30) as response:
        assert json.load(response)["database"] == "ok"
