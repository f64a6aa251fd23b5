"""The writer baton: many hosts fetched at once, one thread at a time on the database.

A concurrent harvest runs one thread per host (:mod:`scraper.schedule`). They share one
SQLite connection, the run's summary and the progress counter, and none of those may be
touched by two threads at once. So a thread *holds the baton* whenever it runs harvest
logic — reading the fetch log, storing an item in its one transaction, counting — and
hands it on only while it waits for the network (:meth:`Baton.released`, used around
each request in :class:`scraper.fetcher.ArchivingFetcher`). Waiting is where a harvest
spends its time, so the hosts overlap almost fully, while every write and every
transaction stays exactly as in a single-threaded run: the database has one writer.

A thread that does not hold the baton (a plain single-threaded harvest, ``reparse``)
gets a no-op from :meth:`released`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Baton:
    """A lock that knows its holder, released around waits by the holder only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder: int | None = None

    def __enter__(self) -> Baton:
        self._lock.acquire()
        self._holder = threading.get_ident()
        return self

    def __exit__(self, *exc: object) -> None:
        self._holder = None
        self._lock.release()

    @property
    def held(self) -> bool:
        """Whether the calling thread holds the baton."""
        return self._holder == threading.get_ident()

    @contextmanager
    def released(self, in_transaction: bool = False) -> Iterator[None]:
        """Let other threads run while this one waits; a no-op unless it holds the baton.

        ``in_transaction`` is the connection's state: handing the baton on inside a
        transaction would let another thread's writes into it, so that is a bug here.
        """
        if not self.held:
            yield
            return
        if in_transaction:
            raise RuntimeError("the writer baton cannot be handed on inside a transaction")
        self.__exit__()
        try:
            yield
        finally:
            self.__enter__()
