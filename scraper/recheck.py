"""Which stored items a run takes again, besides the new ones its feed lists.

Agendas get corrected and pages change without the feed saying so, so the items of
recent meetings are re-fetched on every run (conditionally: an unchanged page costs a
``304``). Items whose PDF or an attachment could not be fetched for a reason that may
pass (network trouble, a truncated body, 429 or 5xx) are taken again whatever their age,
so a later run completes them. This module only chooses the rows, from the database and
the fetch log; the harvest fetches them (:mod:`scraper.harvest`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import sqlite_utils

from scraper.http import is_transient
from scraper.sources import Source, SourceError, base_url_of

#: a stored item with what re-taking it needs: its URL, page hash and feed fields
_ITEM_ROWS = ("select items.id, items.dynasty_id, items.url, items.html_sha256, "
              "items.pdf_sha256, items.meeting_date, items.title, bodies.name as body "
              "from items left join bodies on bodies.id = items.body_id")


def items_to_recheck(db: sqlite_utils.Database, source: Source, today: Callable[[], date],
                     recheck_days: int) -> tuple[list[dict], dict[str, dict]]:
    """``(rows, incomplete)``: the source's items to re-fetch, in order, and those of
    them that are incomplete, by dynasty id.

    The rows are the items of meetings within ``recheck_days`` of ``today()`` (none, and
    no clock read, when it is 0), by item id, followed by the older incomplete items.
    """
    rows: list[dict] = []
    if recheck_days > 0:
        since = (today() - timedelta(days=recheck_days)).isoformat()
        rows = list(db.query(
            f"{_ITEM_ROWS} where items.source_id = ? and items.meeting_date >= ? "
            "order by items.id", [source.id, since]))
    incomplete = incomplete_items(db, source)
    seen = {row["dynasty_id"] for row in rows}
    rows += [row for row in incomplete.values() if row["dynasty_id"] not in seen]
    return rows, incomplete


def incomplete_items(db: sqlite_utils.Database, source: Source) -> dict[str, dict]:
    """Stored items whose PDF or an attachment failed on its last try for a reason
    that may pass (network trouble, a truncated body, 429 or 5xx), by dynasty id."""
    rows = db.query(
        f"{_ITEM_ROWS} where items.source_id = ? and (items.pdf_sha256 is null or exists "
        "(select 1 from attachments where attachments.item_id = items.id "
        "and attachments.status = 'error')) order by items.id", [source.id])
    out = {}
    for row in rows:
        urls = [source.static(f"{row['dynasty_id']}.PDF")] if not row["pdf_sha256"] else []
        urls += [a["url"] for a in db.query(
            "select url from attachments where item_id = ? and status = 'error' "
            "and url is not null", [row["id"]])]
        if any(_failed_transiently(db, url) for url in urls):
            out[row["dynasty_id"]] = row
    return out


def _failed_transiently(db: sqlite_utils.Database, url: str) -> bool:
    """Whether the last fetch of ``url`` failed for a reason that may pass."""
    last = next(db.query(
        "select status, error from fetches where url = ? order by id desc limit 1", [url]),
        None)
    return last is not None and is_transient(last["status"], last["error"])


def current_url(source: Source, url: str | None, dynasty_id: str) -> str:
    """A stored item URL on the source's *current* base URL: after a host move (a new
    domain, a new path) the stored one points at the old host, whose answers the
    client refuses. The path form (``DREQUEST.PHP?page=…`` or ``/kokous/<id>.HTM``)
    is kept; a URL that is not one of the site's is rebuilt from the Dynasty id."""
    try:
        old_base = base_url_of(url or "")
    except SourceError:
        return source.cgi("meetingitem", id=dynasty_id)
    return source.base_url + (url or "")[len(old_base):]
