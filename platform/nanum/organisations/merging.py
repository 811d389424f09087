"""Possible duplicate organisations, and merging one into another.

Names are compared in their normalised form (case, accents, punctuation and the words most
organisations share taken away; stored with each organisation, see `names`), only with
organisations of the same country. RapidFuzz compares a page of names with a whole country's
in one call (`process.cdist`); the words in common are counted through an index of words.
Each comparison is bounded by the length of a name.
"""

import heapq
from collections import defaultdict
from datetime import timedelta
from itertools import groupby
from operator import itemgetter

from flask_babel import gettext as _
from sqlalchemy import func, select

from nanum.errors import Invalid
from nanum.extensions import db
from nanum.moderation import access, audit, reasons
from nanum.organisations import signals
from nanum.organisations.models import (
    Membership,
    Organisation,
    OrganisationRedirect,
    VerificationRequest,
)
from nanum.organisations.names import GENERIC_WORDS, normalise  # noqa: F401 (their home)
from nanum.timeutil import utcnow

# From this similarity on (the share of characters two normalised names have in common, as
# difflib's ratio, or the share of the shorter name's words found in the other), two names
# look alike.
THRESHOLD = 0.8
LIMIT = 5  # possible duplicates shown


def _overlap(words_a, words_b):
    shorter = min(len(words_a), len(words_b))
    return len(words_a & words_b) / shorter if shorter >= 2 else 0.0


def similarity(first, second):
    """Return how alike two normalised names are, from 0 to 1: the ratio of their
    characters in common (as difflib's), or the share of the shorter name's words found in
    the other, whichever is higher."""
    if not first or not second:
        return 0.0
    from rapidfuzz import fuzz  # only where names are compared: not at every start-up

    return max(fuzz.ratio(first, second) / 100,
               _overlap(set(first.split()), set(second.split())))


class Candidates:
    """The organisations of one country as the comparison needs them: ids, names and stored
    normalised names, column by column."""

    def __init__(self, organisations, names):
        self.organisations, self.names = organisations, names

    def sharing_words(self, vocabulary):
        """Return {position: words} of the names with two or more words of `vocabulary`
        (only they can share two words with a name whose words are all in it)."""
        found = {}
        if len(vocabulary) < 2:
            return found
        for position, name in enumerate(self.names):
            if len(vocabulary.intersection(name.split())) >= 2:
                found[position] = frozenset(name.split())
        return found


def candidates_in(countries, *, full=False):
    """Return {country: Candidates} of every organisation of `countries` (one query);
    `full` loads whole Organisations rather than rows of their ids and names."""
    columns = ((Organisation.country, Organisation.normalised_name, Organisation) if full else
               (Organisation.country, Organisation.normalised_name, Organisation.id,
                Organisation.name))
    statement = select(*columns).where(Organisation.country.in_(countries)).order_by(
        Organisation.country)
    # Plain rows come through the connection: the ORM would take twice as long over them.
    rows = (db.session.execute(statement) if full else
            db.session.connection().execute(statement)).all()
    found = defaultdict(lambda: Candidates([], []))
    for country, group in groupby(rows, key=itemgetter(0)):
        group = list(group)
        found[country] = Candidates([row[2] for row in group] if full else group,
                                    [row[1] for row in group])
    return found


def _look_alikes(wanted, candidates, exclude_id, ratios, sharing):
    """Return [(organisation, score)] of the candidates whose names look like the normalised
    name `wanted`, best first.

    `ratios` holds its character similarity (0-100) to each candidate, 0 below the threshold;
    `sharing` the words of the candidates that may share two words with it. Only the names
    that can make the top `LIMIT` are scored in Python: those tied with or above the
    (LIMIT + 1)th best ratio (one more, for the organisation itself), and those sharing words.
    """
    if not wanted or not candidates.names:
        return []
    import numpy  # only where names are compared: not at every start-up

    ranked = numpy.flatnonzero(ratios)
    if len(ranked) > LIMIT + 1:
        floor = numpy.partition(ratios[ranked], -(LIMIT + 1))[-(LIMIT + 1)]
        ranked = ranked[ratios[ranked] >= floor]
    scores = {int(position): float(ratios[position]) / 100 for position in ranked}
    words = frozenset(wanted.split())
    if len(words) >= 2:  # the share of words needs two names of two words or more
        for position, other in sharing.items():
            overlap = _overlap(words, other)
            if overlap > scores.get(position, 0):
                scores[position] = overlap
    found = ((candidates.organisations[position], score)
             for position, score in scores.items()
             if score >= THRESHOLD and candidates.organisations[position].id != exclude_id)
    return heapq.nsmallest(LIMIT, found, key=lambda pair: (-pair[1], pair[0].name))


def _ratios(wanted, candidates):
    """Return the character similarity (0-100) of each wanted name to each candidate, as a
    matrix, with 0 wherever it is below the threshold: one call for all of them."""
    import numpy
    from rapidfuzz import fuzz, process

    return process.cdist(wanted, candidates.names, scorer=fuzz.ratio, dtype=numpy.float64,
                         score_cutoff=THRESHOLD * 100 - 1e-6, workers=1)


def _compare(wanted, candidates, exclude_ids):
    """Return the look-alikes of each normalised name in `wanted` among `candidates`."""
    if not candidates.names:
        return [[] for _ in wanted]
    ratios = _ratios(wanted, candidates)
    vocabulary = {word for name in wanted for word in name.split()}
    sharing = candidates.sharing_words(vocabulary)
    return [_look_alikes(name, candidates, exclude_id, ratios[row],
                         {position: words for position, words in sharing.items()
                          if len(words & set(name.split())) >= 2})
            for row, (name, exclude_id) in enumerate(zip(wanted, exclude_ids, strict=True))]


def similar(name, country, *, exclude_id=None):
    """Return [(organisation, score)] of the same country whose names look like `name`."""
    country = (country or "").upper()
    return _compare([normalise(name)], candidates_in([country], full=True)[country],
                    [exclude_id])[0]


def duplicates_of(organisations):
    """Return {organisation id: [(other, score)]} for a page of organisations, with one query
    for the organisations of their countries; each other is a row of its id and name."""
    by_country = defaultdict(dict)
    for organisation in organisations:
        by_country[organisation.country][organisation.id] = organisation.normalised_name
    if not by_country:
        return {}
    candidates = candidates_in(by_country)
    found = {}
    for country, wanted in by_country.items():
        found.update(zip(wanted, _compare(list(wanted.values()), candidates[country],
                                          list(wanted)), strict=True))
    return found


# -- merging -------------------------------------------------------------------------------

FILLED_FROM_MERGED = ("government_level", "population", "website", "description")


def _snapshot(organisation):
    return {"id": organisation.id, "name": organisation.name, "type": organisation.type,
            "country": organisation.country, "website": organisation.website,
            "description": organisation.description, "verified": organisation.verified,
            "government_level": organisation.government_level,
            "population": organisation.population}


def _merge_memberships(merged, survivor):
    """Move members over; a person in both keeps one membership, the stronger of the two."""
    kept = {m.user_id: m for m in survivor.memberships}
    moved = 0
    for membership in list(merged.memberships):
        existing = kept.get(membership.user_id)
        if existing is None:
            membership.organisation = survivor
            moved += 1
            continue
        if membership.status == "active":
            existing.status = "active"
        if membership.role == "admin" and membership.status == "active":
            existing.role = "admin"
        merged.memberships.remove(membership)  # an orphan now: deleted at the flush
    return moved


def _merge_practices(merged, survivor):
    from nanum.practices.models import Practice, PracticePartner

    practices = db.session.scalars(select(Practice).where(
        Practice.organisation_id == merged.id)).all()
    for practice in practices:
        practice.organisation = survivor
    partners = db.session.scalars(select(PracticePartner).where(
        PracticePartner.organisation_id == merged.id)).all()
    partnered = set(db.session.scalars(select(PracticePartner.practice_id).where(
        PracticePartner.organisation_id == survivor.id)))
    owned = set(db.session.scalars(select(Practice.id).where(
        Practice.organisation_id == survivor.id)))
    for partner in partners:
        practice_id = partner.practice_id
        db.session.delete(partner)
        if practice_id not in partnered and practice_id not in owned:
            db.session.add(PracticePartner(practice_id=practice_id,
                                           organisation_id=survivor.id))
            partnered.add(practice_id)
    return len(practices), len(partners)


def _merge_watches(merged, survivor):
    from nanum.notifications.models import Watch

    watchers = set(db.session.scalars(select(Watch.user_id).where(
        Watch.target_type == "organisation", Watch.target_key == str(survivor.id))))
    for watch in db.session.scalars(select(Watch).where(
            Watch.target_type == "organisation", Watch.target_key == str(merged.id))).all():
        if watch.user_id in watchers:
            db.session.delete(watch)
        else:
            watch.target_key = str(survivor.id)


def merge(actor, merged, survivor, *, reason=None, message=""):
    """Merge `merged` into `survivor`, keeping every practice, member, partner link, watcher
    and verification request; `merged`'s address then leads to `survivor`."""
    access.require_moderator(actor, _("Only moderators merge organisations."))
    if merged.id == survivor.id:
        raise Invalid(_("Choose two different organisations."),
                      {"into": _("Choose another organisation to merge into.")})
    if reason and reason not in reasons.REASONS:
        raise Invalid(_("Please choose a reason."), {"reason": _("Please choose a reason.")})
    message = (message or "").strip()[:2000]
    before = {"merged": _snapshot(merged), "survivor": _snapshot(survivor)}
    for name in FILLED_FROM_MERGED:
        if getattr(survivor, name) in (None, "") and getattr(merged, name) not in (None, ""):
            setattr(survivor, name, getattr(merged, name))
    if merged.verified and not survivor.verified:
        survivor.verified, survivor.verified_at, survivor.verified_by_id = (
            True, merged.verified_at, merged.verified_by_id)
    survivor.cook()
    members = _merge_memberships(merged, survivor)
    practices, partners = _merge_practices(merged, survivor)
    _merge_watches(merged, survivor)
    for found in db.session.scalars(select(VerificationRequest).where(
            VerificationRequest.organisation_id == merged.id)).all():
        found.organisation = survivor
    for redirect in db.session.scalars(select(OrganisationRedirect).where(
            OrganisationRedirect.organisation_id == merged.id)).all():
        redirect.organisation_id = survivor.id
    db.session.add(OrganisationRedirect(old_id=merged.id, organisation_id=survivor.id,
                                        old_name=merged.name))
    # Other areas move what they keep about the merged organisation, in this transaction.
    signals.merging.send(merged, into=survivor)
    db.session.flush()
    audit.record(actor, "organisation.merge", survivor, reason=reason, message=message,
                 label=f"{merged.name} → {survivor.name}", before=before,
                 after={"survivor": _snapshot(survivor), "moved_practices": practices,
                        "moved_members": members, "moved_partner_links": partners})
    db.session.delete(merged)
    db.session.commit()
    return survivor


def redirect_target(organisation_id):
    """Return the id of the organisation an old organisation was merged into, or None."""
    return db.session.scalar(select(OrganisationRedirect.organisation_id).where(
        OrganisationRedirect.old_id == organisation_id))


def counts(organisation):
    """Return what a merge would move: {"practices": n, "members": n}."""
    from nanum.practices.models import Practice

    return {
        "practices": db.session.scalar(select(func.count(Practice.id)).where(
            Practice.organisation_id == organisation.id)),
        "members": db.session.scalar(select(func.count(Membership.id)).where(
            Membership.organisation_id == organisation.id)),
    }


def recently_created(days=30, limit=20):
    """Return the organisations created in the last `days`, newest first, for the queue."""
    since = utcnow() - timedelta(days=days)
    return db.session.scalars(select(Organisation).where(Organisation.created_at >= since)
                              .order_by(Organisation.created_at.desc()).limit(limit)).all()
