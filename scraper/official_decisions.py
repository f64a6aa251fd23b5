"""Officials' decisions (viranhaltijapäätökset): their own feed, their own pages.

Decisions made by officials, not bodies, are listed by ``rss/official_decisions`` and
have no meeting, PDF or attachments to fetch: each new entry is one page, parsed and
stored (:func:`db.store.store_official_decision`). Older Dynasty sites have no such feed
and answer ``404``, which is no failure. A decision is taken once: a stored one is not
fetched again.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from db import store
from parsers import PARSER_VERSION, parse
from scraper.feeds import read_feed
from scraper.fetcher import ArchivingFetcher
from scraper.sources import Source
from scraper.summary import RunSummary


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
    for entry in read_feed(source, "official decisions feed", feed).entries:
        if entry.dynasty_id is None or entry.dynasty_id in known:
            continue
        known.add(entry.dynasty_id)
        page = fetcher.get(source, entry.link)
        if not page.usable:
            summary.failed += 1
            summary.failures.append(f"{source.id}: {entry.link}: {page.reason}")
            continue
        record = parse("official_decision", page.result.content, url=entry.link,
                       content_type=page.result.content_type)
        if not record.title and entry.subject:
            record.title = entry.subject
        status = store.store_official_decision(
            db, source_id=source.id, dynasty_id=entry.dynasty_id, record=record,
            url=entry.link, html_sha256=page.sha256, parser_version=PARSER_VERSION,
            now=now())
        if status == "new":
            summary.official_decisions += 1
