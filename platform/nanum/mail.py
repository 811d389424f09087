"""Outgoing mail: to a folder by default, to SMTP when configured, or to the log."""

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from pathlib import Path

from flask import current_app


def describe(config):
    """Say in one line where mail goes, for the console at start-up."""
    backend = config["MAIL_BACKEND"]
    if backend == "smtp":
        server = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
        return f"Mail is sent through the SMTP server {server}."
    if backend == "file":
        return (f"Mail is written as .eml files to {config['MAIL_FILE_DIR']} "
                "(set NANUM_MAIL_BACKEND=smtp to send it).")
    return "Mail is written to the log (set NANUM_MAIL_BACKEND=smtp to send it)."


def sender_domain(config):
    """The domain of the sender's address, which names the site's messages."""
    return parseaddr(config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2] or "nanum.localhost"


def send(to, subject, body, headers=None, timeout=10.0, message_id=None):
    """Send a plain-text message through the configured backend; `message_id` (made when
    not given) names it at every attempt."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain=sender_domain(config))
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)

    backend = config["MAIL_BACKEND"]
    if backend == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    elif backend == "file":
        folder = Path(config["MAIL_FILE_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_")
        (folder / f"{name}.eml").write_bytes(bytes(message))
    else:
        # Warning, not info: the default log level (gunicorn's too) would drop the mail.
        current_app.logger.warning("Mail to %s: %s\n%s", to, subject, body)
    return message
