"""Meeting pages: when, where and who, read from each meeting's own document page.

The meetings feed (``rss/meetings``) says only that a body meets on a date and which
documents (agenda, esityslista; minutes, pöytäkirja) exist. The page of the newest
document – the minutes once published, the agenda before – adds the start and end time,
the place, the status and, on minutes, the attendees (saapuvilla olleet). Those are
stored on the meeting (:func:`db.store.store_meeting_details`).

A meeting's page is fetched when the meeting has no details from that document yet, and
again – conditionally, so an unchanged page costs a ``304`` – while the meeting is
within the recheck window, because minutes are corrected after publication. A page that
cannot be fetched, or that is no page of this meeting, is a failure of its own: the
stored details are kept and the items are harvested regardless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlite_utils

from db import store
from parsers import parse
from parsers.records import MeetingRecord
from scraper.archive import ArchiveDamaged, RawArchive
from scraper.fetcher import ArchivingFetcher, Fetched
from scraper.sources import Source

log = logging.getLogger(__name__)


class MeetingPageError(Exception):
    """A meeting page that cannot be used; the message says why."""


@dataclass
class MeetingPagesResult:
    """What one source's meeting pages gave."""

    fetched: int = 0  # pages requested
    stored: int = 0  # meetings whose details were new or changed
    failed: int = 0  # pages that could not be used
    failures: list[str] = field(default_factory=list)


def page_of(meeting: dict) -> tuple[str | None, str | None]:
    """``(document id, URL)`` of the page to read for a meeting row: its minutes when
    published (only they list attendees), its agenda otherwise."""
    if meeting.get("minutes_url"):
        return meeting.get("minutes_doc_id"), meeting["minutes_url"]
    return meeting.get("agenda_doc_id"), meeting.get("agenda_url")


def check_page(record: MeetingRecord, meeting: dict) -> None:
    """Raise :class:`MeetingPageError` unless ``record`` is a page of ``meeting``.

    An error page served with ``200``, or a stateful server's page of another meeting,
    must not replace the details stored from the right page.
    """
    if record.other_document is not None:
        raise MeetingPageError("another meeting's page was served")
    if record.meeting_date and record.meeting_date != meeting["date"]:
        raise MeetingPageError(f"page is of a meeting on {record.meeting_date}, "
                               f"not {meeting['date']}")
    if not (record.meeting_date or record.body or record.items or record.attendees):
        raise MeetingPageError("page has no Dynasty meeting structure")


def store_page(db: sqlite_utils.Database, meeting: dict, record: MeetingRecord, *,
               doc_id: str | None, url: str, sha256: str | None, now: str) -> str:
    """Store ``record`` as ``meeting``'s details (``"new"``, ``"updated"`` or
    ``"unchanged"``) once :func:`check_page` accepts it; raises :class:`MeetingPageError`
    otherwise. The one way a harvest, a backfill and a reparse write a meeting page."""
    check_page(record, meeting)
    return store.store_meeting_details(db, store.MeetingDetails(
        meeting_id=meeting["id"], doc_id=doc_id, url=url, sha256=sha256, record=record), now)


class MeetingPages:
    """Fetches, archives (through the fetcher), parses and stores meeting pages."""

    def __init__(self, db: sqlite_utils.Database, fetcher: ArchivingFetcher,
                 now: Callable[[], str], today: Callable[[], date], recheck_days: int,
                 max_consecutive_failures: int = 5) -> None:
        self.db = db
        self.fetcher = fetcher
        self.now = now
        self.today = today
        self.recheck_days = recheck_days
        self.max_consecutive_failures = max_consecutive_failures

    def due(self, meeting_ids: Iterable[int]) -> list[dict]:
        """The meetings, among ``meeting_ids``, whose page should be (re)read now."""
        ids = sorted(set(meeting_ids))
        if not ids:
            return []
        since = ((self.today() - timedelta(days=self.recheck_days)).isoformat()
                 if self.recheck_days > 0 else None)
        rows = self.db.query(
            f"select * from meetings where id in ({', '.join('?' * len(ids))}) "
            "order by date, id", ids)
        out = []
        for row in rows:
            doc_id, url = page_of(row)
            if not url:
                continue
            unread = row["page_sha256"] is None or row["page_doc_id"] != doc_id
            if unread or (since is not None and row["date"] >= since):
                out.append(row)
        return out

    def run(self, source: Source, meeting_ids: Iterable[int]) -> MeetingPagesResult:
        """Read the due pages of ``meeting_ids``; a run of failures gives up the rest."""
        result = MeetingPagesResult()
        consecutive = 0
        for meeting in self.due(meeting_ids):
            _, url = page_of(meeting)
            try:
                status = self.one(source, meeting, result)
            except Exception as exc:  # one odd page must not stop the harvest
                if not isinstance(exc, MeetingPageError):
                    log.exception("meeting page %s failed", url)
                reason = str(exc) if isinstance(exc, MeetingPageError) \
                    else f"{type(exc).__name__}: {exc}"
                log.warning("%s meeting page %s: %s", source.id, url, reason)
                result.failed += 1
                result.failures.append(f"{source.id}: meeting page {url}: {reason}")
                consecutive += 1
                if consecutive >= self.max_consecutive_failures:
                    result.failures.append(
                        f"{source.id}: meeting pages: gave up after {consecutive} failures")
                    break
                continue
            consecutive = 0
            if status in ("new", "updated"):
                result.stored += 1
        return result

    def one(self, source: Source, meeting: dict, result: MeetingPagesResult) -> str:
        """Fetch, parse and store one meeting's page; ``"unchanged"`` when the same bytes
        came back. Raises :class:`MeetingPageError` when the page cannot be used."""
        doc_id, url = page_of(meeting)
        assert url is not None
        fetched: Fetched = self.fetcher.get(source, url)
        result.fetched += 1
        if not fetched.usable:
            raise MeetingPageError(fetched.reason)
        if fetched.sha256 == meeting["page_sha256"] and doc_id == meeting["page_doc_id"]:
            return "unchanged"
        if not fetched.result.content.strip():
            raise MeetingPageError("empty page")
        record = parse("meeting_html", fetched.result.content, url=url,
                       content_type=fetched.result.content_type)
        return store_page(self.db, meeting, record, doc_id=doc_id, url=url,
                          sha256=fetched.sha256, now=self.now())


@dataclass
class ReparseCounts:
    """What rebuilding meeting details from the raw archive did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0  # the archived page is missing or is no page of its meeting

    def line(self) -> str:
        return (f"meetings: updated={self.updated + self.new} unchanged={self.unchanged} "
                f"failed={self.failed}")


def reparse_meeting_pages(db: sqlite_utils.Database, archive: RawArchive,
                          now: Callable[[], str]) -> ReparseCounts:
    """Rebuild every meeting's details and attendees from its archived page.

    For ``kokousarkisto reparse``: when the meeting parser improves, the pages already
    fetched are parsed again without the network; unchanged results write nothing.
    """
    counts = ReparseCounts()
    rows = db.query("select meetings.*, raw_documents.content_type as page_content_type "
                    "from meetings left join raw_documents "
                    "on raw_documents.sha256 = meetings.page_sha256 "
                    "where meetings.page_sha256 is not null order by meetings.id")
    for meeting in list(rows):
        sha256 = meeting["page_sha256"]
        try:
            data = archive.get(sha256)
        except (ArchiveDamaged, OSError) as exc:  # missing or damaged: not the page
            log.warning("meeting %s: %s", meeting["id"], exc)
            counts.failed += 1
            continue
        record = parse("meeting_html", data, url=meeting["page_url"],
                       content_type=meeting["page_content_type"])
        try:
            status = store_page(db, meeting, record, doc_id=meeting["page_doc_id"],
                                url=meeting["page_url"], sha256=sha256, now=now())
        except MeetingPageError as exc:
            log.warning("meeting %s: %s", meeting["id"], exc)
            counts.failed += 1
            continue
        setattr(counts, status, getattr(counts, status) + 1)
    return counts
