"""One harvest per database at a time, so overlapping cron runs cannot interleave.

An advisory ``flock`` on ``<db>.lock`` is released by the kernel when the process dies,
even by ``kill -9``, so a crashed run never leaves a stale lock behind. The lock file is
named after the database's real path (:func:`lock_path`): a symlink to the same file
must meet the same lock.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class HarvestLocked(RuntimeError):
    """Another process holds the harvest lock of this database."""


def lock_path(db_path: str | Path) -> Path:
    """``<real path of the database>.lock``: symlinks and ``..`` resolved."""
    return Path(f"{Path(db_path).resolve()}.lock")


@contextmanager
def harvest_lock(db_path: str | Path) -> Iterator[None]:
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise HarvestLocked(
                f"another harvest (pid {holder}) is running on {db_path}; try again later"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)
