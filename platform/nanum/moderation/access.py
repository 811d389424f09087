"""Decorators for pages only moderators or admins may open."""

from functools import wraps

from flask_babel import gettext as _
from flask_login import current_user, login_required

from nanum.errors import Forbidden


def require_moderator(actor, message=None):
    """Raise Forbidden unless `actor` is a moderator (or an admin); services call this."""
    if not getattr(actor, "is_moderator", False):
        raise Forbidden(message or _("Only moderators may do that."))


def moderator_required(view):
    @wraps(view)
    @login_required
    def checked(*args, **kwargs):
        if not current_user.is_moderator:
            raise Forbidden(_("Only moderators may open this page."))
        return view(*args, **kwargs)
    return checked


def admin_required(view):
    @wraps(view)
    @login_required
    def checked(*args, **kwargs):
        if not current_user.is_admin:
            raise Forbidden(_("Only administrators may open this page."))
        return view(*args, **kwargs)
    return checked
