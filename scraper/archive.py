"""The raw archive: every fetched byte, stored once, named by its sha256.

Files are written before anything parses them, so a parser bug never costs a
re-fetch: ``kokousarkisto reparse`` can rebuild everything from here.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


class RawArchive:
    """Content-addressed blob store on disk: ``<root>/<sha[:2]>/<sha>``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def relative_path(self, sha256: str) -> str:
        return f"{sha256[:2]}/{sha256}"

    def put(self, content: bytes) -> str:
        """Store ``content`` (once) and return its sha256.

        The write goes to a temporary file that is renamed into place, so a crash
        mid-write never leaves a truncated blob under a valid name.
        """
        digest = hashlib.sha256(content).hexdigest()
        path = self.root / self.relative_path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{digest}.{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        return digest

    def get(self, sha256: str) -> bytes:
        return (self.root / self.relative_path(sha256)).read_bytes()

    def __contains__(self, sha256: str) -> bool:
        return (self.root / self.relative_path(sha256)).exists()
