"""Is a source's host serving *its* municipality? Warnings for mixed-up sources.

A source id keys every row, so a misconfigured source (its URL pointing at another
municipality's site, or at the same site as another source) never overwrites anything:
its items are stored under its own id. But they are the wrong municipality's items, and
only the operator can fix the URL. Two signs are checked when an items feed is read:

* the feed is byte for byte the items feed another source got (same sha256 in the fetch
  log): two ids, one site;
* the feed's title names another known municipality (the registry's names, Finnish
  inflection allowed: ``Joensuun kaupunki``) and not the source's own.

Both give a warning in the run's summary; nothing is refused or deleted.
"""

from __future__ import annotations

import functools
import re

import sqlite_utils

from scraper.registry import load_registry
from scraper.sources import Source

ITEMS_FEED = "page=rss/meetingitems"
_WORD = re.compile(r"[A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖa-zåäö][a-zåäö]+)*")


@functools.cache
def known_municipalities() -> tuple[str, ...]:
    return tuple(sorted({e.municipality for e in load_registry() if e.municipality}))


def names(text: str, municipality: str) -> bool:
    """Whether ``text`` mentions ``municipality`` in some inflected form.

    A capitalised word matches when it starts with the name (Kuopio → Kuopion) or
    shares all but the name's last two letters with it and is not much longer
    (consonant gradation: Helsinki → Helsingin, Turku → Turun, Lahti → Lahden).
    """
    name = municipality.strip()
    if not name:
        return False
    stem = name[: max(3, len(name) - 2)].lower()
    for word in _WORD.findall(text):
        low = word.lower()
        if low.startswith(name.lower()) and len(low) <= len(name) + 4:
            return True
        if low.startswith(stem) and len(low) <= len(name) + 3:
            return True
    return False


def check_identity(db: sqlite_utils.Database, source: Source, feed_sha256: str | None,
                   feed_title: str | None,
                   municipalities: tuple[str, ...] | None = None) -> list[str]:
    """Warnings about a source whose (non-empty) items feed looks like another's."""
    warnings: list[str] = []
    if feed_sha256:
        others = [row["source_id"] for row in db.query(
            "select distinct source_id from fetches where sha256 = ? and source_id != ? "
            "and instr(url, ?) > 0 order by source_id", [feed_sha256, source.id, ITEMS_FEED])]
        if others:
            warnings.append(
                f"{source.id}: {source.base_url} serves the same items feed as "
                f"{', '.join(others)}: two sources for one site, or one pointing at "
                "another municipality's pages? Items stay apart under each source's id; "
                "fix the source's URL")
    if source.municipality and feed_title and not names(feed_title, source.municipality):
        candidates = municipalities if municipalities is not None else known_municipalities()
        named = [m for m in candidates if m != source.municipality and names(feed_title, m)]
        if named:
            warnings.append(
                f"{source.id}: the items feed of {source.base_url} is titled "
                f"{feed_title!r}, which names {', '.join(named)}, not {source.municipality}: "
                "is the source's URL another municipality's site?")
    return warnings
