"""Mail reaches people: links use the site's address, and mail lands somewhere readable."""

import importlib.util
import logging
import os

from nanum import config as settings
from nanum import create_app, mail

ROOT = settings.ROOT


def test_the_site_address_has_an_older_name_too(tmp_path):
    assert settings.from_environment({"NANUM_NOTIFICATIONS_SITE_URL": "https://a.example"}) == {
        "SITE_URL": "https://a.example"}
    both = {"NANUM_NOTIFICATIONS_SITE_URL": "https://old.example",
            "NANUM_SITE_URL": "https://new.example"}
    assert settings.from_environment(both) == {"SITE_URL": "https://new.example"}
    app = create_app({"NOTIFICATIONS_SITE_URL": "https://old.example", "SECRET_KEY": "x"},
                     instance_path=tmp_path)
    assert app.config["SITE_URL"] == "https://old.example"


def test_mail_queued_outside_requests_links_to_the_site(app, make, helpers, runner):
    app.config["SITE_URL"] = "http://127.0.0.1:5123"
    reader = make.user(email_notifications="daily")
    helpers.reply(make.user(email_notifications="off"), helpers.topic(reader))
    runner.invoke(args=["notifications", "digest"])
    [digest] = helpers.mails()
    links = [word for word in digest.body.split() if "://" in word]
    assert links and all(link.startswith("http://127.0.0.1:5123/") for link in links)


def test_gunicorn_gives_its_address_to_the_workers_and_helpers(monkeypatch, tmp_path):
    # The settings set the metrics folder in the environment when read: keep it to this test.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    started = []

    class Process:  # a helper that keeps running until the server stops it
        pid = 1

        def poll(self):
            return None

        def terminate(self):
            pass

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(conf.subprocess, "Popen", lambda command: started.append(
        (command, os.environ.get("NANUM_SITE_URL"))) or Process())
    for name in ("NANUM_SITE_URL", "NANUM_NOTIFICATIONS_SITE_URL"):
        monkeypatch.setenv(name, "")  # so that the value set below is undone after the test
        monkeypatch.delenv(name)

    class Server:
        cfg = type("Cfg", (), {"bind": ["127.0.0.1:5123"]})()
        log = logging.getLogger("test")

    conf.when_ready(Server())
    assert [url for _command, url in started] == ["http://127.0.0.1:5123"] * 2
    monkeypatch.setenv("NANUM_SITE_URL", "https://nanum.example.org")
    started.clear()
    conf.when_ready(Server())
    assert [url for _command, url in started] == ["https://nanum.example.org"] * 2
    conf.on_exit(Server())  # stops the threads that watch the helpers


def test_mail_goes_to_files_by_default_and_the_log_backend_is_heard(app, tmp_path, caplog):
    assert app.config["MAIL_BACKEND"] == "file"
    assert str(tmp_path / "instance" / "mail") in mail.describe(app.config)
    mail.send("p@example.org", "Hello", "A body.")
    assert len(list((tmp_path / "instance" / "mail").glob("*.eml"))) == 1
    app.config["MAIL_BACKEND"] = "log"
    with caplog.at_level(logging.WARNING):
        mail.send("p@example.org", "Hello", "Read me.")
    assert "Read me." in caplog.text
