"""`nanum notifications worker`: the mail worker that `make run` starts beside gunicorn."""

import os
import subprocess
import sys
import time
from pathlib import Path

from nanum.discussions import services as discussions


def test_worker_delivers_queued_mail(app, config, tmp_path, make):
    asker = make.user(email="asker@example.org")
    helper = make.user(email="helper@example.org")
    thread = discussions.start_topic(asker, category="questions", title="Who pays for SMS?",
                                     body="Our council wonders.")
    discussions.reply(helper, thread=thread, body="We share the cost with the county.")
    mail_dir = tmp_path / "mail"
    env = {**os.environ, "NANUM_INSTANCE_PATH": str(tmp_path / "instance"),
           "NANUM_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
           "NANUM_SEARCH_INDEX_DIR": config["SEARCH_INDEX_DIR"],
           "NANUM_MAIL_BACKEND": "file", "NANUM_MAIL_FILE_DIR": str(mail_dir)}
    worker = subprocess.Popen([Path(sys.executable).parent / "nanum", "notifications",
                               "worker", "--every", "0.2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not list(mail_dir.glob("*.eml")):
            time.sleep(0.1)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    assert f"Mail is written as .eml files to {mail_dir}" in worker.stderr.read().decode()
    [mail] = mail_dir.glob("*.eml")
    text = mail.read_text()
    assert "To: asker@example.org" in text and "List-Unsubscribe" in text
