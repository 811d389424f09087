"""What Nanum needs from a full-text engine, and the plan and answer it exchanges with one.

An engine stores documents (dicts built by `documents.py`) and evaluates plans. The plan is
engine-neutral: the query tree of `query.nodes`, filters, the groups whose matches rank
results, a sort and a page. Engines are chosen by the `SEARCH_ENGINE` setting
(`engines.create`).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

# The keyword fields every engine filters on and counts.
FACET_FIELDS = ("goal", "target", "country", "region", "org_type", "theme", "kind", "year",
                "content", "government_level", "population_band", "settlement_type",
                "budget_band", "infrastructure_level", "staff_band", "verified", "language")

# The text fields every engine scores, and how much a word found in each counts: `about`
# holds a practice's tags, organisation and places. Measured on bench/relevance.py
# (bench/relevance_sweep.py), equal weights rank best: a title weighing 0.5 or 2 did no
# better, and `about` at 0.25 or 0.5 worse (nDCG@10 0.673 and 0.701 against 0.716).
TEXT_FIELDS = ("title", "summary", "body", "about")
FIELD_WEIGHTS = {"title": 1.0, "summary": 1.0, "body": 1.0, "about": 1.0}

# Organisations and posts are short, which BM25 rewards; keep practices first among equals.
CONTENT_WEIGHTS = {"organisation": 0.5, "post": 0.8}


class WriterBusy(Exception):
    """Another process holds the index's writer lock; try again later."""


@dataclass
class Plan:
    """What to evaluate.

    `node` selects the documents (None: all of them); `filters` are Field nodes from facet
    links, all required. `groups` are the query's optional parts (its words and phrases
    when any of them may match): documents matching more of them rank first, and the
    engine counts how many documents match them all.

    Sorts: "relevance", "newest", "discussed", and "similarity", which orders by how alike
    a document's facets are to a place (`likeness`, from `places.similarity.likeness`):
    criteria, each a tuple of (facet, value, points) pairs, most points first; per criterion
    a document earns the points of the first pair it holds, and its similarity is their sum
    (a whole number). Among equals, relevance ranks when there are words to score, else the newest.
    """

    node: object = None
    filters: list = field(default_factory=list)
    groups: tuple = ()
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    facets: tuple = FACET_FIELDS
    within: tuple = ()  # when given, only these document keys are considered
    likeness: tuple = ()  # for sort "similarity": the place's criteria


@dataclass
class Match:
    """What an engine found: how many, one page of document keys, facet counts."""

    total: int
    keys: list
    facets: dict = field(default_factory=dict)  # field -> {value: count}
    all_groups: int | None = None  # how many match every group, when there are groups


class Engine(ABC):
    """A full-text engine: its index's state, writing, and reading."""

    # -- the index's state ---------------------------------------------------------------

    @abstractmethod
    def exists(self):
        """Tell whether an index is there at all."""

    @abstractmethod
    def is_complete(self, stamp):
        """Tell whether the index reads well and was fully built to `stamp`; may raise."""

    @abstractmethod
    def stamped(self, stamp):
        """Tell whether the last full build bears `stamp` (cheap; never raises)."""

    @abstractmethod
    def mark_incomplete(self):
        """Record that the index must be rebuilt."""

    @abstractmethod
    def generation(self):
        """Return a value that changes whenever the index does (for caches)."""

    # -- writing -------------------------------------------------------------------------

    @abstractmethod
    def writing(self, timeout=None):
        """Hold the writer lock: `with engine.writing() as w: w.update(doc); w.delete(key)`.

        Commits on leaving the block; raises WriterBusy when the lock stays taken.
        `w.more_follows()` says another commit follows at once (a backlog being applied):
        upkeep such as merging segments may wait for the last one.
        """

    @abstractmethod
    def rebuild(self, documents, progress=None, timeout=None, procs=1, stamp=None,
                only_if_stale=False):
        """Replace the whole index with `documents` and stamp it; return how many.

        With `only_if_stale`, an index already bearing `stamp` once the lock is held is
        left alone and None returned.
        """

    def tidy(self, timeout=0.0):
        """Do the upkeep that small commits leave for later (merging small segments), if
        any is due and the writer lock is free within `timeout`; return whether any was done.
        Engines that need none do nothing."""
        return False

    # -- reading -------------------------------------------------------------------------

    @abstractmethod
    def warm(self):
        """Load what the first searches would otherwise load."""

    @abstractmethod
    def keys(self):
        """Return the set of keys of every document."""

    @abstractmethod
    def stats(self):
        """Return {"documents": n, ...}: figures for `nanum search check`."""

    @abstractmethod
    def match(self, plan):
        """Evaluate a Plan: a Match with the total, one page of keys and facet counts."""

    @abstractmethod
    def unknown_words(self, words):
        """Return the words no document contains."""

    @abstractmethod
    def suggest(self, word):
        """Return the closest word documents do contain, or None."""

    @abstractmethod
    def similar(self, key, text, limit=5):
        """Return the keys of the practices most like an indexed one, best first."""

    @abstractmethod
    def closest(self, text, limit=5, exclude=()):
        """Return [(key, score)] of the practices closest to a text, best first."""
