"""What can be watched, and who watches what."""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from nanum import inputs
from nanum.accounts.models import User
from nanum.errors import Invalid, NotFound
from nanum.extensions import db
from nanum.notifications.models import TARGET_TYPES, Watch
from nanum.organisations import regions
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices import browse, vocab
from nanum.taxonomy import sdg

SEARCH_KEY_LIMIT = 1000
SEARCH_FIELDS = ("q", "goal", "target", "country", "region", "org_type", "theme", "kind",
                 "year", "content", *vocab.CONTEXT_FIELDS)


# -- targets -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    type: str
    key: str
    label: str


def _number(raw):
    number = inputs.integer(raw)
    if number is None:
        raise NotFound(_("There is nothing like that to watch."))
    return number


def normalise_search(raw):
    """Return the canonical query string of a search and a label for it, or None when the
    search has neither words nor filters (there is nothing to watch)."""
    args = MultiDict(parse_qsl((raw or "").lstrip("?")))
    filters = browse.Filters.from_args(args)
    values = {name: str(value) for name, value in filters.args(sort=None).items()
              if name in SEARCH_FIELDS}
    q = " ".join(args.get("q", "")[:500].split())
    if q:
        values["q"] = q
    if not values:
        return None
    key = urlencode(sorted(values.items()))
    if len(key) > SEARCH_KEY_LIMIT:
        raise Invalid(_("This search is too long to watch; please shorten it."))
    return key, search_label(q, filters)


def parse_search(key):
    """Return the words and filters of a saved search key."""
    args = MultiDict(parse_qsl(key))
    return args.get("q", ""), browse.Filters.from_args(args)


def search_label(q, filters):
    """Describe a search in words: “flood” · SDG 11 · Kenya."""
    parts = [f"“{q}”"] if q else []
    for name, value in filters.args(sort=None).items():
        if name not in SEARCH_FIELDS or (name == "goal" and filters.target):
            continue
        parts.append(_filter_label(name, value))
    return " · ".join(map(str, parts))[:300]


def _filter_label(name, value):
    if name in vocab.CONTEXT_FIELDS:
        label, choices = vocab.CONTEXT_FIELDS[name]
        return _("%(label)s: %(value)s", label=label, value=choices.get(value, value))
    words = {
        "goal": lambda: _("SDG %(number)s", number=value),
        "target": lambda: _("Target %(key)s", key=value),
        "country": lambda: regions.country_name(value) or value,
        "org_type": lambda: ORG_TYPES.get(value, value),
        "theme": lambda: vocab.THEME_SHORT.get(value, value),
        "kind": lambda: vocab.KINDS.get(value, value),
        "year": lambda: _("Year %(year)s", year=value),
        "content": lambda: {"practice": _("Practices only"),
                            "organisation": _("Organisations only"),
                            "post": _("Discussion posts only")}.get(value, value),
    }
    return str(words[name]()) if name in words else str(value)


def sdg_label(key):
    if "." in key:
        return f"SDG target {key}"
    return f"SDG {key}: {sdg.goal(int(key)).title}"


def normalise_key(target_type, raw):
    """Return the canonical key of a target without looking anything up, or raise."""
    raw = str(raw or "").strip()
    if target_type in ("practice", "thread", "organisation", "collection", "event"):
        return str(_number(raw))
    if target_type == "sdg":
        key = sdg.normalise_key(raw)
        if key is None:
            raise NotFound(_("There is no such SDG goal or target."))
        return key
    if target_type == "theme":
        if raw not in vocab.THEMES:
            raise NotFound(_("There is no such theme."))
        return raw
    if target_type == "search":
        found = normalise_search(raw)
        if found is None:
            raise Invalid(_("Search for something or choose a filter before watching a search."))
        return found[0]
    raise NotFound(_("There is nothing like that to watch."))


def resolve_target(user, target_type, raw):
    """Return the target a person asks to watch, if it exists and they may see it."""
    from nanum.discussions.models import Thread
    from nanum.discussions.services import can_see_thread
    from nanum.organisations.models import Organisation
    from nanum.practices.models import Practice
    from nanum.practices.services import can_view

    key = normalise_key(target_type, raw)
    if target_type == "practice":
        practice = db.session.get(Practice, int(key))
        if practice is None or not can_view(user, practice):
            raise NotFound(_("No such practice."))
        return Target("practice", key, practice.title)
    if target_type == "thread":
        thread = db.session.get(Thread, int(key))
        if thread is None or not can_see_thread(user, thread):
            raise NotFound(_("No such discussion."))
        return Target("thread", key, thread.display_title)
    if target_type == "organisation":
        organisation = db.session.get(Organisation, int(key))
        if organisation is None:
            raise NotFound(_("No such organisation."))
        return Target("organisation", key, organisation.name)
    if target_type == "collection":
        from nanum.curation import collections

        return Target("collection", key, collections.get(int(key), user).title)
    if target_type == "event":
        from nanum.events import services as events

        event = db.session.get(events.Event, int(key))
        if event is None or not event.is_published:
            raise NotFound(_("No such event."))
        return Target("event", key, event.title)
    if target_type == "sdg":
        return Target("sdg", key, sdg_label(key))
    if target_type == "theme":
        return Target("theme", key, str(vocab.THEMES[key]))
    return Target("search", key, normalise_search(key)[1])


# -- watching ------------------------------------------------------------------------------

def ensure_watch(user_id, target_type, key, label=None):
    """Add a watch unless it exists; the caller commits."""
    found = db.session.scalar(select(Watch.id).where(
        Watch.user_id == user_id, Watch.target_type == target_type, Watch.target_key == key))
    if found is not None:
        return
    try:
        with db.session.begin_nested():  # another request may add the same watch first
            db.session.add(Watch(user_id=user_id, target_type=target_type, target_key=key,
                                 label=label))
    except IntegrityError:
        pass


def watch(user, target_type, raw_key):
    """Start watching something; return the target."""
    target = resolve_target(user, target_type, raw_key)
    ensure_watch(user.id, target.type, target.key, target.label)
    db.session.commit()
    return target


def unwatch(user, target_type, raw_key):
    """Stop watching something; tell whether there was anything to stop."""
    key = normalise_key(target_type, raw_key)
    removed = db.session.execute(delete(Watch).where(
        Watch.user_id == user.id, Watch.target_type == target_type,
        Watch.target_key == key)).rowcount
    db.session.commit()
    return bool(removed)


def is_watching(user, target_type, key):
    return db.session.scalar(select(Watch.id).where(
        Watch.user_id == user.id, Watch.target_type == target_type,
        Watch.target_key == key)) is not None


def watchers(targets):
    """Return the people who watch any of the (type, key) targets, each once."""
    targets = [(kind, str(key)) for kind, key in targets]
    if not targets:
        return []
    matches = or_(*(and_(Watch.target_type == kind, Watch.target_key == key)
                    for kind, key in targets))
    watcher_ids = select(Watch.user_id).where(matches)
    return db.session.scalars(select(User).where(User.id.in_(watcher_ids))).all()


def watches_of(user):
    """Return what a person watches as (watch, label, url), grouped by type."""
    from nanum.curation.models import Collection
    from nanum.discussions.models import Thread
    from nanum.organisations.models import Organisation
    from nanum.practices.models import Practice

    rows = db.session.scalars(select(Watch).where(Watch.user_id == user.id)).all()
    ids = {kind: [int(w.target_key) for w in rows if w.target_type == kind]
           for kind in ("practice", "thread", "organisation", "collection")}
    names = {}
    for kind, model, column in (("practice", Practice, Practice.title),
                                ("thread", Thread, None),
                                ("organisation", Organisation, Organisation.name),
                                ("collection", Collection, Collection.title)):
        if not ids[kind]:
            continue
        if kind == "thread":
            threads = db.session.scalars(select(Thread).options(joinedload(Thread.practice))
                                         .where(Thread.id.in_(ids[kind])))
            names.update({("thread", str(t.id)): t.display_title for t in threads})
        else:
            found = db.session.execute(select(model.id, column).where(model.id.in_(ids[kind])))
            names.update({(kind, str(i)): name for i, name in found})
    order = {kind: index for index, kind in enumerate(TARGET_TYPES)}
    rows = sorted(rows, key=lambda w: (order.get(w.target_type, 99), w.created_at))
    return [(w, names.get((w.target_type, w.target_key), w.label or w.target_key),
             target_url(w.target_type, w.target_key)) for w in rows]


def target_url(target_type, key):
    if target_type == "practice":
        return url_for("practices.detail", practice_id=int(key))
    if target_type == "thread":
        return url_for("discussions.topic", thread_id=int(key)) if _has_endpoint(
            "discussions.topic") else None
    if target_type == "organisation":
        return url_for("organisations.detail", organisation_id=int(key))
    if target_type == "collection":
        return url_for("curation.collection", collection_id=int(key))
    if target_type == "sdg":
        return url_for("taxonomy.detail", key=key)
    if target_type == "theme":
        return url_for("practices.index", theme=key)
    return url_for("search.index") + "?" + key


def _has_endpoint(endpoint):
    return endpoint in current_app.view_functions
