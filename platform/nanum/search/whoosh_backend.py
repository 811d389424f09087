"""The Whoosh backend: the only module that imports whoosh.

Whoosh stores the inverted index and scores text. Everything that must be fast at
100,000 documents — counting matches, facet counts, filters and date ordering — is done
on bitsets (Python ints, one bit per document) cached per segment. Segments never change
once written, so their bitsets stay valid until a merge replaces the segment; only the
set of deleted documents is re-read when it changes.
"""

import math
import re
import threading
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from html import escape
from pathlib import Path

import numpy as np
from whoosh import index, query, writing
from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.index import LockError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.support.charset import accent_map
from whoosh.util.numeric import byte_to_length

from nanum.search.backend import Match, SearchBackend, WriterBusy

FACET_FIELDS = ("goal", "target", "country", "region", "org_type", "theme", "kind", "year",
                "content", "government_level", "population_band", "settlement_type",
                "budget_band", "infrastructure_level", "staff_band", "verified")
PREFIX_LIMIT = 200  # terms a prefix may expand to before it is cut
TERM_CACHE_BYTES = 96 * 1024 * 1024
# BM25F, as Whoosh's default weighting: title words count twice.
K1, B = 1.2, 0.75
FIELD_WEIGHTS = {"title": 2.0, "body": 1.0}
# Organisations and posts are short, which BM25 rewards; keep practices first among equals.
CONTENT_WEIGHTS = {"organisation": 0.5, "post": 0.8}
BUILD_STAMP = "nanum-build"  # beside the index files: the format of the last full build
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)

# Single letters stay (minsize=1) so that "e-governance" can be searched as the words
# "e" and "governance" side by side rather than as "governance" alone.
TEXT_ANALYZER = (RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
                 | StopFilter(minsize=1) | StemFilter(cachesize=100000))
SPELL_ANALYZER = (RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
                  | StopFilter(minsize=3))
FOLD_ANALYZER = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def schema():
    """Return the index schema: text to score, and keyword fields to filter and count."""
    fields = {
        "key": ID(stored=True, unique=True),
        "title": TEXT(analyzer=TEXT_ANALYZER, phrase=False, field_boost=2.0),
        "body": TEXT(analyzer=TEXT_ANALYZER),
        "spell": TEXT(analyzer=SPELL_ANALYZER, phrase=False),
        "published": DATETIME(sortable=True),
        "discussed": NUMERIC(sortable=True),
    }
    for name in FACET_FIELDS:
        fields[name] = KEYWORD(commas=True, scorable=False)
    return Schema(**fields)


def _as_fields(document):
    """Turn a document of lists and values into Whoosh field values."""
    fields = {}
    for name, value in document.items():
        if name in FACET_FIELDS:
            values = value if isinstance(value, (list, tuple)) else [value]
            fields[name] = ",".join(str(v).replace(",", " ") for v in values if v)
        elif value is not None:
            fields[name] = value
    fields.setdefault("published", datetime(1970, 1, 1))
    fields.setdefault("discussed", 0)
    return fields


# -- bitsets -------------------------------------------------------------------------------

def bits_of(ids, size):
    """Return a bitset with the given document numbers set."""
    flags = np.zeros(size, dtype=bool)
    flags[np.fromiter(ids, dtype=np.int64) if not isinstance(ids, np.ndarray) else ids] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def flags_of(bitset, size):
    """Return a bitset as an array of booleans, one per document."""
    data = np.frombuffer(bitset.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(data, bitorder="little")[:size].astype(bool)


class SegmentCache:
    """Bitsets and orderings of one immutable segment."""

    def __init__(self, size):
        self.size = size
        self.all = (1 << size) - 1
        self.live = None
        self.live_key = None
        self.facets = {}  # field -> {term: bitset}
        self.values = {}  # sortable field -> array of values by docnum
        self.lengths = {}  # text field -> array of field lengths by docnum


class TermCache:
    """Bitsets of text terms and phrases per segment, least recently used dropped first."""

    def __init__(self, limit_bytes):
        self.limit = limit_bytes
        self.used = 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.used += _size_of(value)
            while self.used > self.limit and self.entries:
                _key, old = self.entries.popitem(last=False)
                self.used -= _size_of(old)

    def forget_segments(self, live_ids):
        with self.lock:
            for key in [k for k in self.entries if k[0] not in live_ids]:
                self.used -= _size_of(self.entries.pop(key))


def _size_of(value):
    if isinstance(value, int):
        return value.bit_length() // 8 + 64
    return sum(array.nbytes for array in value) + 64


@dataclass
class Leaf:
    """One segment of the current searcher: its reader, offset and cache."""

    reader: object
    searcher: object
    offset: int
    cache: SegmentCache
    segment_id: str


@dataclass
class Plan:
    """What to evaluate: the parsed query tree, extra filters, and how to rank."""

    node: object = None
    filters: list = field(default_factory=list)  # Field nodes from facet links
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    facets: tuple = FACET_FIELDS
    any_words: bool = False  # OR the plain words instead of AND


class WhooshBackend(SearchBackend):
    """Keep the index in a folder; one writer at a time across processes."""

    def __init__(self, folder, writer_timeout=5.0):
        self.folder = Path(folder)
        self.writer_timeout = writer_timeout
        self._index = None
        self._searcher = None
        self._generation = None
        self._leaves = []
        self._caches = {}
        self._terms = TermCache(TERM_CACHE_BYTES)
        self._lock = threading.RLock()

    # -- opening -------------------------------------------------------------------------

    def _forget(self):
        """Drop the open index and its caches (its folder was removed under us)."""
        self._index = self._searcher = None
        self._leaves, self._caches = [], {}

    def _open(self, check=True):
        if check and self._index is not None and not index.exists_in(str(self.folder)):
            self._forget()  # removed by hand, or to force a rebuild: start over
        if self._index is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            if index.exists_in(str(self.folder)):
                self._index = index.open_dir(str(self.folder))
            else:
                self._create()
        return self._index

    def _create(self):
        """Start an empty index; it is incomplete until a full build stamps it."""
        self._stamp_file().unlink(missing_ok=True)
        try:
            self._index = index.create_in(str(self.folder), schema())
        except LockError:
            self._index = index.open_dir(str(self.folder))

    def _stamp_file(self):
        return self.folder / BUILD_STAMP

    def exists(self):
        return index.exists_in(str(self.folder))

    def is_complete(self, stamp):
        """Tell whether the index is readable and was fully built to `stamp`.

        An index recreated after its folder was deleted or emptied holds only the
        documents written since, and has no stamp.
        """
        with self._lock:
            try:
                self._current()  # recreates a vanished index, unstamped
            except Exception:
                self._forget()  # try afresh next time
                raise
        return self.stamped(stamp)

    def stamped(self, stamp):
        """Tell whether the last full build of the index bears `stamp`."""
        try:
            return self._stamp_file().read_text() == stamp
        except OSError:
            return False

    def mark_incomplete(self):
        """Record that the index must be rebuilt (it could not be read)."""
        with self._lock:
            self._forget()
            self._stamp_file().unlink(missing_ok=True)

    def _current(self):
        """Return the process's searcher, refreshed when the index has changed.

        One directory listing per search tells both whether the index changed and whether
        it is still there.
        """
        if self._searcher is not None:
            try:
                latest = self._index.latest_generation()
            except FileNotFoundError:
                latest = -1
            if latest < 0:
                self._forget()
        if self._searcher is None:
            # Note the generation before opening: a commit in between only costs a reopen.
            self._generation = self._open(check=False).latest_generation()
            self._searcher = self._index.searcher()
        elif self._generation != latest:
            # Open afresh rather than Searcher.refresh(): whoosh-reloaded's refresh keeps
            # segments that a merge removed and misses new deletions in kept segments.
            old = self._searcher
            self._generation = latest
            self._searcher = self._index.searcher()
            old.close()
        else:
            return self._searcher
        self._leaves = self._make_leaves(self._searcher)
        return self._searcher

    def _make_leaves(self, searcher):
        leaves = []
        subsearchers = searcher.subsearchers if not searcher.is_atomic() else [(searcher, 0)]
        for subsearcher, offset in subsearchers:
            reader = subsearcher.reader()
            if reader.segment() is None:  # an empty index has no segment at all
                continue
            segment_id = reader.segment().segment_id()
            cache = self._caches.get(segment_id)
            if cache is None:
                cache = self._caches[segment_id] = SegmentCache(reader.doc_count_all())
            leaves.append(Leaf(reader, subsearcher, offset, cache, segment_id))
        live_ids = {leaf.segment_id for leaf in leaves}
        for segment_id in list(self._caches):
            if segment_id not in live_ids:
                del self._caches[segment_id]
        self._terms.forget_segments(live_ids)
        return leaves

    def generation(self):
        with self._lock:
            self._current()
            return self._generation

    # -- writing -------------------------------------------------------------------------

    def _writer(self, timeout=None):
        try:
            return self._open().writer(timeout=self.writer_timeout if timeout is None
                                       else timeout, delay=0.05)
        except LockError as error:
            raise WriterBusy(str(error)) from error

    def writing(self, timeout=None):
        """Return a context manager that holds the writer lock and commits on exit."""
        return _Writing(self._writer(timeout))

    def rebuild(self, documents, progress=None, timeout=None, procs=1, stamp=None,
                only_if_stale=False):
        """Replace the whole index with `documents` in one commit; return how many.

        With several processes, each writes its own segment (no final merge); the
        searcher handles several segments as well as one. The finished build is stamped;
        with `only_if_stale`, an index that already bears the stamp once the lock is held
        is left alone and None returned.
        """
        try:
            self._open()
        except LockError:
            raise
        except Exception:  # unreadable: start it again
            self._forget()
            self.folder.mkdir(parents=True, exist_ok=True)
            self._create()
        wait = self.writer_timeout if timeout is None else timeout
        try:
            if procs > 1:
                writer = self._index.writer(procs=procs, multisegment=True, limitmb=128,
                                            timeout=wait, delay=0.05)
            else:
                writer = self._index.writer(timeout=wait, delay=0.05)
        except LockError as error:
            raise WriterBusy(str(error)) from error
        if only_if_stale and stamp is not None and self.stamped(stamp):
            writer.cancel()
            return None
        count = 0
        try:
            for document in documents:
                writer.add_document(**_as_fields(document))
                count += 1
                if progress:
                    progress(1)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=writing.CLEAR)
        if stamp is not None:
            partial = self.folder / f".{BUILD_STAMP}.tmp"
            partial.write_text(stamp)
            partial.replace(self._stamp_file())
        return count

    # -- reading -------------------------------------------------------------------------

    def warm(self):
        """Build every segment's facet bitsets, lengths and orderings ahead of searches."""
        with self._lock:
            self._current()
            for leaf in self._leaves:
                self._live(leaf)
                for name in FACET_FIELDS:
                    self._facet(leaf, name)
                for fieldname in FIELD_WEIGHTS:
                    self._lengths(leaf, fieldname)
                for field_name in ("published", "discussed"):
                    self._values(leaf, field_name)

    def keys(self):
        """Return the keys of every live document."""
        with self._lock:
            searcher = self._current()
            return {fields["key"] for fields in searcher.reader().all_stored_fields()}

    def stats(self):
        """Return document and segment counts and the size on disk."""
        with self._lock:
            searcher = self._current()
            size = sum(path.stat().st_size for path in self.folder.iterdir() if path.is_file())
            return {"documents": searcher.doc_count(), "segments": len(self._leaves),
                    "bytes": size}

    def _live(self, leaf):
        reader = leaf.reader
        key = reader.segment().deleted_count() if reader.has_deletions() else 0
        cache = leaf.cache
        if cache.live is None or cache.live_key != key:
            deleted = bits_of(reader.deleted_docs_set, cache.size) if key else 0
            cache.live = cache.all & ~deleted
            cache.live_key = key
        return cache.live

    def _arrays(self, leaf, fieldname, text):
        """Return (docnums, term frequencies) of a term in a segment, deleted included."""
        key = (leaf.segment_id, "postings", fieldname, text)
        found = self._terms.get(key)
        if found is None:
            try:
                matcher = leaf.reader.postings(fieldname, text)
            except TermNotFound:  # no such term in this segment
                matcher = None
            if isinstance(matcher, FilterMatcher):
                matcher = matcher.child
            found = _posting_arrays(matcher) if matcher is not None else _NO_POSTINGS
            self._terms.put(key, found)
        return found

    def _postings(self, leaf, fieldname, text):
        """Return the bitset of documents holding a term, deleted ones included."""
        docs, _weights = self._arrays(leaf, fieldname, text)
        return bits_of(docs, leaf.cache.size) if len(docs) else 0

    def _facet(self, leaf, fieldname):
        """Return {term: bitset} for a keyword field of a segment, built once."""
        found = leaf.cache.facets.get(fieldname)
        if found is None:
            found = {}
            for term in leaf.reader.lexicon(fieldname):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                found[text] = self._postings(leaf, fieldname, text)
            leaf.cache.facets[fieldname] = found
        return found

    def _term(self, leaf, fieldname, text):
        key = (leaf.segment_id, fieldname, text)
        found = self._terms.get(key)
        if found is None:
            found = self._postings(leaf, fieldname, text)
            self._terms.put(key, found)
        return found

    # -- evaluating ----------------------------------------------------------------------

    def _bits(self, leaf, node, any_words=False):
        """Return the bitset of documents in a segment matching a query node."""
        kind = type(node).__name__
        if kind == "Word":
            return self._word_bits(leaf, node)
        if kind == "Phrase":
            return self._phrase_bits(leaf, node.words)
        if kind == "Field":
            return self._field_bits(leaf, node)
        if kind == "Not":
            return leaf.cache.all & ~self._bits(leaf, node.child)
        children = [self._bits(leaf, child, any_words) for child in node.children]
        if kind == "Or" or (any_words and _plain_words(node)):
            return _union(children)
        return _intersection(children, leaf.cache.all)

    def _word_bits(self, leaf, word):
        if word.prefix:
            prefix = _fold(word.text)
            terms = []
            for term in leaf.reader.expand_prefix("body", prefix):
                terms.append(term.decode("utf-8") if isinstance(term, bytes) else term)
                if len(terms) >= PREFIX_LIMIT:
                    break
            return _union(self._term(leaf, "body", term) for term in terms)
        tokens = analyse(word.text)
        if not tokens:
            return leaf.cache.all  # a stop word matches everything rather than nothing
        if len(tokens) > 1:  # "e-governance" is two tokens: they must be adjacent
            return self._phrase_bits(leaf, tokens, analysed=True)
        return self._term(leaf, "body", tokens[0])

    def _phrase_bits(self, leaf, words, analysed=False):
        tokens = tuple(words if analysed else analyse(" ".join(words)))
        if not tokens:
            return leaf.cache.all
        if len(tokens) == 1:
            return self._term(leaf, "body", tokens[0])
        key = (leaf.segment_id, "phrase", tokens)
        found = self._terms.get(key)
        if found is None:
            candidates = _intersection([self._term(leaf, "body", t) for t in tokens],
                                       leaf.cache.all)
            found = 0
            if candidates:
                matcher = query.Phrase("body", list(tokens)).matcher(leaf.searcher)
                found = bits_of(list(_all_ids(matcher)), leaf.cache.size) & candidates
            self._terms.put(key, found)
        return found

    def _field_bits(self, leaf, node):
        terms = self._facet(leaf, node.name)
        if node.name == "year":
            start, end = node.value
            return _union(terms.get(str(year), 0) for year in range(start, end + 1))
        return terms.get(str(node.value), 0)

    def match(self, plan):
        """Evaluate a plan: count, facets and one page of ranked document keys."""
        with self._lock:
            searcher = self._current()
            matched = []
            total = 0
            for leaf in self._leaves:
                bits = self._live(leaf)
                if plan.node is not None:
                    bits &= self._bits(leaf, plan.node, plan.any_words)
                for node in plan.filters:
                    bits &= self._field_bits(leaf, node)
                matched.append(bits)
                total += bits.bit_count()
            facets = self._count_facets(matched, plan.facets) if total else {}
            docnums = self._rank(searcher, plan, matched, total)
            keys = [searcher.stored_fields(docnum)["key"] for docnum in docnums]
            return Match(total=total, keys=keys, facets=facets)

    def _count_facets(self, matched, names):
        counts = {}
        for name in names:
            totals = {}
            for leaf, bits in zip(self._leaves, matched, strict=True):
                if not bits:
                    continue
                for term, term_bits in self._facet(leaf, name).items():
                    hits = (bits & term_bits).bit_count()
                    if hits:
                        totals[term] = totals.get(term, 0) + hits
            counts[name] = totals
        return counts

    # -- ranking -------------------------------------------------------------------------

    def _rank(self, searcher, plan, matched, total):
        """Return the global docnums of the requested page, best first."""
        wanted = plan.offset + plan.limit
        if not total or plan.offset >= total:
            return []
        terms = _scoring_terms(plan.node) if plan.node is not None else []
        candidates, stats = [], {}
        for leaf, bits in zip(self._leaves, matched, strict=True):
            if not bits:
                continue
            flags = flags_of(bits, leaf.cache.size)
            docs = np.flatnonzero(flags)
            if plan.sort in ("newest", "discussed") or not terms:
                field_name = "discussed" if plan.sort == "discussed" else "published"
                keys = self._values(leaf, field_name)[docs]
            else:
                keys = self._scores(searcher, leaf, terms, docs, stats)
            best = _top(keys, wanted)
            candidates += zip(keys[best].tolist(), (docs[best] + leaf.offset).tolist(),
                              strict=True)
        # Best first; among equals, the later document (usually the newer) first.
        candidates.sort(reverse=True)
        return [docnum for _key, docnum in candidates[plan.offset:wanted]]

    def _values(self, leaf, field_name):
        found = leaf.cache.values.get(field_name)
        if found is None:
            column = leaf.reader.column_reader(field_name, translate=False)
            found = np.array(list(column), dtype=np.float64)
            leaf.cache.values[field_name] = found
        return found

    def _lengths(self, leaf, fieldname):
        found = leaf.cache.lengths.get(fieldname)
        if found is None:
            found = leaf.cache.lengths[fieldname] = _field_lengths(leaf.reader, fieldname,
                                                                   leaf.cache.size)
        return found

    def _expand(self, leaf, fieldname, terms):
        """Yield the terms, with each `prefix*` replaced by the words it stands for."""
        for term in terms:
            if not term.endswith("*"):
                yield term
                continue
            for count, word in enumerate(leaf.reader.expand_prefix(fieldname, term[:-1])):
                if count >= PREFIX_LIMIT:
                    break
                yield word.decode("utf-8") if isinstance(word, bytes) else word

    def _scores(self, searcher, leaf, terms, docs, stats):
        """Return the BM25F scores of the given documents of a segment.

        `stats` caches the index-wide figures (document frequencies, average lengths)
        across the segments of one query.
        """
        scores = np.zeros(leaf.cache.size, dtype=np.float32)
        total_docs = max(searcher.doc_count_all(), 1)
        for fieldname, weight in FIELD_WEIGHTS.items():
            if fieldname not in stats:
                stats[fieldname] = searcher.reader().field_length(fieldname) / total_docs or 1.0
            average = stats[fieldname]
            lengths = self._lengths(leaf, fieldname)
            for term in self._expand(leaf, fieldname, terms):
                postings, frequencies = self._arrays(leaf, fieldname, term)
                if not len(postings):
                    continue
                # One idf per term, from the body (which holds the title too), as BM25F
                # wants: a word rare in titles must not make every title match outrank
                # the documents that are about it.
                idf = stats.get(term)
                if idf is None:
                    frequency = searcher.doc_frequency("body", term)
                    idf = stats[term] = math.log(total_docs / (frequency + 1)) + 1
                norm = K1 * ((1 - B) + B * lengths[postings] / average)
                scores[postings] += weight * idf * (frequencies * (K1 + 1)) / (
                    frequencies + norm)
        contents = self._facet(leaf, "content")
        for content, factor in CONTENT_WEIGHTS.items():
            if contents.get(content):
                scores[flags_of(contents[content], leaf.cache.size)] *= factor
        return scores[docs]

    # -- presenting ----------------------------------------------------------------------

    def highlight(self, text, words, prefixes=(), top=2, maxchars=220):
        """Return an HTML snippet of `text` with the words (and prefixes) marked."""
        return snippet(text, words, prefixes, top=top, maxchars=maxchars)

    def unknown_words(self, words):
        """Return the words no document contains."""
        with self._lock:
            searcher = self._current()
            reader = searcher.reader()
            missing = []
            for word in words:
                tokens = analyse(word)
                if tokens and all(reader.doc_frequency("body", t) == 0 for t in tokens):
                    missing.append(word)
            return missing

    def suggest(self, word):
        """Return the closest word that documents do contain, or None."""
        folded = " ".join(_fold_tokens(word))
        if not folded or len(folded) < 3:
            return None
        with self._lock:
            searcher = self._current()
            corrector = searcher.corrector("spell")
            found = corrector.suggest(folded, limit=1, maxdist=2, prefix=1)
            return found[0] if found else None

    def similar(self, key, text, limit=5):
        """Return keys of the practices most like a document, best first."""
        with self._lock:
            searcher = self._current()
            docnum = searcher.document_number(key=key)
            if docnum is None:
                return []
            results = searcher.more_like(docnum, "body", text=text, top=limit + 1,
                                         numterms=15, filter=query.Term("content", "practice"))
            return [hit["key"] for hit in results if hit["key"] != key][:limit]

    def closest(self, text, limit=5, exclude=()):
        """Return [(key, score)] of the practices closest to a text (indexed or not)."""
        with self._lock:
            searcher = self._current()
            terms = searcher.key_terms_from_text("body", text, numterms=15)
            if not terms:
                return []
            found = searcher.search(
                query.Or([query.Term("body", word, boost=weight) for word, weight in terms]),
                limit=limit + len(exclude), filter=query.Term("content", "practice"))
            return [(hit["key"], hit.score) for hit in found
                    if hit["key"] not in exclude][:limit]


class _Writing:
    """The open writer of one commit: update and delete documents, then commit or cancel."""

    def __init__(self, writer):
        self._writer = writer

    def __enter__(self):
        return self

    def update(self, document):
        self._writer.update_document(**_as_fields(document))

    def delete(self, key):
        self._writer.delete_by_term("key", key)

    def __exit__(self, kind, _error, _traceback):
        if kind is None:
            self._writer.commit(merge=True)
        else:
            self._writer.cancel()
        return False


# -- snippets ------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=200_000)
def _index_form(word):
    """Return how the index stores a word (folded and stemmed), or "" for a stop word."""
    tokens = analyse(word)
    return tokens[0] if len(tokens) == 1 else ""


def snippet(text, words, prefixes=(), top=2, maxchars=220):
    """Return up to `top` passages of text around the matched words, escaped, marked.

    Regular expressions find the words in C; only each distinct word of the text is
    stemmed (and cached), which is what keeps twenty snippets within a few milliseconds.
    """
    terms = set(analyse(" ".join(words)))
    folded = [_fold(prefix) for prefix in prefixes if _fold(prefix)]
    matching = {surface for surface in set(_WORD.findall(text))
                if _index_form(surface) in terms
                or (folded and any(_fold(surface).startswith(p) for p in folded))}
    if not matching:
        return ""
    # One pass over the words: an alternation of every matching word would cost
    # (words in the text) x (matching words), quadratic for a prefix query on a long text.
    spans = [found.span() for found in _WORD.finditer(text) if found.group() in matching]
    passages = []
    windows = _windows(text, spans, top, maxchars)
    for start, end in windows:
        parts, cursor = [], start
        for match_start, match_end in spans[bisect_left(spans, (start, 0)):]:
            if match_start >= end:
                break
            if match_end <= end:
                parts += [escape(text[cursor:match_start]), "<mark>",
                          escape(text[match_start:match_end]), "</mark>"]
                cursor = match_end
        parts.append(escape(text[cursor:end]))
        passages.append("".join(parts).strip())
    return (("… " if windows[0][0] > 0 else "") + " … ".join(passages)
            + (" …" if windows[-1][1] < len(text) else ""))


def _windows(text, spans, top, maxchars):
    """Choose up to `top` non-overlapping windows holding the most distinct matches."""
    starts = [a for a, _b in spans]
    words = [text[a:b].lower() for a, b in spans]
    candidates = []
    for match_start in starts[:40]:  # the first matches are plenty to choose from
        start = max(0, match_start - maxchars // 4)
        end = min(len(text), start + maxchars)
        first, last = bisect_left(starts, start), bisect_left(starts, end)
        inside = {w for (_a, b), w in zip(spans[first:last], words[first:last], strict=True)
                  if b <= end}
        candidates.append((len(inside), -start, start, end))
    candidates.sort(reverse=True)
    chosen = []
    for _count, _order, start, end in candidates:
        if len(chosen) == top:
            break
        if not any(start < b and a < end for a, b in chosen):
            chosen.append((start, end))
    return sorted(_snap(text, start, end) for start, end in chosen)


def _snap(text, start, end):
    """Move window edges to word boundaries."""
    if start > 0:
        space = text.rfind(" ", max(0, start - 20), start)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.find(" ", end, end + 20)
        end = space if space != -1 else end
    return start, end


# -- helpers -------------------------------------------------------------------------------

def analyse(text):
    """Return the index tokens of text: lower-cased, accents folded, stemmed."""
    return [token.text for token in TEXT_ANALYZER(text)]


def _fold_tokens(text):
    return [token.text for token in FOLD_ANALYZER(text)]


def _fold(text):
    tokens = _fold_tokens(text)
    return tokens[0] if tokens else ""


def _all_ids(matcher):
    """Yield the ids of a matcher, a block at a time where the codec allows."""
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        # Whoosh's leaf matchers decode a whole block of ids at once; walking the blocks
        # is several times faster than stepping through ids one call at a time.
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            yield from matcher._ids[matcher._i:]
            matcher._next_block()
        return
    yield from matcher.all_ids()


def _union(bitsets):
    result = 0
    for bits in bitsets:
        result |= bits
    return result


def _intersection(bitsets, everything):
    result = everything
    for bits in bitsets:
        result &= bits
        if not result:
            break
    return result


def _plain_words(node):
    return all(type(child).__name__ in ("Word", "Phrase") for child in node.children)


def _scoring_terms(node, negated=False):
    """Return the analysed terms whose weights rank the results (not those under NOT)."""
    kind = type(node).__name__
    if kind == "Not" or negated:
        return []
    if kind == "Word":
        if node.prefix:
            return [f"{_fold(node.text)}*"]
        return analyse(node.text)
    if kind == "Phrase":
        return analyse(" ".join(node.words))
    if kind in ("And", "Or"):
        terms = []
        for child in node.children:
            terms += [t for t in _scoring_terms(child) if t not in terms]
        return terms
    return []


_NO_POSTINGS = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


def _posting_arrays(matcher):
    """Read a leaf matcher's ids and weights a block at a time into arrays."""
    ids, weights = [], []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_read_weights"):
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int64))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(np.array([matcher.id()], dtype=np.int64))
            weights.append(np.array([matcher.weight()], dtype=np.float32))
            matcher.next()
    if not ids:
        return _NO_POSTINGS
    return np.concatenate(ids), np.concatenate(weights)


def _field_lengths(reader, fieldname, size):
    """Return every document's length in a field, as Whoosh stores it (one byte each)."""
    try:
        # The per-document reader keeps the lengths as a column of bytes; reading the
        # column whole is far faster than asking document by document.
        column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        codes = np.fromiter((value or 0 for value in column), dtype=np.uint8, count=size)
        return LENGTH_OF_BYTE[codes]
    except (AttributeError, TypeError, ValueError):  # another codec: ask doc by doc
        return np.array([reader.doc_field_length(d, fieldname) or 0 for d in range(size)],
                        dtype=np.float32)


def _top(keys, wanted):
    """Return the positions of the `wanted` largest keys; ties go to later positions.

    Positions follow docnums upwards, so the tie rule matches the final sort and pages
    never overlap.
    """
    if len(keys) <= wanted:
        return np.arange(len(keys))
    threshold = keys[np.argpartition(-keys, wanted - 1)[wanted - 1]]
    above = np.flatnonzero(keys > threshold)
    tied = np.flatnonzero(keys == threshold)
    return np.concatenate([above, tied[len(tied) - (wanted - len(above)):]])
