"""The Whoosh backend: the only module that imports whoosh.

Whoosh stores the inverted index and scores text. Everything that must be fast at
100,000 documents — counting matches, facet counts, filters and date ordering — is done
on bitsets (Python ints, one bit per document) cached per segment. Segments never change
once written, so their bitsets stay valid until a merge replaces the segment; only the
set of deleted documents is re-read when it changes.
"""

import heapq
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from whoosh import highlight, index, query, writing
from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.idsets import DocIdSet
from whoosh.index import LockError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.support.charset import accent_map

from nanum.search.backend import Match, SearchBackend, WriterBusy

FACET_FIELDS = ("goal", "target", "country", "region", "org_type", "theme", "kind", "year",
                "content", "government_level", "population_band", "settlement_type",
                "budget_band", "infrastructure_level", "staff_band")
PREFIX_LIMIT = 200  # terms a prefix may expand to before it is cut
SPARSE = 4000  # below this many matches, rank candidates one by one
TERM_CACHE_BYTES = 64 * 1024 * 1024

TEXT_ANALYZER = (RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
                 | StopFilter() | StemFilter(cachesize=100000))
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
    return fields


# -- bitsets -------------------------------------------------------------------------------

_BIT_POSITIONS = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]
_NONZERO = re.compile(rb"[^\x00]")


def bits_of(ids, size):
    """Return a bitset with the given document numbers set."""
    bitmap = bytearray((size + 7) // 8)
    for docnum in ids:
        bitmap[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(bitmap, "little")


def members(bitset, size):
    """Yield the document numbers in a bitset, in ascending order."""
    data = bitset.to_bytes((size + 7) // 8, "little")
    for found in _NONZERO.finditer(data):
        base = found.start() * 8
        for bit in _BIT_POSITIONS[data[found.start()]]:
            yield base + bit


class BitsetIds(DocIdSet):
    """A read-only view of a bitset, for Whoosh's `filter=`."""

    def __init__(self, bitset, size):
        self._bytes = bitset.to_bytes((size + 7) // 8, "little")

    def __contains__(self, docnum):
        return docnum >> 3 < len(self._bytes) and self._bytes[docnum >> 3] >> (docnum & 7) & 1

    def __bool__(self):
        return True


class SegmentCache:
    """Bitsets and orderings of one immutable segment."""

    def __init__(self, size):
        self.size = size
        self.all = (1 << size) - 1
        self.live = None
        self.live_key = None
        self.facets = {}  # field -> {term: bitset}
        self.orders = {}  # sort field -> docnums, best first


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

    def put(self, key, bitset):
        size = bitset.bit_length() // 8 + 64
        with self.lock:
            self.entries[key] = bitset
            self.used += size
            while self.used > self.limit and self.entries:
                _key, old = self.entries.popitem(last=False)
                self.used -= old.bit_length() // 8 + 64

    def forget_segments(self, live_ids):
        with self.lock:
            for key in [k for k in self.entries if k[0] not in live_ids]:
                self.used -= self.entries.pop(key).bit_length() // 8 + 64


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
        self._leaves = []
        self._caches = {}
        self._terms = TermCache(TERM_CACHE_BYTES)
        self._lock = threading.RLock()

    # -- opening -------------------------------------------------------------------------

    def _open(self):
        if self._index is not None and not index.exists_in(str(self.folder)):
            # The folder was removed under us (by hand, or to force a rebuild): start over.
            self._index = self._searcher = None
            self._leaves, self._caches = [], {}
        if self._index is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            if index.exists_in(str(self.folder)):
                self._index = index.open_dir(str(self.folder))
            else:
                try:
                    self._index = index.create_in(str(self.folder), schema())
                except LockError:
                    self._index = index.open_dir(str(self.folder))
        return self._index

    def exists(self):
        return index.exists_in(str(self.folder))

    def _current(self):
        """Return the process's searcher, refreshed when the index has changed."""
        self._open()
        if self._searcher is None:
            self._searcher = self._open().searcher()
        elif not self._searcher.up_to_date():
            # Open afresh rather than Searcher.refresh(): whoosh-reloaded's refresh keeps
            # segments that a merge removed and misses new deletions in kept segments.
            old = self._searcher
            self._searcher = self._open().searcher()
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
            return self._current().reader().generation()

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

    def rebuild(self, documents, progress=None, timeout=None):
        """Replace the whole index with `documents` in one commit; return how many."""
        writer = self._writer(timeout)
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
        return count

    def optimise(self, timeout=None):
        """Merge every segment into one."""
        writer = self._writer(timeout)
        writer.commit(optimize=True)

    # -- reading -------------------------------------------------------------------------

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

    def _postings(self, leaf, fieldname, text):
        """Return the bitset of documents holding a term, deleted ones included."""
        try:
            matcher = leaf.reader.postings(fieldname, text)
        except Exception:  # TermNotFound and friends: no such term in this segment
            return 0
        if isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        return bits_of(_all_ids(matcher), leaf.cache.size)

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
                found = bits_of(_all_ids(matcher), leaf.cache.size) & candidates
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
        wanted = plan.offset + plan.limit
        if not total or plan.offset >= total:
            return []
        scoring = _scoring_query(plan.node, plan.any_words) if plan.node is not None else None
        if plan.sort in ("newest", "discussed") or scoring is None:
            field_name = "discussed" if plan.sort == "discussed" else "published"
            ranked = self._ordered(matched, field_name, wanted, total)
        elif total <= SPARSE:
            ranked = self._score_candidates(scoring, matched, wanted)
        else:
            docs = BitsetIds(_combine(self._leaves, matched), searcher.doc_count_all())
            results = searcher.search(scoring, limit=wanted, filter=docs)
            ranked = [hit.docnum for hit in results]
        return ranked[plan.offset:wanted]

    def _order(self, leaf, field_name):
        """Return (docnums best first, values by docnum) for a sortable field."""
        found = leaf.cache.orders.get(field_name)
        if found is None:
            values = list(leaf.reader.column_reader(field_name))
            order = sorted(range(leaf.cache.size), key=values.__getitem__, reverse=True)
            found = leaf.cache.orders[field_name] = (order, values)
        return found

    def _ordered(self, matched, field_name, wanted, total):
        """Return the best `wanted` global docnums by a sortable field, descending."""
        candidates = []
        for leaf, bits in zip(self._leaves, matched, strict=True):
            if not bits:
                continue
            order, values = self._order(leaf, field_name)
            count = bits.bit_count()
            if count <= SPARSE:
                local = heapq.nlargest(wanted, members(bits, leaf.cache.size),
                                       key=values.__getitem__)
            else:
                data = bits.to_bytes((leaf.cache.size + 7) // 8, "little")
                local = []
                for docnum in order:
                    if data[docnum >> 3] >> (docnum & 7) & 1:
                        local.append(docnum)
                        if len(local) >= wanted:
                            break
            candidates += [(values[d], leaf.offset + d) for d in local]
        candidates.sort(key=lambda pair: (pair[0], pair[1]), reverse=True)
        return [docnum for _value, docnum in candidates[:wanted]]

    def _score_candidates(self, scoring, matched, wanted):
        """Score each matching document through Whoosh's matchers, skipping between them."""
        best = []
        for leaf, bits in zip(self._leaves, matched, strict=True):
            if not bits:
                continue
            matcher = scoring.matcher(leaf.searcher, leaf.searcher.context())
            for docnum in members(bits, leaf.cache.size):
                if not matcher.is_active():
                    break
                if matcher.id() < docnum:
                    matcher.skip_to(docnum)
                    if not matcher.is_active():
                        break
                score = matcher.score() if matcher.id() == docnum else 0.0
                entry = (score, -(leaf.offset + docnum))
                if len(best) < wanted:
                    heapq.heappush(best, entry)
                elif entry > best[0]:
                    heapq.heapreplace(best, entry)
        best.sort(reverse=True)
        return [-negative for _score, negative in best]

    # -- presenting ----------------------------------------------------------------------

    def highlight(self, text, words, prefixes=(), top=2, maxchars=220):
        """Return an HTML snippet of `text` with the words (and prefixes) marked."""
        terms = set(analyse(" ".join(words)))
        if prefixes:
            folded = [_fold(p) for p in prefixes]
            terms |= {t for t in analyse(text) if any(t.startswith(p) for p in folded)}
        if not terms:
            return ""
        fragmenter = highlight.ContextFragmenter(maxchars=maxchars, surround=70)
        formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        return highlight.highlight(text, frozenset(terms), TEXT_ANALYZER, fragmenter,
                                   formatter, top=top)

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


def _combine(leaves, matched):
    result = 0
    for leaf, bits in zip(leaves, matched, strict=True):
        if bits:
            result |= bits << leaf.offset
    return result


def _plain_words(node):
    return all(type(child).__name__ in ("Word", "Phrase") for child in node.children)


def _word_query(word):
    if word.prefix:
        prefix = _fold(word.text)
        return query.Or([query.Prefix("title", prefix), query.Prefix("body", prefix)])
    tokens = analyse(word.text)
    if not tokens:
        return None
    if len(tokens) > 1:
        return query.Phrase("body", tokens)
    return query.Or([query.Term("title", tokens[0]), query.Term("body", tokens[0])])


def _scoring_query(node, any_words=False):
    """Return the Whoosh query that scores the positive text of a query tree, or None."""
    kind = type(node).__name__
    if kind == "Word":
        return _word_query(node)
    if kind == "Phrase":
        tokens = analyse(" ".join(node.words))
        if not tokens:
            return None
        return query.Phrase("body", tokens) if len(tokens) > 1 else _word_query(node)
    if kind in ("Field", "Not"):
        return None
    parts = [q for q in (_scoring_query(child, any_words) for child in node.children) if q]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    if kind == "Or" or any_words:
        return query.Or(parts)
    return query.And(parts)
