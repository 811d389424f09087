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
    waiting: int
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


# The illustrative submissions waiting for review: why each waits, and for the resubmitted
# one, what the moderator asked for in the first round and what it said then.
WAITING = {
    "Heat-risk maps of riverside settlements drawn with school science clubs": ("policy", None),
    "Market levy receipts sent by SMS": ("policy", (
        "Please say how much the levy brought in before and after, and how you measured it.",
        "Levy revenue rose after the receipts were introduced.")),
    "Solar street lights for the night market": ("new_account", None),
}


def _load_review_queue():
    """Put a few illustrative submissions in the review queue, once; return how many wait."""
    from nanum.practices import services as practices
    from nanum.review.models import ReviewMessage, ReviewRequest
    from nanum.sdg import suggestions

    report = transfer.import_records(_lines("submissions.jsonl"), default_status="submitted",
                                     on_existing="skip")
    if report.errors:
        raise RuntimeError(f"demo submissions are invalid: {report.errors[:3]}")
    moderator = accounts.find_by_email("moderator@demo.nanum.example")
    for title, (reason, first_round) in WAITING.items():
        practice = db.session.scalar(select(Practice).where(Practice.title == title))
        if practice is None or db.session.scalar(
                select(ReviewRequest.id).where(ReviewRequest.practice_id == practice.id)):
            continue
        if first_round is not None:
            asked, earlier_results = first_round
            reviewed = {**practices.snapshot(practice), "results": earlier_results}
            db.session.add_all([
                ReviewRequest(practice=practice, reason=reason, decided_at=practice.created_at,
                              submitted_by_id=practice.author_id, decided_by_id=moderator.id,
                              decision="changes_requested", message=asked, snapshot=reviewed),
                ReviewMessage(practice_id=practice.id, author_id=moderator.id,
                              from_moderator=True, body=asked)])
        db.session.add(ReviewRequest(practice=practice, reason=reason,
                                     round=2 if first_round else 1,
                                     submitted_by_id=practice.author_id))
        suggestions.record(practice)  # as the form does when the author saves
    db.session.commit()
    return db.session.scalar(select(func.count(Practice.id)).where(
        Practice.status == "submitted"))


# What the demo moderator curates: featured practices with a note each, a collection, and an
# open call (practices are named by the start of their title).
FEATURED = (
    ("Community-based early warning for typhoon storm surge",
     "Warnings a coastal barangay runs with volunteers and a loudspeaker"),
    ("Voluntary local reviews for municipalities under 50,000 people",
     "A review of the SDGs a small town can write without consultants"),
    ("Juntas de agua comunitarias", "Community water boards that keep chlorination going"),
)
COLLECTION = ("Flood early warning for small municipalities",
              "Practices that towns with few staff and small budgets run to warn people "
              "before floods and storm surges. *Illustrative demo content.*",
              (("Community-based early warning for typhoon storm surge",
                "Volunteers and a siren: the lowest cost on this list"),
               ("Anticipatory cash before river floods",
                "Money before the water arrives, triggered by a forecast"),
               ("Women-led flood shelter management committees",
                "Shelters that women run, and more women who use them")))
CALL = {"title": "Practices on safe drinking water (SDG 6.1 and 6.b) in Eastern Africa",
        "description": "Share how your municipality or research institute keeps water "
                       "points working and involves communities in running them. "
                       "*Illustrative demo content.*",
        "sdgs": "6.1 6.b", "regions": ["Eastern Africa"], "days_open": 120}


def _practice_titled(start):
    return db.session.scalar(select(Practice).where(
        Practice.title.startswith(start), Practice.status == "published"))


def _load_curation():
    """Feature a few practices, publish a collection and open a call, once."""
    from datetime import timedelta

    from nanum.curation import calls, collections, featured
    from nanum.curation.models import Collection, FeaturedPractice
    from nanum.timeutil import utcnow

    if db.session.scalar(select(func.count(FeaturedPractice.id))) or db.session.scalar(
            select(func.count(Collection.id))):
        return
    moderator = accounts.find_by_email("moderator@demo.nanum.example")
    for start, note in FEATURED:
        practice = _practice_titled(start)
        if practice is not None:
            featured.feature(moderator, str(practice.id), note)
    title, description, items = COLLECTION
    collection = collections.create(moderator, title, description)
    for start, note in items:
        practice = _practice_titled(start)
        if practice is not None:
            collections.add(moderator, collection, str(practice.id), note)
    collections.set_published(moderator, collection, True)
    calls.open_call(moderator, title=CALL["title"], description=CALL["description"],
                    sdgs=CALL["sdgs"], regions=CALL["regions"],
                    closes_on=(utcnow() + timedelta(days=CALL["days_open"])).date())


def _load_adaptations():
    """Publish a few adaptations of demo practices, each linked to its original (named by
    the start of its title), once; return how many were imported."""
    lines = _lines("adaptations.jsonl")
    report = transfer.import_records(lines, default_status="published", on_existing="skip")
    if report.errors:
        raise RuntimeError(f"demo adaptations are invalid: {report.errors[:3]}")
    for _number, record in lines:
        adaptation = _practice_titled(record["title"])
        original = _practice_titled(record["adapted_from"])
        if adaptation is not None and original is not None and (
                adaptation.adapted_from_id is None):
            adaptation.adapted_from_id = original.id
    db.session.commit()
    return report.imported


def _load_translations():
    """Publish a translation of a demo practice, linked to its original (named by the start
    of its title), once; return how many were imported."""
    lines = _lines("translations.jsonl")
    report = transfer.import_records(lines, default_status="published", on_existing="skip")
    if report.errors:
        raise RuntimeError(f"demo translations are invalid: {report.errors[:3]}")
    for _number, record in lines:
        translation = _practice_titled(record["title"])
        original = _practice_titled(record["translation_of"])
        if translation is not None and original is not None and (
                translation.translation_of_id is None):
            translation.translation_of_id = original.id
    db.session.commit()
    return report.imported


def _load_places():
    """Give each local government of the demo its place, from what its record says, so that
    its members can rank practices by likeness to it at once."""
    from nanum.places import services as places
    from nanum.places.models import PlaceProfile

    for organisation in db.session.scalars(select(Organisation).where(
            Organisation.type == "LRG")).all():
        if places.profile_of_organisation(organisation) is None:
            values = places.clean(places.organisation_defaults(organisation))
            db.session.add(PlaceProfile(organisation_id=organisation.id, **values))
    db.session.commit()


def load():
    """Load everything that is not there yet."""
    organisations = _load_organisations()
    _load_places()
    rows, path = _load_accounts()
    report = transfer.import_records(_lines("practices.jsonl"), default_status="published",
                                     on_existing="skip")
    if report.errors:
        raise RuntimeError(f"demo data is invalid: {report.errors[:3]}")
    adapted = _load_adaptations() + _load_translations()
    _load_discussions()
    waiting = _load_review_queue()
    _load_curation()
    from nanum.board import demo as board_demo

    board_demo.load(_lines("board.jsonl"))
    from nanum.demo import events

    events.load()
    total = db.session.scalar(select(func.count(Practice.id)))
    return Result(organisations=organisations, practices=report.imported + adapted, total=total,
                  waiting=waiting, accounts=rows, accounts_file=path)

