"""Who is a member, a moderator or an admin: changed by admins in the app, audited."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from nanum import pagination
from nanum.accounts.models import ROLES, User
from nanum.errors import Conflict, Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.moderation import audit, reasons

LABELS = {"member": _l("Member"), "moderator": _l("Moderator"), "admin": _l("Admin")}


def people(query="", role=None, page=1, per_page=50):
    """Return a page of people, optionally narrowed by name, handle or email, and role."""
    statement = select(User).order_by(User.name, User.id)
    query = (query or "").strip()[:100]
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        statement = statement.where(or_(User.name.ilike(pattern, escape="\\"),
                                        User.handle.ilike(pattern, escape="\\"),
                                        User.email.ilike(pattern, escape="\\")))
    if role in ROLES:
        statement = statement.where(User.role == role)
    return pagination.paginate(statement, page, per_page)


def get(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such person."))
    return user


def change(actor, user, role, *, reason=None, message=""):
    """Give a person another role (admins only); the last admin keeps theirs."""
    if not getattr(actor, "is_admin", False):
        raise Forbidden(_("Only administrators change roles."))
    if role not in ROLES:
        raise Invalid(_("Please choose a role from the list."),
                      {"role": _("Please choose a role from the list.")})
    if reason and reason not in reasons.REASONS:
        raise Invalid(_("Please choose a reason from the list."),
                      {"reason": _("Please choose a reason from the list.")})
    before = user.role
    if role == before:
        return False
    # One statement, so that two admins demoting each other at once cannot both succeed.
    other_admins = select(func.count(User.id)).where(
        User.role == "admin", User.active.is_(True), User.id != user.id).scalar_subquery()
    changed = db.session.execute(
        update(User).where(User.id == user.id,
                           or_(User.role != "admin", User.active.is_(False), other_admins > 0))
        .values(role=role).execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        raise Conflict(_("Nanum needs at least one admin: make someone else an admin first."))
    db.session.expire(user, ["role"])
    audit.record(actor, "user.role", user, reason=reason, message=(message or "")[:2000],
                 before={"role": before}, after={"role": role})
    db.session.commit()
    return True
