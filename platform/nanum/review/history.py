"""What the queue shows of an author's and an organisation's past on Nanum.

Counts come in one grouped query per source, whatever the number of items on a page.
Other parts of the site add their own counts (flags upheld, say) with `register`:

    def count_flags(user_ids, organisation_ids):
        return {"users": {user_id: {"flags": n}}, "organisations": {org_id: {"flags": n}}}

    history.register(count_flags)

A counter runs a fixed number of queries, and returns only the ids it found something for.
"""

from collections import defaultdict

from sqlalchemy import func, select

from nanum.extensions import db
from nanum.practices.models import Practice

_counters = []
COUNTED = ("published", "rejected", "changes_requested", "hidden")


def register(counter):
    """Add a counter of (user ids, organisation ids) to every queue page; return it."""
    if counter not in _counters:
        _counters.append(counter)
    return counter


def _practice_counts(column, ids):
    found = defaultdict(dict)
    if not ids:
        return found
    rows = db.session.execute(
        select(column, Practice.status, func.count(Practice.id))
        .where(column.in_(ids), Practice.status.in_(COUNTED))
        .group_by(column, Practice.status))
    for owner, status, count in rows:
        found[owner][status] = count
    return found


def counts(user_ids, organisation_ids):
    """Return ({user id: {what: count}}, {organisation id: {what: count}})."""
    users = _practice_counts(Practice.author_id, set(user_ids) - {None})
    organisations = _practice_counts(Practice.organisation_id, set(organisation_ids))
    for counter in _counters:
        extra = counter(set(user_ids) - {None}, set(organisation_ids))
        for owner, values in extra.get("users", {}).items():
            users[owner].update(values)
        for owner, values in extra.get("organisations", {}).items():
            organisations[owner].update(values)
    return users, organisations
