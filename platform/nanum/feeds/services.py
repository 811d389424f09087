"""What each feed holds: its title, the page it mirrors, and its newest practices.

Feeds only ever show published practices, newest first, loaded with the list eager
loads so that a feed runs the same few queries however many entries it has.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask import request, url_for
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload, load_only, selectinload

from nanum.curation import collections
from nanum.errors import NotFound
from nanum.extensions import db
from nanum.organisations import regions
from nanum.organisations import services as organisations
from nanum.organisations.models import Organisation
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices import browse, vocab
from nanum.practices.models import Practice
from nanum.search import service as search
from nanum.taxonomy import sdg

LIMIT = 30
SITE = "Nanum"

# Characters XML 1.0 forbids even as references; user text must not break the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """Return text with the characters XML cannot carry removed."""
    return _NOT_XML.sub("", str(value or ""))


@dataclass
class Entry:
    url: str
    title: str
    published: datetime
    author: str
    author_url: str
    language: str
    summary: str  # plain text
    content: str  # sanitised HTML, as a string for the template to escape
    categories: list  # (term, label)
    changed: datetime  # when anything the entry shows last changed, for Last-Modified


@dataclass
class Feed:
    title: str
    page_url: str  # the HTML page the feed mirrors; also the feed's id
    self_url: str
    entries: list = field(default_factory=list)

    @property
    def updated(self):
        """The newest entry's publication time, or None for an empty feed."""
        return max((entry.published for entry in self.entries), default=None)

    @property
    def last_modified(self):
        return max((entry.changed for entry in self.entries), default=None)


def entry_options():
    """Eager loads for feed entries: only the columns and collections an entry shows."""
    return (
        load_only(Practice.id, Practice.title, Practice.language, Practice.cooked,
                  Practice.status, Practice.organisation_id, Practice.published_at,
                  Practice.updated_at, Practice.created_at),
        joinedload(Practice.organisation).load_only(Organisation.id, Organisation.name),
        selectinload(Practice.goals),
        selectinload(Practice.themes),
    )


def entry(practice):
    """Return the feed entry of a practice loaded with `entry_options()`."""
    published = practice.published_at or practice.updated_at or practice.created_at
    categories = [(f"sdg-{number}", f"SDG {number}") for number in practice.goal_numbers]
    categories += [(key, vocab.THEMES[key]) for key in practice.theme_keys]
    organisation = practice.organisation
    return Entry(
        url=url_for("practices.detail", practice_id=practice.id, _external=True),
        title=xml_text(practice.title),
        published=published,
        author=xml_text(organisation.name),
        author_url=url_for("organisations.detail", organisation_id=organisation.id,
                           _external=True),
        language=xml_text(practice.language),
        summary=xml_text(practice.text("summary")),
        content=xml_text(practice.html("summary")),
        categories=categories,
        changed=max(filter(None, (published, practice.updated_at))),
    )


def _newest(filters):
    query = browse.statement(filters).options(*entry_options()).limit(LIMIT)
    return [entry(practice) for practice in db.session.scalars(query)]


def _feed(title, page_url, filters):
    return Feed(title=f"{SITE} — {xml_text(title)}", page_url=page_url,
                self_url=_self_url(), entries=_newest(filters))


def _self_url(**args):
    return url_for(request.endpoint, **(request.view_args or {}), **args, _external=True)


def latest():
    return _feed(_("latest practices"), url_for("practices.index", _external=True),
                 browse.Filters())


def for_sdg(key):
    """The feed of a goal ("11") or a target ("11.3"); NotFound for unknown keys."""
    canonical = sdg.normalise_key(key)
    if canonical is None:
        raise NotFound(_("No such goal or target."))
    goal = sdg.goal(sdg.goal_of(canonical))
    page_url = url_for("taxonomy.detail", key=canonical, _external=True)
    if "." in canonical:
        return _feed(_("practices on SDG target %(key)s", key=canonical), page_url,
                     browse.Filters(goal=goal.number, target=canonical))
    return _feed(_("practices on SDG %(number)s: %(title)s", number=goal.number,
                   title=goal.title), page_url,
                 browse.Filters(goal=goal.number))


def for_theme(theme):
    if theme not in vocab.THEMES:
        raise NotFound(_("No such theme."))
    return _feed(_("practices on %(theme)s", theme=vocab.THEMES[theme]),
                 url_for("practices.index", theme=theme, _external=True),
                 browse.Filters(theme=theme))


def for_organisation(organisation_id):
    organisation = organisations.get(organisation_id)
    if organisation.hidden:  # hidden by moderation: feeds know no one to show it to
        raise NotFound(_("No such organisation."))
    return _feed(_("practices by %(name)s", name=organisation.name),
                 url_for("organisations.detail", organisation_id=organisation.id,
                         _external=True),
                 browse.Filters(organisation=organisation.id))


def for_collection(collection_id):
    """The feed of a published collection: its practices, the latest added first.

    An entry is dated when its practice was added, so that readers see additions; the
    curator's note comes before the summary.
    """
    collection = collections.get(collection_id)  # published ones only: feeds know no one
    entries = []
    for practice, note, added_at in collections.newest_added(collection, entry_options(),
                                                             LIMIT):
        found = entry(practice)
        if note:
            found = replace(found, summary=xml_text(f"{note} — {found.summary}"),
                            content=xml_text("<p><strong>%s</strong> %s</p>%s" % (
                                escape(_("Curator's note:")), escape(note), found.content)))
        entries.append(replace(found, published=added_at,
                               changed=max(added_at, found.changed)))
    return Feed(title=f"{SITE} — {xml_text(collection.title)}",
                page_url=url_for("curation.collection", collection_id=collection.id,
                                 _external=True),
                self_url=_self_url(), entries=entries)


def _filter_labels(filters):
    labels = []
    if filters.target:
        labels.append(_("SDG target %(key)s", key=filters.target))
    elif filters.goal:
        labels.append(_("SDG %(number)s", number=filters.goal))
    if filters.country:
        labels.append(regions.country_name(filters.country) or filters.country)
    if filters.region:
        labels.append(filters.region)
    if filters.org_type:
        labels.append(ORG_TYPES.get(filters.org_type, filters.org_type))
    if filters.verified:
        labels.append(_("verified organisations"))
    if filters.theme:
        labels.append(vocab.THEME_SHORT[filters.theme])
    if filters.kind:
        labels.append(vocab.KINDS[filters.kind])
    if filters.year:
        labels.append(str(filters.year))
    for key, value in filters.context.items():
        label, choices = vocab.CONTEXT_FIELDS[key]
        labels.append(_("%(label)s: %(value)s", label=label, value=choices.get(value, value)))
    return labels


def for_search(q, args):
    """The newest practices a search finds, as the search page would with these args."""
    q = (q or "").strip()[:500]
    filters = browse.Filters.from_args(args)
    # The feed lists practices only; organisations are no search filter either.
    filters.content, filters.organisation = "practice", None
    results = search.search(q, filters, sort="newest", per_page=LIMIT)
    ids = [hit.item.id for hit in results.hits if hit.content == "practice"]
    # The hits come without themes: load them all again with the entries' eager loads.
    found = {practice.id: practice for practice in db.session.scalars(
        select(Practice).options(*entry_options())
        .where(Practice.id.in_(ids), Practice.status == "published"))} if ids else {}
    page_args = {"q": q or None, **filters.args(sort=None, content=None, organisation=None)}
    page_args = {key: value for key, value in page_args.items() if value is not None}
    labels = ", ".join(str(label) for label in _filter_labels(filters))
    if q and labels:
        title = _("search results for “%(q)s” (%(filters)s)", q=q, filters=labels)
    elif q:
        title = _("search results for “%(q)s”", q=q)
    elif labels:
        title = _("search results for all practices (%(filters)s)", filters=labels)
    else:
        title = _("search results for all practices")
    return Feed(title=f"{SITE} — {xml_text(title)}",
                page_url=url_for("search.index", **page_args, _external=True),
                self_url=_self_url(**page_args),
                entries=[entry(found[i]) for i in ids if i in found])


def for_topic(thread_id):
    """Return the feed of a topic: its newest visible posts."""
    from nanum.discussions import services as discussions
    from nanum.discussions.models import Post

    thread = discussions.get_thread(thread_id, None)
    if not thread.is_topic:
        raise NotFound(_("No such topic."))
    posts = db.session.scalars(
        select(Post).options(joinedload(Post.author))
        .where(Post.thread_id == thread.id, Post.deleted_at.is_(None),
               Post.hidden.is_(False), Post.held.is_(False))
        .order_by(Post.created_at.desc(), Post.id.desc()).limit(LIMIT)).all()
    entries = []
    for post in posts:
        author = post.author.name if post.author else _("A former member")
        entries.append(Entry(
            url=url_for("discussions.permalink", post_id=post.id, _external=True),
            title=xml_text(_("%(author)s on “%(title)s”", author=author,
                             title=thread.display_title)),
            published=post.created_at,
            author=xml_text(author),
            author_url=(url_for("accounts.profile", user_id=post.author_id, _external=True)
                        if post.author else url_for("main.home", _external=True)),
            language="",
            summary=xml_text(post.text("body", 300)),
            content=xml_text(post.html("body")),
            categories=[(thread.category, thread.category_info.title)]
            if thread.category_info else [],
            changed=post.edited_at or post.created_at,
        ))
    return Feed(title=f"{SITE} — {xml_text(thread.display_title)}",
                page_url=url_for("discussions.topic", thread_id=thread.id, _external=True),
                self_url=_self_url(), entries=entries)
