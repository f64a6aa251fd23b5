"""Fetch, archive, log: the one way the harvester gets bytes.

Every response is written to the raw archive and the fetch log before anything parses
it. Requests are conditional whenever the same URL was fetched before (ETag /
Last-Modified), and a ``304 Not Modified`` is answered from the archive, so unchanged
feeds and pages cost the server almost nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from db import store
from scraper.archive import ArchiveDamaged, RawArchive
from scraper.baton import Baton
from scraper.http import FetchResult, HttpClient
from scraper.sources import Source

log = logging.getLogger(__name__)


@dataclass
class Fetched:
    result: FetchResult
    sha256: str | None
    not_modified: bool = False

    @property
    def usable(self) -> bool:
        """True when ``result.content`` holds the document, fresh or unchanged (304)."""
        return self.result.ok or self.not_modified

    @property
    def reason(self) -> str:
        return self.result.error or f"HTTP {self.result.status}"


#: one HTTP client for every source, or the client of each source's host
Clients = HttpClient | Callable[[Source], HttpClient]


class ArchivingFetcher:
    """Gets, archives and logs. ``clients`` is one :class:`HttpClient` or a function
    giving each source its host's client (a concurrent harvest: one client per host,
    with its own throttle, retries and ``Retry-After``). While a request waits, the
    writer ``baton`` is handed on, so other hosts' threads can store their results."""

    def __init__(self, db: sqlite_utils.Database, clients: Clients, archive: RawArchive,
                 now: Callable[[], str], baton: Baton | None = None) -> None:
        self.db = db
        self.clients = clients
        self.archive = archive
        self.now = now
        self.baton = baton or Baton()
        self.run_id: int | None = None

    def client_for(self, source: Source) -> HttpClient:
        return self.clients if isinstance(self.clients, HttpClient) else self.clients(source)

    def get(self, source: Source, url: str) -> Fetched:
        """Fetch ``url`` (conditionally when it was fetched before), archive and log it.

        A conditional request is sent only while the archived copy it would stand for is
        there: a missing blob makes it unconditional, and a ``304`` for a copy that
        turns out damaged is followed by one unconditional request, whose bytes replace
        the damaged file (:meth:`RawArchive.put`)."""
        previous = self._previous(url)
        if previous and previous["sha256"] not in self.archive:
            log.warning("%s: archived copy %s is missing; fetching unconditionally", url,
                        previous["sha256"])
            previous = None
        fetched = self._fetch(source, url, previous)
        if fetched is None:  # 304, but the archived copy is damaged
            fetched = self._fetch(source, url, None)
            assert fetched is not None
        return fetched

    def _fetch(self, source: Source, url: str, previous: dict | None) -> Fetched | None:
        """One request, archived and logged; ``None`` for a ``304`` whose archived copy
        is damaged."""
        headers = {}
        if previous:
            sent = {k.lower(): v for k, v in json.loads(previous["headers"] or "{}").items()}
            if sent.get("etag"):
                headers["If-None-Match"] = sent["etag"]
            if sent.get("last-modified"):
                headers["If-Modified-Since"] = sent["last-modified"]
        client = self.client_for(source)
        with self.baton.released(self.db.conn.in_transaction):
            result = client.get(url, headers=headers, allowed_host=source.host)
        fetched_at = self.now()
        fetched: Fetched | None = Fetched(result, None)
        if result.status == 304 and previous:
            try:
                content = self.archive.get(previous["sha256"])
            except (ArchiveDamaged, FileNotFoundError) as exc:
                log.warning("%s: %s; fetching unconditionally", url, exc)
                fetched = None
            else:
                fetched = Fetched(result, previous["sha256"], not_modified=True)
                result.content = content
                # a 304 may omit Content-Type; the archived response's headers still apply
                result.headers = {**json.loads(previous["headers"] or "{}"), **result.headers}
        elif result.status is not None and result.error is None:
            fetched.sha256 = self.archive.put(result.content)
            store.record_raw(self.db, fetched.sha256, len(result.content), result.content_type,
                             self.archive.relative_path(fetched.sha256), fetched_at)
        store.record_fetch(self.db, run_id=self.run_id, source_id=source.id, url=url,
                           fetched_at=fetched_at, status=result.status, headers=result.headers,
                           sha256=fetched.sha256 if fetched else None,
                           elapsed_ms=result.elapsed_ms, error=result.error)
        return fetched

    def _previous(self, url: str) -> dict | None:
        """The last successful fetch of ``url``, whose validators make the next one conditional."""
        return next(self.db.query(
            "select sha256, headers from fetches where url = ? and status = 200 "
            "and sha256 is not null order by id desc limit 1", [url]), None)
