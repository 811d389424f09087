"""Sets of documents as bitsets (Python ints, one bit per document of a segment), and the
per-segment caches that keep them.

Segments never change once written, so their bitsets stay valid until a merge replaces the
segment; only the set of deleted documents is re-read when it changes.
"""

import threading
from collections import OrderedDict

import numpy as np


def bits_of(ids, size):
    """Return a bitset with the given document numbers set."""
    flags = np.zeros(size, dtype=bool)
    flags[np.fromiter(ids, dtype=np.int64) if not isinstance(ids, np.ndarray) else ids] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def flags_of(bitset, size):
    """Return a bitset as an array of booleans, one per document."""
    data = np.frombuffer(bitset.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(data, bitorder="little")[:size].astype(bool)


def ones_of(bitset, size):
    """Return a bitset as an array of 0s and 1s (uint8), one per document: cheaper than
    `flags_of` where numbers are wanted."""
    data = np.frombuffer(bitset.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(data, count=size, bitorder="little")


def union(bitsets):
    result = 0
    for bits in bitsets:
        result |= bits
    return result


def intersection(bitsets, everything):
    result = everything
    for bits in bitsets:
        result &= bits
        if not result:
            break
    return result


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
        self.likeness = {}  # a place's criteria -> array of points by docnum


class TermCache:
    """Postings and bitsets of terms and phrases per segment, least recently used dropped
    first when they pass a size in bytes."""

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
    """Roughly the bytes a cached bitset, pair of arrays or tuple of terms takes."""
    if isinstance(value, int):
        return value.bit_length() // 8 + 64
    return sum(item.nbytes if hasattr(item, "nbytes") else len(item) + 49
               for item in value) + 64
