"""Facet counts of the documents found, from every document's facets kept in memory.

Counting facets in SQL means unnesting some twenty-five `field:value` strings of each
document found and grouping them: for a common word over 20,000 documents that took most
of a search's time. Instead the facets of every document are read once as an inverted list
(for each `field:value`, the ids of the documents holding it, in one numpy array), and a
search sends only the ids of the documents it found: a count is then one pass over the
inverted list, in C.

After a change only the documents written since are read again (`written` holds the
generation of each document's last write) and kept beside the inverted list, standing in
for what it holds of them; a deleted document is never found, so what the list holds of it
is never counted. A rebuild (which numbers the documents afresh) or many changes read the
whole list again.

The generation (a sequence) is bumped inside the writer's transaction, so it is seen
before the change is committed. `settled` tells whether what is read now holds every
change of the generation read earlier: only when no transaction is writing the documents
(every writer locks `search_documents` before it bumps the generation).
"""

from itertools import chain

import numpy as np
from sqlalchemy import text

WRITING_LOCKS = ["RowExclusiveLock", "ShareRowExclusiveLock", "ExclusiveLock",
                 "AccessExclusiveLock"]
REBUILT = "rebuilt"  # search_state: the generation of the last rebuild
# The whole list is read again when more documents than this share of it were written since.
RELOAD_SHARE = 0.1


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


def _rebuilt(connection):
    return connection.execute(text("SELECT value FROM search_state WHERE name = :name"),
                              {"name": REBUILT}).scalar()


class FacetTable:
    """Every `field:value` with the ids of the documents holding it, as of generation
    `since`; `changed` holds the facets of the documents written after the list was read."""

    def __init__(self, connection, since):
        self.since = since
        self.rebuilt = _rebuilt(connection)
        rows = connection.execute(text(
            "SELECT v, array_agg(id) FROM (SELECT id, unnest(facets) AS v "
            "FROM search_documents) f GROUP BY v")).all()
        self.values = [value for value, _ids in rows]
        self.positions = {value: index for index, value in enumerate(self.values)}
        sizes = np.array([len(ids) for _value, ids in rows], dtype=np.int64)
        self.docs = np.fromiter(chain.from_iterable(ids for _value, ids in rows),
                                dtype=np.int32, count=int(sizes.sum()))
        self.starts = np.concatenate(([0], np.cumsum(sizes)[:-1])) if len(sizes) else sizes
        self.size = int(self.docs.max()) + 1 if len(self.docs) else 0
        self.listed = len(np.unique(self.docs))
        self.changed = {}  # document id -> [index in `values`]
        self._changed_ids = np.zeros(0, dtype=np.int64)
        self._changed_starts = np.zeros(0, dtype=np.int64)
        self._changed_values = np.zeros(0, dtype=np.int64)

    def refreshed(self, connection, since):
        """Return the table as of generation `since`: this one with the documents written
        after its own generation read again, or the whole table read afresh when the
        documents were rebuilt or too many changed."""
        if since == self.since:
            return self
        if _rebuilt(connection) != self.rebuilt:
            return FacetTable(connection, since)
        rows = connection.execute(text(
            "SELECT id, facets FROM search_documents WHERE written > :since"),
            {"since": self.since[0] if self.since[1] else 0}).all()
        if len(self.changed) + len(rows) > max(RELOAD_SHARE * self.listed, 100):
            return FacetTable(connection, since)
        table = object.__new__(FacetTable)
        table.__dict__.update(self.__dict__)
        table.since = since
        table.values, table.positions = list(self.values), dict(self.positions)
        table.changed = dict(self.changed)
        for doc, values in rows:
            table.changed[doc] = [table._position(value) for value in values]
        table._index_changes()
        return table

    def _position(self, value):
        position = self.positions.get(value)
        if position is None:
            position = self.positions[value] = len(self.values)
            self.values.append(value)
        return position

    def _index_changes(self):
        ids = sorted(self.changed)
        sizes = np.array([len(self.changed[doc]) for doc in ids], dtype=np.int64)
        self._changed_ids = np.array(ids, dtype=np.int64)
        self._changed_starts = np.repeat(np.arange(len(ids)), sizes)
        self._changed_values = np.fromiter(
            chain.from_iterable(self.changed[doc] for doc in ids), dtype=np.int64,
            count=int(sizes.sum()))

    def count(self, found):
        """Return {`field:value`: how many of the documents `found` (ids) hold it}."""
        if not self.values or not len(found):
            return {}
        counts = np.zeros(len(self.values), dtype=np.int64)
        if len(self.docs):
            chosen = np.zeros(self.size, dtype=np.int32)
            # A document written after the list was read is counted from `changed`.
            chosen[found[found < self.size]] = 1
            chosen[self._changed_ids[self._changed_ids < self.size]] = 0
            counts[:len(self.starts)] = np.add.reduceat(chosen[self.docs], self.starts)
        if len(self._changed_ids):
            picked = np.isin(self._changed_ids, found)[self._changed_starts]
            counts += np.bincount(self._changed_values[picked], minlength=len(counts))
        return {self.values[index]: int(counts[index]) for index in np.flatnonzero(counts)}
