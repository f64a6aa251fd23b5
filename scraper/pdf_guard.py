"""PDFs are parsed under limits, and a PDF that failed is never parsed again by a harvest.

Three limits, cheapest first, all inside a :mod:`scraper.sandbox` child:

1. a budget on the decoded size of the file's Flate streams (images excepted: text
   extraction never decodes them), counted by inflating each stream in bounded chunks
   and throwing the output away, so a decompression bomb is refused in about a second
   without ever holding its output;
2. for item PDFs, a page limit (an item is a few pages; a 600-page file is no item
   PDF and took 244 s);
3. the child's address-space and wall-clock limits, for whatever the first two miss.

Before a PDF is handed to the child, a row in ``pdf_parses`` says it is being parsed
(committed). A run that dies during the parse (the machine's OOM killer, a power cut, a
``kill -9``) leaves that row unfinished; the next run tries the file once more (so an
interrupted run changes nothing), and a file whose parse was left unfinished twice is
treated as failed instead, so no file can take down two runs. A failure is kept with its reason;
an item whose PDF failed is stored from its HTML page with the reason in its warnings,
an attachment gets status ``no_text`` with the reason as its error.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from db import store
from scraper import sandbox
from scraper.baton import Baton

log = logging.getLogger(__name__)

#: decoded bytes of a file's non-image streams: real minutes and attachments of
#: hundreds of pages stay under 50 MiB; the reported bomb was 400 MiB
DEFAULT_DECODED_BUDGET = 256 * 1024 * 1024
#: an item PDF is one agenda item or minutes section
DEFAULT_ITEM_PAGES = 100
DEFAULT_ITEM_SECONDS = 120.0
DEFAULT_ATTACHMENT_SECONDS = 180.0  # attachment_text stops itself at 60 s; this is its backstop

_STREAM_RE = re.compile(rb"(?<!end)stream\r?\n")
_CHUNK = 1 << 16


class PdfRefused(Exception):
    """A PDF not parsed because it is over a limit; the message says which."""


@dataclass(frozen=True)
class PdfLimits:
    decoded_bytes: int = DEFAULT_DECODED_BUDGET
    item_pages: int = DEFAULT_ITEM_PAGES
    memory: int = sandbox.DEFAULT_MEMORY
    item_seconds: float = DEFAULT_ITEM_SECONDS
    attachment_seconds: float = DEFAULT_ATTACHMENT_SECONDS


def decoded_size(data: bytes, budget: int) -> int:
    """The decoded size of ``data``'s Flate streams except images; raises
    :class:`PdfRefused` as soon as it passes ``budget``. Memory stays at one chunk."""
    total = 0
    for match in _STREAM_RE.finditer(data):
        start = match.end()
        head = data[max(0, data.rfind(b"obj", 0, match.start())):match.start()]
        if b"/Image" in head or b"FlateDecode" not in head:
            continue
        inflater = zlib.decompressobj()
        pos = start
        try:
            while not inflater.eof and pos < len(data):
                out = inflater.decompress(data[pos:pos + _CHUNK], _CHUNK)
                pos += _CHUNK
                total += len(out)
                while inflater.unconsumed_tail and total <= budget:
                    out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
                    total += len(out)
                if total > budget:
                    raise PdfRefused(f"decoded streams over {budget // (1024 * 1024)} MiB "
                                     "(a decompression bomb?)")
        except zlib.error:
            continue  # a broken stream: the parser decides what it makes of it
    return total


def page_count(data: bytes) -> int | None:
    """Pages in the file, from PDFium (lazy: no page is loaded); ``None`` if unknown."""
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - pypdfium2 is a dependency
        return None
    try:
        doc = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - the parser names the problem
        return None
    try:
        return len(doc)
    finally:
        doc.close()


# -- the child's side -------------------------------------------------------------------


def _item_in_child(parse: Callable[..., Any], html: bytes, kwargs: dict[str, Any],
                   pdf: bytes, limits: PdfLimits) -> Any:
    decoded_size(pdf, limits.decoded_bytes)
    pages = page_count(pdf)
    if pages is not None and pages > limits.item_pages:
        raise PdfRefused(f"{pages} pages, over the item PDF limit of {limits.item_pages}")
    return parse(html, pdf=pdf, **kwargs)


def _attachment_in_child(extract: Callable[[bytes], Any], data: bytes,
                         limits: PdfLimits) -> Any:
    decoded_size(data, limits.decoded_bytes)
    return extract(data)


def _reason(error: str) -> str:
    """``PdfRefused: 600 pages ...`` reads as ``600 pages ...``."""
    return error.removeprefix(f"{PdfRefused.__name__}: ")


def parse_item_limited(parse: Callable[..., tuple[Any, float | None]], html: bytes, *,
                       pdf: bytes | None, limits: PdfLimits = PdfLimits(),
                       **kwargs: Any) -> tuple[Any, float | None, str | None]:
    """``parse(html, pdf=pdf, **kwargs)`` with the PDF under ``limits``:
    ``(record, agreement, why the PDF was not used or None)``. Without a PDF, or when
    the PDF fails, the item is parsed from its HTML alone in this process."""
    if pdf is not None:
        outcome = sandbox.run(_item_in_child, parse, html, kwargs, pdf, limits,
                              limits=sandbox.Limits(limits.memory, limits.item_seconds))
        if outcome.ok:
            record, agreement = outcome.value
            return record, agreement, None
        problem = _reason(outcome.error or "")
        record, agreement = parse(html, pdf=None, **kwargs)
        record.warn(f"item pdf: not parsed: {problem}")
        return record, agreement, problem
    record, agreement = parse(html, pdf=None, **kwargs)
    return record, agreement, None


def attachment_text_limited(extract: Callable[[bytes], tuple[str, str | None, list[str]]],
                            data: bytes, limits: PdfLimits = PdfLimits()
                            ) -> tuple[tuple[str, str | None, list[str]], str | None]:
    """``(extract(data), None)`` under ``limits``; a file over them gives
    ``(("no_text", "not read: <why>", []), why)``: ``no_text`` is the status that tells
    harvest and reparse that the file was taken."""
    outcome = sandbox.run(_attachment_in_child, extract, data, limits,
                          limits=sandbox.Limits(limits.memory, limits.attachment_seconds))
    if outcome.ok:
        return outcome.value, None
    problem = _reason(outcome.error or "")
    return ("no_text", f"not read: {problem}", []), problem


# -- the harvest's side: remember failures, and parses in progress ------------------------


class PdfGuard:
    """The harvest's PDF parses, each recorded in ``pdf_parses`` before it starts."""

    def __init__(self, db: sqlite_utils.Database, now: Callable[[], str],
                 limits: PdfLimits = PdfLimits(), baton: Baton | None = None) -> None:
        self.db, self.now, self.limits = db, now, limits
        #: handed on while the child parses, as while a request waits (scraper.baton)
        self.baton = baton or Baton()
        #: files being parsed by this harvest now (another host's thread may meet the
        #: same file meanwhile: its open row is no dead run's)
        self._active: Counter[str] = Counter()

    def _earlier_failure(self, sha256: str | None) -> str | None:
        if sha256 is None:
            return None
        state = store.pdf_parse_state(self.db, sha256)
        if state is None:
            return None
        finished, error, attempts = state
        if finished or self._active[sha256] > 0:
            return error
        if attempts < 2:  # one dead run (a kill -9, a power cut): try once more
            return None
        error = f"{attempts} parses of this file never finished (the runs died during them)"
        store.finish_pdf_parse(self.db, sha256, self.now(), error)
        return error

    def parse_item(self, parse: Callable[..., tuple[Any, float | None]], html: bytes, *,
                   pdf: bytes | None, pdf_sha256: str | None,
                   **kwargs: Any) -> tuple[Any, float | None]:
        """The item's record and agreement; a PDF that failed now or before is left
        out, with the reason in the record's warnings."""
        failed = self._earlier_failure(pdf_sha256) if pdf is not None else None
        if failed is not None:
            record, agreement = parse(html, pdf=None, **kwargs)
            record.warn(f"item pdf: not parsed: {failed}")
            return record, agreement
        tracked = pdf is not None and pdf_sha256 is not None
        if tracked:
            self._begin(pdf_sha256, "item")
        try:
            with self.baton.released(self.db.conn.in_transaction):
                record, agreement, problem = parse_item_limited(parse, html, pdf=pdf,
                                                                limits=self.limits, **kwargs)
        finally:
            if tracked:
                self._active[pdf_sha256] -= 1
        if tracked:
            if problem:
                log.warning("item pdf %s: not parsed: %s", kwargs.get("pdf_url"), problem)
            store.finish_pdf_parse(self.db, pdf_sha256, self.now(), problem)
        return record, agreement

    def _begin(self, sha256: str, kind: str) -> None:
        if self._active[sha256] <= 0:
            store.begin_pdf_parse(self.db, sha256, kind, self.now())
        self._active[sha256] += 1

    def attachment_text(self, extract: Callable[[bytes], tuple[str, str | None, list[str]]],
                        data: bytes, sha256: str) -> tuple[str, str | None, list[str]]:
        failed = self._earlier_failure(sha256)
        if failed is not None:
            return "no_text", f"not read: {failed}", []
        self._begin(sha256, "attachment")
        try:
            with self.baton.released(self.db.conn.in_transaction):
                result, problem = attachment_text_limited(extract, data, self.limits)
        finally:
            self._active[sha256] -= 1
        if problem:
            log.warning("attachment %s: not read: %s", sha256, problem)
        store.finish_pdf_parse(self.db, sha256, self.now(), problem)
        return result
