"""One item: its page, its PDF and its attachments, fetched, parsed and stored.

An item is stored from its HTML page and, when the site has it, the PDF of the same
item, cross-checked (:func:`parsers.parse_item`); the feed fills
what the page lacks. Each attachment is fetched and the text of a PDF not read before is
extracted. A missing PDF or attachment does not stop the item: it is stored without, and
when the reason may pass (a timeout, a truncated body, a 5xx) that is reported so that a
later run takes the item again. An error page served with ``200`` never replaces an item
already stored from a real one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlite_utils

from db import store
from parsers import PARSER_VERSION, attachment_text, parse_item
from parsers.records import FeedEntry, ItemRecord
from scraper.fetcher import ArchivingFetcher, Fetched
from scraper.http import is_transient
from scraper.pdf_guard import PdfGuard, PdfLimits
from scraper.sources import Source

log = logging.getLogger(__name__)

#: warnings the harvest adds to an item (what happened to its PDF), which no parser can
#: find again from the archive: ``reparse`` keeps them
HARVEST_WARNINGS = ("item pdf:",)
#: ... except the PDF's parse, which ``reparse`` decides again
REPARSED_WARNINGS = ("item pdf: not parsed:",)


def stored_with_structure(row: dict) -> bool:
    """Whether a stored item row came from a page the parser recognised: one with a §,
    a case number or a title, which a page without structure never has. Such a row is
    never replaced by a record without structure (an error page served with 200, a
    damaged archived copy): the harvest's and ``reparse``'s rule."""
    return any(row.get(k) for k in ("section", "case_number", "title"))


def harvest_warnings(stored: list[str]) -> list[str]:
    """The stored warnings that the harvest, not the parser, wrote."""
    return [w for w in stored if w.startswith(HARVEST_WARNINGS)
            and not w.startswith(REPARSED_WARNINGS)]


class ItemHarvester:
    """Fetches, parses and stores single items into one database.

    The parsers are passed in (defaulting to the real ones) so that the harvest that
    owns this can choose them: :class:`scraper.harvest.Harvester` hands over its own
    module's names, which tests replace.
    """

    def __init__(self, db: sqlite_utils.Database, fetcher: ArchivingFetcher,
                 now: Callable[[], str],
                 parse: Callable[..., tuple[ItemRecord, float | None]] = parse_item,
                 extract_text: Callable[[bytes], tuple[str, str | None, list[str]]]
                 = attachment_text, pdf_limits: PdfLimits | None = None) -> None:
        self.db = db
        # PDFs are parsed in a child process under limits, each parse recorded first
        self.pdfs = PdfGuard(db, now, pdf_limits or PdfLimits(), fetcher.baton)
        self.fetcher = fetcher
        self.now = now
        self.parse = parse
        self.extract_text = extract_text

    def harvest(self, source: Source, entry: FeedEntry, page: Fetched | None = None,
                problems: list[str] | None = None) -> str:
        """Fetch, archive, parse and store one item; ``"failed"`` when its page is missing.

        ``problems`` collects why the item's PDF or an attachment is missing when that may
        pass (a timeout, a truncated body, a 5xx): the item is stored without it and taken
        again by a later run.
        """
        problems = [] if problems is None else problems
        page = page or self.fetcher.get(source, entry.link)
        if not page.usable:
            log.warning("item %s: %s", entry.link, page.reason)
            problems.append(page.reason)
            return "failed"
        if not page.result.content.strip():  # a crashed script's blank 200 is no item
            log.warning("item %s: empty page", entry.link)
            problems.append("empty page")
            return "failed"
        pdf_url: str | None = source.static(f"{entry.dynasty_id}.PDF")
        pdf = self.fetcher.get(source, pdf_url)
        pdf_ok = pdf.usable and pdf.result.content.startswith(b"%PDF")
        if not pdf_ok:
            pdf_url, pdf.sha256 = None, None
        record, agreement = self.pdfs.parse_item(
            self.parse, page.result.content, url=entry.link,
            content_type=page.result.content_type,
            pdf=pdf.result.content if pdf_ok else None, pdf_sha256=pdf.sha256, pdf_url=pdf_url)
        if not pdf_ok:
            record.warn(f"item pdf: {'not a PDF' if pdf.usable else pdf.reason}")
            if not pdf.usable and is_transient(pdf.result.status, pdf.result.error):
                problems.append(f"item pdf: {pdf.reason}")
        if record.structure.lost and self._stored_with_structure(source, entry):
            # an error page answered 200: it must not replace the item already stored
            reason = "page has no Dynasty item structure; the stored item is kept"
            log.warning("item %s: %s", entry.link, reason)
            problems.append(reason)
            return "failed"
        for name, value in (("body", entry.body), ("meeting_date", entry.meeting_date),
                            ("title", entry.subject)):
            record.fill(name, value, "feed")
        return self._store(source, entry, record, page, pdf, pdf_url, agreement, problems)

    def _stored_with_structure(self, source: Source, entry: FeedEntry) -> bool:
        """Whether the item is stored already from a page the parser recognised."""
        row = next(self.db.query("select section, case_number, title from items where id = ?",
                                 [f"{source.id}/{entry.dynasty_id}"]), None)
        return row is not None and stored_with_structure(row)

    def _store(self, source: Source, entry: FeedEntry, record: ItemRecord, page: Fetched,
               pdf: Fetched, pdf_url: str | None, agreement: float | None,
               problems: list[str]) -> str:
        """Store the item with its body, meeting and attachments in one transaction."""
        body_id = meeting_id = None
        if record.body:
            body_id = store.ensure_body(self.db, source.id, record.body)
            if record.meeting_date:
                doc_id = entry.dynasty_id.rsplit("-", 1)[0] if entry.dynasty_id else None
                meeting_id = store.upsert_meeting(
                    self.db, source_id=source.id, body_id=body_id, date=record.meeting_date,
                    document_type=record.document_type, doc_id=doc_id,
                    url=source.cgi("meeting", id=doc_id) if doc_id else None)
        pages: dict[str, tuple[str, list[str]]] = {}
        attachments = [self._attachment(source, entry, i, a.title, a.url, problems, pages)
                       for i, a in enumerate(record.attachments)]
        return store.store_item(self.db, store.ItemWrite(
            source_id=source.id, dynasty_id=entry.dynasty_id or "", meeting_id=meeting_id,
            body_id=body_id, record=record, url=entry.link, pdf_url=pdf_url,
            html_sha256=page.sha256, pdf_sha256=pdf.sha256, pdf_agreement=agreement,
            parser_version=PARSER_VERSION, attachments=attachments,
            attachment_pages=pages), self.now())

    def _attachment(self, source: Source, entry: FeedEntry, position: int, title: str,
                    url: str | None, problems: list[str],
                    pages: dict[str, tuple[str, list[str]]]) -> dict:
        """The attachment's row; the text of a PDF not read before goes into ``pages``."""
        row = {"id": f"{source.id}/{entry.dynasty_id}#{position + 1}", "position": position,
               "title": title, "url": url, "sha256": None, "content_type": None, "size": None,
               "status": "not_fetched", "error": None}
        if not url:
            return row
        fetched = self.fetcher.get(source, url)
        result = fetched.result
        if not fetched.usable:
            row.update(status="error", error=fetched.reason)
            if is_transient(result.status, result.error):
                problems.append(f"attachment {url}: {fetched.reason}")
        else:
            is_pdf = result.content.startswith(b"%PDF")
            row.update(sha256=fetched.sha256, content_type=result.content_type,
                       size=len(result.content), status="ok" if is_pdf else "not_pdf",
                       error=None if is_pdf else f"starts with {result.content[:16]!r}")
            if is_pdf and fetched.sha256:
                known = store.attachment_text_state(self.db, row["id"], fetched.sha256)
                if known is not None:  # this file's text is stored already
                    row.update(status=known[0], error=known[1])
                else:
                    status, error, texts = self.pdfs.attachment_text(
                        self.extract_text, result.content, fetched.sha256)
                    row.update(status=status, error=error)
                    pages[row["id"]] = (fetched.sha256, texts)
        return row
