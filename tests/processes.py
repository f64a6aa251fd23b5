"""Process trees for the tests that ``kill -9`` a command and look for what it left:
worker processes must never outlive the process that started them."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, their children, …)."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True)
    children: dict[int, list[int]] = {}
    for line in out.stdout.splitlines():
        p, pp = (int(x) for x in line.split())
        children.setdefault(pp, []).append(p)
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def spawned_workers(pid: int, count: int, seconds: float = 60) -> set[int]:
    """``pid``'s ``spawn``-ed ``multiprocessing`` workers (not its resource tracker), once
    there are ``count`` of them (or ``seconds`` have passed): as soon as they exist,
    before they have finished starting."""
    return _workers(pid, count, seconds, lambda cmdline: b"spawn_main" in cmdline)


def pool_workers(pid: int, count: int, seconds: float = 60) -> set[int]:
    """``pid``'s worker processes, forked or spawned (every descendant but a
    ``multiprocessing`` resource tracker or forkserver), once there are ``count``."""
    return _workers(pid, count, seconds, lambda cmdline: not any(
        helper in cmdline for helper in (b"resource_tracker", b"forkserver")))


def _workers(pid: int, count: int, seconds: float, wanted) -> set[int]:
    deadline = time.monotonic() + seconds
    while True:
        found = set()
        for child in descendants(pid):
            try:
                if wanted(Path(f"/proc/{child}/cmdline").read_bytes()):
                    found.add(child)
            except OSError:
                continue
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie does not)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def assert_kill_9_leaves_none(proc: subprocess.Popen, workers: set[int],
                              seconds: float = 20) -> None:
    """``kill -9`` ``proc``; every one of ``workers`` must be gone within ``seconds``."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + seconds
    left = set(workers)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = {p for p in left if alive(p)}
    assert not left, f"orphans: {left}"
