"""Fast reads of Whoosh's posting lists and field lengths, through its private API.

Whoosh decodes a whole block of a posting list at once, but its public API hands out one
document at a time; reading the blocks (and the column of field lengths) whole is what
makes ranking 100,000 documents fast. These reads rely on whoosh-reloaded 2.7.5's
internals (`_read_ids`, `_ids`, `_values`, `_next_block`, `_perdoc._cached_reader`), which
is why the version is pinned exactly in setup.cfg; each falls back to the public API when
the internals are missing, and tests/search/test_whoosh_internals.py fails when the fast path
stops being taken or stops agreeing with the public API.
"""

import io
import pickle
import struct
import zlib

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3LeafMatcher
from whoosh.util.numeric import byte_to_length

LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
NO_POSTINGS = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
_BLOCK_LENGTH = struct.Struct("!i")  # as whoosh.system's unpack_int reads it


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
    if type(matcher) is W3LeafMatcher and not matcher._byteids:
        return _read_blocks(matcher)
    ids, frequencies, _values = _read(matcher, with_values=False)
    return ids, frequencies


def _read_blocks(matcher):
    """Read a whole posting list straight from the postings file, as one array each.

    Whoosh's own reading decodes each block's document numbers in a Python loop; here each
    block is only unpickled (the codec's layout: a length, negative for the last block, a
    pickled info tuple, then the pickled, possibly compressed, tuple of delta-coded ids and
    weights), and the deltas of all the blocks are summed at once by numpy.
    """
    postfile, position = matcher._postfile, matcher._baseoffset
    if postfile.get(position - len(WHOOSH3_HEADER_MAGIC),
                    len(WHOOSH3_HEADER_MAGIC)) != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a whoosh3 posting list")
    deltas, weights, previous_last = [], [], 0
    while True:
        (length,) = _BLOCK_LENGTH.unpack(postfile.get(position, _BLOCK_LENGTH.size))
        block = io.BytesIO(postfile.get(position + _BLOCK_LENGTH.size, abs(length)))
        count, last_id, _max_weight, compression = pickle.load(block)[:4]
        data = block.read()
        ids, block_weights = pickle.loads(zlib.decompress(data) if compression else data)[:2]
        # Each block's first delta counts from zero: make it count from the last block's end.
        deltas.append(ids[0] - previous_last)
        deltas.extend(ids[1:])
        if block_weights is None or isinstance(block_weights, float):
            weights.extend([1.0 if block_weights is None else block_weights] * count)
        else:
            weights.extend(block_weights)
        previous_last = last_id
        if length < 0:
            break
        position += _BLOCK_LENGTH.size + abs(length)
    return (np.cumsum(np.array(deltas, dtype=np.int64)),
            np.array(weights, dtype=np.float32))


def posting_values(matcher):
    """Return (document numbers, term frequencies, values as bytes) of a leaf matcher, read
    in one pass over its blocks."""
    return _read(matcher, with_values=True)


def posting_values_among(matcher, candidates):
    """Return (document numbers, term frequencies, values as bytes) of a leaf matcher's
    postings, leaving out whole blocks that hold none of the sorted `candidates` (the
    documents a phrase can be in): only the blocks kept are unpickled."""
    if not (type(matcher) is W3LeafMatcher and not matcher._byteids
            and (matcher._fixedsize is None or matcher._fixedsize < 0)):
        return posting_values(matcher)
    postfile, position = matcher._postfile, matcher._baseoffset
    if postfile.get(position - len(WHOOSH3_HEADER_MAGIC),
                    len(WHOOSH3_HEADER_MAGIC)) != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a whoosh3 posting list")
    candidates = np.asarray(candidates, dtype=np.int64)
    ids, weights, values, previous_last = [], [], [], -1
    while True:
        (length,) = _BLOCK_LENGTH.unpack(postfile.get(position, _BLOCK_LENGTH.size))
        block = io.BytesIO(postfile.get(position + _BLOCK_LENGTH.size, abs(length)))
        count, last_id, _max_weight, compression = pickle.load(block)[:4]
        # The block's documents lie after the last block's last one, up to its own last.
        if (np.searchsorted(candidates, last_id, side="right")
                > np.searchsorted(candidates, previous_last, side="right")):
            data = block.read()
            block_ids, block_weights, block_values = pickle.loads(
                zlib.decompress(data) if compression else data)[:3]
            ids.append(np.cumsum(np.array(block_ids, dtype=np.int64)))
            if block_weights is None or isinstance(block_weights, float):
                weights.append(np.full(count, 1.0 if block_weights is None else block_weights,
                                       dtype=np.float32))
            else:
                weights.append(np.asarray(block_weights, dtype=np.float32))
            values.extend(block_values)
        previous_last = last_id
        if length < 0:
            break
        position += _BLOCK_LENGTH.size + abs(length)
    if not ids:
        return (*NO_POSTINGS, values)
    return np.concatenate(ids), np.concatenate(weights), values


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
