"""The Whoosh engine: the index in a folder, one writer at a time across processes."""

import threading
from pathlib import Path

from whoosh import writing
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import LockError
from whoosh.util import fib

from nanum.search import analysis
from nanum.search.engine import TEXT_FIELDS, Engine, WriterBusy
from nanum.search.engines.whoosh import folder as index_folder
from nanum.search.engines.whoosh.bitsets import SegmentCache, TermCache
from nanum.search.engines.whoosh.blocks import RawBlocks
from nanum.search.engines.whoosh.matching import Matching
from nanum.search.engines.whoosh.pool import gather_by_term
from nanum.search.engines.whoosh.readers import ReaderPool
from nanum.search.engines.whoosh.schema import as_fields, same_fields, schema
from nanum.search.engines.whoosh.similar import Likeness
from nanum.search.engines.whoosh.storage import Segment
from nanum.search.ranking import Ranking

TERM_CACHE_BYTES = 96 * 1024 * 1024
BUILD_STAMP = "nanum-build"  # beside the index files: the format of the last full build
SIMILAR_TERMS = 15  # the words of a text that say what it is about
BLOCK_POSTINGS = 1024  # postings per block of a posting list
# A commit writes its documents as a segment of their own and merges nothing, unless the
# index has this many segments (an app applying the outbox itself, with no indexer to
# tidy up): merging is left to `tidy()`, which the indexer runs when idle.
MAX_SEGMENTS = 12


class Codec(RawBlocks, W3Codec):
    """Whoosh's codec without per-block length statistics, its posting blocks raw arrays
    (`blocks.py`).

    Writing them reads every posting's field length back (a third of a commit's time);
    only Whoosh's own block-skipping scorer reads them, and without them it bounds a
    block's score from above, which skips less but finds the same. Nanum's ranking reads
    the length columns, which are written as before. Its segments open their files
    without copying them (`storage.py`).

    Posting blocks hold up to 1,024 postings rather than Whoosh's 128: Nanum reads posting
    lists whole (`postings.py`), and each block costs a fixed amount to read, so a common
    word's first search reads its postings about 1.5 times faster (bench/README.md).
    """

    length_stats = False

    def __init__(self, blocklimit=None, compression=3, inlinelimit=1, small=False):
        super().__init__(blocklimit=blocklimit or BLOCK_POSTINGS, compression=compression,
                         inlinelimit=inlinelimit)
        self.small = small  # a commit of a few documents: its temporary files in memory

    def per_document_writer(self, storage, segment):
        if self.small:
            storage = index_folder.InMemoryTemporaries(storage)
        return super().per_document_writer(storage, segment)

    def new_segment(self, storage, indexname):
        return Segment(self, indexname)


class Leaf:
    """One segment of the current searcher: its reader, offset and cache."""

    def __init__(self, reader, searcher, offset, cache, segment_id):
        self.reader, self.searcher, self.offset = reader, searcher, offset
        self.cache, self.segment_id = cache, segment_id


class WhooshEngine(Matching, Likeness, Engine):
    def __init__(self, folder, writer_timeout=5.0, ranking=None):
        self.folder = Path(folder)
        self.writer_timeout = writer_timeout
        self.ranking = ranking or Ranking()
        self._index = None
        self._searcher = None
        self._generation = None
        self._leaves = []
        self._caches = {}
        self._terms = TermCache(TERM_CACHE_BYTES)
        self._readers = ReaderPool()
        self._lock = threading.RLock()

    # -- opening ---------------------------------------------------------------------------

    def _forget(self):
        """Drop the open index and its caches (its folder was removed under us)."""
        self._index = self._searcher = None
        self._leaves, self._caches = [], {}
        self._readers.forget()

    def _open(self, check=True):
        if check and self._index is not None and not index_folder.exists(self.folder):
            self._forget()  # removed by hand, or to force a rebuild: start over
        if self._index is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            if index_folder.exists(self.folder):
                self._index = index_folder.open_index(self.folder)
            else:
                self._create()
        return self._index

    def _create(self):
        """Start an empty index; it is incomplete until a full build stamps it."""
        self._stamp_file().unlink(missing_ok=True)
        try:
            self._index = index_folder.create_index(self.folder, schema())
        except LockError:
            self._index = index_folder.open_index(self.folder)

    def _stamp_file(self):
        return self.folder / BUILD_STAMP

    def exists(self):
        return index_folder.exists(self.folder)

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
        try:
            return self._stamp_file().read_text() == stamp
        except OSError:
            return False

    def mark_incomplete(self):
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
        if self._searcher is None or self._generation != latest:
            # Not Searcher.refresh(): whoosh-reloaded's refresh keeps segments that a merge
            # removed and misses new deletions in kept segments. The pool opens only the
            # segments this process has not read yet.
            toc = self._read_toc(self._open(check=False))
            self._generation = toc.generation
            self._searcher = self._readers.searcher(self._index, toc)
            self._readers.keep_only({segment.segment_id() for segment in toc.segments})
        else:
            return self._searcher
        self._leaves = self._make_leaves(self._searcher)
        return self._searcher

    @staticmethod
    def _read_toc(ix, tries=10):
        """Read the latest table of contents; a commit may remove it while it is read."""
        for attempt in range(tries):
            try:
                return ix._read_toc()
            except (OSError, EOFError):
                if attempt == tries - 1:
                    raise
        raise AssertionError("unreachable")

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
            return (str(self.folder), self._generation)

    # -- writing ---------------------------------------------------------------------------

    def writing(self, timeout=None):
        try:
            writer = gather_by_term(self._open().writer(
                timeout=self.writer_timeout if timeout is None else timeout, delay=0.05,
                codec=Codec(small=True)))
        except LockError as error:
            raise WriterBusy(str(error)) from error
        try:
            self._lend_readers(writer)
        except BaseException:
            writer.cancel()
            raise
        return _Writing(writer, merge=len(writer.segments) >= MAX_SEGMENTS)

    def _lend_readers(self, writer):
        """Let the writer find the documents it replaces with this process's open readers,
        rather than open every segment again. The writer holds the lock, so the latest
        generation is the one it writes after."""
        with self._lock:
            self._current()
            if self._generation != writer.generation - 1:
                return  # the index changed meanwhile: the writer opens its own
            toc = self._read_toc(self._index)
            if toc.generation != self._generation:
                return
            searcher = self._readers.searcher(self._index, toc)
            searcher._orig_close = searcher.close  # what the writer calls when it finishes
            writer._searcher = searcher

    def tidy(self, timeout=0.0):
        """Merge the small segments that single-change commits leave, as Whoosh's
        MERGE_SMALL chooses them (never the large ones), when it would merge any."""
        with self._lock:
            self._current()
            counts = [leaf.reader.doc_count_all() for leaf in self._leaves]
        if not merges_small(counts):
            return False
        try:
            writer = self._open().writer(timeout=timeout, delay=0.05, codec=Codec())
        except LockError:
            return False
        try:
            if not merges_small([segment.doc_count_all() for segment in writer.segments]):
                writer.cancel()  # merged by another writer meanwhile
                return False
            writer.commit(mergetype=writing.MERGE_SMALL)
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        return True

    def rebuild(self, documents, progress=None, timeout=None, procs=1, stamp=None,
                only_if_stale=False):
        """Replace the whole index with `documents` in one commit; return how many.

        With several processes, each writes its own segment (no final merge); the
        searcher handles several segments as well as one.
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
        wanted = schema()
        if not same_fields(self._index.schema, wanted):
            procs = 1  # Whoosh's worker processes would write with the index's old fields
        try:
            if procs > 1:
                writer = self._index.writer(procs=procs, multisegment=True, limitmb=128,
                                            timeout=wait, delay=0.05, codec=Codec())
            else:
                writer = self._index.writer(timeout=wait, delay=0.05, codec=Codec())
        except LockError as error:
            raise WriterBusy(str(error)) from error
        if only_if_stale and stamp is not None and self.stamped(stamp):
            writer.cancel()
            return None
        writer.schema = wanted  # a full build writes today's fields, whatever the index held
        count = 0
        try:
            for document in documents:
                writer.add_document(**as_fields(document))
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

    # -- reading ---------------------------------------------------------------------------

    def keys(self):
        with self._lock:
            searcher = self._current()
            return {fields["key"] for fields in searcher.reader().all_stored_fields()}

    def stats(self):
        """Return document and segment counts and the size on disk."""
        with self._lock:
            searcher = self._current()
            size = sum(_size_of(path) for path in self.folder.iterdir())
            return {"documents": searcher.doc_count(), "segments": len(self._leaves),
                    "bytes": size}

    def unknown_words(self, words):
        with self._lock:
            reader = self._current().reader()
            languages = self._index_languages()
            missing = []
            for word in words:
                terms = [t for sequence in analysis.forms(word, languages) for t in sequence]
                if terms and all(reader.doc_frequency(name, t) == 0
                                 for t in terms for name in TEXT_FIELDS):
                    missing.append(word)
            return missing

    def suggest(self, word):
        folded = " ".join(analysis.words(word))
        if not folded or len(folded) < 3:
            return None
        with self._lock:
            corrector = self._current().corrector("spell")
            found = corrector.suggest(folded, limit=1, maxdist=2, prefix=1)
            return found[0] if found else None

    def similar(self, key, text, limit=5):
        with self._lock:
            return [found for found, _score in self._closest(text, limit, {key},
                                                               SIMILAR_TERMS)]

    def closest(self, text, limit=5, exclude=()):
        with self._lock:
            return self._closest(text, limit, set(exclude), SIMILAR_TERMS)


def merges_small(counts):
    """Tell whether Whoosh's MERGE_SMALL policy would merge segments of these sizes."""
    total = 0
    for i, count in enumerate(sorted(counts)):
        total += max(count, 0)
        if i > 3 and total < fib(i + 5):
            return True
    return False


def _size_of(path):
    """Return a file's size; 0 for a folder, or a file another process's merge removed since
    the folder was listed."""
    try:
        return path.stat().st_size if path.is_file() else 0
    except FileNotFoundError:
        return 0


class _Writing:
    """The open writer of one commit: update and delete documents, then commit or cancel."""

    def __init__(self, writer, merge=False):
        self._writer = writer
        self._merge = merge

    def __enter__(self):
        return self

    def update(self, document):
        self._writer.update_document(**as_fields(document))

    def delete(self, key):
        self._writer.delete_by_term("key", key)

    def more_follows(self):
        """Commit without merging: another commit follows at once (a backlog), and the
        last one merges what is due."""
        self._merge = False

    def __exit__(self, kind, _error, _traceback):
        if kind is None:
            self._writer.commit(merge=self._merge)
        else:
            self._writer.cancel()
        return False
