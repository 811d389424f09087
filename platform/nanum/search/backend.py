"""The search backend interface: index, delete, query, rebuild, check."""

from dataclasses import dataclass, field


class WriterBusy(Exception):
    """Another process holds the index's writer lock; try again later."""


@dataclass
class Match:
    """What a backend found: how many, one page of document keys, facet counts."""

    total: int
    keys: list
    facets: dict = field(default_factory=dict)  # field -> {value: count}


class SearchBackend:
    """What Nanum needs from a full-text engine."""

    def exists(self):
        raise NotImplementedError

    def writing(self, timeout=None):
        """Hold the writer lock: `with backend.writing() as w: w.update(doc); w.delete(key)`.

        Commits on leaving the block; raises WriterBusy when the lock stays taken.
        """
        raise NotImplementedError

    def rebuild(self, documents, progress=None, timeout=None):
        """Replace the whole index with `documents`; return how many were written."""
        raise NotImplementedError

    def keys(self):
        """Return the keys of every document in the index."""
        raise NotImplementedError

    def match(self, plan):
        """Return a Match for a query plan."""
        raise NotImplementedError

    def highlight(self, text, words, prefixes=(), top=2, maxchars=220):
        raise NotImplementedError

    def unknown_words(self, words):
        raise NotImplementedError

    def suggest(self, word):
        raise NotImplementedError

    def similar(self, key, text, limit=5):
        raise NotImplementedError

    def closest(self, text, limit=5, exclude=()):
        """Return [(key, score)] of the practices closest to a text, best first."""
        raise NotImplementedError

    def stats(self):
        raise NotImplementedError
