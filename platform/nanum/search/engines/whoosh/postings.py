"""Fast reads of Whoosh's posting lists and field lengths, through its private API.

Whoosh decodes a whole block of a posting list at once, but its public API hands out one
document at a time; reading the blocks (and the column of field lengths) whole is what
makes ranking 100,000 documents fast. These reads rely on whoosh-reloaded 2.7.5's
internals (`_read_ids`, `_ids`, `_values`, `_next_block`, `_perdoc._cached_reader`), which
is why the version is pinned exactly in setup.cfg; each falls back to the public API when
the internals are missing, and tests/search/test_whoosh_internals.py fails when the fast path
stops being taken or stops agreeing with the public API.
"""

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
NO_POSTINGS = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


def has_block_reads(matcher):
    return all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights",
                                                   "_next_block", "_ids", "_weights"))


def all_ids(matcher):
    """Yield the ids of a matcher, a block at a time where the codec allows."""
    if has_block_reads(matcher):
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            yield from matcher._ids[matcher._i:]
            matcher._next_block()
        return
    yield from matcher.all_ids()


def posting_arrays(matcher):
    """Return (document numbers, term frequencies) of a leaf matcher as arrays."""
    ids, frequencies, _values = _read(matcher, with_values=False)
    return ids, frequencies


def posting_values(matcher):
    """Return (document numbers, term frequencies, values as bytes) of a leaf matcher, read
    in one pass over its blocks."""
    return _read(matcher, with_values=True)


def _read(matcher, with_values):
    ids, weights, values = [], [], []
    if has_block_reads(matcher) and (not with_values or hasattr(matcher, "_read_values")):
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int64))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            if with_values:
                if matcher._values is None:
                    matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(np.array([matcher.id()], dtype=np.int64))
            weights.append(np.array([matcher.weight()], dtype=np.float32))
            if with_values:
                values.append(matcher.value())
            matcher.next()
    if not ids:
        return (*NO_POSTINGS, values)
    return np.concatenate(ids), np.concatenate(weights), values


def field_lengths(reader, fieldname, size):
    """Return every document's length in a field, as Whoosh stores it (one byte each)."""
    column = column_of_lengths(reader, fieldname)
    if column is not None:
        codes = np.fromiter((value or 0 for value in column), dtype=np.uint8, count=size)
        return LENGTH_OF_BYTE[codes]
    return np.array([reader.doc_field_length(d, fieldname) or 0 for d in range(size)],
                    dtype=np.float32)


def column_of_lengths(reader, fieldname):
    """Return the segment's column of length bytes for a field, or None for another codec."""
    try:
        return reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    except (AttributeError, TypeError, ValueError):
        return None
