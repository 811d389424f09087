"""Accounts made in bulk from a CSV file (`nanum users import`), e.g. for a workshop.

Every line is checked before anything is stored: either all accounts are created, in one
transaction, or none is and every problem is reported with its line number.
"""

import csv

from sqlalchemy import func, select

from nanum.accounts import services as accounts
from nanum.accounts.models import ROLES, User
from nanum.errors import Invalid
from nanum.extensions import db
from nanum.organisations.models import Membership, Organisation
from nanum.timeutil import utcnow

COLUMNS = ("email", "name", "password")
OPTIONAL = ("role", "organisation")


def read_rows(stream):
    """Return the CSV's rows as dicts; raise Invalid when a required column is missing."""
    reader = csv.DictReader(stream)
    missing = [name for name in COLUMNS if name not in (reader.fieldnames or ())]
    if missing:
        raise Invalid("The first line must name the columns email, name and password "
                      f"(missing: {', '.join(missing)}).")
    return list(reader)


def _organisation(name):
    return db.session.scalar(select(Organisation).where(
        func.lower(Organisation.name) == name.strip().lower()))


def _check(row, seen):
    """Return (problems, cleaned values) of one line."""
    name, email = (row.get("name") or "").strip(), (row.get("email") or "").strip()
    problems = [f"{field}: {message}" for field, message in accounts.register_problems(
        name=name, email=email, password=row.get("password") or "").items()]
    role = (row.get("role") or "member").strip()
    if role not in ROLES:
        problems.append(f"role: unknown role {role!r}")
    organisation = None
    if (row.get("organisation") or "").strip():
        organisation = _organisation(row["organisation"])
        if organisation is None:
            problems.append(f"organisation: no organisation named {row['organisation']!r}")
    if not problems:
        email = accounts.normalise_email(email)
        if email in seen or accounts.find_by_email(email) is not None:
            problems.append("email: an account with this email already exists")
        seen.add(email)
    return problems, (name, email, role, organisation)


def import_accounts(rows):
    """Create a confirmed account for every row (and its active membership of the row's
    organisation, if any); return how many were created. Raise Invalid, creating nothing,
    with `errors` mapping line numbers to problems, when any line is wrong."""
    errors, accepted, seen = {}, [], set()
    for number, row in enumerate(rows, start=2):  # line 1 names the columns
        problems, values = _check(row, seen)
        if problems:
            errors[number] = "; ".join(problems)
        else:
            accepted.append((values, row["password"]))
    if errors:
        raise Invalid(f"{len(errors)} line(s) are wrong; no account was created.", errors)
    for (name, email, role, organisation), password in accepted:
        user = User(name=name, email=email, role=role, handle=accounts.free_handle(name),
                    email_confirmed_at=utcnow())
        user.cook()
        user.set_password(password)
        db.session.add(user)
        if organisation is not None:
            db.session.add(Membership(user=user, organisation=organisation, role="member",
                                      status="active"))
        db.session.flush()  # the next free handle must see this one
    db.session.commit()
    return len(accepted)
