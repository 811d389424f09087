"""Organisations: creating them, joining them, and who may act for them."""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from nanum import inputs
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.organisations import merging, regions, signals
from nanum.organisations.models import Membership, Organisation
from nanum.organisations.vocab import ORG_TYPES, POPULATION_MAX, POPULATION_MESSAGE
from nanum.practices.vocab import GOVERNMENT_LEVELS

FIELDS = ("name", "type", "country", "government_level", "population", "website",
          "description")


def _clean(fields):
    """Check and tidy organisation fields; raise Invalid listing every problem."""
    errors = {}
    name = (fields.get("name") or "").strip()
    if not name:
        errors["name"] = _("Please enter the organisation's name.")
    elif len(name) > 200:
        errors["name"] = _("Use at most 200 characters.")
    org_type = fields.get("type")
    if org_type not in ORG_TYPES:
        errors["type"] = _("Please choose a type from the list.")
    country = (fields.get("country") or "").strip().upper()
    if not regions.is_country(country):
        errors["country"] = _("Please choose a country from the list.")
    level = fields.get("government_level") or None
    if level and level not in GOVERNMENT_LEVELS:
        errors["government_level"] = _("Please choose a level from the list.")
    population = fields.get("population")
    if population in ("", None):
        population = None
    else:
        population = inputs.integer(population, low=0, high=POPULATION_MAX)
        if population is None:
            errors["population"] = str(POPULATION_MESSAGE)
    website = (fields.get("website") or "").strip() or None
    if website and not website.startswith(("http://", "https://")):
        errors["website"] = _("Enter a full address starting with https://")
    if errors:
        raise Invalid(_("Please correct the highlighted fields."), errors)
    if org_type != "LRG":
        level, population = None, None
    return {"name": name, "type": org_type, "country": country, "government_level": level,
            "population": population, "website": website,
            "description": (fields.get("description") or "").strip() or None}


def _name_taken(name, exclude_id=None):
    query = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if exclude_id:
        query = query.where(Organisation.id != exclude_id)
    return db.session.scalar(query) is not None


class PossibleDuplicates(Invalid):
    """Organisations of the same country with similar names exist; `similar` lists them."""

    def __init__(self, similar):
        message = _("Organisations with similar names exist in this country. If none of them "
                    "is yours, confirm to create it.")
        super().__init__(message, {"name": message})
        self.similar = similar


def create(user, confirmed=False, **fields):
    """Create an organisation with its creator as its first admin.

    Unless `confirmed`, refuse when organisations of the same country have similar names,
    so that the person can join one of them instead.
    """
    values = _clean(fields)
    if _name_taken(values["name"]):
        message = _("An organisation with this name already exists; ask to join it instead.")
        raise Invalid(message, {"name": message})
    if not confirmed:
        similar = merging.similar(values["name"], values["country"])
        if similar:
            raise PossibleDuplicates(similar)
    organisation = Organisation(**values)
    organisation.cook()
    db.session.add(organisation)
    db.session.add(Membership(user=user, organisation=organisation, role="admin",
                              status="active"))
    db.session.commit()
    return organisation


def update(user, organisation, **fields):
    """Edit an organisation's profile (its admins and moderators only)."""
    require_admin(user, organisation)
    values = _clean(fields)
    if _name_taken(values["name"], exclude_id=organisation.id):
        message = _("Another organisation already has this name.")
        raise Invalid(message, {"name": message})
    for key, value in values.items():
        setattr(organisation, key, value)
    organisation.cook()
    db.session.commit()
    return organisation


def get(organisation_id):
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_("No such organisation."))
    return organisation


def membership(user, organisation):
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation.id))


def is_member(user, organisation_id):
    """Tell whether a person is an active member of an organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation_id,
        Membership.status == "active")) is not None


def is_admin(user, organisation_id):
    """Tell whether a person is an active admin of an organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation_id,
        Membership.role == "admin", Membership.status == "active")) is not None


def can_manage(user, organisation):
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_moderator:
        return True
    found = membership(user, organisation)
    return bool(found and found.is_admin)


def require_admin(user, organisation):
    if not can_manage(user, organisation):
        raise Forbidden(_("Only the organisation's admins can do that."))


def request_join(user, organisation):
    """Ask to join an organisation; an admin of it approves."""
    existing = membership(user, organisation)
    if existing is not None:
        if existing.is_active:
            raise Invalid(_("You are already a member of this organisation."))
        raise Invalid(_("Your request to join is waiting for approval."))
    request = Membership(user=user, organisation=organisation, role="member",
                         status="pending")
    db.session.add(request)
    db.session.commit()
    signals.join_requested.send(request)
    return request


def _membership_of(organisation, membership_id):
    found = db.session.get(Membership, membership_id)
    if found is None or found.organisation_id != organisation.id:
        raise NotFound(_("No such membership."))
    return found


def approve(user, organisation, membership_id):
    """Approve a pending request to join."""
    require_admin(user, organisation)
    found = _membership_of(organisation, membership_id)
    found.status = "active"
    db.session.commit()
    return found


def decline(user, organisation, membership_id):
    """Decline a pending request, or remove a member (never the last admin)."""
    require_admin(user, organisation)
    found = _membership_of(organisation, membership_id)
    if found.is_admin and admin_count(organisation) <= 1:
        raise Invalid(_("An organisation needs at least one admin."))
    db.session.delete(found)
    db.session.commit()


def admin_count(organisation):
    return db.session.scalar(select(func.count(Membership.id)).where(
        Membership.organisation_id == organisation.id, Membership.role == "admin",
        Membership.status == "active"))


def members(organisation_ids, *, status="active"):
    """Return the memberships of this status in these organisations (their ids), each with
    its person, oldest first."""
    if not organisation_ids:
        return []
    return db.session.scalars(
        select(Membership).options(selectinload(Membership.user))
        .where(Membership.organisation_id.in_(organisation_ids), Membership.status == status)
        .order_by(Membership.created_at, Membership.id)).all()


def active_memberships(user):
    """Return a person's active memberships with their organisations."""
    if not getattr(user, "is_authenticated", False):
        return []
    return db.session.scalars(
        select(Membership).options(selectinload(Membership.organisation))
        .where(Membership.user_id == user.id, Membership.status == "active")).all()


def my_organisations(user):
    """Return a person's memberships, active and pending, and the number of requests to
    join waiting in each organisation they administer ({organisation id: count})."""
    found = db.session.scalars(
        select(Membership).options(selectinload(Membership.organisation))
        .join(Organisation).where(Membership.user_id == user.id)
        .order_by(Membership.status, func.lower(Organisation.name))).all()
    administered = [m.organisation_id for m in found if m.is_admin]
    waiting = dict(db.session.execute(
        select(Membership.organisation_id, func.count(Membership.id))
        .where(Membership.organisation_id.in_(administered), Membership.status == "pending")
        .group_by(Membership.organisation_id)).all()) if administered else {}
    return found, waiting


def admins(organisation_id):
    """Return the active admins of an organisation."""
    from nanum.accounts.models import User

    return db.session.scalars(select(User).join(Membership).where(
        Membership.organisation_id == organisation_id, Membership.role == "admin",
        Membership.status == "active")).all()


def membership_statuses(user):
    """Return {organisation id: membership status} for a person."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return dict(db.session.execute(select(Membership.organisation_id, Membership.status)
                                   .where(Membership.user_id == user.id)).all())


def organisations_of(user):
    """Return the organisations a person may post for."""
    return [m.organisation for m in active_memberships(user)]


def listing_statement(*, query=None, org_type=None, country=None):
    """Return the statement of `listing`, to read whole or one page at a time."""
    # Organisations hidden by moderation are left out of the list; the id orders namesakes,
    # so that pages neither repeat nor skip one.
    statement = select(Organisation).where(Organisation.hidden.is_(False)).order_by(
        Organisation.name, Organisation.id)
    if query and query.strip():
        # A name part, not a pattern: % and _ match only themselves.
        statement = statement.where(Organisation.name.icontains(query.strip(), autoescape=True))
    if org_type in ORG_TYPES:
        statement = statement.where(Organisation.type == org_type)
    if country:
        statement = statement.where(Organisation.country == country.upper())
    return statement


def listing(*, query=None, org_type=None, country=None):
    """Return organisations, optionally filtered, ordered by name."""
    return db.session.scalars(listing_statement(query=query, org_type=org_type,
                                                country=country)).all()


def check_new(name, org_type, country):
    """Check the name, type and country of an organisation to create; return its values."""
    return _clean({"name": name, "type": org_type, "country": country})


def find_or_create(name, org_type, country):
    """Return the organisation of this name, creating it when missing (for imports)."""
    found = db.session.scalar(select(Organisation).where(
        func.lower(Organisation.name) == name.strip().lower()))
    if found is not None:
        return found, False
    organisation = Organisation(**check_new(name, org_type, country))
    organisation.cook()
    db.session.add(organisation)
    db.session.flush()
    return organisation, True
