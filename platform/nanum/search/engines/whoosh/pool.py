"""The postings of one commit, gathered by term in memory instead of sorted whole.

Whoosh's writer puts every posting, a tuple (field, term, document, weight, value), into
a sorting pool: a list sorted whole at the commit, spilled to temporary files (each posting
pickled, then read back and merged) once its estimate of the list's size passes the
writer's memory limit. A commit of 5,000 practices holds about 1.25 million postings,
twice that limit: a third of the commit's time went to pickling, unpickling and merging
the runs, and a tenth to the sort.

A commit's documents get increasing numbers, and a merged segment's documents come after
them in its order, so a term's postings arrive already in document order: gathering them
by (field, term) and sorting only the distinct terms gives Whoosh's order without sorting
the postings. A term whose postings came out of order (which Whoosh's writer does not do
today) is sorted when read.

The pool stays in memory: the commits of `writing()` hold at most `indexing.BATCH` times
`indexing.SYNC_BATCHES` changes (about 300 MB for 5,000 practices at most); a full build
keeps Whoosh's spilling pool.
"""


class TermPool:
    """A writer's pool of postings, grouped by (field, term)."""

    def __init__(self):
        self._terms = {}
        self._unordered = set()

    def add(self, item):
        key = item[:2]
        found = self._terms.get(key)
        if found is None:
            self._terms[key] = [item]
            return
        if item[2] < found[-1][2]:
            self._unordered.add(key)
        found.append(item)

    def iter_postings(self):
        terms = self._terms
        for key in sorted(terms):
            postings = terms[key]
            if key in self._unordered:
                postings.sort()
            yield from postings

    def items(self):
        return self.iter_postings()

    def cleanup(self):
        self._terms, self._unordered = {}, set()


def gather_by_term(writer):
    """Give a Whoosh segment writer, before any document is added, a `TermPool`."""
    writer.pool = TermPool()
    return writer
