"""Decorators for pages only moderators or admins may open."""

from functools import wraps

from flask_login import current_user, login_required

from nanum.errors import Forbidden


def moderator_required(view):
    @wraps(view)
    @login_required
    def checked(*args, **kwargs):
        if not current_user.is_moderator:
            raise Forbidden("Only moderators may open this page.")
        return view(*args, **kwargs)
    return checked


def admin_required(view):
    @wraps(view)
    @login_required
    def checked(*args, **kwargs):
        if not current_user.is_admin:
            raise Forbidden("Only administrators may open this page.")
        return view(*args, **kwargs)
    return checked
