"""Rebuild every parsed item (and its attachments' text) from the raw archive, offline.

When a parser improves, the archive already holds every byte it needs: each item row
names the sha256 of the HTML page and the PDF it came from. Values the parsers cannot
find again (the feed's body, date and title) are kept from the stored row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import sqlite_utils

from db import store
from parsers import PARSER_VERSION
from parsers.crosscheck import parse_item_documents
from parsers.dynasty_item_pdf import attachment_text
from scraper.archive import RawArchive
from scraper.harvest import utc_now

log = logging.getLogger(__name__)


@dataclass
class ReparseSummary:
    items: int = 0
    updated: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"items={self.items} updated={self.updated} failed={self.failed}"


def reparse(db: sqlite_utils.Database, archive: RawArchive, now=utc_now) -> ReparseSummary:
    summary = ReparseSummary()
    rows = list(db.query(
        "select items.*, bodies.name as body_name, raw_documents.content_type as html_type "
        "from items left join bodies on bodies.id = items.body_id "
        "left join raw_documents on raw_documents.sha256 = items.html_sha256"))
    for row in rows:
        summary.items += 1
        try:
            status = _reparse_item(db, archive, row, now)
        except (OSError, ValueError) as exc:  # a missing blob must not stop the rest
            summary.failed += 1
            summary.failures.append(f"{row['id']}: {exc}")
            continue
        if status == "updated":
            summary.updated += 1
    return summary


def _reparse_item(db: sqlite_utils.Database, archive: RawArchive, row: dict, now) -> str:
    pdf = archive.get(row["pdf_sha256"]) if row["pdf_sha256"] else None
    record, agreement = parse_item_documents(
        archive.get(row["html_sha256"]), url=row["url"], content_type=row["html_type"],
        pdf=pdf, pdf_url=row["pdf_url"])
    # The feed's body, date and title are not in the archive's pages; the row has them.
    for name, previous in (("body", row["body_name"]), ("meeting_date", row["meeting_date"]),
                           ("title", row["title"])):
        record.fill(name, previous, "feed")
    attachments = [
        {k: v for k, v in a.items() if k != "item_id"}
        for a in db.query("select * from attachments where item_id = ? order by position",
                          [row["id"]])
    ]
    pages = _attachment_pages(archive, attachments)
    body_id = row["body_id"]
    if record.body and record.body != row["body_name"]:
        body_id = store.ensure_body(db, row["source_id"], record.body)
    return store.store_item(db, store.ItemWrite(
        source_id=row["source_id"], dynasty_id=row["dynasty_id"], meeting_id=row["meeting_id"],
        body_id=body_id, record=record, url=row["url"], pdf_url=row["pdf_url"],
        html_sha256=row["html_sha256"], pdf_sha256=row["pdf_sha256"], pdf_agreement=agreement,
        parser_version=PARSER_VERSION, attachments=attachments, attachment_pages=pages), now())


def _attachment_pages(archive: RawArchive,
                      attachments: list[dict]) -> dict[str, tuple[str, list[str]]]:
    """Extract the text of every archived attachment PDF again (updating each row's
    status); an attachment whose file is missing from the archive keeps what it has."""
    pages: dict[str, tuple[str, list[str]]] = {}
    for att in attachments:
        if att["status"] not in ("ok", "no_text") or not att["sha256"]:
            continue
        try:
            data = archive.get(att["sha256"])
        except (OSError, ValueError) as exc:
            log.warning("attachment %s: %s", att["id"], exc)
            continue
        status, error, texts = attachment_text(data)
        att.update(status=status, error=error)
        pages[att["id"]] = (att["sha256"], texts)
    return pages
