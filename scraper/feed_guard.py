"""What a feed entry must be before the harvest acts on it.

A feed is the one input that decides which URLs the harvest requests and which rows it
writes, so a hostile or broken host must not steer it: an id like ``../../etc/passwd``
became ``GET /etc/passwd.PDF``, links to meeting pages, officials' decisions or other
feeds were stored as items, a feed of 100,000 entries (``show=100`` asked) was harvested
in full (~55 h at the polite delay), and a meetings feed of 40,000 fake meetings wrote
40,000 rows. So each feed keeps at most the number of entries asked for, and an entry is
kept only when its id is a Dynasty id of the kind the feed lists, its link is on the
source's host and points to the page kind that feed may link to. What is refused is
counted in one warning per reason, with an example.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from parsers.records import FeedEntry
from scraper.sources import Source


@dataclass(frozen=True)
class FeedRule:
    """The entries one feed may list: ids matching ``id_re``, links to ``pages``
    (``None``: any page but :data:`OTHER_PAGES`)."""

    id_re: re.Pattern[str]
    pages: frozenset[str] | None


#: pages no officials' decision is: items, meetings, the frames page, feeds
OTHER_PAGES = frozenset({"meetingitem", "meeting", "meeting_frames"})

RULES = {
    # an agenda item: the document id, a dash, the item's number (2017406946-3)
    "items": FeedRule(re.compile(r"[0-9]{1,20}-[0-9]{1,6}"), frozenset({"meetingitem"})),
    # a meeting document (agenda or minutes): the document id alone
    "meetings": FeedRule(re.compile(r"[0-9]{1,20}"), frozenset({"meeting"})),
    "official decisions": FeedRule(re.compile(r"[0-9]{1,20}(?:-[0-9]{1,6})?"), None),
}


def check_entries(source: Source, kind: str, entries: list[FeedEntry],
                  limit: int | None) -> tuple[list[FeedEntry], list[str]]:
    """``(entries kept, warnings)``: at most ``limit`` entries that obey ``RULES[kind]``."""
    rule = RULES[kind]
    kept: list[FeedEntry] = []
    refused: Counter[str] = Counter()
    example: dict[str, str] = {}
    for entry in entries:
        reason = _refusal(source, rule, entry)
        if reason is not None:
            refused[reason] += 1
            example.setdefault(reason, entry.link[:200])
            continue
        kept.append(entry)
    warnings = [f"{source.id} {kind} feed: {n} entries refused ({reason}), e.g. "
                f"{example[reason]}" for reason, n in refused.items()]
    if limit is not None and len(kept) > limit:
        warnings.append(f"{source.id} {kind} feed: {len(kept)} entries where {limit} were "
                        f"asked for; the first {limit} are taken")
        kept = kept[:limit]
    return kept, warnings


def _refusal(source: Source, rule: FeedRule, entry: FeedEntry) -> str | None:
    if entry.dynasty_id is None:
        return "no Dynasty id"
    if not rule.id_re.fullmatch(entry.dynasty_id):
        return "not a Dynasty id of this feed"
    parts = urlsplit(entry.link)
    if parts.scheme not in ("http", "https") or parts.netloc != source.host:
        return "link off the source's host"
    page = (entry.page or "").lower()
    if rule.pages is not None and page not in rule.pages:
        return "link to another kind of page"
    if rule.pages is None and (page in OTHER_PAGES or page.startswith("rss")):
        return "link to another kind of page"
    return None
