"""What the index holds for each kind of content, and which changes touch which documents."""

from datetime import date

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import joinedload, object_session

from nanum.database import keyset_batches
from nanum.discussions.models import Post, Thread, ThreadTarget
from nanum.organisations.models import Organisation
from nanum.practices import values, vocab
from nanum.practices.models import (
    Practice,
    PracticeCountry,
    PracticeGoal,
    PracticePartner,
    PracticeTag,
    PracticeTarget,
    PracticeTheme,
)
from nanum.search import event_documents
from nanum.search.place_words import country_words, region_terms

YEAR_FLOOR, YEAR_CEILING = 1950, 2100
# What the index holds, as a stamp written beside it by each full build. Change it when the
# fields or texts change: an index built to another stamp is rebuilt on its own.
FORMAT = ("11: fields scored apart, phrases on packed positions within a field, Snowball "
          "stems of each practice's language, CJK pairs, place names in four languages, "
          "topic titles, language facet, events, posting blocks as raw arrays")


# The organisation's columns that its practices' documents carry (see practice_document):
# only a change to one of them re-indexes every practice of the organisation.
ORGANISATION_FIELDS_IN_PRACTICES = ("name", "type", "verified")


def _keys_of_practice_part(row):
    return [f"practice:{row.practice_id}"]


def _keys_of_organisation(organisation):
    """An organisation's own document; its practices' and events' only when what they
    carry of it changed. A new organisation's practices are new too, and index themselves."""
    keys = [f"organisation:{organisation.id}"]
    session = object_session(organisation)
    if session is None or organisation not in session.new:
        attributes = inspect(organisation).attrs
        if any(attributes[name].history.has_changes()
               for name in ORGANISATION_FIELDS_IN_PRACTICES):
            keys.append(f"organisation-practices:{organisation.id}")
        if any(attributes[name].history.has_changes()
               for name in event_documents.ORGANISATION_FIELDS_IN_EVENTS):
            keys.append(f"organisation-events:{organisation.id}")
    return keys


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
    Organisation: _keys_of_organisation,
    # A post changes its own document and its thread's count of posts; a thread's title,
    # lock or visibility changes every post in it.
    Post: lambda post: [f"post:{post.id}", f"thread:{post.thread_id}"],
    Thread: lambda thread: [f"thread:{thread.id}"],
    ThreadTarget: lambda row: [f"thread:{row.thread_id}"],
    **event_documents.AFFECTED,
}


def affected_keys(instance):
    """Return the document keys a changed model instance touches.

    Called after a flush, while the session's lists and the instance's attribute history
    still hold the change.
    """
    keys_of = AFFECTED.get(type(instance))
    return keys_of(instance) if keys_of else []


def split_key(key):
    kind, _, identifier = key.partition(":")
    return kind, int(identifier) if identifier.isdigit() else None


def _years(practice):
    if not practice.period_start:
        return []
    end = practice.period_end or max(practice.period_start, date.today().year)
    start = max(practice.period_start, YEAR_FLOOR)
    return [str(year) for year in range(start, min(end, YEAR_CEILING) + 1)]


def practice_text(practice, with_title=True, section_limit=None):
    """Return the searchable text of a practice (its cooked plain text), title first unless
    left out; `section_limit` cuts each section at a word before that many characters."""
    parts = ([practice.title] if with_title else []) + [practice.text("summary")]
    parts += [practice.text(section, section_limit) for section in vocab.SECTIONS]
    parts += practice.tag_names
    return "\n".join(parts)


def practice_document(practice, discussion_count=0):
    """Return the index fields of a published practice."""
    countries = practice.country_codes
    document = {
        "key": f"practice:{practice.id}",
        "content": "practice",
        "title": practice.title,
        "summary": practice.text("summary"),
        "body": "\n".join(practice.text(section) for section in vocab.SECTIONS),
        "about": "\n".join([*practice.tag_names, practice.organisation.name,
                            *country_words(countries)]),
        "spell": " ".join([practice.title, practice.text("summary"), *practice.tag_names]),
        "goal": [str(goal) for goal in practice.goal_numbers],
        "target": practice.target_keys,
        "country": countries,
        "region": region_terms(countries),
        "org_type": [practice.organisation.type],
        "verified": ["yes"] if practice.organisation.verified else [],
        "theme": practice.theme_keys,
        "kind": [practice.kind],
        "year": _years(practice),
        "published": practice.published_at or practice.created_at,
        "discussed": discussion_count,
        "language": practice.language or "en",  # a facet; engines stem each language its own way
    }
    for field in vocab.CONTEXT_FIELDS:
        value = getattr(practice, field)
        document[field] = [value] if value else []
    return document


def post_document(post, opens_topic=False):
    """Return the index fields of a visible post; a topic's opening post holds its title,
    so that the words of the title find the topic rather than each of its replies."""
    thread = post.thread
    practice = thread.practice
    document = {
        "key": f"post:{post.id}",
        "content": "post",
        # A topic is found by its title through its opening post, not through every reply.
        "title": thread.title if opens_topic and thread.title else "",
        "body": post.text("body"),
        "spell": thread.display_title,
        "published": post.created_at,
        "discussed": 0,
        "target": thread.target_keys or (practice.target_keys if practice else []),
    }
    goals = {key.split(".")[0] for key in document["target"]}
    if practice is not None:
        goals |= {str(goal) for goal in practice.goal_numbers}
        document["country"] = practice.country_codes
        document["region"] = region_terms(practice.country_codes)
    elif thread.category and thread.category.startswith("sdg-"):
        goals.add(thread.category[4:])
    if thread.category and thread.category.startswith("theme-"):
        document["theme"] = [thread.category[6:]]
    document["goal"] = sorted(goals, key=int)
    return document


def post_is_searchable(post):
    thread = post.thread
    return (post.is_visible and not thread.hidden
            and (thread.practice_id is None or thread.practice.status == "published"))


def organisation_document(organisation):
    """Return the index fields of an organisation."""
    return {
        "key": f"organisation:{organisation.id}",
        "content": "organisation",
        "title": organisation.name,
        "summary": organisation.text("description"),
        "about": "\n".join(country_words([organisation.country])),
        "spell": organisation.name,
        "country": [organisation.country],
        "region": region_terms([organisation.country]),
        "org_type": [organisation.type],
        "verified": ["yes"] if organisation.verified else [],
        "published": organisation.created_at,
        "discussed": 0,
    }


def _practice_statement():
    return select(Practice).options(joinedload(Practice.organisation)).where(
        Practice.status == "published")


def _practice_documents(session, practices):
    """Yield the documents of published practices, their collections read as values."""
    counts = discussion_counts(session, [practice.id for practice in practices])
    for practice in values.read(session, practices):
        yield practice_document(practice, counts.get(practice.id, 0))


def _post_statement():
    return select(Post).options(
        joinedload(Post.thread).joinedload(Thread.practice).selectinload(Practice.countries),
        joinedload(Post.thread).joinedload(Thread.practice).selectinload(Practice.goals),
        joinedload(Post.thread).joinedload(Thread.practice).selectinload(Practice.targets),
        joinedload(Post.thread).selectinload(Thread.targets),
    )


def _visible_posts():
    return (Post.deleted_at.is_(None), Post.hidden.is_(False), Post.held.is_(False))


def opening_posts(session, posts):
    """Return the ids of the posts that open their topics: each topic's first visible post."""
    thread_ids = {post.thread_id for post in posts if post.thread.practice_id is None}
    if not thread_ids:
        return set()
    return set(session.scalars(select(func.min(Post.id)).where(
        Post.thread_id.in_(thread_ids), *_visible_posts()).group_by(Post.thread_id)))


def discussion_counts(session, practice_ids):
    """Return {practice id: visible posts under it}."""
    rows = session.execute(
        select(Thread.practice_id, func.count(Post.id)).join(Post, Post.thread_id == Thread.id)
        .where(Thread.practice_id.in_(practice_ids), *_visible_posts())
        .group_by(Thread.practice_id))
    return dict(rows.all())


def _expand(session, keys):
    """Turn keys into (kind, id) of concrete documents; group keys stand for several."""
    wanted = {}
    for key in keys:
        kind, identifier = split_key(key)
        if kind == "organisation-practices":
            ids = session.scalars(select(Practice.id).where(
                Practice.organisation_id == identifier))
            wanted.update({f"practice:{i}": ("practice", i) for i in ids})
        elif kind == "thread":
            practice_id = session.scalar(select(Thread.practice_id).where(
                Thread.id == identifier))
            if practice_id:
                wanted[f"practice:{practice_id}"] = ("practice", practice_id)
            ids = session.scalars(select(Post.id).where(Post.thread_id == identifier))
            wanted.update({f"post:{i}": ("post", i) for i in ids})
        elif kind in ("practice", "organisation", "post") and identifier is not None:
            wanted[key] = (kind, identifier)
        elif identifier is not None:  # an event, or a group of them
            wanted.update(event_documents.expand(session, kind, identifier))
    return wanted


def concrete_keys(session, keys):
    """Return the keys of the documents that `keys` stand for (group keys expanded)."""
    return set(_expand(session, keys))


def _chunks(ids, size=500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def load(session, keys):
    """Return {key: document or None (not searchable)} for document keys."""
    wanted = _expand(session, keys)
    found = dict.fromkeys(wanted)
    ids = {"practice": [], "organisation": [], "post": [], "event": []}
    for kind, identifier in wanted.values():
        ids[kind].append(identifier)
    for chunk in _chunks(ids["practice"]):
        practices = session.scalars(_practice_statement().where(Practice.id.in_(chunk))).all()
        for document in _practice_documents(session, practices):
            found[document["key"]] = document
    for chunk in _chunks(ids["organisation"]):
        for organisation in session.scalars(select(Organisation).where(
                Organisation.id.in_(chunk), Organisation.hidden.is_(False))):
            found[f"organisation:{organisation.id}"] = organisation_document(organisation)
    for chunk in _chunks(ids["post"]):
        posts = session.scalars(_post_statement().where(Post.id.in_(chunk))).unique().all()
        openers = opening_posts(session, posts)
        for post in posts:
            if post_is_searchable(post):
                found[f"post:{post.id}"] = post_document(post, post.id in openers)
    for chunk in _chunks(ids["event"]):
        found.update(event_documents.load(session, chunk))
    return found


def all_documents(session, batch=500):
    """Yield every searchable document, in batches to bound memory."""
    for chunk in keyset_batches(session, _practice_statement(), Practice.id, batch):
        yield from _practice_documents(session, chunk)
    for organisation in session.scalars(select(Organisation).where(
            Organisation.hidden.is_(False)).order_by(Organisation.id)):
        yield organisation_document(organisation)
    posts = _post_statement().where(*_visible_posts())
    for chunk in keyset_batches(session, posts, Post.id, batch):
        openers = opening_posts(session, chunk)
        for post in chunk:
            if post_is_searchable(post):
                yield post_document(post, post.id in openers)
    yield from event_documents.all_documents(session)


def _searchable_post_ids(session):
    return {post.id for post in session.scalars(
        _post_statement().where(*_visible_posts())).unique() if post_is_searchable(post)}


def count_documents(session):
    practices = session.scalar(select(func.count(Practice.id)).where(
        Practice.status == "published"))
    posts = session.scalar(select(func.count(Post.id)).where(*_visible_posts()))
    organisations = session.scalar(select(func.count(Organisation.id)).where(
        Organisation.hidden.is_(False)))
    return practices + organisations + posts + event_documents.count(session)


def all_keys(session):
    """Return the keys of every document that should be in the index."""
    keys = {f"practice:{i}" for i in session.scalars(
        select(Practice.id).where(Practice.status == "published"))}
    keys |= {f"organisation:{i}" for i in session.scalars(
        select(Organisation.id).where(Organisation.hidden.is_(False)))}
    keys |= {f"post:{i}" for i in _searchable_post_ids(session)}
    return keys | event_documents.all_keys(session)
