"""Backfill: reach a source's older items through its lists, not its feeds.

The RSS feeds show only the newest items (``show=100``), so a new source, or one whose
feeds were down for a while, has gaps. Backfill walks Dynasty's navigation instead:

1. the **body list** – ``page=meeting_frames`` (a frameset on real hosts: its frames are
   followed), then ``page=meeting_handlers``, then the static ``/kokous/TELIMET.HTM``;
   the first that lists bodies is used;
2. each **body's meeting list** (``page=meetings&id=`` or ``TELIN-<id>.HTM``, whichever
   the body list links to), skipping bodies whose latest document is older than
   ``since`` (old council terms are bodies of their own);
3. each **meeting page** of a document whose meeting is on or after ``since``;
4. every item the meeting page lists that is not stored yet, through the harvester's own
   ``harvest_item`` (fetch, archive, parse HTML and PDF, store), exactly as if a feed had
   listed it.

Every request goes through the harvester's archiving fetcher, so list pages are
archived and logged, re-fetched conditionally on the next run, and the host's politeness
delay applies. Bodies get their Dynasty ids and meetings their document ids and URLs.
``kokousarkisto harvest --backfill --since YYYY-MM-DD`` runs the feed harvest and then
this, per source.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from db import store
from parsers import parse
from parsers.records import BodyEntry, FeedEntry, MeetingListEntry, MeetingRecord
from scraper.harvest import MAX_CONSECUTIVE_FAILURES, Harvester, RunSummary
from scraper.meetings import MeetingPageError, page_of, store_page
from scraper.sources import Source

log = logging.getLogger(__name__)


@dataclass
class BackfillStats:
    """What one backfill saw and did (summed over sources)."""

    bodies: int = 0  # bodies on the body list
    bodies_walked: int = 0  # meeting lists fetched
    documents: int = 0  # documents on the walked lists since the date
    meeting_pages: int = 0  # meeting pages fetched and parsed
    items_listed: int = 0  # items on those pages
    items_new: int = 0  # stored by the backfill (not known before)
    failed: int = 0
    body_list_url: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"bodies={self.bodies} lists={self.bodies_walked} documents={self.documents} "
                f"meeting_pages={self.meeting_pages} items_listed={self.items_listed} "
                f"new={self.items_new} failed={self.failed}")

    def add(self, other: BackfillStats) -> None:
        for name in ("bodies", "bodies_walked", "documents", "meeting_pages", "items_listed",
                     "items_new", "failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.body_list_url.extend(other.body_list_url)


class Backfiller:
    """Walks one source's lists since a date and harvests the items not stored yet."""

    def __init__(self, harvester: Harvester, since: date | str | None) -> None:
        self.h = harvester
        self.since = since.isoformat() if isinstance(since, date) else since

    def _on_or_after(self, iso: str | None) -> bool:
        return self.since is None or iso is None or iso >= self.since

    # -- fetching --

    def _get(self, source: Source, url: str):
        fetched = self.h.fetcher.get(source, url)
        return fetched if fetched.usable else None, fetched

    def _fail(self, source: Source, summary: RunSummary, stats: BackfillStats, what: str) -> None:
        summary.failed += 1
        stats.failed += 1
        summary.failures.append(f"{source.id}: backfill: {what}")
        log.warning("%s backfill: %s", source.id, what)

    # -- the walk --

    def body_list(self, source: Source, summary: RunSummary,
                  stats: BackfillStats) -> list[BodyEntry]:
        """The bodies of the first body-list page that has any."""
        tried: list[str] = []
        queue = [source.cgi("meeting_frames"), source.cgi("meeting_handlers"),
                 source.static("TELIMET.HTM")]
        reasons: list[str] = []
        while queue and len(tried) < 8:
            url = queue.pop(0)
            if url in tried:
                continue
            tried.append(url)
            ok, fetched = self._get(source, url)
            if ok is None:
                reasons.append(f"{url}: {fetched.reason}")
                continue
            record = parse("body_list", ok.result.content, url=url,
                           content_type=ok.result.content_type)
            if record.bodies:
                stats.body_list_url.append(url)
                return record.bodies
            # a frameset: look into its frames first (same host only, as the client allows)
            queue[:0] = [f for f in record.frames if f not in tried]
        self._fail(source, summary, stats, "no body list: " + "; ".join(reasons or tried))
        return []

    def run(self, source: Source, summary: RunSummary) -> BackfillStats:
        """Walk the source's lists; outcomes are added to ``summary`` too."""
        stats = BackfillStats()
        store.ensure_source(self.h.db, store.SourceRow(
            id=source.id, name=source.name or source.id, base_url=source.base_url,
            municipality=source.municipality), self.h.now())
        bodies = self.body_list(source, summary, stats)
        stats.bodies = len(bodies)
        known = store.known_item_ids(self.h.db, source.id)
        seen_lists: set[str] = set()
        seen_docs: set[str] = set()
        consecutive = 0
        for body in bodies:
            if not body.url or body.url in seen_lists:
                continue
            if body.latest_date and not self._on_or_after(body.latest_date):
                continue  # nothing on this list is recent enough
            seen_lists.add(body.url)
            ok, fetched = self._get(source, body.url)
            stats.bodies_walked += 1
            if ok is None:
                self._fail(source, summary, stats, f"{body.url}: {fetched.reason}")
                continue
            listing = parse("meeting_list", ok.result.content, url=body.url,
                            content_type=ok.result.content_type)
            if body.dynasty_id:
                store.ensure_body(self.h.db, source.id, body.name, dynasty_id=body.dynasty_id)
            for doc in listing.meetings:
                key = doc.dynasty_id or doc.url
                if not doc.url or key in seen_docs or not self._on_or_after(doc.meeting_date):
                    continue
                seen_docs.add(key)
                stats.documents += 1
                consecutive = self.meeting(source, summary, stats, body, doc, known, consecutive)
                if consecutive >= MAX_CONSECUTIVE_FAILURES:
                    summary.failures.append(
                        f"{source.id}: backfill gave up after {consecutive} failures")
                    return stats
        return stats

    def _store_details(self, source: Source, summary: RunSummary, stats: BackfillStats,
                       meeting_id: int, record: MeetingRecord, doc_id: str | None,
                       url: str, sha256: str) -> None:
        """Keep the page's time, place, status and attendees on the meeting when this page
        is the one its details come from: the minutes once published, else the agenda."""
        row = self.h.db["meetings"].get(meeting_id)
        if doc_id is None or page_of(row)[0] != doc_id:
            return
        if row["page_sha256"] == sha256 and row["page_doc_id"] == doc_id:
            return
        try:
            store_page(self.h.db, row, record, doc_id=doc_id, url=url, sha256=sha256,
                       now=self.h.now())
        except MeetingPageError as exc:
            self._fail(source, summary, stats, f"{url}: {exc}")

    def meeting(self, source: Source, summary: RunSummary, stats: BackfillStats,
                body: BodyEntry, doc: MeetingListEntry, known: set[str],
                consecutive: int) -> int:
        """One meeting page: store the meeting, harvest its unknown items."""
        ok, fetched = self._get(source, doc.url)
        if ok is None:
            self._fail(source, summary, stats, f"{doc.url}: {fetched.reason}")
            return consecutive + 1
        stats.meeting_pages += 1
        meeting = parse("meeting_html", ok.result.content, url=doc.url,
                        content_type=ok.result.content_type)
        wrong_page = meeting.other_document is not None
        if wrong_page:
            # a stateful server answered with another meeting's page: retry on a later run
            self._fail(source, summary, stats, f"{doc.url}: another meeting's page was served")
        date_iso = meeting.meeting_date or doc.meeting_date
        if not self._on_or_after(date_iso):
            return consecutive
        body_name = meeting.body or body.name
        doc_type = meeting.document_type or doc.document_type
        if body_name and date_iso:
            body_id = store.ensure_body(self.h.db, source.id, body_name)
            meeting_id = store.upsert_meeting(
                self.h.db, source_id=source.id, body_id=body_id, date=date_iso,
                document_type=doc_type, doc_id=meeting.dynasty_id or doc.dynasty_id,
                url=doc.url)
            if not wrong_page:
                self._store_details(source, summary, stats, meeting_id, meeting,
                                    meeting.dynasty_id or doc.dynasty_id, doc.url, ok.sha256)
        for item in meeting.items:
            if not item.url or not item.dynasty_id:
                continue
            stats.items_listed += 1
            if item.dynasty_id in known:
                continue
            known.add(item.dynasty_id)
            entry = FeedEntry(link=item.url, dynasty_id=item.dynasty_id, page="meetingitem",
                              raw_title="", body=body_name, meeting_date=date_iso,
                              subject=item.title, description=None)
            status = self.h.harvest_item(source, entry)
            if status == "failed":
                self._fail(source, summary, stats, f"{item.url}: item page")
                consecutive += 1
                if consecutive >= MAX_CONSECUTIVE_FAILURES:
                    return consecutive
                continue
            consecutive = 0
            if status == "new":
                stats.items_new += 1
                summary.new_items += 1
            elif status == "updated":
                summary.updated_items += 1
            else:
                summary.unchanged_items += 1
        return consecutive


class BackfillHarvester(Harvester):
    """A harvester that, for each source, backfills from the lists after reading the feeds.

    The backfill runs even when a feed failed: reaching items without the feeds is its
    purpose. ``stats`` sums what the backfills saw.
    """

    def __init__(self, *args, since: date | str | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.since = since
        self.stats = BackfillStats()

    def harvest_source(self, source: Source, summary: RunSummary) -> None:
        super().harvest_source(source, summary)
        self.stats.add(Backfiller(self, self.since).run(source, summary))
