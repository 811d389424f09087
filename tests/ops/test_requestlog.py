"""Request ids: in the response header, on the request's log line and on error pages."""

import logging
import re

import pytest

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="nanum.requests")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "nanum.requests"]


def test_each_request_gets_an_id_of_its_own(client):
    first = client.get("/").headers["X-Request-ID"]
    second = client.get("/").headers["X-Request-ID"]  # the second is the kept page
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second)
    assert first != second


def test_the_proxys_id_is_kept_when_well_formed(client):
    response = client.get("/", headers={"X-Request-ID": "edge-7f3a.42:1"})
    assert response.headers["X-Request-ID"] == "edge-7f3a.42:1"


@pytest.mark.parametrize("given", ["", "two words", "<script>", "a" * 101, "-leading-dash",
                                   "é"])
def test_a_malformed_id_is_replaced(client, given):
    response = client.get("/", headers={"X-Request-ID": given})
    assert HEX_ID.fullmatch(response.headers["X-Request-ID"])


def test_one_line_per_request_with_id_method_path_status_and_time(client, request_log):
    response = client.get("/practices?page=2", headers={"X-Request-ID": "abc123"})
    lines = request_log()
    assert len(lines) == 1
    assert re.fullmatch(r"abc123 GET /practices\?page=2 %d \d+\.\dms" % response.status_code,
                        lines[0])


def test_the_logged_path_cannot_forge_a_second_line(client, request_log):
    client.get("/no-such%0Apage%0D")
    (line,) = request_log()
    assert "\n" not in line and "\r" not in line
    assert "/no-such\\npage\\r 404" in line


def test_error_pages_show_the_reference(client):
    response = client.get("/no-such-page", headers={"X-Request-ID": "ref-404-abc"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "quote this" in html and "ref-404-abc" in html
    as_json = client.get("/no-such-page", headers={"Accept": "application/json",
                                                   "X-Request-ID": "ref-json"})
    assert as_json.get_json()["reference"] == "ref-json"


def test_an_unexpected_error_is_logged_with_its_id_and_shown_without_a_trace(app, caplog):
    def broken():
        raise RuntimeError("secret internals")

    app.add_url_rule("/broken-for-test", "broken_for_test", broken)
    caplog.set_level(logging.INFO)
    response = app.test_client().get("/broken-for-test", headers={"X-Request-ID": "ref-500"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "ref-500"
    html = response.get_data(as_text=True)
    assert "ref-500" in html
    assert "Traceback" not in html and "secret internals" not in html
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "ref-500" in error.getMessage()
    assert error.exc_info and error.exc_info[0] is RuntimeError
    assert any(r.name == "nanum.requests" and r.getMessage().startswith("ref-500 GET "
               "/broken-for-test 500 ") for r in caplog.records)
