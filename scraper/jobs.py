"""Run pure functions over many inputs on every core, surviving a worker that dies.

``kokousarkisto reparse`` parses thousands of archived documents; the parsers are pure,
so the work goes to worker processes while the caller alone touches the database. A
parser that crashes its process (out of memory, a fault in a C library) must cost one
document, not the run: :class:`JobRunner` re-runs the jobs of a broken pool one by one.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scraper.sandbox import exit_with

log = logging.getLogger(__name__)


class Job:
    """One call to run in a worker, kept with its arguments until its result is taken,
    so that it can run again on its own when the pool broke under it."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], future: Future) -> None:
        self.fn, self.args, self.future = fn, args, future


class JobRunner:
    """Runs jobs in this process (``jobs == 1``) or in a process pool.

    A worker that dies (out of memory, a crash in a C library) breaks the whole pool and
    every job in it; each such job then runs again alone in a fresh one-worker pool, so
    only the job that kills its worker fails, and later jobs go to a new pool.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        # forkserver: workers start from a clean process, not a fork of one that may
        # hold threads, open databases and locks
        self._context = multiprocessing.get_context("forkserver")
        self._pool: ProcessPoolExecutor | None = None
        self._alone: ProcessPoolExecutor | None = None

    def __enter__(self) -> JobRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for pool in (self._pool, self._alone):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Job:
        if self.jobs == 1:
            future: Future = Future()
            try:
                future.set_result(fn(*args))
            except Exception as exc:  # noqa: BLE001 - recorded as this item's failure
                future.set_exception(exc)
            return Job(fn, args, future)
        if self._pool is None:
            self._pool = self._new_pool(self.jobs)
        try:
            return Job(fn, args, self._pool.submit(fn, *args))
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool(self.jobs)
            return Job(fn, args, self._pool.submit(fn, *args))

    def result(self, job: Job) -> Any:
        try:
            return job.future.result()
        except BrokenProcessPool:
            log.warning("a worker process died; running %s again on its own", job.fn.__name__)
        # one worker of its own, kept for the next such job until a job kills it too
        if self._alone is None:
            self._alone = self._new_pool(1)
        try:
            job.future = self._alone.submit(job.fn, *job.args)
            return job.future.result()
        except BrokenProcessPool:
            self._alone.shutdown(wait=False, cancel_futures=True)
            self._alone = None
            raise

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        # a worker exits with this process: a kill -9 of reparse leaves none behind
        return ProcessPoolExecutor(workers, mp_context=self._context,
                                   initializer=exit_with, initargs=(os.getpid(),))
