"""The index folder and its table of contents, read without unpickling the schema each time.

Every commit writes a new table of contents (`_MAIN_<generation>.toc`): the pickled schema,
then the list of segments. Whoosh unpickles the schema on each read (1–2 ms of CPU for
Nanum's fields, with their analysers), and a one-change pass of the indexer read it four
times (the check that the index is there, the writer, the writer's readers, the indexer's
own searcher), each web worker once per generation. The schema changes only with a full
build, so the index here keeps the schema it unpickled with the bytes it came from, and
unpickles again only when the bytes differ.

Each writer also made a temporary folder, for the postings it might spill to disk and a
file gathering its columns, and removed it when done: for a commit of a few documents, a
`mkdir`, a file and a `rmdir` that took several milliseconds of wall-clock time when the
disk was busy. The folder is now made only when a file is first written in it, and the
writers of a few documents (`Codec(small=True)`) gather their columns in memory.
"""

import os
import pickle
import re

from whoosh.fields import ensure_schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import (
    _CURRENT_TOC_VERSION,
    _DEF_INDEX_NAME,
    _FLOAT_SIZE,
    _INT_SIZE,
    _LONG_SIZE,
    TOC,
    EmptyIndexError,
    FileIndex,
)
from whoosh.util import random_name

_TOC_NAME = re.compile(rf"^_{_DEF_INDEX_NAME}_([0-9]+)\.toc$")
_SIZES = (_INT_SIZE, _LONG_SIZE, _FLOAT_SIZE)


def latest_generation(folder):
    """Return the generation of the folder's latest table of contents; -1 when it has none
    or the folder is gone (one directory listing)."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return -1
    found = [int(match.group(1)) for match in map(_TOC_NAME.match, names) if match]
    return max(found, default=-1)


def exists(folder):
    """Tell whether the folder holds an index (as whoosh.index.exists_in, without reading
    its table of contents)."""
    return latest_generation(folder) >= 0


def open_index(folder):
    return FolderIndex(Storage(str(folder)))


def create_index(folder, schema):
    storage = Storage(str(folder)).create()
    return FolderIndex.create(storage, schema)


class Storage(FileStorage):
    def temp_storage(self, name=None):
        return LazyFolder(os.path.join(self.folder, name or f"{random_name()}.tmp"))


class InMemoryTemporaries:
    """An index's storage whose temporary files stay in memory (for small writers)."""

    def __init__(self, storage):
        self._storage = storage

    def temp_storage(self, name=None):
        return RamStorage()

    def __getattr__(self, name):
        return getattr(self._storage, name)


class LazyFolder(FileStorage):
    """A writer's temporary folder, made when a file is first written in it."""

    def create(self):
        return self

    def create_file(self, name, **kwargs):
        os.makedirs(self.folder, exist_ok=True)
        return super().create_file(name, **kwargs)

    def destroy(self):
        if os.path.isdir(self.folder):  # made, or left by a writer that crashed
            super().destroy()


class FolderIndex(FileIndex):
    """Whoosh's index in a folder, keeping the schema it last read."""

    def __init__(self, storage, schema=None, indexname=_DEF_INDEX_NAME):
        # As FileIndex's, but its trial read of the table of contents fills the cache.
        self.storage, self.indexname = storage, indexname
        self._schema = ensure_schema(schema) if schema else None
        self._pickled = self._unpickled = None
        self._read_toc()

    def latest_generation(self):
        return latest_generation(self.storage.folder)

    def _read_toc(self):
        if self.indexname != _DEF_INDEX_NAME:
            return super()._read_toc()
        generation = self.latest_generation()
        if generation < 0:
            raise EmptyIndexError(f"Index {self.indexname!r} does not exist in "
                                  f"{self.storage!r}")
        stream = self.storage.open_file(TOC._filename(self.indexname, generation))
        try:
            sizes = tuple(stream.read_varint() for _size in _SIZES)
            if sizes != _SIZES or stream.read_int() != -12345:
                return TOC.read(self.storage, self.indexname, gen=generation)  # says why
            version = stream.read_int()
            release = tuple(stream.read_varint() for _number in range(3))
            if version != _CURRENT_TOC_VERSION:
                return TOC.read(self.storage, self.indexname, gen=generation)
            pickled = stream.read_string()
            if stream.read_int() != generation:
                raise EOFError(f"table of contents {generation} misread")
            stream.read_int()  # unused
            segments = stream.read_pickle()
        finally:
            stream.close()
        return TOC(self._schema or self._schema_of(pickled), segments, generation,
                   version=version, release=release)

    def _schema_of(self, pickled):
        if pickled != self._pickled:
            self._unpickled = ensure_schema(pickle.loads(pickled))
            self._pickled = pickled
        return self._unpickled
