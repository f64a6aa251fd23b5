"""Reading a fetched Dynasty RSS feed, shared by the harvest's feeds.

The items, meetings and officials' decisions feeds are parsed the same way; a feed that
breaks off (a truncated body, bad bytes) still yields the entries before the break, so a
run is not lost to one damaged response. Why it broke goes to the log, per source.
"""

from __future__ import annotations

import logging

from parsers import parse
from parsers.records import FeedRecord
from scraper.fetcher import Fetched
from scraper.sources import Source

log = logging.getLogger(__name__)


def read_feed(source: Source, name: str, fetched: Fetched) -> FeedRecord:
    """Parse a fetched feed; a malformed one keeps the entries before the break, with a
    warning in the log naming the source and the feed (``name``)."""
    parsed = parse("feed", fetched.result.content)
    for warning in parsed.warnings:
        log.warning("%s %s: %s", source.id, name, warning)
    return parsed
