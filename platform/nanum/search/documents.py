"""What the index holds for each kind of content, and which changes touch which documents."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from nanum.extensions import db
from nanum.organisations import regions
from nanum.organisations.models import Organisation
from nanum.practices import vocab
from nanum.practices.models import (
    Practice,
    PracticeCountry,
    PracticeGoal,
    PracticePartner,
    PracticeTag,
    PracticeTarget,
    PracticeTheme,
)

YEAR_FLOOR, YEAR_CEILING = 1950, 2100


def _keys_of_practice_part(row):
    return [f"practice:{row.practice_id}"]


# Which documents a changed row affects. The search package owns this map so that the
# models never need to know about search.
AFFECTED = {
    Practice: lambda practice: [f"practice:{practice.id}"],
    PracticeCountry: _keys_of_practice_part,
    PracticeGoal: _keys_of_practice_part,
    PracticeTarget: _keys_of_practice_part,
    PracticeTheme: _keys_of_practice_part,
    PracticeTag: _keys_of_practice_part,
    PracticePartner: _keys_of_practice_part,
    Organisation: lambda organisation: [f"organisation:{organisation.id}",
                                        f"organisation-practices:{organisation.id}"],
}


def affected_keys(instance):
    """Return the document keys a changed model instance touches."""
    keys_of = AFFECTED.get(type(instance))
    return keys_of(instance) if keys_of else []


def split_key(key):
    kind, _, identifier = key.partition(":")
    return kind, int(identifier) if identifier.isdigit() else None


def region_terms(codes):
    """Return the M49 names a set of countries falls in: sub-region, intermediate, region."""
    names = set()
    for code in codes:
        for name in (regions.subregion_of(code), regions.intermediate_of(code),
                     regions.region_of(code)):
            if name:
                names.add(name)
    return sorted(names)


def _years(practice):
    if not practice.period_start:
        return []
    end = practice.period_end or max(practice.period_start, date.today().year)
    start = max(practice.period_start, YEAR_FLOOR)
    return [str(year) for year in range(start, min(end, YEAR_CEILING) + 1)]


def practice_text(practice):
    """Return the searchable text of a practice, title first.

    Markdown is indexed as written: the tokenizer keeps only words, so its punctuation
    never reaches the index, and rendering every section would slow rebuilds tenfold.
    """
    parts = [practice.title, practice.summary]
    parts += [getattr(practice, section) or "" for section in vocab.SECTIONS]
    parts += practice.tag_names
    return "\n".join(parts)


def practice_document(practice, discussion_count=0):
    """Return the index fields of a published practice."""
    countries = practice.country_codes
    document = {
        "key": f"practice:{practice.id}",
        "content": "practice",
        "title": practice.title,
        "body": practice_text(practice),
        "spell": " ".join([practice.title, practice.summary, *practice.tag_names]),
        "goal": [str(goal) for goal in practice.goal_numbers],
        "target": practice.target_keys,
        "country": countries,
        "region": region_terms(countries),
        "org_type": [practice.organisation.type],
        "theme": practice.theme_keys,
        "kind": [practice.kind],
        "year": _years(practice),
        "published": practice.published_at or practice.created_at,
        "discussed": discussion_count,
    }
    for field in vocab.CONTEXT_FIELDS:
        value = getattr(practice, field)
        document[field] = [value] if value else []
    return document


def organisation_document(organisation):
    """Return the index fields of an organisation."""
    return {
        "key": f"organisation:{organisation.id}",
        "content": "organisation",
        "title": organisation.name,
        "body": "\n".join([organisation.name, organisation.description or ""]),
        "spell": organisation.name,
        "country": [organisation.country],
        "region": region_terms([organisation.country]),
        "org_type": [organisation.type],
        "published": organisation.created_at,
        "discussed": 0,
    }


def _practice_statement():
    return select(Practice).options(
        joinedload(Practice.organisation), selectinload(Practice.countries),
        selectinload(Practice.goals), selectinload(Practice.targets),
        selectinload(Practice.themes), selectinload(Practice.tags),
    ).where(Practice.status == "published")


def load(keys):
    """Return {key: document or None (not searchable)} for document keys."""
    wanted = {}
    for key in keys:
        kind, identifier = split_key(key)
        if kind == "organisation-practices":
            ids = db.session.scalars(select(Practice.id).where(
                Practice.organisation_id == identifier))
            wanted.update({f"practice:{i}": ("practice", i) for i in ids})
        elif kind in ("practice", "organisation"):
            wanted[key] = (kind, identifier)
    found = dict.fromkeys(wanted)
    practice_ids = [i for kind, i in wanted.values() if kind == "practice"]
    for start in range(0, len(practice_ids), 500):
        chunk = practice_ids[start:start + 500]
        for practice in db.session.scalars(_practice_statement().where(Practice.id.in_(chunk))):
            found[f"practice:{practice.id}"] = practice_document(practice)
    organisation_ids = [i for kind, i in wanted.values() if kind == "organisation"]
    if organisation_ids:
        for organisation in db.session.scalars(
                select(Organisation).where(Organisation.id.in_(organisation_ids))):
            found[f"organisation:{organisation.id}"] = organisation_document(organisation)
    return found


def all_documents(batch=500):
    """Yield every searchable document, in batches to bound memory."""
    last = 0
    while True:
        chunk = db.session.scalars(_practice_statement().where(Practice.id > last)
                                   .order_by(Practice.id).limit(batch)).all()
        if not chunk:
            break
        for practice in chunk:
            yield practice_document(practice)
        last = chunk[-1].id
        db.session.expunge_all()
    for organisation in db.session.scalars(select(Organisation).order_by(Organisation.id)):
        yield organisation_document(organisation)


def count_documents():
    practices = db.session.scalar(select(func.count(Practice.id)).where(
        Practice.status == "published"))
    return practices + db.session.scalar(select(func.count(Organisation.id)))


def all_keys():
    """Return the keys of every document that should be in the index."""
    keys = {f"practice:{i}" for i in db.session.scalars(
        select(Practice.id).where(Practice.status == "published"))}
    keys |= {f"organisation:{i}" for i in db.session.scalars(select(Organisation.id))}
    return keys
