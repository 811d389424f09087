"""Site settings changed by admins in the app; each change is an audited act.

A setting's default comes from the configuration (`MODERATION_<KEY>` upper-cased); a row in
`site_settings` overrides it.
"""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from nanum.errors import Forbidden, Invalid
from nanum.extensions import db
from nanum.moderation import audit
from nanum.moderation.models import SiteSetting
from nanum.timeutil import utcnow

# Who may publish without review.
POLICIES = {
    "review_all": _l("Every submission is reviewed by a moderator"),
    "trusted_publish": _l("Trusted organisations publish directly; others are reviewed"),
    "publish_all": _l("Everything publishes at once"),
}
CHOICES = {"submission_policy": POLICIES}
LABELS = {"submission_policy": _l("Submission policy")}


def _config_key(key):
    return f"MODERATION_{key.upper()}"


def get(key):
    """Return a setting's current value."""
    row = db.session.get(SiteSetting, key)
    if row is not None:
        return row.value
    return current_app.config[_config_key(key)]


def _check(actor, key, value):
    if not getattr(actor, "is_admin", False):
        raise Forbidden(_("Only administrators change site settings."))
    if _config_key(key) not in current_app.config:
        raise Invalid(_("There is no setting called %(key)s.", key=repr(key)))
    allowed = CHOICES.get(key)
    if allowed is not None and value not in allowed:
        raise Invalid(_("Please choose one of the listed values."),
                      errors={key: _("Please choose one of the listed values.")})


def change(actor, key, value, *, reason=None, message=""):
    """Set a setting (admins only), recording the act; the caller commits."""
    _check(actor, key, value)
    before = get(key)
    if value == before:
        return False
    row = db.session.get(SiteSetting, key)
    if row is None:
        row = SiteSetting(key=key)
        db.session.add(row)
    row.value, row.updated_at, row.updated_by_id = value, utcnow(), actor.id
    audit.record(actor, "setting.change", target_type="site_settings", label=key,
                 reason=reason, message=message, before={key: before}, after={key: value})
    return True


def save(actor, values, *, reason=None, message=""):
    """Change several settings in one act ({key: value}) and commit; return the keys changed.

    Nothing is saved unless every value is valid.
    """
    for key, value in values.items():
        _check(actor, key, value)
    changed = [key for key, value in values.items()
               if change(actor, key, value, reason=reason, message=message)]
    db.session.commit()
    return changed


def choices():
    """Return [(key, label, {value: label}, current value)] of the settings made of choices."""
    return [(key, LABELS.get(key, key.replace("_", " ").capitalize()), options, get(key))
            for key, options in CHOICES.items()]
