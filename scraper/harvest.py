"""Harvest orchestration: feed → fetch → archive → parse → store.

Every response is written to the raw archive and the fetch log *before* anything parses
it (:mod:`scraper.fetcher`). Each item is stored in one transaction; a failing item is
counted and logged and the run goes on, and a source that keeps failing is given up for
this run. Items of recent meetings are re-checked, because agendas get corrected and
pages change without the feed saying so. The meetings the feed lists get their time,
place and attendees from their own pages (:mod:`scraper.meetings`), before the items.

This module runs the sources and reads their meetings and items feeds; one item with its
PDF and attachments is :mod:`scraper.items`, the choice of items to re-check is
:mod:`scraper.recheck`, the officials' decisions feed :mod:`scraper.official_decisions`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

import sqlite_utils

from db import store
from parsers import attachment_text, parse_item
from parsers.records import FeedEntry
from scraper.archive import RawArchive
from scraper.baton import Baton
from scraper.budget import DEFAULT_SOURCE_SECONDS, Budget
from scraper.feeds import read_feed
from scraper.fetcher import ArchivingFetcher, Clients, Fetched
from scraper.identity import check_identity
from scraper.items import ItemHarvester
from scraper.meetings import MeetingPages
from scraper.official_decisions import harvest_official_decisions
from scraper.recheck import current_url, items_to_recheck
from scraper.schedule import plan_hosts, run_hosts
from scraper.sources import Source
from scraper.summary import RunSummary

log = logging.getLogger(__name__)

FEED_SIZE = 100
#: items of meetings this many days old or newer are re-fetched on every run
RECHECK_DAYS = 14
#: consecutive failed items after which a source is given up for this run
MAX_CONSECUTIVE_FAILURES = 5


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def utc_today() -> date:
    return datetime.now(UTC).date()


class Harvester:
    """Runs one harvest over some sources into one database and raw archive.

    ``clients`` is one HTTP client for all sources, or a function giving each source its
    host's own client; with the latter, up to ``concurrency`` hosts are harvested at
    the same time (:mod:`scraper.schedule`), each with its own politeness, while one
    thread at a time writes (:mod:`scraper.baton`).
    """

    def __init__(self, db: sqlite_utils.Database, clients: Clients, archive: RawArchive,
                 now: Callable[[], str] = utc_now, today: Callable[[], date] = utc_today,
                 recheck_days: int = RECHECK_DAYS,
                 progress: Callable[[str, str], None] | None = None,
                 concurrency: int = 1,
                 source_seconds: float | None = DEFAULT_SOURCE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        #: each source's time budget per run (scraper.budget); None: unlimited
        self.source_seconds = source_seconds
        self.clock = clock
        self.concurrency = concurrency
        self.baton = Baton()
        self.now = now
        self.today = today
        self.recheck_days = recheck_days
        #: told ``(source id, item status)`` after each item; the CLI draws a counter
        self.progress = progress or (lambda source_id, status: None)
        self.fetcher = ArchivingFetcher(db, clients, archive, now, self.baton)
        self.meetings = MeetingPages(db, self.fetcher, now, today, recheck_days,
                                     MAX_CONSECUTIVE_FAILURES)
        # the parsers are this module's names, looked up when the harvester is made, so
        # that replacing scraper.harvest.parse_item or .attachment_text (as the
        # tests do) reaches the items
        self.items = ItemHarvester(db, self.fetcher, now, parse=parse_item,
                                   extract_text=attachment_text)

    def run(self, sources: list[Source]) -> RunSummary:
        summary = RunSummary()
        started = time.perf_counter()
        tasks, warnings = plan_hosts(sources)
        for warning in warnings:
            log.warning("%s", warning)
        run_id = self.fetcher.run_id = store.start_run(self.db, self.now())
        done: dict[str, RunSummary] = {}

        def work(source: Source) -> None:  # on a host's thread, holding the baton
            mine = done[source.id] = RunSummary(sources=1)
            client = self.fetcher.client_for(source)
            requests_before = client.requests_made
            try:
                self.harvest_source(source, mine)
            except Exception as exc:  # a bug for one source must not lose the others
                log.exception("source %s failed", source.id)
                mine.failed += 1
                mine.failures.append(f"{source.id}: {type(exc).__name__}: {exc}")
            mine.requests = client.requests_made - requests_before

        seconds = run_hosts(tasks, work, concurrency=self.concurrency, baton=self.baton)
        for source in sources:  # in the order given, whatever order they finished in
            mine = done.get(source.id) or RunSummary(
                sources=1, failed=1, failures=[f"{source.id}: not harvested (see the log)"])
            mine.seconds = seconds.get(source.id, 0.0)
            summary.add(mine)
            summary.by_source[source.id] = mine
        summary.warnings[:0] = warnings
        summary.seconds = time.perf_counter() - started
        store.finish_run(self.db, run_id, {
            "finished_at": self.now(), "sources": summary.sources,
            "new_items": summary.new_items, "updated_items": summary.updated_items,
            "failed": summary.failed, "requests": summary.requests,
            "seconds": round(summary.seconds, 3), "exit_code": summary.exit_code,
        })
        return summary

    # -- one source ----------------------------------------------------------------

    def harvest_source(self, source: Source, summary: RunSummary) -> None:
        budget = Budget(self.source_seconds, self.clock)
        store.ensure_source(self.db, store.SourceRow(
            id=source.id, name=source.name or source.id, base_url=source.base_url,
            municipality=source.municipality), self.now())
        self._read_meeting_pages(source, summary, self._harvest_meetings_feed(source, summary))
        items_feed = self.fetcher.get(source, source.cgi("rss/meetingitems", show=FEED_SIZE))
        if not items_feed.usable:
            summary.failed += 1
            summary.failures.append(f"{source.id}: items feed: {items_feed.reason}")
            return
        parsed = read_feed(source, "items feed", items_feed, kind="items", limit=FEED_SIZE,
                           refused=summary.warnings)
        if parsed.entries:
            summary.warnings.extend(check_identity(self.db, source, items_feed.sha256,
                                                   parsed.title))
        known = store.known_item_ids(self.db, source.id)
        fresh: set[str] = set()
        consecutive = 0
        for position, entry in enumerate(parsed.entries):
            if entry.dynasty_id is None or entry.dynasty_id in known:
                continue
            if budget.spent():
                budget.report(summary, source.id,
                              f"{len(parsed.entries) - position} feed entries")
                return
            known.add(entry.dynasty_id)
            fresh.add(entry.dynasty_id)
            consecutive = self._item(source, summary, entry, None, consecutive)
            if consecutive >= MAX_CONSECUTIVE_FAILURES:
                summary.failures.append(f"{source.id}: gave up after {consecutive} failures")
                return
        self._recheck_recent(source, summary, fresh, budget)
        if budget.spent():
            budget.report(summary, source.id, "officials' decisions")
            return
        self._harvest_official_decisions(source, summary)

    def _recheck_recent(self, source: Source, summary: RunSummary, fresh: set[str],
                        budget: Budget | None = None) -> None:
        """Re-fetch the pages of recent meetings' items; store those whose bytes changed.

        Requests are conditional, so an unchanged page costs a 304. Items just taken from
        the feed in this run are skipped. Items whose PDF or an attachment could not be
        fetched for a passing reason are taken again whatever their age, so a later run
        completes them (:mod:`scraper.recheck` chooses the rows).
        """
        rows, incomplete = items_to_recheck(self.db, source, self.today, self.recheck_days)
        consecutive = 0
        for position, row in enumerate(rows):
            if row["dynasty_id"] in fresh or not row["url"]:
                continue
            if budget is not None and budget.spent():
                budget.report(summary, source.id, f"{len(rows) - position} items to re-check")
                return
            url = current_url(source, row["url"], row["dynasty_id"])
            page = self.fetcher.get(source, url)
            if (page.usable and page.sha256 == row["html_sha256"]
                    and row["dynasty_id"] not in incomplete):
                continue
            entry = FeedEntry(link=url, dynasty_id=row["dynasty_id"],
                              page="meetingitem", raw_title="", body=row["body"],
                              meeting_date=row["meeting_date"], subject=row["title"],
                              description=None)
            consecutive = self._item(source, summary, entry, page, consecutive)
            if consecutive >= MAX_CONSECUTIVE_FAILURES:
                summary.failures.append(f"{source.id}: gave up after {consecutive} failures")
                return

    def _item(self, source: Source, summary: RunSummary, entry: FeedEntry, page: Fetched | None,
              consecutive: int) -> int:
        """Harvest one item into ``summary``; return the run of consecutive failed items.

        A failure says why. An exception (a parser or store bug on odd bytes) fails this
        item only: otherwise one poisoned item would stop its source on every run.
        """
        problems: list[str] = []
        try:
            page = page or self.fetcher.get(source, entry.link)
            status = self.harvest_item(source, entry, page, problems)
        except Exception as exc:
            log.exception("item %s failed", entry.link)
            status = "failed"
            problems.append(f"{type(exc).__name__}: {exc}")
        self.progress(source.id, status)
        if status == "failed":
            reason = "; ".join(problems) or (page.reason if page else "failed")
            summary.failed += 1
            summary.failures.append(f"{source.id}: {entry.link}: {reason}")
            return consecutive + 1
        if status == "new":
            summary.new_items += 1
        elif status == "updated":
            summary.updated_items += 1
        else:
            summary.unchanged_items += 1
        if problems:  # stored, but a PDF or an attachment is missing until a later run
            summary.failed += 1
            summary.failures.append(f"{source.id}: {entry.link}: {'; '.join(problems)}")
        return 0

    def _harvest_meetings_feed(self, source: Source, summary: RunSummary) -> set[int]:
        """Store the meetings the feed lists; return their ids."""
        fetched = self.fetcher.get(source, source.cgi("rss/meetings", show=FEED_SIZE))
        if not fetched.usable:
            summary.failures.append(f"{source.id}: meetings feed: {fetched.reason}")
            return set()
        ids: set[int] = set()
        parsed = read_feed(source, "meetings feed", fetched, kind="meetings", limit=FEED_SIZE,
                           refused=summary.warnings)
        for entry in parsed.entries:
            if not (entry.body and entry.meeting_date and entry.dynasty_id):
                continue
            body_id = store.ensure_body(self.db, source.id, entry.body)
            ids.add(store.upsert_meeting(self.db, source_id=source.id, body_id=body_id,
                                         date=entry.meeting_date,
                                         document_type=entry.document_type,
                                         doc_id=entry.dynasty_id, url=entry.link))
        return ids

    def _read_meeting_pages(self, source: Source, summary: RunSummary,
                            meeting_ids: set[int]) -> None:
        """Time, place and attendees from the pages of the feed's meetings
        (:mod:`scraper.meetings`); a failed page is counted, the items still come."""
        result = self.meetings.run(source, meeting_ids)
        summary.meeting_pages += result.stored
        summary.failed += result.failed
        summary.failures.extend(result.failures)

    def _harvest_official_decisions(self, source: Source, summary: RunSummary) -> None:
        """Officials' decisions have their own feed (:mod:`scraper.official_decisions`)."""
        harvest_official_decisions(self.db, self.fetcher, self.now, source, summary, FEED_SIZE)

    # -- one item ------------------------------------------------------------------

    def harvest_item(self, source: Source, entry: FeedEntry, page: Fetched | None = None,
                     problems: list[str] | None = None) -> str:
        """Fetch, archive, parse and store one item (:mod:`scraper.items`); ``"failed"``
        when its page is missing.

        ``problems`` collects why the item's PDF or an attachment is missing when that may
        pass (a timeout, a truncated body, a 5xx): the item is stored without it and taken
        again by a later run. The backfill stores the items it finds through this too.
        """
        return self.items.harvest(source, entry, page, problems)
