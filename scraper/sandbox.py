"""Run one untrusted computation in a child process with hard limits.

A PDF is the one input whose cost the harvester cannot predict from its size: a 1 MB
file whose content stream inflates to 400 MiB took 7 GB in PDFium and 6 GB / 339 s in
pdfplumber, and with less memory the process aborted and took the whole run with it.
So the parse runs in a forked child under an address-space limit (``RLIMIT_AS``,
counted on top of what the child inherits) and a wall-clock limit; whatever happens
there (``MemoryError``, a C library's ``abort``, a segfault, an endless loop) comes back
as :class:`Outcome` ``error`` and the parent goes on.

``fork`` (not ``spawn``) is deliberate: the function and its arguments need not be
picklable (the harvest's parsers are injectable), only the result is sent back, and a
fork of a running interpreter costs milliseconds. The child sets ``PR_SET_PDEATHSIG``,
so it dies with its parent, and leaves with ``os._exit`` (no atexit handlers, no
flushing of the parent's buffers).
"""

from __future__ import annotations

import ctypes
import faulthandler
import os
import pickle
import resource
import select
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: extra address space a child may map beyond what it inherits: the parsers of a
#: normal 100-page PDF stay far below (bench: ~150 MB), a bomb far above
DEFAULT_MEMORY = 1536 * 1024 * 1024
DEFAULT_SECONDS = 120.0
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """How much one child may take: ``memory`` bytes of address space on top of the
    parent's, ``seconds`` of wall-clock time."""

    memory: int = DEFAULT_MEMORY
    seconds: float = DEFAULT_SECONDS


@dataclass
class Outcome:
    """What the child gave back: ``value``, or why there is none (``error``)."""

    value: Any = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux; no-op elsewhere),
    so a ``kill -9`` of the parent never leaves a worker behind."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return


def exit_with(pid: int) -> None:
    """Leave this process (``os._exit``) as soon as process ``pid`` ends, from a daemon
    thread watching a pidfd. For pool workers whose parent is not the process they
    serve: a ``forkserver``'s workers keep the forkserver alive and it keeps them, so
    after a ``kill -9`` of the caller neither would ever exit."""

    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)
        except (AttributeError, OSError):  # no pidfd (old kernel) or pid gone already
            while _alive(pid):
                time.sleep(1.0)
        else:
            select.select([fd], [], [])
        os._exit(1)

    threading.Thread(target=watch, name=f"exit-with-{pid}", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _address_space() -> int:
    """This process's mapped address space in bytes (``/proc/self/statm``)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # pragma: no cover - not Linux
        return 0


def _max_fd() -> int:
    try:
        return min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 1 << 20)
    except (ValueError, OSError):  # pragma: no cover
        return 4096


def _child(fn: Callable[..., Any], args: tuple[Any, ...], limits: Limits, out: int,
           parent: int) -> None:
    die_with_parent()
    # no descriptor of the parent's stays open here: another thread's sandbox pipe
    # inherited by this child would keep that pipe from ending while this child runs
    os.closerange(3, out)
    os.closerange(out + 1, _max_fd())
    faulthandler.disable()  # a crash here is reported by the parent, not dumped on stderr
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    try:
        limit = _address_space() + limits.memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            payload = pickle.dumps(("ok", fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            payload = pickle.dumps(("error", f"{type(exc).__name__}: {str(exc)[:300]}"))
        view = memoryview(payload)
        while view:
            view = view[os.write(out, view):]
    finally:
        os._exit(0)


def run(fn: Callable[..., Any], *args: Any, limits: Limits = Limits()) -> Outcome:
    """``fn(*args)`` in a forked child under ``limits``; never raises for the child's
    sake (a crash, a kill, a timeout, an exception are all an :class:`Outcome` error)."""
    started = time.monotonic()
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child leaves through os._exit
        os.close(read_end)
        _child(fn, args, limits, write_end, parent)
    os.close(write_end)
    chunks: list[bytes] = []
    timed_out = False
    try:
        deadline = started + limits.seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if timed_out:
            _kill(pid)
        _, wait_status = os.waitpid(pid, 0)
    seconds = time.monotonic() - started
    if timed_out:
        return Outcome(error=f"time limit {limits.seconds:g} s", seconds=seconds)
    try:
        kind, value = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - the child died before it said anything
        return Outcome(error=_death(wait_status, limits), seconds=seconds)
    if kind == "error":
        if value.startswith("MemoryError"):
            value = f"memory limit {limits.memory // (1024 * 1024)} MiB ({value})"
        return Outcome(error=value, seconds=seconds)
    return Outcome(value=value, seconds=seconds)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _death(wait_status: int, limits: Limits) -> str:
    """Why a child that sent nothing died, in words."""
    if os.WIFSIGNALED(wait_status):
        sig = os.WTERMSIG(wait_status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else sig
        hint = (f" (memory limit {limits.memory // (1024 * 1024)} MiB?)"
                if sig in (signal.SIGABRT, signal.SIGSEGV, signal.SIGKILL, signal.SIGBUS)
                else "")
        return f"parser process killed by {name}{hint}"
    return f"parser process exited with {os.waitstatus_to_exitcode(wait_status)}"
