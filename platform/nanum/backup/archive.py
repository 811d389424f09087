"""The backup archive: a gzip-compressed tar whose last member, `manifest.json`, lists every
other member with its size and SHA-256.

The manifest comes last so that a backup streams each file into the archive once, hashing it
on the way, without a copy of the uploads on disk. Reading an archive is one pass too: every
member is unpacked into a staging folder and hashed, then compared with the manifest. The
archive is written under a temporary name beside its target and renamed when complete, so a
backup that dies leaves no half archive under the target's name.
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FORMAT = 1
MANIFEST = "manifest.json"
SECTIONS = ("database", "uploads", "instance")  # the top folders of an archive
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 64 * 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be written or is not a sound Nanum backup."""


@dataclass(frozen=True)
class Entry:
    """One member of the archive."""

    path: str
    size: int
    sha256: str

    def as_dict(self):
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


class _Hashing(io.RawIOBase):
    """A file read through, hashing and counting what passes."""

    def __init__(self, handle):
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class Writer:
    """Write an archive to `target` through a temporary file in the same folder."""

    def __init__(self, target):
        self.target = Path(target).resolve()
        if self.target.is_dir():
            raise ArchiveError(f"{self.target} is a folder; give the archive's file name.")
        if not self.target.parent.is_dir():
            raise ArchiveError(f"No folder {self.target.parent} to write the archive into.")
        descriptor, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".partial",
                                            dir=self.target.parent)
        self.partial = Path(name)
        self._file = os.fdopen(descriptor, "wb")
        self._tar = tarfile.open(fileobj=self._file, mode="w:gz", compresslevel=6)
        self.entries = []

    def add_file(self, source, path):
        """Add the file `source` as `path`; return its entry."""
        with open(source, "rb") as handle:
            info = tarfile.TarInfo(path)
            info.size = os.fstat(handle.fileno()).st_size
            info.mtime = int(os.fstat(handle.fileno()).st_mtime)
            info.mode = 0o600
            reader = _Hashing(handle)
            self._tar.addfile(info, reader)
        entry = Entry(path, reader.size, reader.digest.hexdigest())
        self.entries.append(entry)
        return entry

    def finish(self, manifest):
        """Add the manifest (with every entry), close the archive and give it its name."""
        data = json.dumps({**manifest, "files": [entry.as_dict() for entry in self.entries]},
                          indent=2, ensure_ascii=False).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode, info.mtime = len(data), 0o600, int(manifest.get("created", 0))
        self._tar.addfile(info, io.BytesIO(data))
        self._tar.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self.partial.chmod(0o600)  # it holds the secret key and every account
        os.replace(self.partial, self.target)
        folder = os.open(self.target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    def abandon(self):
        """Remove the temporary file of an archive that will not be finished."""
        for closing in (self._tar.close, self._file.close):
            try:
                closing()
            except Exception:  # noqa: S110  (only tidying up; the first error is reported)
                pass
        self.partial.unlink(missing_ok=True)


def _member_path(name):
    """The member's path if it is a plain relative path inside a known section, else None."""
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        return None
    if str(path) == MANIFEST or (len(path.parts) > 1 and path.parts[0] in SECTIONS):
        return str(path)
    return None


def unpack(source, staging):
    """Unpack the archive `source` into the folder `staging` and check it against its manifest.

    Return the manifest. Raise ArchiveError, naming the first problem, when the archive is not
    a tar, is truncated or corrupt, has no manifest, or holds a file whose size or checksum
    differs from the manifest's.
    """
    source, staging = Path(source), Path(staging)
    if not source.is_file():
        raise ArchiveError(f"No archive at {source}.")
    found, manifest_data = {}, None
    try:
        with tarfile.open(source, mode="r:*") as tar:
            for member in tar:
                path = _member_path(member.name)
                if member.isdir() and path is None:
                    continue
                if path is None or not member.isfile():
                    raise ArchiveError(f"The archive holds {member.name!r}, which no Nanum "
                                       "backup holds: is it a Nanum backup?")
                if path in found or (path == MANIFEST and manifest_data is not None):
                    raise ArchiveError(f"The archive holds {path} twice.")
                handle = tar.extractfile(member)
                if path == MANIFEST:
                    manifest_data = handle.read(MANIFEST_MAX_BYTES + 1)
                    continue
                target = staging / path
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with open(target, "wb") as out:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                found[path] = Entry(path, size, digest.hexdigest())
    except tarfile.ReadError as error:
        raise ArchiveError(f"{source} is not a readable archive ({error}).") from None
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise ArchiveError(f"{source} is damaged or truncated ({error}).") from None
    except OSError as error:
        raise ArchiveError(f"Cannot read {source}: {error}.") from None
    if manifest_data is None:
        raise ArchiveError(f"{source} has no {MANIFEST}: it is not a Nanum backup, or it "
                           "was cut short.")
    manifest = _parse_manifest(manifest_data)
    _compare(manifest, found)
    return manifest


def _parse_manifest(data):
    try:
        manifest = json.loads(data)
    except ValueError:
        raise ArchiveError(f"The archive's {MANIFEST} is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"The archive's {MANIFEST} is not of a format this Nanum reads "
                           f"(format {FORMAT}).")
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
            isinstance(item, dict) and isinstance(item.get("path"), str)
            and isinstance(item.get("size"), int) and isinstance(item.get("sha256"), str)
            for item in files):
        raise ArchiveError(f"The archive's {MANIFEST} does not list its files properly.")
    for key in ("database", "revision", "created_at", "nanum_version"):
        if key not in manifest:
            raise ArchiveError(f"The archive's {MANIFEST} gives no {key}.")
    return manifest


def _compare(manifest, found):
    listed = {item["path"]: Entry(item["path"], item["size"], item["sha256"])
              for item in manifest["files"]}
    for path, entry in listed.items():
        actual = found.get(path)
        if actual is None:
            raise ArchiveError(f"{path} is listed in the manifest but missing from the "
                               "archive.")
        if actual.size != entry.size:
            raise ArchiveError(f"{path} has {actual.size} bytes where the manifest says "
                               f"{entry.size}: the archive is damaged.")
        if actual.sha256 != entry.sha256:
            raise ArchiveError(f"{path} does not match its SHA-256 checksum in the manifest: "
                               "the archive is damaged.")
    extra = sorted(set(found) - set(listed))
    if extra:
        raise ArchiveError(f"{extra[0]} is in the archive but not in its manifest.")
