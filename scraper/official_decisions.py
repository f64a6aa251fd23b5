"""Officials' decisions (viranhaltijapäätökset): their own feed, their own pages.

Decisions made by officials, not bodies, are listed by ``rss/official_decisions`` and
have no meeting, PDF or attachments to fetch: each new entry is one page, parsed and
stored (:func:`store_decision`, the one record → row path of this kind, which the
harvest and ``reparse`` share). Older Dynasty sites have no such feed and answer
``404``, which is no failure. A decision is taken once: a stored one is not fetched
again; ``reparse`` rebuilds every stored one from its archived page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from db import store
from parsers import PARSER_VERSION, parse
from parsers.records import FeedEntry, OfficialDecisionRecord
from scraper.archive import ArchiveDamaged, RawArchive
from scraper.feeds import read_feed
from scraper.fetcher import ArchivingFetcher
from scraper.sources import Source
from scraper.summary import RunSummary

log = logging.getLogger(__name__)


def store_decision(db: sqlite_utils.Database, *, source_id: str, dynasty_id: str,
                   record: OfficialDecisionRecord, url: str, sha256: str | None,
                   title: str | None, now: str) -> str:
    """Store one parsed decision: ``"new"``, ``"updated"`` or ``"unchanged"``.

    ``title`` stands in when the page gives none (the feed's subject on a harvest, the
    stored title on a reparse): the parser cannot find it again, the row must keep it.
    """
    if not record.title and title:
        record.title = title
    return store.store_official_decision(
        db, source_id=source_id, dynasty_id=dynasty_id, record=record, url=url,
        html_sha256=sha256, parser_version=PARSER_VERSION, now=now)


def harvest_official_decisions(db: sqlite_utils.Database, fetcher: ArchivingFetcher,
                               now: Callable[[], str], source: Source, summary: RunSummary,
                               feed_size: int) -> None:
    """Store the decisions the source's feed (``feed_size`` entries) lists and that are not
    stored yet, counting the new ones in ``summary``. An unusable feed other than a 404
    is reported in its failures without counting as failed."""
    feed = fetcher.get(source, source.cgi("rss/official_decisions", show=feed_size))
    if not feed.usable:
        if feed.result.status != 404:
            summary.failures.append(f"{source.id}: official decisions feed: {feed.reason}")
        return
    known = store.known_official_decision_ids(db, source.id)
    parsed = read_feed(source, "official decisions feed", feed, kind="official decisions",
                       limit=feed_size, refused=summary.warnings)
    for entry in parsed.entries:
        if entry.dynasty_id is None or entry.dynasty_id in known:
            continue
        known.add(entry.dynasty_id)
        try:
            _one(db, fetcher, now, source, summary, entry)
        except Exception as exc:  # one odd page (a charset naming base64, a parser bug)
            log.exception("official decision %s failed", entry.link)
            summary.failed += 1
            summary.failures.append(f"{source.id}: {entry.link}: {type(exc).__name__}: {exc}")


def _one(db: sqlite_utils.Database, fetcher: ArchivingFetcher, now: Callable[[], str],
         source: Source, summary: RunSummary, entry: FeedEntry) -> None:
    """Fetch, parse and store one decision; a failure is counted with its URL."""
    page = fetcher.get(source, entry.link)
    if not page.usable:
        summary.failed += 1
        summary.failures.append(f"{source.id}: {entry.link}: {page.reason}")
        return
    record = parse("official_decision", page.result.content, url=entry.link,
                   content_type=page.result.content_type)
    assert isinstance(record, OfficialDecisionRecord)
    status = store_decision(db, source_id=source.id, dynasty_id=entry.dynasty_id or "",
                            record=record, url=entry.link, sha256=page.sha256,
                            title=entry.subject, now=now())
    if status == "new":
        summary.official_decisions += 1


@dataclass
class DecisionCounts:
    """What rebuilding officials' decisions from the raw archive did."""

    updated: int = 0
    unchanged: int = 0
    failed: int = 0  # the archived page is missing


def reparse_official_decisions(db: sqlite_utils.Database, archive: RawArchive,
                               now: Callable[[], str]) -> DecisionCounts:
    """Rebuild every stored decision from its archived page, without the network.

    For ``kokousarkisto reparse``: when the parser improves, the pages already fetched
    are parsed again; unchanged results write nothing. A title the page lacks (it came
    from the feed) is kept from the stored row.
    """
    counts = DecisionCounts()
    rows = db.query("select official_decisions.*, raw_documents.content_type as page_type "
                    "from official_decisions left join raw_documents "
                    "on raw_documents.sha256 = official_decisions.html_sha256 "
                    "where official_decisions.html_sha256 is not null "
                    "order by official_decisions.id")
    for row in list(rows):
        sha256 = row["html_sha256"]
        try:
            data = archive.get(sha256)
        except (ArchiveDamaged, OSError) as exc:  # missing or damaged: not the page
            log.warning("official decision %s: %s", row["id"], exc)
            counts.failed += 1
            continue
        record = parse("official_decision", data, url=row["url"],
                       content_type=row["page_type"])
        assert isinstance(record, OfficialDecisionRecord)
        status = store_decision(db, source_id=row["source_id"], dynasty_id=row["dynasty_id"],
                                record=record, url=row["url"], sha256=sha256,
                                title=row["title"], now=now())
        if status == "unchanged":
            counts.unchanged += 1
        else:
            counts.updated += 1
    return counts
