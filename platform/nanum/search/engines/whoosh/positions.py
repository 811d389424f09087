"""Word positions stored as plain arrays, and phrases matched on whole posting lists; and
indexing terms that arrive already analysed without Whoosh's token objects.

Whoosh's own `Positions` format pickles each posting's positions, and its phrase matcher
unpickles them one document at a time: a common phrase over 100,000 documents took seconds
on first use. Here a posting's value is its positions as little-endian 32-bit integers, so
a whole posting list's positions are one array, and a phrase is found for every document of
a segment at once with array operations.
"""

import sys
from array import array

import numpy as np
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

POSITION = np.dtype("<u4")


class PackedPositions(Positions):
    """Whoosh's positions format with each posting's positions as an array of integers."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, list):  # text: Whoosh analyses it
            return super().word_values(value, analyzer, **kwargs)
        # Already analysed terms (what Nanum indexes): count them without token objects.
        positions = {}
        for position, term in enumerate(value):
            if term is None:  # a position left empty
                continue
            found = positions.get(term)
            if found is None:
                positions[term] = [position]
            else:
                found.append(position)
        boost = self.field_boost
        return [(term, len(found), len(found) * boost, self.encode(found))
                for term, found in positions.items()]

    def encode(self, poslist):
        packed = array("I", poslist)
        if sys.byteorder == "big":
            packed.byteswap()
        return packed.tobytes()

    def decode_positions(self, valuestring):
        return np.frombuffer(valuestring, dtype=POSITION).tolist()

    def decode_frequency(self, valuestring):
        return len(valuestring) // POSITION.itemsize

    def decode_weight(self, valuestring):
        return self.decode_frequency(valuestring) * self.field_boost


class CountedFrequency(Frequency):
    """Whoosh's frequency format (same values), counting analysed terms without tokens."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, list):
            return super().word_values(value, analyzer, **kwargs)
        counts = {}
        for term in value:
            counts[term] = counts.get(term, 0) + 1
        boost = self.field_boost
        return [(term, count, count * boost, pack_uint(count))
                for term, count in counts.items()]


def packed_positions(values):
    """Return the positions of a posting list's values (in posting order) as one array."""
    return np.frombuffer(b"".join(values), dtype=POSITION)


def phrase_documents(postings):
    """Return the document numbers in which the terms stand one after the other.

    `postings` holds, for each term of the phrase in order, (document numbers, frequencies,
    positions) of one field: the positions of all its postings end to end, `frequencies[i]`
    of them for document `docs[i]`.
    """
    common = postings[0][0]
    for docs, _frequencies, _positions in postings[1:]:
        common = common[_among(common, docs)]
    if not len(common):
        return common
    wanted = None
    for offset, (docs, frequencies, positions) in enumerate(postings):
        # Positions of the documents holding every term only, without a set operation on
        # each occurrence (document numbers are sorted and unique in a posting list).
        keep = np.repeat(_among(docs, common), frequencies.astype(np.int64))
        owners = np.repeat(docs, frequencies.astype(np.int64))[keep]
        # One number per occurrence: the document, then where the phrase would start.
        starts = np.sort((owners << 32) + positions[keep].astype(np.int64) - offset)
        wanted = starts if wanted is None else wanted[_among(wanted, starts)]
        if not len(wanted):
            break
    found = wanted >> 32
    return found[np.concatenate(([True], found[1:] != found[:-1]))] if len(found) else found


def _among(values, sorted_values):
    """Return which of `values` are in the sorted array `sorted_values`, as booleans."""
    if not len(sorted_values):
        return np.zeros(len(values), dtype=bool)
    places = np.searchsorted(sorted_values, values).clip(max=len(sorted_values) - 1)
    return sorted_values[places] == values
