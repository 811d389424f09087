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
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3LeafMatcher
from whoosh.util.numeric import byte_to_length

from nanum.search.engines.whoosh.blocks import RAW, RawLeafMatcher, block_data, decode, unzip
from nanum.search.engines.whoosh.positions import POSITION, packed_positions

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
    if _has_blocks(matcher):
        ids, weights, _values = _read_blocks(matcher)
        return ids, weights
    ids, frequencies, _values = _read(matcher, with_values=False)
    return ids, frequencies


def _has_blocks(matcher):
    return type(matcher) in (W3LeafMatcher, RawLeafMatcher) and not matcher._byteids


def _read_blocks(matcher, candidates=None, positions=False):
    """Read a posting list straight from the postings file, as one array each.

    Raw blocks (`blocks.py`) are read in place by numpy; Whoosh's own are unpickled (a
    length, negative for the last block, a pickled info tuple, then the pickled, possibly
    compressed, tuple of delta-coded ids, weights and values), without Whoosh's Python
    loop over each block's document numbers. With sorted `candidates`, blocks holding none
    of them are left out unread. With `positions` (a phrase field's posting list), the
    third array is the postings' positions end to end and the second their frequencies.
    """
    postfile, position = matcher._postfile, matcher._baseoffset
    if postfile.get(position - len(WHOOSH3_HEADER_MAGIC),
                    len(WHOOSH3_HEADER_MAGIC)) != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a whoosh3 posting list")
    if candidates is not None:
        candidates = np.asarray(candidates, dtype=np.int64)
    ids, weights, values, previous_last = [], [], [], -1
    while position is not None:
        count, last_id, compression, data, position = block_data(postfile, position)
        # The block's documents lie after the last block's last one, up to its own last.
        if candidates is not None and (np.searchsorted(candidates, last_id, side="right")
                                       == np.searchsorted(candidates, previous_last,
                                                          side="right")):
            previous_last = last_id
            continue
        previous_last = last_id
        if compression == RAW:
            block_ids, block_weights, offsets, block_values = decode(data, count)
            ids.append(block_ids)
            if positions:
                weights.append(np.diff(offsets) // POSITION.itemsize)
                values.append(np.frombuffer(block_values, POSITION))
            else:
                weights.append(np.ones(count, dtype=np.float32) if block_weights is None
                               else block_weights)
            continue
        block_ids, block_weights, block_values = unzip(data, compression)[:3]
        ids.append(np.cumsum(np.array(block_ids, dtype=np.int64)))
        if block_weights is None or isinstance(block_weights, float):
            block_weights = np.full(count, 1.0 if block_weights is None else block_weights,
                                    dtype=np.float32)
        if positions:
            weights.append(np.fromiter(map(len, block_values), dtype=np.int64, count=count)
                           // POSITION.itemsize)
            values.append(packed_positions(block_values))
        else:
            weights.append(np.asarray(block_weights, dtype=np.float32))
    if not ids:
        return (*NO_POSTINGS, packed_positions([]))
    return (np.concatenate(ids).astype(np.int64),
            np.concatenate(weights).astype(np.int64 if positions else np.float32),
            np.concatenate(values) if positions else None)


def posting_values(matcher):
    """Return (document numbers, term frequencies, values as bytes) of a leaf matcher, read
    in one pass over its blocks."""
    return _read(matcher, with_values=True)


def posting_positions(matcher, candidates=None):
    """Return (document numbers, frequencies, positions end to end) of a leaf matcher of a
    phrase field (`PackedPositions` values); with sorted `candidates` (the documents a
    phrase can be in), whole blocks that hold none of them are left out unread."""
    if _has_blocks(matcher) and (matcher._fixedsize is None or matcher._fixedsize < 0):
        return _read_blocks(matcher, candidates, positions=True)
    docs, _weights, values = _read(matcher, with_values=True)
    frequencies = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return docs, frequencies // POSITION.itemsize, packed_positions(values)


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
