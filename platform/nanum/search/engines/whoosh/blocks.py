"""Posting blocks as raw little-endian arrays, which numpy reads as they lie on disk.

Whoosh's codec pickles each block's (ids, weights, values) and compresses the pickle with
zlib: the first phrase search of a process unzipped and unpickled hundreds of blocks of
positions. A raw block keeps Whoosh's framing (its length, negative for the last block,
then the pickled info tuple: count, last id, maximum weight, compression, length bytes)
with `RAW` in the compression slot, and then, with no pickle and no zlib:

- flags, one little-endian 32-bit integer (`WEIGHTED`: the weights follow);
- the block's document numbers, `count` 32-bit integers (not delta-coded);
- their weights, `count` 32-bit floats, unless every weight is 1.0;
- `count + 1` 32-bit offsets into the values that follow end to end (a phrase field's: its
  positions, one array for the whole block).

Only posting lists whose values vary in size (a phrase field's positions) are written so;
the others keep Whoosh's layout. Blocks say how they were written, so a posting list written
by Whoosh's codec (an index built before, until it is rebuilt) is read as before by the
same matcher.
"""

import io
import pickle
import struct
import sys
import zlib
from array import array
from itertools import accumulate

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher, W3PostingsWriter
from whoosh.util.numeric import length_to_byte

RAW = -1  # in a block's compression slot: the block's data is raw arrays
WEIGHTED = 1
U32, F32 = np.dtype("<u4"), np.dtype("<f4")
_BIG_ENDIAN = sys.byteorder == "big"
_BLOCK_LENGTH = struct.Struct("!i")  # as whoosh.system's unpack_int reads it


class RawBlocks:
    """A codec mixin: posting lists of document numbers written and read as raw blocks
    where their values are of varying size."""

    def postings_writer(self, dbfile, byteids=False):
        if byteids:  # term vectors: Whoosh's blocks
            return super().postings_writer(dbfile, byteids=byteids)
        return RawPostingsWriter(dbfile, blocklimit=self._blocklimit,
                                 compression=self._compression,
                                 inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term,
                                           scorer=scorer)
        offset, length = terminfo.extent()
        return RawLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


def _little_endian(values):
    if _BIG_ENDIAN:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


class RawPostingsWriter(W3PostingsWriter):
    """Writes raw blocks for formats of values of varying size (positions); Whoosh's own
    blocks for the others, whose compressed pickles are far smaller (frequencies, weights
    and document numbers as 4 bytes each made an index 2.3 times larger) and no slower to
    search (bench/README.md)."""

    def _write_block(self, last=False):
        ids, weights, values = self._ids, self._weights, self._values
        count = len(ids)
        fixedsize = self._format.fixed_value_size()
        if not (fixedsize is None or fixedsize < 0) or len(values) != count:
            return super()._write_block(last)  # (an empty value: Whoosh's layout copes)
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        weighted = weights.count(1.0) != count
        parts = [_little_endian(array("I", [WEIGHTED if weighted else 0])), _little_endian(ids)]
        if weighted:
            parts.append(_little_endian(weights))
        parts.append(_little_endian(array("I", accumulate(map(len, values), initial=0))))
        parts.extend(values)
        databytes = b"".join(parts)
        infobytes = pickle.dumps((count, ids[-1], self._maxweight, RAW,
                           length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        length = len(infobytes) + len(databytes)
        self._postfile.write_int(-length if last else length)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


def decode(data, count):
    """Return (document numbers, weights, value offsets, values) of a raw block's data as
    arrays read in place; `values` is the bytes of the values end to end."""
    flags = int(np.frombuffer(data, U32, 1)[0])
    at = U32.itemsize
    ids = np.frombuffer(data, U32, count, at)
    at += count * U32.itemsize
    if flags & WEIGHTED:
        weights = np.frombuffer(data, F32, count, at)
        at += count * F32.itemsize
    else:
        weights = None
    offsets = np.frombuffer(data, U32, count + 1, at)
    at += (count + 1) * U32.itemsize
    return ids, weights, offsets, memoryview(data)[at:]


def block_data(postfile, position):
    """Read the block at `position`: return (count, last id, compression, data bytes, the
    next block's position or None after the last)."""
    (length,) = _BLOCK_LENGTH.unpack(postfile.get(position, _BLOCK_LENGTH.size))
    start = position + _BLOCK_LENGTH.size
    block = io.BytesIO(postfile.get(start, abs(length)))
    count, last_id, _max_weight, compression = pickle.load(block)[:4]
    data = block.getbuffer()[block.tell():]
    return count, last_id, compression, data, (None if length < 0 else start + abs(length))


class RawLeafMatcher(W3LeafMatcher):
    """Whoosh's leaf matcher, reading raw blocks as well as Whoosh's own."""

    def _read_data(self):
        if self._compression != RAW:
            return super()._read_data()
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = decode(data, self._blocklength)

    def _read_ids(self):
        if self._compression != RAW:
            return super()._read_ids()
        if self._data is None:
            self._read_data()
        self._ids = self._data[0].tolist()

    def _read_weights(self):
        if self._compression != RAW:
            return super()._read_weights()
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        self._weights = ([1.0] * self._blocklength if weights is None
                         else weights.tolist())

    def _read_values(self):
        if self._compression != RAW:
            return super()._read_values()
        if self._data is None:
            self._read_data()
        _ids, _weights, offsets, values = self._data
        bounds = offsets.tolist()
        self._values = [bytes(values[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def unzip(data, compression):
    """Return a Whoosh block's (ids, weights, values) tuple."""
    return pickle.loads(zlib.decompress(data) if compression else data)
