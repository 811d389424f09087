"""What a search shows: hits loaded from the database in rank order, with snippets, and
facet values in display order."""

from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from nanum.discussions.models import Post, Thread
from nanum.events.models import Event
from nanum.extensions import db
from nanum.organisations.models import Organisation
from nanum.practices import values as practice_values
from nanum.practices.models import Practice
from nanum.search import documents, event_documents
from nanum.search.snippets import Marker, snippet
from nanum.taxonomy.sdg import target_sort_key

MAX_RESULTS = 1000  # deepest result a page may reach


@dataclass
class Hit:
    key: str
    content: str  # practice | organisation | post | event
    item: object  # the Practice, Organisation, Post or Event
    snippet: Markup  # the text escaped, with <mark> around matched words


@dataclass
class Results:
    total: int
    hits: list
    facets: dict
    notes: list
    page: int
    per_page: int
    sort: str
    suggestion: str | None = None
    all_words_total: int | None = None  # of `total`, how many match every word
    rebuilding: bool = False  # the index is incomplete while it is being rebuilt
    elapsed_ms: float = 0.0
    words: list = field(default_factory=list)
    organisations: list = field(default_factory=list)  # hits of the organisations' box
    organisations_total: int = 0
    events: list = field(default_factory=list)  # hits of the events' box
    events_total: int = 0

    @property
    def pages(self):
        return max(1, -(-min(self.total, MAX_RESULTS) // self.per_page))

    @property
    def some_words_total(self):
        """How many match only some of the words, when that is worth saying."""
        if self.all_words_total is None:
            return 0
        return self.total - self.all_words_total


def facet_lists(counts):
    """Order each facet's values: numbers and years naturally, the rest by count."""
    ordered = {}
    for name, values in counts.items():
        if name in ("goal", "year"):
            items = sorted(values.items(), key=lambda item: int(item[0]))
        elif name == "target":
            items = sorted(values.items(), key=lambda item: target_sort_key(item[0]))
        else:
            items = sorted(values.items(), key=lambda item: (-item[1], item[0]))
        ordered[name] = items
    return ordered


def _load_practices(ids):
    practices = db.session.scalars(
        select(Practice).options(joinedload(Practice.organisation))
        .where(Practice.id.in_(ids), Practice.status == "published")).all()
    return {f"practice:{practice.id}": practice for practice in practice_values.read(
        db.session, practices, ("countries", "goals", "tags"))}


def _load_organisations(ids):
    return {f"organisation:{o.id}": o for o in db.session.scalars(
        select(Organisation).where(Organisation.id.in_(ids), Organisation.hidden.is_(False)))}


def _load_posts(ids):
    posts = db.session.scalars(
        select(Post).options(joinedload(Post.author),
                             joinedload(Post.thread).joinedload(Thread.practice))
        .where(Post.id.in_(ids)))
    return {f"post:{p.id}": p for p in posts if documents.post_is_searchable(p)}


def _load_events(ids):
    events = db.session.scalars(event_documents.statement().where(Event.id.in_(ids)))
    return {f"event:{event.id}": event for event in events}


LOADERS = {"practice": _load_practices, "organisation": _load_organisations,
           "post": _load_posts, "event": _load_events}


def _text_of(content, item):
    if content == "practice":  # the title is shown above the snippet already
        return documents.practice_text(item, with_title=False)
    if content == "post":
        return item.text("body")
    if content == "event":  # the title is shown above the snippet already
        return event_documents.event_text(item)
    return f"{item.name}\n{item.text('description')}"


def load_hits(keys, words, prefixes=()):
    """Load the page's documents from the database, in rank order, with snippets."""
    ids = {content: [] for content in LOADERS}
    for key in keys:
        kind, identifier = documents.split_key(key)
        if kind in ids:
            ids[kind].append(identifier)
    found = {}
    for content, wanted in ids.items():
        if wanted:
            found.update(LOADERS[content](wanted))
    hits = []
    marker = Marker(words, prefixes) if words else None  # one for the page's snippets
    for key in keys:
        item = found.get(key)
        if item is None:
            continue  # removed or hidden since the index last saw it
        content = key.partition(":")[0]
        marked = ""
        if words:
            marked = snippet(_text_of(content, item), words, prefixes, marker=marker)
            if not marked and content in ("practice", "event"):  # in the title alone
                marked = snippet(item.title, words, prefixes, marker=marker)
        # The snippet function escapes every character of the text and adds only <mark>.
        hits.append(Hit(key=key, content=content, item=item, snippet=Markup(marked)))
    return hits
