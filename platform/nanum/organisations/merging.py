"""Possible duplicate organisations, and merging one into another.

Names are compared after normalising them (case, accents, punctuation and the words most
organisations share), only with organisations of the same country: one pass over that
country's organisations, each comparison bounded by the length of a name (at most 200).
"""

import heapq
import re
import unicodedata
from collections import Counter, defaultdict
from datetime import timedelta

from rapidfuzz import fuzz, process
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
from nanum.timeutil import utcnow

# Words that say what kind of body an organisation is rather than which one.
GENERIC_WORDS = frozenset("""
    the of de del della des du la le les el los and et y for pour para &
    organisation organization organisations organizations association
    municipality municipal city town county council district region regional
    government local state office department authority
""".split())
# From this similarity on (the share of characters two normalised names have in common, as
# difflib's ratio, or the share of the shorter name's words found in the other), two names
# look alike.
THRESHOLD = 0.8
LIMIT = 5  # possible duplicates shown


def normalise(name):
    """Return a name's distinctive words, lower-cased, without accents or punctuation."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.findall(r"\w+", text)
    distinctive = [word for word in words if word not in GENERIC_WORDS]
    return " ".join(distinctive or words)


def _overlap(words_a, words_b):
    shorter = min(len(words_a), len(words_b))
    return len(words_a & words_b) / shorter if shorter >= 2 else 0.0


def similarity(first, second):
    """Return how alike two normalised names are, from 0 to 1: the ratio of their
    characters in common (as difflib's), or the share of the shorter name's words found in
    the other, whichever is higher."""
    if not first or not second:
        return 0.0
    return max(fuzz.ratio(first, second) / 100,
               _overlap(set(first.split()), set(second.split())))


class Candidates:
    """The organisations of one country as the comparison needs them: names normalised
    once, and which organisations use each word."""

    def __init__(self):
        self.organisations, self.names, self.words = [], [], []
        self.by_word = defaultdict(list)

    def add(self, organisation):
        name = normalise(organisation.name)
        words = frozenset(name.split())
        for word in words:
            self.by_word[word].append(len(self.organisations))
        self.organisations.append(organisation)
        self.names.append(name)
        self.words.append(words)


def candidates_in(countries, *, full=False):
    """Return {country: Candidates} of every organisation of `countries` (one query);
    `full` loads whole Organisations rather than their ids and names."""
    columns = (Organisation,) if full else (Organisation.id, Organisation.name,
                                            Organisation.country)
    rows = db.session.execute(select(*columns).where(Organisation.country.in_(countries)))
    found = defaultdict(Candidates)
    for row in rows:
        organisation = row[0] if full else row
        found[organisation.country].add(organisation)
    return found


def _look_alikes(name, candidates, exclude_id):
    """Return [(organisation, score)] of the candidates whose names look like `name`:
    RapidFuzz compares the characters of every name in one call; the words in common are
    counted through the index of words, so each name costs about the same."""
    wanted = normalise(name)
    if not wanted or not candidates.names:
        return []
    scores = {position: score / 100 for _name, score, position in process.extract(
        wanted, candidates.names, scorer=fuzz.ratio, score_cutoff=THRESHOLD * 100 - 1e-6,
        limit=None)}
    words = frozenset(wanted.split())
    shared = Counter(position for word in words for position in candidates.by_word.get(word, ()))
    for position, count in shared.items():
        if count < 2:  # the share of words needs two names of two words or more
            continue
        shorter = min(len(words), len(candidates.words[position]))
        if count / shorter > scores.get(position, 0):
            scores[position] = count / shorter
    found = ((candidates.organisations[position], score)
             for position, score in scores.items()
             if score >= THRESHOLD and candidates.organisations[position].id != exclude_id)
    return heapq.nsmallest(LIMIT, found, key=lambda pair: (-pair[1], pair[0].name))


def similar(name, country, *, exclude_id=None):
    """Return [(organisation, score)] of the same country whose names look like `name`."""
    country = (country or "").upper()
    return _look_alikes(name, candidates_in([country], full=True)[country], exclude_id)


def duplicates_of(organisations):
    """Return {organisation id: [(other, score)]} for a page of organisations, with one query
    for the organisations of their countries; each other is a row of its id and name."""
    countries = {organisation.country for organisation in organisations}
    if not countries:
        return {}
    by_country = candidates_in(countries)
    return {organisation.id: _look_alikes(organisation.name, by_country[organisation.country],
                                          organisation.id)
            for organisation in organisations}


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
    access.require_moderator(actor, "Only moderators merge organisations.")
    if merged.id == survivor.id:
        raise Invalid("Choose two different organisations.",
                      {"into": "Choose another organisation to merge into."})
    if reason and reason not in reasons.REASONS:
        raise Invalid("Please choose a reason.", {"reason": "Please choose a reason."})
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
