"""Harvest orchestration: feed → fetch → archive → parse → store.

Every response is written to the raw archive and the fetch log *before* anything parses
it (:mod:`scraper.fetcher`). Each item is stored in one transaction; a failing item is
counted and logged and the run goes on, and a source that keeps failing is given up for
this run. Items of recent meetings are re-checked, because agendas get corrected and
pages change without the feed saying so. The meetings the feed lists get their time,
place and attendees from their own pages (:mod:`scraper.meetings`), before the items.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlite_utils

from db import store
from parsers import PARSER_VERSION
from parsers.crosscheck import parse_item_documents
from parsers.dynasty_feed import FeedEntry, FeedResult, parse_feed
from parsers.dynasty_item_pdf import attachment_text
from parsers.dynasty_official_decision import parse_official_decision
from parsers.fields import document_type_of
from parsers.records import ItemRecord
from scraper.archive import RawArchive
from scraper.fetcher import ArchivingFetcher, Fetched
from scraper.http import HttpClient, is_transient
from scraper.meetings import MeetingPages
from scraper.sources import Source

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


@dataclass
class RunSummary:
    sources: int = 0
    new_items: int = 0
    updated_items: int = 0
    unchanged_items: int = 0
    official_decisions: int = 0  # new officials' decisions
    meeting_pages: int = 0  # meetings whose page details (time, place, attendees) changed
    failed: int = 0
    requests: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def line(self) -> str:
        return (f"sources={self.sources} new={self.new_items} updated={self.updated_items} "
                f"official_decisions={self.official_decisions} failed={self.failed} "
                f"requests={self.requests} seconds={self.seconds:.1f}")


class Harvester:
    """Runs one harvest over some sources into one database and raw archive."""

    def __init__(self, db: sqlite_utils.Database, client: HttpClient, archive: RawArchive,
                 now: Callable[[], str] = utc_now, today: Callable[[], date] = utc_today,
                 recheck_days: int = RECHECK_DAYS,
                 progress: Callable[[str, str], None] | None = None) -> None:
        self.db = db
        self.client = client
        self.now = now
        self.today = today
        self.recheck_days = recheck_days
        #: told ``(source id, item status)`` after each item; the CLI draws a counter
        self.progress = progress or (lambda source_id, status: None)
        self.fetcher = ArchivingFetcher(db, client, archive, now)
        self.meetings = MeetingPages(db, self.fetcher, now, today, recheck_days,
                                     MAX_CONSECUTIVE_FAILURES)

    def run(self, sources: list[Source]) -> RunSummary:
        summary = RunSummary(sources=len(sources))
        started = time.perf_counter()
        requests_before = self.client.requests_made
        run_id = self.fetcher.run_id = store.start_run(self.db, self.now())
        for source in sources:
            try:
                self.harvest_source(source, summary)
            except Exception as exc:  # a bug for one source must not lose the others
                log.exception("source %s failed", source.id)
                summary.failed += 1
                summary.failures.append(f"{source.id}: {type(exc).__name__}: {exc}")
        summary.requests = self.client.requests_made - requests_before
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
        store.ensure_source(self.db, store.SourceRow(
            id=source.id, name=source.name or source.id, base_url=source.base_url,
            municipality=source.municipality), self.now())
        self._read_meeting_pages(source, summary, self._harvest_meetings_feed(source, summary))
        items_feed = self.fetcher.get(source, source.cgi("rss/meetingitems", show=FEED_SIZE))
        if not items_feed.usable:
            summary.failed += 1
            summary.failures.append(f"{source.id}: items feed: {items_feed.reason}")
            return
        parsed = _parse_feed(source, "items feed", items_feed)
        known = store.known_item_ids(self.db, source.id)
        fresh: set[str] = set()
        consecutive = 0
        for entry in parsed.entries:
            if entry.dynasty_id is None or entry.dynasty_id in known:
                continue
            known.add(entry.dynasty_id)
            fresh.add(entry.dynasty_id)
            consecutive = self._item(source, summary, entry, None, consecutive)
            if consecutive >= MAX_CONSECUTIVE_FAILURES:
                summary.failures.append(f"{source.id}: gave up after {consecutive} failures")
                return
        self._recheck_recent(source, summary, fresh)
        self._harvest_official_decisions(source, summary)

    def _recheck_recent(self, source: Source, summary: RunSummary, fresh: set[str]) -> None:
        """Re-fetch the pages of recent meetings' items; store those whose bytes changed.

        Requests are conditional, so an unchanged page costs a 304. Items just taken from
        the feed in this run are skipped. Items whose PDF or an attachment could not be
        fetched for a passing reason are taken again whatever their age, so a later run
        completes them.
        """
        rows: list[dict] = []
        if self.recheck_days > 0:
            since = (self.today() - timedelta(days=self.recheck_days)).isoformat()
            rows = list(self.db.query(
                f"{_ITEM_ROWS} where items.source_id = ? and items.meeting_date >= ? "
                "order by items.id", [source.id, since]))
        incomplete = self._incomplete_items(source)
        seen = {row["dynasty_id"] for row in rows}
        rows += [row for row in incomplete.values() if row["dynasty_id"] not in seen]
        consecutive = 0
        for row in rows:
            if row["dynasty_id"] in fresh or not row["url"]:
                continue
            page = self.fetcher.get(source, row["url"])
            if (page.usable and page.sha256 == row["html_sha256"]
                    and row["dynasty_id"] not in incomplete):
                continue
            entry = FeedEntry(link=row["url"], dynasty_id=row["dynasty_id"],
                              page="meetingitem", raw_title="", body=row["body"],
                              meeting_date=row["meeting_date"], subject=row["title"],
                              description=None)
            consecutive = self._item(source, summary, entry, page, consecutive)
            if consecutive >= MAX_CONSECUTIVE_FAILURES:
                summary.failures.append(f"{source.id}: gave up after {consecutive} failures")
                return

    def _incomplete_items(self, source: Source) -> dict[str, dict]:
        """Stored items whose PDF or an attachment failed on its last try for a reason
        that may pass (network trouble, a truncated body, 429 or 5xx), by dynasty id."""
        rows = self.db.query(
            f"{_ITEM_ROWS} where items.source_id = ? and (items.pdf_sha256 is null or exists "
            "(select 1 from attachments where attachments.item_id = items.id "
            "and attachments.status = 'error')) order by items.id", [source.id])
        out = {}
        for row in rows:
            urls = [source.static(f"{row['dynasty_id']}.PDF")] if not row["pdf_sha256"] else []
            urls += [a["url"] for a in self.db.query(
                "select url from attachments where item_id = ? and status = 'error' "
                "and url is not null", [row["id"]])]
            if any(self._failed_transiently(url) for url in urls):
                out[row["dynasty_id"]] = row
        return out

    def _failed_transiently(self, url: str) -> bool:
        last = next(self.db.query(
            "select status, error from fetches where url = ? order by id desc limit 1", [url]),
            None)
        return last is not None and is_transient(last["status"], last["error"])

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
        for entry in _parse_feed(source, "meetings feed", fetched).entries:
            if not (entry.body and entry.meeting_date and entry.dynasty_id):
                continue
            body_id = store.ensure_body(self.db, source.id, entry.body)
            ids.add(store.upsert_meeting(self.db, source_id=source.id, body_id=body_id,
                                         date=entry.meeting_date,
                                         document_type=document_type_of(entry.subject),
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
        """Officials' decisions have their own feed; older sites without it answer 404."""
        feed = self.fetcher.get(source, source.cgi("rss/official_decisions", show=FEED_SIZE))
        if not feed.usable:
            if feed.result.status != 404:
                summary.failures.append(f"{source.id}: official decisions feed: {feed.reason}")
            return
        known = store.known_official_decision_ids(self.db, source.id)
        for entry in _parse_feed(source, "official decisions feed", feed).entries:
            if entry.dynasty_id is None or entry.dynasty_id in known:
                continue
            known.add(entry.dynasty_id)
            page = self.fetcher.get(source, entry.link)
            if not page.usable:
                summary.failed += 1
                summary.failures.append(f"{source.id}: {entry.link}: {page.reason}")
                continue
            record = parse_official_decision(page.result.content, url=entry.link,
                                             content_type=page.result.content_type)
            if not record.title and entry.subject:
                record.title = entry.subject
            status = store.store_official_decision(
                self.db, source_id=source.id, dynasty_id=entry.dynasty_id, record=record,
                url=entry.link, html_sha256=page.sha256, parser_version=PARSER_VERSION,
                now=self.now())
            if status == "new":
                summary.official_decisions += 1

    # -- one item ------------------------------------------------------------------

    def harvest_item(self, source: Source, entry: FeedEntry, page: Fetched | None = None,
                     problems: list[str] | None = None) -> str:
        """Fetch, archive, parse and store one item; ``"failed"`` when its page is missing.

        ``problems`` collects why the item's PDF or an attachment is missing when that may
        pass (a timeout, a truncated body, a 5xx): the item is stored without it and taken
        again by a later run.
        """
        problems = [] if problems is None else problems
        page = page or self.fetcher.get(source, entry.link)
        if not page.usable:
            log.warning("item %s: %s", entry.link, page.reason)
            problems.append(page.reason)
            return "failed"
        if not page.result.content.strip():  # a crashed script's blank 200 is no item
            log.warning("item %s: empty page", entry.link)
            problems.append("empty page")
            return "failed"
        pdf_url: str | None = source.static(f"{entry.dynasty_id}.PDF")
        pdf = self.fetcher.get(source, pdf_url)
        pdf_ok = pdf.usable and pdf.result.content.startswith(b"%PDF")
        if not pdf_ok:
            pdf_url, pdf.sha256 = None, None
        record, agreement = parse_item_documents(
            page.result.content, url=entry.link, content_type=page.result.content_type,
            pdf=pdf.result.content if pdf_ok else None, pdf_url=pdf_url)
        if not pdf_ok:
            record.warn(f"item pdf: {'not a PDF' if pdf.usable else pdf.reason}")
            if not pdf.usable and is_transient(pdf.result.status, pdf.result.error):
                problems.append(f"item pdf: {pdf.reason}")
        if _structure_lost(record.warnings) and self._stored_with_structure(source, entry):
            # an error page answered 200: it must not replace the item already stored
            reason = "page has no Dynasty item structure; the stored item is kept"
            log.warning("item %s: %s", entry.link, reason)
            problems.append(reason)
            return "failed"
        for name, value in (("body", entry.body), ("meeting_date", entry.meeting_date),
                            ("title", entry.subject)):
            record.fill(name, value, "feed")
        return self._store(source, entry, record, page, pdf, pdf_url, agreement, problems)

    def _stored_with_structure(self, source: Source, entry: FeedEntry) -> bool:
        """Whether the item is stored already from a page the parser recognised."""
        row = next(self.db.query("select warnings from items where id = ?",
                                 [f"{source.id}/{entry.dynasty_id}"]), None)
        return row is not None and not _structure_lost(json.loads(row["warnings"] or "[]"))

    def _store(self, source: Source, entry: FeedEntry, record: ItemRecord, page: Fetched,
               pdf: Fetched, pdf_url: str | None, agreement: float | None,
               problems: list[str]) -> str:
        body_id = meeting_id = None
        if record.body:
            body_id = store.ensure_body(self.db, source.id, record.body)
            if record.meeting_date:
                doc_id = entry.dynasty_id.rsplit("-", 1)[0] if entry.dynasty_id else None
                meeting_id = store.upsert_meeting(
                    self.db, source_id=source.id, body_id=body_id, date=record.meeting_date,
                    document_type=record.document_type, doc_id=doc_id,
                    url=source.cgi("meeting", id=doc_id) if doc_id else None)
        pages: dict[str, tuple[str, list[str]]] = {}
        attachments = [self._attachment(source, entry, i, a.title, a.url, problems, pages)
                       for i, a in enumerate(record.attachments)]
        return store.store_item(self.db, store.ItemWrite(
            source_id=source.id, dynasty_id=entry.dynasty_id or "", meeting_id=meeting_id,
            body_id=body_id, record=record, url=entry.link, pdf_url=pdf_url,
            html_sha256=page.sha256, pdf_sha256=pdf.sha256, pdf_agreement=agreement,
            parser_version=PARSER_VERSION, attachments=attachments,
            attachment_pages=pages), self.now())

    def _attachment(self, source: Source, entry: FeedEntry, position: int, title: str,
                    url: str | None, problems: list[str],
                    pages: dict[str, tuple[str, list[str]]]) -> dict:
        """The attachment's row; the text of a PDF not read before goes into ``pages``."""
        row = {"id": f"{source.id}/{entry.dynasty_id}#{position + 1}", "position": position,
               "title": title, "url": url, "sha256": None, "content_type": None, "size": None,
               "status": "not_fetched", "error": None}
        if not url:
            return row
        fetched = self.fetcher.get(source, url)
        result = fetched.result
        if not fetched.usable:
            row.update(status="error", error=fetched.reason)
            if is_transient(result.status, result.error):
                problems.append(f"attachment {url}: {fetched.reason}")
        else:
            is_pdf = result.content.startswith(b"%PDF")
            row.update(sha256=fetched.sha256, content_type=result.content_type,
                       size=len(result.content), status="ok" if is_pdf else "not_pdf",
                       error=None if is_pdf else f"starts with {result.content[:16]!r}")
            if is_pdf and fetched.sha256:
                known = store.attachment_text_state(self.db, row["id"], fetched.sha256)
                if known is not None:  # this file's text is stored already
                    row.update(status=known[0], error=known[1])
                else:
                    status, error, texts = attachment_text(result.content)
                    row.update(status=status, error=error)
                    pages[row["id"]] = (fetched.sha256, texts)
        return row


_ITEM_ROWS = ("select items.id, items.dynasty_id, items.url, items.html_sha256, "
              "items.pdf_sha256, items.meeting_date, items.title, bodies.name as body "
              "from items left join bodies on bodies.id = items.body_id")


#: parser warnings saying an item page is no Dynasty item page at all
_NO_STRUCTURE = ("empty document", "unknown template")


def _structure_lost(warnings: list[str]) -> bool:
    return any(w.startswith(_NO_STRUCTURE) for w in warnings)


def _parse_feed(source: Source, name: str, fetched: Fetched) -> FeedResult:
    """Parse a fetched feed; a malformed one keeps the entries before the break, with a
    warning in the log."""
    parsed = parse_feed(fetched.result.content)
    for warning in parsed.warnings:
        log.warning("%s %s: %s", source.id, name, warning)
    return parsed
