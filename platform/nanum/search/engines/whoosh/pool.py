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
the postings (each term's list is still sorted when read, which costs one comparison per
posting when it is in order, and keeps Whoosh's order should a posting come out of it).

The pool stays in memory: the commits of `writing()` hold at most `indexing.BATCH` times
`indexing.SYNC_BATCHES` changes (the indexer peaked at about 400 MB applying 10,000
practices in two such commits, against 300 MB with the spilling pool); a full build
keeps Whoosh's spilling pool.
"""


class TermPool:
    """A writer's pool of postings, grouped by (field, term)."""

    def __init__(self):
        self._terms = {}

    def add(self, item):
        found = self._terms.get(item[:2])
        if found is None:
            self._terms[item[:2]] = [item]
        else:
            found.append(item)

    def iter_postings(self):
        terms = self._terms
        for key in sorted(terms):
            postings = terms[key]
            if len(postings) > 1:
                postings.sort()  # in order already: one pass of comparisons
            yield from postings

    def items(self):
        return self.iter_postings()

    def cleanup(self):
        self._terms = {}


def gather_by_term(writer):
    """Give a Whoosh segment writer, before any document is added, a `TermPool`."""
    writer.pool = TermPool()
    return writer
