"""Notification forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField

from nanum.notifications.services import EMAIL_CHOICES


class SettingsForm(FlaskForm):
    # The service checks the value, so that a bad one gets its clear message, not WTForms'.
    email_notifications = RadioField(_l("Email me about notifications"),
                                     choices=list(EMAIL_CHOICES.items()), validate_choice=False)


class WatchForm(FlaskForm):
    """A Watch or Stop watching button: what to watch, and where to go back to."""

    type = HiddenField()
    key = HiddenField()
    next = HiddenField()
