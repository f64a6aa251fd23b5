"""Which sources run together: one task per host, a bounded number of hosts at once.

Politeness is per host (a delay between two requests, retries, ``Retry-After``), so
different hosts can be fetched at the same time without any of them seeing more than
one request at a time. Sources that share a host — two municipalities on one
``oncloudos.com`` prefix path, or a configuration mistake — run one after another in
the same task, so the host still gets its delay; the mistake is worth a warning.

The tasks run on at most ``concurrency`` threads that pass the writer baton
(:mod:`scraper.baton`) between them: a stalled host holds only its own thread, never
the database, so the other hosts finish in their own time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from scraper.baton import Baton
from scraper.sources import Source

log = logging.getLogger(__name__)

#: hosts harvested at the same time unless told otherwise: enough to hide the polite
#: one-second delay of many hosts, few enough for a small machine and one SQLite writer
#: (benchmarks/bench_harvest.py)
DEFAULT_CONCURRENCY = 8


@dataclass(frozen=True)
class HostTask:
    """The sources of one host, harvested in this order by one thread."""

    host: str
    sources: tuple[Source, ...]


def plan_hosts(sources: list[Source]) -> tuple[list[HostTask], list[str]]:
    """Group ``sources`` by host, keeping their order; warnings name shared hosts."""
    by_host: dict[str, list[Source]] = {}
    for source in sources:
        by_host.setdefault(source.host.lower(), []).append(source)
    warnings = []
    for host, group in by_host.items():
        if len(group) > 1:
            ids = ", ".join(s.id for s in group)
            same_base = len({s.base_url.rstrip("/").lower() for s in group}) == 1
            warnings.append(
                f"sources {ids} point at the same {'address' if same_base else 'host'} "
                f"{host}: harvested one after another with one delay"
                + ("; one of them is probably misconfigured (same pages stored twice under "
                   "different ids)" if same_base else ""))
    return [HostTask(host, tuple(group)) for host, group in by_host.items()], warnings


def run_hosts(tasks: list[HostTask], work: Callable[[Source], None], *, concurrency: int,
              baton: Baton) -> dict[str, float]:
    """Run ``work(source)`` for every source, holding ``baton``; up to ``concurrency``
    hosts at once. Returns each source's wall time in seconds.

    ``work`` must not raise for a source's own trouble (the harvest records it); an
    exception that escapes anyway is logged and ends that host's task only.
    """
    seconds: dict[str, float] = {}
    record = threading.Lock()

    def one_host(task: HostTask) -> None:
        for source in task.sources:
            started = time.perf_counter()
            try:
                with baton:
                    work(source)
            except Exception:  # a bug must not take the other hosts with it
                log.exception("host %s: source %s failed", task.host, source.id)
                return
            finally:
                with record:
                    seconds[source.id] = time.perf_counter() - started

    workers = max(1, min(concurrency, len(tasks)))
    if workers == 1:  # in this thread: tracebacks and debuggers stay simple
        for task in tasks:
            one_host(task)
        return seconds
    todo = list(reversed(tasks))

    def worker() -> None:
        while True:
            with record:
                if not todo:
                    return
                task = todo.pop()
            one_host(task)

    # daemon threads, joined with a timeout: Ctrl-C reaches this thread at once
    threads = [threading.Thread(target=worker, name=f"host-{n}", daemon=True)
               for n in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)
    except BaseException:
        # Interrupted: take the baton and keep it, so no host thread writes again; what
        # is stored is what a kill at this moment would leave, and the next run goes on.
        baton.__enter__()
        raise
    return seconds
