"""The suggestions kept for each practice, and what its authors made of them.

A practice's suggestions are the suggester's targets for its text, and the goals it judges
the text about that none of those targets belongs to. They are worked out when the practice
is saved (or imported), never when it is read, and each keeps the author's answer: accepted
(the goal or target is chosen), dismissed (never offered again for that practice) or open.
These functions add to the caller's transaction; the caller commits.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import insert, select

from nanum.extensions import db
from nanum.sdg.models import Suggestion
from nanum.sdg.service import PRACTICE_FIELDS, practice_text, suggest_for_practice
from nanum.taxonomy import sdg as taxonomy
from nanum.timeutil import utcnow

# Targets below this confidence are not offered: a handful of words can give every target of
# a goal a few per cent, which is noise to an author and to a moderator.
MIN_OFFERED_SCORE = 0.1


def offers(result):
    """Turn the suggester's answer for a text into unsaved suggestions, best first."""
    goals = {found["goal"]: found for found in result["goals"]}
    offered = []
    for target in result["targets"]:
        if target["score"] < MIN_OFFERED_SCORE:
            continue
        goal = goals[taxonomy.goal_of(target["target"])]
        offered.append(_suggestion(target["target"], target["score"], goal))
    covered = {suggestion.goal for suggestion in offered}
    offered += [_suggestion(str(number), goals[number]["score"], goals[number])
                for number in result["about"] if number not in covered]
    return offered


def _suggestion(key, score, goal):
    return Suggestion(key=key, score=score, words=list(goal.get("words", [])),
                      sentence=goal.get("sentence", ""), decision="open")


def clean_keys(raw_keys):
    """The known goal and target keys among raw ones (from a form), in canonical form."""
    keys = (taxonomy.normalise_key(str(raw)) for raw in list(raw_keys)[:200])
    return list(dict.fromkeys(key for key in keys if key is not None))


def _chosen(practice):
    return set(practice.target_keys) | {str(goal) for goal in practice.goal_numbers}


def decision(stored, key, chosen, dismissed=()):
    """What a suggestion's answer is now: accepted when its key is chosen, else dismissed when
    the author dismissed it (now or before), else open."""
    if key in chosen:
        return "accepted"
    if stored == "dismissed" or key in dismissed:
        return "dismissed"
    return "open"


def stored(practice):
    """The practice's kept suggestions, best first."""
    if practice.id is None:
        return []
    return db.session.scalars(select(Suggestion).where(Suggestion.practice_id == practice.id)
                              .order_by(Suggestion.score.desc(), Suggestion.key)).all()


def offer(fields, practice=None, dismissed=()):
    """What the form offers for the text it holds: fresh suggestions, less those dismissed in
    the form or before."""
    dismissed = set(dismissed)
    if practice is not None:
        dismissed |= {row.key for row in stored(practice) if row.decision == "dismissed"}
    return [found for found in offers(suggest_for_practice(fields))
            if found.key not in dismissed]


def open_for(practice):
    """The practice's suggestions its authors have not answered yet, best first."""
    chosen = _chosen(practice)
    return [row for row in stored(practice)
            if decision(row.decision, row.key, chosen) == "open"]


def record(practice, *, dismissed=(), text_changed=True):
    """Bring the practice's suggestions up to date with its text and its tags; return whether
    anything changed.

    The suggester runs only when the text changed (or nothing is kept yet). A suggestion no
    longer made is forgotten, unless it was dismissed (so that it is never offered again)
    or is chosen.
    """
    rows = {row.key: row for row in stored(practice)}
    fresh = None
    if text_changed or not rows:
        fields = {name: getattr(practice, name) for name in PRACTICE_FIELDS}
        fresh = {found.key: found for found in offers(suggest_for_practice(fields))}
    chosen, now, changed = _chosen(practice), utcnow(), False
    for key, found in (fresh or {}).items():
        row = rows.get(key)
        if row is None:
            found.practice = practice
            db.session.add(found)
            rows[key], changed = found, True
        elif (row.score, row.words, row.sentence) != (found.score, found.words, found.sentence):
            row.score, row.words, row.sentence = found.score, found.words, found.sentence
            changed = True
    for key, row in rows.items():
        answer = decision(row.decision, key, chosen, dismissed)
        if fresh is not None and key not in fresh and answer == "open":
            db.session.delete(row)
            changed = True
        elif answer != row.decision:
            row.decision, row.decided_at = answer, None if answer == "open" else now
            changed = True
    return changed


def record_imported(practice):
    """`record` for a practice an import updated; return whether it has suggestions."""
    db.session.flush()  # imports write without autoflush: let `stored` see earlier lines'
    record(practice)
    db.session.flush()
    return bool(stored(practice))


def add_many(practices):
    """Keep open suggestions for new practices, given as (id, field values), computed
    together; return the ids of those that got any."""
    from nanum.sdg.model import suggest_many  # the model loads when first needed

    results = suggest_many([practice_text(values) for _id, values in practices])
    now, rows, suggested = utcnow(), [], []
    for (practice_id, _values), result in zip(practices, results, strict=True):
        found = offers(result)
        if found:
            suggested.append(practice_id)
        rows += [{"practice_id": practice_id, "key": s.key, "score": s.score, "words": s.words,
                  "sentence": s.sentence, "decision": "open", "created_at": now} for s in found]
    if rows:
        db.session.execute(insert(Suggestion.__table__), rows)
    return suggested


@dataclass
class Answers:
    """What a practice's authors made of its suggestions, for its reviewers."""

    accepted: list = field(default_factory=list)
    dismissed: list = field(default_factory=list)
    ignored: list = field(default_factory=list)  # still open when it was submitted
    unsuggested: list = field(default_factory=list)  # keys chosen that were not suggested

    @property
    def suggested(self):
        return len(self.accepted) + len(self.dismissed) + len(self.ignored)


def for_review(practices):
    """{practice id: Answers} for some practices (their tags loaded), in one query."""
    found = {practice.id: Answers() for practice in practices}
    if not found:
        return found
    keys = defaultdict(set)
    chosen = {practice.id: _chosen(practice) for practice in practices}
    for row in db.session.scalars(
            select(Suggestion).where(Suggestion.practice_id.in_(list(found)))
            .order_by(Suggestion.score.desc(), Suggestion.key)):
        answers = found[row.practice_id]
        answer = decision(row.decision, row.key, chosen[row.practice_id])
        {"accepted": answers.accepted, "dismissed": answers.dismissed,
         "open": answers.ignored}[answer].append(row)
        keys[row.practice_id].add(row.key)
    for practice in practices:
        suggested = keys[practice.id]
        suggested_goals = {taxonomy.goal_of(key) for key in suggested}
        targeted = {taxonomy.goal_of(key) for key in practice.target_keys}
        found[practice.id].unsuggested = [key for key in practice.target_keys
                                          if key not in suggested] + [
            str(goal) for goal in practice.goal_numbers
            if goal not in targeted and goal not in suggested_goals]
    return found
