"""Opening the files of a segment without copying them.

Whoosh maps a compound segment into memory, then hands each file inside it to `BytesIO`,
which copies it: every reader opened on an index of 100,000 documents (after each commit,
for each new searcher) copied its postings and terms, hundreds of megabytes, and a
one-document commit took about a second. Here each file is a read-only window on the map.
Segments written by this codec open their files this way; older ones as before, until a
merge or a rebuild rewrites them.
"""

from whoosh.codec.whoosh3 import W3Segment
from whoosh.filedb import compound, structfile

_LINE = 256  # bytes looked at per step when reading a line


class ViewFile:
    """A read-only file on a memoryview: reads copy only what they return."""

    def __init__(self, view):
        self._view, self._position = view, 0

    def read(self, size=-1):
        start = self._position
        end = len(self._view) if size is None or size < 0 else min(start + size,
                                                                   len(self._view))
        self._position = max(end, start)
        return self._view[start:end].tobytes()

    def readline(self, size=-1):
        limit = len(self._view) if size is None or size < 0 else min(
            self._position + size, len(self._view))
        end = self._position
        while end < limit:
            chunk = self._view[end:min(end + _LINE, limit)].tobytes()
            newline = chunk.find(b"\n")
            if newline >= 0:
                end += newline + 1
                break
            end += len(chunk)
        return self.read(end - self._position)

    def __iter__(self):
        while line := self.readline():
            yield line

    def seek(self, position, whence=0):
        base = (0, self._position, len(self._view))[whence]
        self._position = max(0, base + position)
        return self._position

    def tell(self):
        return self._position

    def close(self):
        pass  # the view belongs to the compound file, which closes the map


class BufferFile(structfile.BufferFile):
    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf, self.file = buf, ViewFile(buf)


class CompoundStorage(compound.CompoundStorage):
    def open_file(self, name, *args, **kwargs):
        source = getattr(self, "_source", None)  # closing may have deleted it
        if self.is_closed or source is None:
            return super().open_file(name, *args, **kwargs)
        offset, length = self.range(name)
        return BufferFile(memoryview(source)[offset:offset + length], name=name)


class Segment(W3Segment):
    def open_compound_file(self, storage):
        name = self.make_filename(self.COMPOUND_EXT)
        return CompoundStorage(storage.open_file(name), use_mmap=storage.supports_mmap)
