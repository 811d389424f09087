"""Static files: fingerprinted, precompressed and cached for a year; HTML compressed.

At start-up every file under `static/` (and Bootstrap's stylesheet, taken from the installed
Bootstrap-Flask package) is copied to `STATIC_BUILD_DIR` under a name that carries a hash of
its content (`css/nanum.3f2a9c1b7e4d.css`), with gzip and Brotli versions beside it.
WhiteNoise serves that folder under `/static/` with `Cache-Control: immutable` for a year and
picks the encoding the browser accepts; `url_for('static', filename='css/nanum.css')` gives the
fingerprinted address, so a changed file gets a new address. A hashed name only ever holds one
content, so instances may share a build folder and a rebuild writes only what changed.
Flask-Compress compresses the pages themselves.
"""

import hashlib
import os
import tempfile
from pathlib import Path

import flask_bootstrap
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from nanum.extensions import compress

BOOTSTRAP_CSS = (Path(flask_bootstrap.__file__).parent
                 / "static" / "bootstrap5" / "css" / "bootstrap.min.css")
HASH_LENGTH = 12


def sources(static_folder):
    """Return {logical name: source path} of the files to serve under /static/."""
    root = Path(static_folder)
    found = {path.relative_to(root).as_posix(): path
             for path in sorted(root.rglob("*")) if path.is_file()}
    found["css/bootstrap.min.css"] = BOOTSTRAP_CSS
    return found


def hashed_name(name, content):
    """Return `name` with a hash of `content` before its extension."""
    stem, dot, extension = name.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    return f"{stem}.{digest}.{extension}" if dot else f"{name}.{digest}"


def build(static_folder, build_dir):
    """Write the fingerprinted and compressed files; return {logical name: hashed name}."""
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    compressor = Compressor(quiet=True)
    manifest = {}
    for name, source in sources(static_folder).items():
        content = source.read_bytes()
        manifest[name] = hashed_name(name, content)
        target = build_dir / manifest[name]
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # Stage outside the served folder and rename, so that a worker starting at the same
        # moment never sees a half-written file.
        with tempfile.TemporaryDirectory(dir=build_dir.parent) as scratch:
            staged = Path(scratch) / target.name
            staged.write_bytes(content)
            if compressor.should_compress(target.name):
                compressor.compress(str(staged))
            for suffix in (".gz", ".br"):
                if Path(str(staged) + suffix).exists():
                    os.replace(str(staged) + suffix, str(target) + suffix)
            os.replace(staged, target)
    return manifest


def _static_headers(headers, path, url):
    headers["X-Content-Type-Options"] = "nosniff"


def init_app(app):
    build_dir = Path(app.config["STATIC_BUILD_DIR"] or Path(app.instance_path) / "static")
    manifest = build(app.static_folder, build_dir)
    app.extensions["nanum_static_manifest"] = manifest

    @app.url_defaults
    def fingerprint(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.get(values["filename"], values["filename"])

    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(build_dir), prefix=app.static_url_path,
                              allow_all_origins=False, add_headers_function=_static_headers,
                              immutable_file_test=lambda path, url: True)
    compress.init_app(app)

