"""Load the illustrative demo content: fictional organisations, practices and accounts."""

import json
import secrets
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from nanum.accounts import services as accounts
from nanum.extensions import db
from nanum.organisations.models import Membership, Organisation
from nanum.practices import transfer
from nanum.practices.models import Practice

# (role label, email, site role, organisation type to belong to, membership role)
ACCOUNTS = (
    ("member", "member@demo.nanum.example", "member", "NRI", "member"),
    ("organisation admin", "org-admin@demo.nanum.example", "member", "LRG", "admin"),
    ("moderator", "moderator@demo.nanum.example", "moderator", None, None),
    ("admin", "admin@demo.nanum.example", "admin", None, None),
)
NAMES = {
    "member": "Amani Demo-Member",
    "organisation admin": "Lucía Demo-Orgadmin",
    "moderator": "Ravi Demo-Moderator",
    "admin": "Mei Demo-Admin",
}


@dataclass
class Result:
    organisations: int
    practices: int
    total: int
    accounts: list
    accounts_file: Path


def _lines(name):
    text = (files("nanum.demo") / "data" / name).read_text(encoding="utf-8")
    return [(n, json.loads(line)) for n, line in enumerate(text.splitlines(), 1)
            if line.strip()]


def _load_organisations():
    created = 0
    for _number, record in _lines("organisations.jsonl"):
        exists = db.session.scalar(select(Organisation.id).where(
            Organisation.name == record["name"]))
        if exists is None:
            organisation = Organisation(
                name=record["name"], type=record["type"], country=record["country"],
                description=record.get("description"), website=record.get("website"),
                government_level=record.get("government_level"),
                population=record.get("population"), verified=True)
            organisation.cook()
            db.session.add(organisation)
            created += 1
    db.session.commit()
    return created


def accounts_file():
    return Path(current_app.instance_path) / "demo_accounts.json"


def loaded_before():
    """Tell whether the demo was loaded into this instance (its accounts file exists)."""
    return accounts_file().exists()


def _load_accounts():
    """Create the demo accounts once; their passwords are kept in the instance folder."""
    path = accounts_file()
    saved = json.loads(path.read_text()) if path.exists() else {}
    rows = []
    for label, email, role, org_type, member_role in ACCOUNTS:
        user = accounts.find_by_email(email)
        if user is None:
            password = f"demo-{secrets.token_urlsafe(9)}"
            user = accounts.create_account(name=NAMES[label], email=email, password=password,
                                           role=role)
            saved[email] = password
            if org_type:
                organisation = db.session.scalar(
                    select(Organisation).where(Organisation.type == org_type)
                    .order_by(Organisation.id))
                db.session.add(Membership(user=user, organisation=organisation,
                                          role=member_role, status="active"))
                db.session.commit()
        rows.append((label, email, saved.get(email, "(set before; see your records)")))
    path.write_text(json.dumps(saved, indent=2))
    path.chmod(0o600)
    return rows, path


def _load_discussions():
    """Start a few illustrative conversations between the demo accounts, once."""
    from nanum.discussions import services as discussions
    from nanum.discussions.models import Thread

    if db.session.scalar(select(func.count(Thread.id))):
        return
    member = accounts.find_by_email(ACCOUNTS[0][1])
    org_admin = accounts.find_by_email(ACCOUNTS[1][1])
    moderator = accounts.find_by_email(ACCOUNTS[2][1])
    question = discussions.start_topic(
        member, category="questions", title="How did you keep ward assemblies going after "
        "the first year?", targets=["16.7"], tags="participation, budgeting",
        body="Our pilot drew crowds in its first cycle and half as many in the second. "
             "What kept people coming back in your municipality?")
    answer = discussions.reply(
        org_admin, thread=question,
        body=f"@{member.handle} we published what each ward's choice had built, with photos, "
             "before the next assembly. Turnout recovered when people saw results.")
    discussions.reply(member, thread=question, parent_id=answer.id,
                      body="That is simple enough for us to try. Did the council agree to "
                           "fund the works before the vote, or after?")
    discussions.accept(member, answer)
    discussions.start_topic(
        org_admin, category="partnerships", title="Looking for a research partner on flood "
        "early warning", targets=["11.5", "13.1"], tags="floods, early warning",
        body="We are a small lakeside municipality with volunteers reading rain gauges. We "
             "would like a research institute to help us test and write up what works.")
    practice = db.session.scalar(select(Practice).where(Practice.status == "published")
                                 .order_by(Practice.id))
    discussions.reply(moderator, practice=practice,
                      body="Which of the constraints listed here would matter most for a "
                           "town of under 20,000 people?")


def load():
    """Load everything that is not there yet."""
    organisations = _load_organisations()
    rows, path = _load_accounts()
    report = transfer.import_records(_lines("practices.jsonl"), default_status="published",
                                     on_existing="skip")
    if report.errors:
        raise RuntimeError(f"demo data is invalid: {report.errors[:3]}")
    # Posts link the people they mention by path; a request context lets `url_for` build it.
    with current_app.test_request_context():
        _load_discussions()
    total = db.session.scalar(select(func.count(Practice.id)))
    return Result(organisations=organisations, practices=report.imported, total=total,
                  accounts=rows, accounts_file=path)

