"""Static files are fingerprinted, compressed and cached for a year; pages are compressed."""

import gzip
import re

import brotli

from nanum import ROOT


def _static_links(client):
    html = client.get("/about").get_data(as_text=True)
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_fingerprinted_statics(client):
    links = _static_links(client)
    names = {re.sub(r"\.[0-9a-f]{12}\.", ".", link) for link in links}
    assert {"/static/css/bootstrap.min.css", "/static/css/nanum.css",
            "/static/js/nanum.js"} <= names
    assert all(re.search(r"\.[0-9a-f]{12}\.\w+$", link) for link in links)


def test_statics_are_cached_for_a_year_and_sent_compressed(client):
    nanum_css = next(link for link in _static_links(client) if "/nanum." in link)
    source = (ROOT / "static" / "css" / "nanum.css").read_bytes()

    response = client.get(nanum_css, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    max_age = re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1)
    assert int(max_age) >= 365 * 86400
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == source
    response.close()

    response = client.get(nanum_css, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == source
    response.close()

    response = client.get(nanum_css)
    assert "Content-Encoding" not in response.headers and response.data == source
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_a_changed_file_gets_a_new_address(app):
    from nanum import assets

    first = assets.hashed_name("css/site.css", b"a { color: red }")
    assert first != assets.hashed_name("css/site.css", b"a { color: blue }")
    assert first.startswith("css/site.") and first.endswith(".css")


def test_pages_are_sent_compressed(client):
    plain = client.get("/about").data
    response = client.get("/about", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == plain
    assert "Accept-Encoding" in response.headers["Vary"]
    response = client.get("/about", headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(response.data) == plain
