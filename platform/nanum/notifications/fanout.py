"""Turn what happens (signals sent after each commit) into notifications.

The receivers are module-level functions, connected once; they find the app through
`current_app`. They run after the sender's commit, so a failure here is logged and rolled
back rather than turning an act that succeeded into an error page.

Saved searches: a new practice is matched against them by asking the index for the keys of
each saved search's newest matches (no facets, snippets or loading) and looking for the
practice among them, so the index must already hold it. With
`SEARCH_APPLY = "inline"` the receiver applies the search outbox first and matches at once
(unless there are more than NOTIFICATIONS_INLINE_SEARCHES saved searches); otherwise, or
when the index is busy, the practice is queued and `nanum notifications send` matches it
once the index has caught up.
"""

import functools

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, distinct, func, select

from nanum.discussions import signals as discussion_signals
from nanum.discussions.models import Post
from nanum.extensions import db
from nanum.notifications import services, watching
from nanum.notifications.models import PendingSearchMatch, Watch
from nanum.organisations import signals as organisation_signals
from nanum.practices import signals as practice_signals
from nanum.practices import vocab

EXCERPT = 280


def connect():
    discussion_signals.post_created.connect(on_post_created)
    discussion_signals.answer_accepted.connect(on_answer_accepted)
    discussion_signals.thread_locked.connect(on_thread_locked)
    practice_signals.practice_published.connect(on_practice_published)
    practice_signals.practice_adapted.connect(on_practice_adapted)
    organisation_signals.join_requested.connect(on_join_requested)


def _after_commit(work):
    @functools.wraps(work)
    def receiver(sender, **kwargs):
        try:
            with services.site_context():
                work(sender, **kwargs)
        except Exception:
            db.session.rollback()
            current_app.logger.exception("Could not send the notifications for %r", sender)

    return receiver


def _short(text, limit=80):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _name(user):
    return user.name if user is not None else _l("Someone")


# -- discussions ---------------------------------------------------------------------------

def post_url(post):
    """Return the address of a post: its permalink, or where its thread is shown."""
    if "discussions.permalink" in current_app.view_functions:
        return url_for("discussions.permalink", post_id=post.id)
    if post.thread.practice_id is not None:
        return url_for("practices.detail", practice_id=post.thread.practice_id,
                       _anchor=f"post-{post.id}")
    return url_for("notifications.index")


def _watch_what_you_write(post, thread):
    watching.ensure_watch(post.author_id, "thread", str(thread.id), thread.display_title)
    if thread.practice_id is not None:
        watching.ensure_watch(post.author_id, "practice", str(thread.practice_id),
                              thread.practice.title)


def _post_recipients(post, thread, mentioned):
    """Return {user: kind}, each person once, with the strongest reason."""
    from nanum.discussions.services import can_see_thread

    found = {}

    def offer(user, kind):
        if user is not None and services.STRENGTH[kind] > services.STRENGTH.get(
                found.get(user), 0):
            found[user] = kind

    targets = [("thread", thread.id)]
    if thread.practice_id is not None:
        targets.append(("practice", thread.practice_id))
    for person in watching.watchers(targets):
        offer(person, "watched")
    if post.parent_id:
        parent = db.session.get(Post, post.parent_id)
        offer(parent.author if parent else None, "reply")
    for person in mentioned or ():
        offer(person, "mention")
    return {user: kind for user, kind in found.items() if can_see_thread(user, thread)}


@_after_commit
def on_post_created(post, mentioned=(), **_extra):
    """Tell the replied-to, the mentioned and the watchers; the author starts watching."""
    thread = post.thread
    if post.author_id is not None:
        _watch_what_you_write(post, thread)
    if not post.is_visible:  # held for moderation: nobody hears of it yet
        db.session.commit()
        return
    notify_post(post, mentioned)


def notify_post(post, mentioned=None):
    """Send the notifications of a visible post (also for the moderation queue, on release)."""
    from nanum.accounts.models import User
    from nanum.discussions.models import Mention

    thread = post.thread
    if mentioned is None:
        mentioned = db.session.scalars(select(User).join(Mention, Mention.user_id == User.id)
                                       .where(Mention.post_id == post.id)).all()
    title = _short(thread.display_title)
    actor = post.author
    messages = {
        "mention": _l("%(name)s mentioned you in “%(title)s”", name=_name(actor), title=title),
        "reply": _l("%(name)s replied to your post in “%(title)s”", name=_name(actor),
                    title=title),
        "watched": _l("%(name)s posted in “%(title)s”", name=_name(actor), title=title),
    }
    return services.notify(
        _post_recipients(post, thread, mentioned), event=f"post:{post.id}", actor=actor,
        messages=messages, url=post_url(post), about=f"thread:{thread.id}",
        about_title=thread.display_title, excerpt=post.text("body", EXCERPT))


@_after_commit
def on_answer_accepted(post, by=None, **_extra):
    """Tell the author of an answer that it was accepted."""
    from nanum.discussions.services import can_see_thread

    thread = post.thread
    author = post.author
    if author is None or not can_see_thread(author, thread):
        return
    title = _short(thread.display_title)
    services.notify(
        {author: "accepted"}, event=f"accepted:{post.id}", actor=by,
        messages={"accepted": _l("%(name)s accepted your answer in “%(title)s”",
                                 name=_name(by), title=title)},
        url=post_url(post), about=f"thread:{thread.id}", about_title=thread.display_title,
        excerpt=post.text("body", EXCERPT))


@_after_commit
def on_thread_locked(thread, by=None, reason="", **_extra):
    """Tell the person who started a discussion that a moderator locked it, and why."""
    author = thread.author
    if author is None:
        return
    url = (url_for("discussions.topic", thread_id=thread.id)
           if "discussions.topic" in current_app.view_functions else
           url_for("notifications.index"))
    services.notify(
        {author: "moderation"}, event=None, actor=by,
        messages={"moderation": _l("A moderator locked your discussion “%(title)s”: "
                                   "%(reason)s", title=_short(thread.display_title),
                                   reason=_short(reason, 150))},
        url=url, about=f"thread:{thread.id}", about_title=thread.display_title)


# -- organisations -------------------------------------------------------------------------

@_after_commit
def on_join_requested(membership, **_extra):
    """Tell an organisation's admins that someone asks to join it."""
    from nanum.organisations.services import admins

    organisation, applicant = membership.organisation, membership.user
    services.notify(
        {admin: "join" for admin in admins(organisation.id)}, event=f"join:{membership.id}",
        actor=applicant,
        messages={"join": _l("%(name)s asks to join %(organisation)s", name=_name(applicant),
                             organisation=_short(organisation.name, 80))},
        url=url_for("organisations.detail", organisation_id=organisation.id,
                    _anchor="pending-title"),
        about=f"organisation:{organisation.id}", about_title=organisation.name)


# -- practices -----------------------------------------------------------------------------

def _practice_reasons(practice):
    """Return (target, reason) pairs for a new practice, the most specific first."""
    reasons = [(("organisation", practice.organisation_id),
                _l("New practice from %(organisation)s",
                   organisation=_short(practice.organisation.name, 60)))]
    for key in practice.target_keys:
        reasons.append((("sdg", key), _l("New practice on SDG target %(key)s", key=key)))
    for number in practice.goal_numbers:
        reasons.append((("sdg", str(number)), _l("New practice on SDG %(number)s",
                                                 number=number)))
    for key in practice.theme_keys:
        reasons.append((("theme", key), _l("New practice on %(theme)s",
                                           theme=vocab.THEME_SHORT[key])))
    return reasons


def _watchers_by_reason(reasons):
    """Return {user: reason} for the watchers of the targets, each with their first reason."""
    rows = db.session.execute(select(Watch.user_id, Watch.target_type, Watch.target_key).where(
        Watch.target_type.in_(("organisation", "sdg", "theme")))
        .where(Watch.target_key.in_([str(key) for (_kind, key), _reason in reasons]))).all()
    watching = {}
    for user_id, kind, key in rows:
        watching.setdefault(user_id, set()).add((kind, key))
    chosen = {}
    for user_id, targets in watching.items():
        for (kind, key), reason in reasons:
            if (kind, str(key)) in targets:
                chosen[user_id] = reason
                break
    return chosen


def _tell_about_practice(practice, by_user_id):
    """Notify {user id: message} about a new practice, each person once per practice."""
    from nanum.accounts.models import User

    if not by_user_id:
        return []
    users = db.session.scalars(select(User).where(User.id.in_(by_user_id))).all()
    title = _short(practice.title)
    return services.notify(
        {user: "watched" for user in users}, event=f"published:{practice.id}",
        actor=practice.author,
        messages=lambda user, _kind: _l("%(reason)s: “%(title)s”",
                                        reason=by_user_id[user.id], title=title),
        url=url_for("practices.detail", practice_id=practice.id),
        about=f"practice:{practice.id}", about_title=practice.title,
        excerpt=practice.text("summary", EXCERPT))


@_after_commit
def on_practice_published(practice, **_extra):
    """Tell the watchers of its goals, targets, themes and organisation, and its saved
    searches; its author starts watching it."""
    if not practice.is_published:
        return
    if practice.author_id is not None:
        watching.ensure_watch(practice.author_id, "practice", str(practice.id), practice.title)
        db.session.commit()
    _tell_about_practice(practice, _watchers_by_reason(_practice_reasons(practice)))
    if practice.adapted_from_id is not None:
        notify_adaptation(practice)
    if _can_match_now(practice):
        match_saved_searches(practice)
    else:
        queue_search_match(practice)


@_after_commit
def on_practice_adapted(practice, **_extra):
    """Tell the authors of the original that a published practice now adapts theirs."""
    if practice.is_published and practice.adapted_from_id is not None:
        notify_adaptation(practice)


def notify_adaptation(adaptation):
    """Tell the author of the original and its organisation's members, once per adaptation
    and original, that an organisation published an adaptation of their practice."""
    from nanum.organisations.services import members

    original = adaptation.adapted_from
    if original is None:
        return []
    recipients = {membership.user: "adapted"
                  for membership in members([original.organisation_id])}
    if original.author is not None:
        recipients[original.author] = "adapted"
    message = _l("%(organisation)s adapted your practice “%(title)s”",
                 organisation=_short(adaptation.organisation.name, 60),
                 title=_short(original.title))
    return services.notify(
        recipients, event=f"adapted:{adaptation.id}:{original.id}", actor=adaptation.author,
        messages={"adapted": message},
        url=url_for("practices.detail", practice_id=adaptation.id),
        about=f"practice:{original.id}", about_title=original.title,
        excerpt=adaptation.text("adaptation_changes", EXCERPT)
        or adaptation.text("summary", EXCERPT))


# -- saved searches ------------------------------------------------------------------------

def _indexed(practice):
    from nanum.search.models import SearchOutbox

    keys = (f"practice:{practice.id}", f"organisation-practices:{practice.organisation_id}")
    return db.session.scalar(select(SearchOutbox.id).where(SearchOutbox.doc_key.in_(keys))
                             .limit(1)) is None


def _saved_search_count():
    return db.session.scalar(select(func.count(distinct(Watch.target_key))).where(
        Watch.target_type == "search"))


def _can_match_now(practice):
    """Bring the index up to date and tell whether the saved searches can run in this request."""
    from nanum.search import service as search

    config = current_app.config
    if config["SEARCH_APPLY"] != "inline":
        return False
    saved = _saved_search_count()
    if not saved:
        return True  # nothing to match: no need to wait for the index
    if saved > config["NOTIFICATIONS_INLINE_SEARCHES"]:
        return False
    search.apply_outbox()
    return _indexed(practice)


def queue_search_match(practice):
    if db.session.get(PendingSearchMatch, practice.id) is None:
        db.session.add(PendingSearchMatch(practice_id=practice.id))
    db.session.commit()


def _matches(key, practice_key):
    from nanum.search import service as search

    q, filters = watching.parse_search(key)
    if filters.content not in (None, "practice"):
        return False
    filters.content = "practice"
    # The search, asked about this one practice: only the keys, no facets, snippets or
    # loading, and exact however many practices the search finds or whatever their dates.
    return search.matching_keys(q, filters, limit=1, within=(practice_key,)) == [practice_key]


def match_saved_searches(practice):
    """Tell the people whose saved searches find a newly published practice."""
    from nanum.accounts.models import User

    keys = db.session.scalars(select(distinct(Watch.target_key)).where(
        Watch.target_type == "search")).all()
    matched = [key for key in keys if _matches(key, f"practice:{practice.id}")]
    if not matched:
        return []
    rows = db.session.execute(select(Watch.user_id, Watch.label).join(
        User, User.id == Watch.user_id).where(
        Watch.target_type == "search", Watch.target_key.in_(matched))
        .order_by(Watch.id)).all()
    by_user_id = {}
    for user_id, label in rows:
        by_user_id.setdefault(user_id, _l("New practice for your saved search %(label)s",
                                          label=_short(label, 60)) if label else
                              _l("New practice for your saved search"))
    return _tell_about_practice(practice, by_user_id)


def match_pending(limit=100):
    """Match the queued practices the index has caught up with; return how many."""
    from nanum.practices.models import Practice

    done = 0
    waiting = db.session.scalars(select(PendingSearchMatch.practice_id)
                                 .order_by(PendingSearchMatch.created_at).limit(limit)).all()
    for practice_id in waiting:
        # Taken by one worker at a time: another host's worker skips it, or finds it done.
        row = db.session.scalars(select(PendingSearchMatch).where(
            PendingSearchMatch.practice_id == practice_id)
            .with_for_update(skip_locked=True)).first()
        if row is None:
            db.session.commit()
            continue
        practice = db.session.get(Practice, row.practice_id)
        if practice is not None and practice.is_published and not _indexed(practice):
            db.session.commit()  # let it go: the index has not seen it yet, try next run
            continue
        if practice is not None and practice.is_published:
            match_saved_searches(practice)
        db.session.execute(delete(PendingSearchMatch).where(
            PendingSearchMatch.practice_id == practice_id))
        db.session.commit()
        done += 1
    return done
