"""Practices: writing, revising, submitting, finding and reading them."""

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from nanum import database, markdown
from nanum.cooking import cook_fields
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import db
from nanum.flags.sanctions import check_can_post
from nanum.organisations import services as organisations
from nanum.organisations.models import Organisation
from nanum.practices import lineage, rules, signals, translations, vocab
from nanum.practices.models import (
    TEASER,
    Practice,
    PracticeCountry,
    PracticeGoal,
    PracticePartner,
    PracticeTag,
    PracticeTarget,
    PracticeTheme,
    Revision,
)
from nanum.review import policy
from nanum.sdg import suggestions
from nanum.sdg.service import PRACTICE_FIELDS
from nanum.search import outbox as search_outbox
from nanum.taxonomy import sdg
from nanum.timeutil import utcnow

ACTIONS = ("draft", "submit", "save")


# -- permissions ---------------------------------------------------------------------------

def can_edit(user, practice):
    """Members of the owning organisation and moderators may edit a practice."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_moderator or organisations.is_member(user, practice.organisation_id)


def can_view(user, practice):
    return practice.is_published or can_edit(user, practice)


# -- reading -------------------------------------------------------------------------------

def _detail_options():
    return (
        joinedload(Practice.organisation),
        joinedload(Practice.author),
        joinedload(Practice.adapted_from).load_only(Practice.id, Practice.title,
                                                    Practice.status),
        selectinload(Practice.countries),
        selectinload(Practice.goals),
        selectinload(Practice.targets),
        selectinload(Practice.themes),
        selectinload(Practice.tags),
        selectinload(Practice.partners).joinedload(PracticePartner.organisation),
        selectinload(Practice.attachments),
    )


def card_options():
    """Eager loads for practice cards: only the columns a card shows, in two extra queries."""
    return (
        load_only(Practice.id, Practice.title, Practice.teaser, Practice.kind, Practice.status,
                  Practice.organisation_id, Practice.period_start, Practice.period_end,
                  Practice.published_at,  # and the context, which "places like mine" explains
                  *(getattr(Practice, name) for name in vocab.CONTEXT_FIELDS)),
        joinedload(Practice.organisation).load_only(Organisation.id, Organisation.name,
                                                    Organisation.verified),
        selectinload(Practice.countries),
        selectinload(Practice.goals),
    )


def list_options():
    """Eager loads for lists of practices: a fixed number of queries per page."""
    return (
        joinedload(Practice.organisation),
        selectinload(Practice.countries),
        selectinload(Practice.goals),
        selectinload(Practice.targets),
        selectinload(Practice.themes),
    )


def get(practice_id, user=None):
    """Return a practice the user may see, with everything its page shows."""
    practice = db.session.scalar(
        select(Practice).options(*_detail_options()).where(Practice.id == practice_id))
    if practice is None or not can_view(user, practice):
        raise NotFound(_("No such practice."))
    return practice


def history(practice):
    return db.session.scalars(
        select(Revision).options(joinedload(Revision.user))
        .where(Revision.practice_id == practice.id).order_by(Revision.id.desc())).all()


# -- writing -------------------------------------------------------------------------------

def snapshot(practice):
    """Return the practice's content as plain values, for revisions and export."""
    values = {}
    for field in rules.SCALARS:
        value = getattr(practice, field)
        values[field] = float(value) if isinstance(value, Decimal) else value
    values.update(
        countries=practice.country_codes, goals=practice.goal_numbers,
        targets=practice.target_keys, themes=practice.theme_keys, tags=practice.tag_names,
        partners=sorted(p.organisation_id for p in practice.partners),
        adapted_from=practice.adapted_from_id,
    )
    return values


def _apply(practice, values):
    for field in rules.SCALARS:
        setattr(practice, field, values[field])
    practice.cook()  # before anything can flush a write statement
    practice.countries = [PracticeCountry(country=c, position=i)
                          for i, c in enumerate(values["countries"])]
    practice.goals = [PracticeGoal(goal=g) for g in values["goals"]]
    practice.targets = [PracticeTarget(target=t) for t in values["targets"]]
    practice.themes = [PracticeTheme(theme=t) for t in values["themes"]]
    practice.tags = [PracticeTag(tag=t) for t in values["tags"]]
    practice.partners = [PracticePartner(organisation_id=o) for o in values["partners"]]


def _check_partners(values, owner_id):
    partners = [p for p in values["partners"] if p != owner_id]
    if partners:
        found = set(db.session.scalars(
            select(Organisation.id).where(Organisation.id.in_(partners))))
        if found != set(partners):
            raise Invalid(_("Please correct the highlighted fields; nothing was saved."),
                          {"partners": _("One of the partner organisations does not exist.")})
    values["partners"] = list(dict.fromkeys(partners))


def _diff(before, after):
    return {field: [before.get(field), value] for field, value in after.items()
            if before.get(field) != value}


def _set_status(practice, status):
    practice.status = status
    if status == "published" and practice.published_at is None:
        practice.published_at = utcnow()


def add(organisation_id, values, *, author_id, status="draft", action="created",
        created_at=None, published_at=None, adapted_from=None, translation_of=None):
    """Add a practice from clean values to the session, with its first revision
    (`translation_of`: the original of the group of translations it joins)."""
    practice = Practice(organisation_id=organisation_id, author_id=author_id, status="draft")
    _apply(practice, values)
    lineage.link(practice, adapted_from)
    if translation_of is not None:
        practice.translation_of = translation_of
    if created_at is not None:
        practice.created_at = practice.updated_at = created_at
    db.session.add(practice)
    if status != "draft":
        _set_status(practice, status)
        if status == "published" and (published_at or created_at):
            practice.published_at = published_at or created_at
    filled = {field: value for field, value in snapshot(practice).items()
              if value not in (None, "", [])}
    db.session.add(Revision(practice=practice, user_id=author_id, action=action,
                            changes=_json_ready(_diff({}, filled))))
    return practice


def _values_snapshot(values):
    """Return what `snapshot` would return for a practice holding these clean values."""
    snapshot_values = {field: float(values[field]) if isinstance(values[field], Decimal)
                       else values[field] for field in rules.SCALARS}
    snapshot_values.update(
        countries=list(values["countries"]), goals=sorted(values["goals"]),
        targets=sorted(values["targets"], key=sdg.target_sort_key),
        themes=[key for key in vocab.THEMES if key in set(values["themes"])],
        tags=sorted(values["tags"]), partners=sorted(values["partners"]))
    return snapshot_values


def add_many(practices, *, action="imported"):
    """Insert new practices in bulk, as `add` would one by one; return their ids.

    Each of `practices` is a dict of `add`'s arguments: organisation_id, values, author_id,
    status, created_at, published_at. The rows go in as a few multi-row statements rather
    than a unit of work of a dozen objects per practice, and the search outbox is told of
    them (it cannot see statements that bypass the unit of work).
    """
    if not practices:
        return []
    now = utcnow()
    rows = []
    for new in practices:
        values = new["values"]
        cooked = cook_fields(Practice.MARKDOWN_FIELDS, values.get)
        created = new.get("created_at") or now
        status = new.get("status", "draft")
        published_at = None
        if status == "published":
            published_at = new.get("published_at") or new.get("created_at") or now
        rows.append({**{field: values[field] for field in rules.SCALARS},
                     "organisation_id": new["organisation_id"],
                     "author_id": new["author_id"], "status": status, "cooked": cooked,
                     "teaser": markdown.shorten(cooked["summary"]["text"], TEASER),
                     "created_at": created, "updated_at": created,
                     "published_at": published_at})
    ids = database.insert_returning_ids(db.session, Practice.__table__, rows)
    children = {PracticeCountry: [], PracticeGoal: [], PracticeTarget: [], PracticeTheme: [],
                PracticeTag: [], PracticePartner: [], Revision: []}
    for practice_id, new in zip(ids, practices, strict=True):
        values = new["values"]
        children[PracticeCountry] += [{"practice_id": practice_id, "country": c, "position": i}
                                      for i, c in enumerate(values["countries"])]
        children[PracticeGoal] += [{"practice_id": practice_id, "goal": g}
                                   for g in values["goals"]]
        children[PracticeTarget] += [{"practice_id": practice_id, "target": t}
                                     for t in values["targets"]]
        children[PracticeTheme] += [{"practice_id": practice_id, "theme": t}
                                    for t in values["themes"]]
        children[PracticeTag] += [{"practice_id": practice_id, "tag": t} for t in values["tags"]]
        children[PracticePartner] += [{"practice_id": practice_id, "organisation_id": o}
                                      for o in values["partners"]]
        filled = {field: value for field, value in _values_snapshot(values).items()
                  if value not in (None, "", [])}
        children[Revision].append({"practice_id": practice_id, "user_id": new["author_id"],
                                   "action": action, "created_at": now,
                                   "changes": _json_ready(_diff({}, filled))})
    for model, child_rows in children.items():
        if child_rows:
            db.session.execute(insert(model.__table__), child_rows)
    search_outbox.record(db.session, [f"practice:{practice_id}" for practice_id in ids])
    return ids


def replace(practice, values, *, user_id, status, published_at=None, action="imported"):
    """Replace a practice's content from clean values, with a revision of what changed.

    Return the changes (empty when the practice already held these values).
    """
    before, status_before = snapshot(practice), practice.status
    _apply(practice, values)
    changes = _diff(before, snapshot(practice))
    if status != status_before:
        _set_status(practice, status)
        changes["status"] = [status_before, status]
    if status == "published" and published_at and practice.published_at != published_at:
        practice.published_at = published_at
    if changes:
        practice.updated_at = utcnow()
        db.session.add(Revision(practice=practice, user_id=user_id, action=action,
                                changes=_json_ready(changes)))
    return changes


def create(user, organisation_id, fields, *, action="draft", dismissed=(),
           translation_of=None):
    """Write a new practice on behalf of an organisation the user belongs to.

    `dismissed`: keys of the SDG suggestions the author dismissed in the form.
    `translation_of`: the practice this one translates; the translation belongs to the
    same organisation, and its group may not have its language yet."""
    if action not in ("draft", "submit"):
        raise Invalid(_("Unknown action."))
    check_can_post(user)
    root = None
    if translation_of is not None:  # for the original's organisation, which the user must be in
        organisation_id = translation_of.organisation_id
        root = translations.root_of(translation_of)
    if not organisations.is_member(user, organisation_id):
        raise Forbidden(_("You can only post for an organisation you belong to."))
    values = rules.clean(fields, complete=action == "submit")
    if root is not None:
        translations.check_language(root.id, values["language"])
    _check_partners(values, organisation_id)
    original = lineage.original_for(None, fields.get("adapted_from"))
    practice = add(organisation_id, values, author_id=user.id, adapted_from=original,
                   translation_of=root)
    suggestions.record(practice, dismissed=dismissed)
    if action == "submit":
        practice.organisation = db.session.get(Organisation, organisation_id)
        policy.submit(practice, user)
    db.session.commit()
    if practice.is_published:
        signals.practice_published.send(practice)
    return practice


def update(user, practice, fields, *, action="save", dismissed=()):
    """Save an edit, keeping a revision of what changed (`dismissed` as for `create`)."""
    if action not in ACTIONS:
        raise Invalid(_("Unknown action."))
    if not can_edit(user, practice):
        raise Forbidden(_("Only members of the owning organisation can edit this practice."))
    check_can_post(user)
    complete = action == "submit" or practice.status in ("published", "submitted")
    values = rules.clean(fields, complete=complete)
    if values["language"] != practice.language:  # still one version a language
        translations.check_language(translations.root_id(practice), values["language"],
                                    practice.id)
    _check_partners(values, practice.organisation_id)
    # A caller that does not send the link (an older client) leaves it as it is.
    original = (lineage.original_for(practice, fields["adapted_from"])
                if "adapted_from" in fields else practice.adapted_from)
    before = snapshot(practice)
    _apply(practice, values)
    linked = lineage.link(practice, original)
    changes = _diff(before, snapshot(practice))
    answered = suggestions.record(practice, dismissed=dismissed, text_changed=any(
        field in changes for field in PRACTICE_FIELDS))
    status_before = practice.status
    if action == "submit" and practice.status in ("draft", "changes_requested", "rejected"):
        policy.submit(practice, user)
    elif changes:
        policy.review_edit(practice, user, before, snapshot(practice))
    if not changes and practice.status == status_before:
        if answered:  # only the suggestions' answers changed
            db.session.commit()
        return practice
    if practice.status != status_before:
        changes["status"] = [status_before, practice.status]
    practice.updated_at = utcnow()
    db.session.add(Revision(practice=practice, user_id=user.id,
                            action=_revision_action(status_before, practice.status),
                            changes=_json_ready(changes)))
    db.session.commit()
    if practice.is_published and status_before != "published":
        signals.practice_published.send(practice)
    elif practice.is_published and linked and original is not None:
        signals.practice_adapted.send(practice)
    return practice


def _revision_action(status_before, status):
    """Name an edit by what it did: published, submitted for review, or edited."""
    if status != status_before and status in ("published", "submitted"):
        return status
    return "edited"


def _json_ready(changes):
    return {field: [float(v) if isinstance(v, Decimal) else v for v in pair]
            for field, pair in changes.items()}


def preview(fields):
    """Return an unsaved practice built from form fields, for the preview pane."""
    values = rules.clean(fields, complete=False)
    practice = Practice(status="draft")
    _apply(practice, values)
    practice.partners = []
    return practice


def form_values(practice):
    """Return the practice as form field values."""
    values = snapshot(practice)
    values["tags"] = ", ".join(values["tags"])
    values["goals"] = [str(g) for g in values["goals"]]
    values["partners"] = [str(p) for p in values["partners"]]
    values["adapted_from"] = str(values["adapted_from"] or "")
    return values


def drafts_of(user):
    """Return the unpublished practices of the user's organisations."""
    ids = [m.organisation_id for m in organisations.active_memberships(user)]
    if not ids:
        return []
    return db.session.scalars(
        select(Practice).options(joinedload(Practice.organisation))
        .where(Practice.organisation_id.in_(ids), Practice.status != "published")
        .order_by(Practice.updated_at.desc())).all()
