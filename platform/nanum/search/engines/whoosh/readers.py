"""Segment readers kept open from one index generation to the next.

A commit of one change adds one small segment and may mark deletions in older ones; every
other segment is as it was. Opening a fresh searcher after each commit opened every
segment's reader again (its terms table, columns and stored fields), in each web worker and
twice in the indexer (its own searcher, and the writer's, which finds the documents an
update replaces). Here a process keeps one reader per live segment and opens only the
segments it has not seen; a segment whose deletions changed gets a view on its open reader
that sees the new deletions. Readers of segments that a merge removed are closed once the
process's searcher has moved past them.
"""

import copy

from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher


def _deletions(segment):
    return frozenset(segment.deleted_docs()) if segment.has_deletions() else frozenset()


def _view(reader, segment):
    """A reader sharing `reader`'s open files, with the deletions of `segment`."""
    view = copy.copy(reader)
    view._segment = segment
    view._perdoc = copy.copy(reader._perdoc)
    view._perdoc._segment = segment
    view.__dict__.pop("deleted_docs_set", None)  # a cached property: read it afresh
    view.close = lambda: None  # the files are the base reader's
    return view


class ReaderPool:
    """The open segment readers of one index, by segment id."""

    def __init__(self):
        self._open = {}  # segment id: (reader owning the files, its deletions)

    def _segment_reader(self, storage, schema, segment, generation):
        kept = self._open.get(segment.segment_id())
        if kept is None:
            reader = SegmentReader(storage, schema, segment, generation=generation)
            self._open[segment.segment_id()] = (reader, _deletions(segment))
            return reader
        reader, deletions = kept
        return reader if _deletions(segment) == deletions else _view(reader, segment)

    def searcher(self, index, toc):
        """Return a searcher on the segments of `toc` (an index's table of contents)."""
        segments = toc.segments
        readers = [self._segment_reader(index.storage, toc.schema, segment, toc.generation)
                   for segment in segments]
        if not readers:
            reader = EmptyReader(toc.schema)
        elif len(readers) == 1:
            reader = readers[0]
        else:
            reader = MultiReader(readers, generation=toc.generation)
        searcher = Searcher(reader, fromindex=index)
        searcher.close = lambda: None  # the pool closes its readers (`keep_only`)
        return searcher

    def keep_only(self, segment_ids):
        """Close the readers of segments no longer in the index."""
        for segment_id in list(self._open):
            if segment_id not in segment_ids:
                reader, _deletions = self._open.pop(segment_id)
                reader.close()

    def forget(self):
        """Drop every reader without closing it (the index folder went away)."""
        self._open = {}
