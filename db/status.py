"""Per-source health of an archive, for ``kokousarkisto status``: read only.

The schema records runs, every request (``fetches``, with ``run_id`` and ``source_id``)
and items (``warnings`` as a JSON list), but no per-run per-source counts. They are
derived here:

* a source's runs are the runs in which it has fetches;
* the items its feed *showed* in a run are counted from that run's archived
  ``rss/meetingitems`` response (the caller passes a counter that reads the raw archive;
  without one the count is unknown and the emptiness check is skipped);
* an item is *new* in the run of the first successful fetch of its page (``items.url``);
  its warnings are the stored ones (a reparse may have changed them since).

A run still going on is left out (the caller says which; see
:func:`unfinished_latest_run`); a run that crashed is judged like any other. A source is
flagged ``broken`` when its latest run

* could not fetch its items feed (or never got to it),
* found the feed empty although earlier runs saw items in it,
* failed on every item page it tried, or
* stored new items whose share with parse warnings jumped: above
  :data:`WARNING_RATE_FLOOR` and more than :data:`WARNING_RATE_FACTOR` times the source's
  earlier rate (both samples at least :data:`MIN_ITEMS_FOR_RATE` items).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

WARNING_RATE_FLOOR = 0.5
WARNING_RATE_FACTOR = 2.0
MIN_ITEMS_FOR_RATE = 3
#: earlier feeds read (newest first) when looking for one that showed items
MAX_EARLIER_FEEDS = 10

ITEMS_FEED = "page=rss/meetingitems"
ITEM_PAGE = "page=meetingitem&"

# A 404 on the officials' decisions feed is how older sites say they have none: not a failure.
_FAILED = ("((coalesce(status, 0) >= 400 or error is not null) and not "
           "(status = 404 and instr(url, 'page=rss/official_decisions') > 0))")
_OK = "(error is null and (status between 200 and 299 or status = 304))"


class StatusError(Exception):
    """The database cannot be read as a kokousarkisto archive."""


class UnreadableDatabase(StatusError):
    """The file is there but SQLite cannot read it (corrupt, truncated, not a database):
    the same condition as every other command's exit 74."""


@dataclass
class RunStats:
    """What one run did for one source, derived from ``fetches`` and ``items``."""

    run_id: int
    started_at: str | None = None
    requests: int = 0
    failures: int = 0
    item_requests: int = 0  # item pages requested (new or re-checked)
    item_ok: int = 0  # ... answered with the page (200 or 304)
    seconds: float | None = None  # first to last request for this source in the run
    feed_fetched: bool = False
    feed_ok: bool = False
    feed_reason: str | None = None  # why the items feed failed
    feed_sha256: str | None = None
    seen: int | None = None  # entries in the items feed; None: unknown
    new_items: int = 0
    new_warned: int = 0


@dataclass
class SourceStatus:
    id: str
    name: str | None
    municipality: str | None
    base_url: str | None
    items: int = 0
    runs: int = 0
    last_run_id: int | None = None
    last_run_at: str | None = None
    last_item_fetch: str | None = None
    last_run_requests: int = 0
    #: from its first to its last request in the latest run (hosts run side by side, so
    #: the sources' seconds do not add up to the run's)
    last_run_seconds: float | None = None
    last_run_failures: int = 0
    last_run_new_items: int = 0
    last_run_seen: int | None = None
    last_error: dict[str, Any] | None = None
    flags: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        return "broken" in self.flags

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- opening -----------------------------------------------------------------------------

def open_readonly(path: str | Path) -> sqlite3.Connection:
    """Open an archive read-only: no migrations, no writes, safe beside a running harvest."""
    path = Path(path)
    if not path.is_file():
        raise StatusError(f"{path}: no such database file")
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise UnreadableDatabase(f"{path}: not a SQLite database ({exc})") from exc
    missing = {"sources", "runs", "fetches", "items"} - tables
    if missing:
        conn.close()
        raise StatusError(f"{path}: not a kokousarkisto archive (no {', '.join(sorted(missing))})")
    return conn


# -- per-run statistics ------------------------------------------------------------------

def unfinished_latest_run(conn: sqlite3.Connection) -> int | None:
    """The newest run if it has not finished: a harvest still running, or one that crashed."""
    row = conn.execute("select id, finished_at from runs order by id desc limit 1").fetchone()
    return row["id"] if row and row["finished_at"] is None else None


def run_stats(conn: sqlite3.Connection, source_id: str,
              skip_run: int | None = None) -> list[RunStats]:
    """The runs of one source, oldest first, with what each did for it (but ``skip_run``)."""
    runs: dict[int, RunStats] = {}
    for r in conn.execute(
        f"""select f.run_id, runs.started_at, count(*) as requests,
                  sum(case when {_FAILED} then 1 else 0 end) as failures,
                  sum(case when instr(url, ?) > 0 then 1 else 0 end) as item_requests,
                  sum(case when instr(url, ?) > 0 and {_OK} then 1 else 0 end) as item_ok,
                  (julianday(max(f.fetched_at)) - julianday(min(f.fetched_at))) * 86400
                    as seconds
           from fetches f left join runs on runs.id = f.run_id
           where f.source_id = ? and f.run_id is not null
           group by f.run_id order by f.run_id""",
        [ITEM_PAGE, ITEM_PAGE, source_id],
    ):
        runs[r["run_id"]] = RunStats(run_id=r["run_id"], started_at=r["started_at"],
                                     requests=r["requests"], failures=r["failures"],
                                     item_requests=r["item_requests"], item_ok=r["item_ok"],
                                     seconds=r["seconds"])
    # the last items-feed request of each run decides whether the feed worked
    for r in conn.execute(
        "select run_id, status, error, sha256 from fetches "
        "where source_id = ? and run_id is not null and instr(url, ?) > 0 order by id",
        [source_id, ITEMS_FEED],
    ):
        stats = runs.get(r["run_id"])
        if stats is None:
            continue
        stats.feed_fetched = True
        stats.feed_ok = r["error"] is None and r["status"] is not None and (
            200 <= r["status"] < 300 or r["status"] == 304)
        stats.feed_reason = None if stats.feed_ok else (r["error"] or f"HTTP {r['status']}")
        stats.feed_sha256 = r["sha256"] if stats.feed_ok else None
    for r in conn.execute(
        """select first_run, count(*) as n, sum(warned) as warned from (
               select i.id, min(f.run_id) as first_run,
                      case when coalesce(i.warnings, '[]') in ('', '[]') then 0 else 1 end
                        as warned
               from items i join fetches f on f.url = i.url and f.source_id = i.source_id
               where i.source_id = ? and f.run_id is not null and f.error is null
                 and f.status between 200 and 299
               group by i.id)
           group by first_run""",
        [source_id],
    ):
        if r["first_run"] in runs:
            runs[r["first_run"]].new_items = r["n"]
            runs[r["first_run"]].new_warned = r["warned"]
    runs.pop(skip_run, None)
    return [runs[k] for k in sorted(runs)]


def _count_feeds(runs: list[RunStats], count_feed: Callable[[str], int | None] | None) -> None:
    """Fill ``seen`` for the latest run and for earlier runs until one showed items."""
    if not runs:
        return
    cache: dict[str, int | None] = {}

    def count(stats: RunStats) -> None:
        if not stats.feed_fetched:
            return
        if not stats.feed_ok:
            stats.seen = 0
            return
        if count_feed is None or stats.feed_sha256 is None:
            return
        sha = stats.feed_sha256
        if sha not in cache:
            cache[sha] = count_feed(sha)
        stats.seen = cache[sha]

    count(runs[-1])
    read = 0
    for stats in reversed(runs[:-1]):
        if stats.new_items or read >= MAX_EARLIER_FEEDS:
            break  # items were stored then, so the feed showed some: enough history
        if stats.feed_ok and stats.feed_sha256 not in cache:
            read += 1
        count(stats)
        if stats.seen:
            break


# -- judging -----------------------------------------------------------------------------

def assess(runs: list[RunStats]) -> list[str]:
    """Why the latest of these runs (oldest first) looks broken; empty when healthy."""
    if not runs:
        return []
    last, earlier = runs[-1], runs[:-1]
    reasons: list[str] = []
    if not last.feed_fetched:
        reasons.append("the latest run did not get to the items feed")
    elif not last.feed_ok:
        reasons.append(f"the items feed failed in the latest run: {last.feed_reason}")
    elif last.seen == 0:
        earlier_seen = max((r.seen or 0 for r in earlier), default=0)
        earlier_new = sum(r.new_items for r in earlier)
        if earlier_seen or earlier_new:
            before = (f"earlier runs saw up to {earlier_seen}" if earlier_seen
                      else f"earlier runs stored {earlier_new}")
            reasons.append(f"the items feed of the latest run was empty ({before})")
    if last.item_requests and not last.item_ok:
        reasons.append(f"all {last.item_requests} item page(s) failed in the latest run")
    history_new = sum(r.new_items for r in earlier)
    if last.new_items >= MIN_ITEMS_FOR_RATE and history_new >= MIN_ITEMS_FOR_RATE:
        rate = last.new_warned / last.new_items
        history_rate = sum(r.new_warned for r in earlier) / history_new
        if rate > WARNING_RATE_FLOOR and rate > WARNING_RATE_FACTOR * history_rate:
            reasons.append(
                f"parse warnings jumped: {last.new_warned} of {last.new_items} new items "
                f"({rate:.0%}) against {history_rate:.0%} before")
    return reasons


# -- the report --------------------------------------------------------------------------

def source_statuses(conn: sqlite3.Connection,
                    count_feed: Callable[[str], int | None] | None = None,
                    skip_run: int | None = None) -> list[SourceStatus]:
    """Status of every source in the archive (sources table and fetch log), by id.

    ``count_feed(sha256)`` returns the number of entries in an archived items feed, or
    ``None`` when the blob cannot be read. ``skip_run`` is left out of the judgement and
    the counts: pass the run of a harvest that is still going on.
    """
    rows = {r["id"]: r for r in conn.execute(
        "select id, name, municipality, base_url from sources")}
    ids = set(rows) | {r[0] for r in conn.execute(
        "select distinct source_id from fetches where source_id is not null")}
    counts = dict(conn.execute(
        "select source_id, count(*) from items group by source_id").fetchall())
    out = []
    for source_id in sorted(ids):
        row = rows.get(source_id)
        status = SourceStatus(id=source_id, name=row["name"] if row else None,
                              municipality=row["municipality"] if row else None,
                              base_url=row["base_url"] if row else None,
                              items=counts.get(source_id, 0))
        runs = run_stats(conn, source_id, skip_run)
        _count_feeds(runs, count_feed)
        status.runs = len(runs)
        if runs:
            last = runs[-1]
            status.last_run_id = last.run_id
            status.last_run_at = last.started_at
            status.last_run_requests = last.requests
            status.last_run_seconds = (round(last.seconds)
                                       if last.seconds is not None else None)
            status.last_run_failures = last.failures
            status.last_run_new_items = last.new_items
            status.last_run_seen = last.seen
        status.last_item_fetch = conn.execute(
            f"select max(fetched_at) from fetches where source_id = ? and instr(url, ?) > 0 "
            f"and {_OK}", [source_id, ITEM_PAGE]).fetchone()[0]
        error = conn.execute(
            f"select run_id, fetched_at, url, status, error from fetches "
            f"where source_id = ? and {_FAILED} order by id desc limit 1", [source_id]).fetchone()
        status.last_error = dict(error) if error else None
        status.reasons = assess(runs)
        if status.reasons:
            status.flags.append("broken")
        out.append(status)
    return out
