"""Facet counts of the documents found, from every document's facets kept in memory.

Counting facets in SQL means unnesting some twenty-five `field:value` strings of each
document found and grouping them: for a common word over 20,000 documents that took most
of a search's time. Instead the facets of every document are read once per index
generation as an inverted list (for each `field:value`, the ids of the documents holding
it, in one numpy array), and a search sends only the ids of the documents it found: a
count is then one pass over the inverted list, in C.

The generation (a sequence) is bumped inside the writer's transaction, so it is seen
before the change is committed. `settled` tells whether the table as read now can stand
for a generation read earlier: only when no transaction is writing the documents (every
writer locks `search_documents` before it bumps the generation).
"""

from itertools import chain

import numpy as np
from sqlalchemy import text

WRITING_LOCKS = ["RowExclusiveLock", "ShareRowExclusiveLock", "ExclusiveLock",
                 "AccessExclusiveLock"]


def settled(connection):
    """Whether no other transaction holds a lock for writing `search_documents`."""
    return not connection.execute(text(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = "
        "CAST('search_documents' AS regclass) AND mode = ANY(:modes) "
        "AND pid <> pg_backend_pid())"), {"modes": WRITING_LOCKS}).scalar()


def parse_ids(joined):
    """Return the ids of a comma-separated text (as `string_agg` gives them) as an array."""
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(joined, dtype=np.int64, sep=",")


class FacetTable:
    """Every `field:value` with the ids of the documents holding it."""

    def __init__(self, connection):
        rows = connection.execute(text(
            "SELECT v, array_agg(id) FROM (SELECT id, unnest(facets) AS v "
            "FROM search_documents) f GROUP BY v")).all()
        self.values = [value for value, _ids in rows]
        sizes = np.array([len(ids) for _value, ids in rows], dtype=np.int64)
        self.docs = np.fromiter(chain.from_iterable(ids for _value, ids in rows),
                                dtype=np.int32, count=int(sizes.sum()))
        self.starts = np.concatenate(([0], np.cumsum(sizes)[:-1])) if len(sizes) else sizes
        self.size = int(self.docs.max()) + 1 if len(self.docs) else 0

    def count(self, found):
        """Return {`field:value`: how many of the documents `found` (ids) hold it}."""
        if not self.values or not len(found):
            return {}
        chosen = np.zeros(self.size, dtype=np.int32)
        # A document written after the table was read has no facets here yet.
        chosen[found[found < self.size]] = 1
        counts = np.add.reduceat(chosen[self.docs], self.starts)
        return {self.values[index]: int(counts[index]) for index in np.flatnonzero(counts)}
