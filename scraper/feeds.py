"""Reading a fetched Dynasty RSS feed, shared by the harvest's feeds.

The items, meetings and officials' decisions feeds are parsed the same way; a feed that
breaks off (a truncated body, bad bytes) still yields the entries before the break, so a
run is not lost to one damaged response. Why it broke goes to the log, per source.
Entries are then checked (:mod:`scraper.feed_guard`): at most the number asked for, and
only Dynasty ids of the feed's kind linking to the page kind it may link to; what is
refused is said in the run's warnings.
"""

from __future__ import annotations

import logging

from parsers import parse
from parsers.records import FeedRecord
from scraper.feed_guard import check_entries
from scraper.fetcher import Fetched
from scraper.sources import Source

log = logging.getLogger(__name__)


def read_feed(source: Source, name: str, fetched: Fetched, *, kind: str | None = None,
              limit: int | None = None, refused: list[str] | None = None) -> FeedRecord:
    """Parse a fetched feed; a malformed one keeps the entries before the break, with a
    warning in the log naming the source and the feed (``name``). With ``kind``
    (``"items"``, ``"meetings"``, ``"official decisions"``) the entries are checked and
    at most ``limit`` kept; why others were refused is logged and added to ``refused``
    (the run's warnings)."""
    parsed = parse("feed", fetched.result.content)
    for warning in parsed.warnings:
        log.warning("%s %s: %s", source.id, name, warning)
    if kind is not None:
        parsed.entries, why = check_entries(source, kind, parsed.entries, limit)
        for warning in why:
            log.warning("%s", warning)
        if refused is not None:
            refused.extend(why)
    return parsed
