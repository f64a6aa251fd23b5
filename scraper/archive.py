"""The raw archive: every fetched byte, stored once, named by its sha256.

Files are written before anything parses them, so a parser bug never costs a
re-fetch: ``kokousarkisto reparse`` can rebuild everything from here.

The archive is content addressing over a pluggable :class:`BlobStore`: a local
directory (:class:`LocalStore`, the default) or an S3-compatible object store
(:class:`scraper.s3store.S3Store`, for archives larger than one disk). What a blob is
called and how it is checked lives here, once, whatever the backend; a backend only
reads, writes and tests keys. :func:`open_archive` turns a ``--archive`` value (a
directory or ``s3://bucket/prefix``) into an archive.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

S3_SCHEME = "s3://"


class ArchiveDamaged(ValueError):
    """A blob whose bytes do not hash to its name (truncated, zeroed, overwritten): it is
    not the document, and nothing may be parsed from it."""


class ArchiveMissing(FileNotFoundError):
    """A blob the database names is not in the archive (deleted, never copied along)."""


class ArchiveUnavailable(OSError):
    """The object store cannot be reached or refused a request; the message says which.

    ``temporary`` is true when trying again later may help (no connection), false when
    the configuration is wrong (no such bucket, access refused)."""

    def __init__(self, message: str, temporary: bool = True) -> None:
        super().__init__(message)
        self.temporary = temporary


@runtime_checkable
class BlobStore(Protocol):
    """Where the archive's blobs live. Keys are ``<sha[:2]>/<sha>``."""

    #: for messages: a directory or ``s3://bucket/prefix``
    location: str
    #: a local directory where caches of this archive may live (the parse cache), or
    #: ``None`` for a remote store (callers then choose a place beside the database)
    local_dir: Path | None

    def read(self, key: str) -> bytes:
        """The blob's bytes; raises :class:`FileNotFoundError` when there is none."""
        ...

    def write(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key``, atomically: a reader never sees a partial blob.
        Overwriting is allowed (a damaged blob is replaced by the right bytes)."""
        ...

    def exists(self, key: str) -> bool:
        ...


class LocalStore:
    """Blobs as files: ``<root>/<sha[:2]>/<sha>``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.location = str(self.root)
        self.local_dir: Path | None = self.root

    def path(self, key: str) -> Path:
        return self.root / key

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def write(self, key: str, data: bytes) -> None:
        """Write to a temporary file renamed into place, so a crash mid-write never
        leaves a truncated blob under a valid name."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def exists(self, key: str) -> bool:
        return self.path(key).exists()


class RawArchive:
    """Content-addressed blob store: each blob is named by its sha256.

    ``RawArchive(path)`` is the local directory; ``RawArchive(store)`` any
    :class:`BlobStore`. Writes are idempotent: the same bytes are stored once.
    """

    def __init__(self, store: BlobStore | str | Path) -> None:
        self.store: BlobStore = store if isinstance(store, BlobStore) else LocalStore(store)

    @property
    def root(self) -> Path:
        """The local directory of a local archive (tests and tools that look at files)."""
        if not isinstance(self.store, LocalStore):
            raise TypeError(f"{self.store.location} is not a local directory")
        return self.store.root

    @property
    def location(self) -> str:
        return self.store.location

    @property
    def local_dir(self) -> Path | None:
        return self.store.local_dir

    def relative_path(self, sha256: str) -> str:
        return f"{sha256[:2]}/{sha256}"

    def put(self, content: bytes) -> str:
        """Store ``content`` (once) and return its sha256. A blob already there is
        checked: a damaged one (the disk, a bad copy) is replaced by these bytes, so
        fetching the right bytes again repairs the archive."""
        digest = hashlib.sha256(content).hexdigest()
        key = self.relative_path(digest)
        if not self.store.exists(key) or not self._intact(key, digest):
            self.store.write(key, content)
        return digest

    def get(self, sha256: str) -> bytes:
        """The blob's bytes, checked against its name: raises :class:`ArchiveDamaged`
        when they do not hash to ``sha256``, :class:`ArchiveMissing` when missing."""
        try:
            data = self.store.read(self.relative_path(sha256))
        except FileNotFoundError:
            raise ArchiveMissing(f"{sha256} is not in the raw archive") from None
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise ArchiveDamaged(f"archived bytes of {sha256} are damaged ({len(data)} bytes "
                                 f"hashing to {actual[:12]}…)")
        return data

    def _intact(self, key: str, digest: str) -> bool:
        try:
            return hashlib.sha256(self.store.read(key)).hexdigest() == digest
        except FileNotFoundError:
            return False

    def __contains__(self, sha256: str) -> bool:
        return self.store.exists(self.relative_path(sha256))


def is_remote(spec: str | Path) -> bool:
    """Whether an ``--archive`` value names an object store rather than a directory."""
    return str(spec).startswith(S3_SCHEME)


def open_archive(spec: str | Path) -> RawArchive:
    """The archive an ``--archive`` value names: a directory, or ``s3://bucket/prefix``
    (endpoint and credentials from ``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID`` and
    ``AWS_SECRET_ACCESS_KEY``, as every S3 tool reads them)."""
    if is_remote(spec):
        from scraper.s3store import S3Store  # boto3 loads only when it is used

        store = S3Store.from_url(str(spec))
        store.check()  # a wrong bucket or endpoint is one message now, not every blob
        return RawArchive(store)
    return RawArchive(Path(spec))
