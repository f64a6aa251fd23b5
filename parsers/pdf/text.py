"""Plain text of a PDF per page, for full-text search of attachments.

Attachments need words, not layout, so the text comes from **pypdfium2** (PDFium's
text layer: 16–130× faster than pdfplumber, the same words; measured in
``benchmarks/bench_attachments.py``). pdfplumber (through :mod:`parsers.pdf.layout`)
is the fallback for a file PDFium cannot open and for installs without pypdfium2.
Both engines' page texts go through the same clean-up: line-end hyphenation undone
with the document's own vocabulary, ``(cid:N)`` glyphs (no character) dropped.

PDFium removes a line break after a hyphen and marks the hyphen with U+FFFE; it is
put back as ``-`` + line break so that :func:`dehyphenate_keeping_lines` decides, as
for pdfplumber's text, whether the hyphen was hyphenation (``Poh-jois``) or part of
the word (``Ely-keskuksen``, ``koulutus- ja``).

A file is read page by page under a page and a time limit (a 2,000-page attachment
must not stall a harvest); the pages read so far are kept and the error says why the
rest is missing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from parsers.pdf.layout import page_texts, sniff
from parsers.text.dehyphenate import Vocabulary, dehyphenate_keeping_lines

#: Per-file limits of :func:`attachment_text`: at ~2 ms a page (PDFium) 500 pages take
#: about a second; the time limit is for the pdfplumber fallback (~30–135 ms a page)
#: and pathological files.
DEFAULT_MAX_PAGES = 500
DEFAULT_MAX_SECONDS = 60.0
ENGINES = ("auto", "pdfium", "pdfplumber")

#: glyphs the PDF has no characters for (``(cid:127)``, a slide bullet) carry no text
_CID_RE = re.compile(r"\(cid:\d+\)")
#: control characters PDFium may leave in text (not tab or line break)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd\uffff]")


@dataclass
class Limits:
    """When to stop reading a file: after ``max_pages`` pages or ``max_seconds``
    (measured with the injected ``clock``)."""

    max_pages: int | None = None
    max_seconds: float | None = None
    clock: Callable[[], float] = time.monotonic
    start: float = 0.0

    def begin(self) -> Limits:
        self.start = self.clock()
        return self

    def reached(self, done: int) -> str | None:
        """Why no page after the ``done`` pages read may be read, else ``None``."""
        if self.max_pages is not None and done >= self.max_pages:
            return f"page limit {self.max_pages}"
        if self.max_seconds is not None and self.clock() - self.start >= self.max_seconds:
            return f"time limit {self.max_seconds:g} s"
        return None


@dataclass
class Extraction:
    """Raw page texts of one file (lines separated by ``\\n``) before the clean-up."""

    pages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total: int = 0  # pages in the file (0: unknown)
    stopped: str | None = None  # the limit that ended the reading early
    engine: str = ""

    @property
    def truncation(self) -> str | None:
        if self.stopped is None:
            return None
        return f"truncated: {len(self.pages)} of {self.total} pages read ({self.stopped})"


def pdfium_page_text(raw: str) -> str:
    """PDFium's page text as lines like pdfplumber's: ``\\n`` line ends, no blank or
    padded lines, the line-end hyphens it marked (U+FFFE) restored."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n")
    raw = _CONTROL_RE.sub("", raw)
    return "\n".join(line.strip() for line in raw.split("\n") if line.strip())


def _read_pdfium(data: bytes, limits: Limits) -> Extraction | None:
    """Pages through PDFium; ``None`` when it is missing or cannot open the file."""
    try:
        import pypdfium2 as pdfium  # imported here: only attachment readers pay for it
    except ImportError:
        return None
    try:
        doc = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - pdfplumber gets its chance and names the problem
        return None
    out = Extraction(engine="pdfium")
    try:
        out.total = len(doc)
        for index in range(out.total):
            out.stopped = limits.reached(index)
            if out.stopped:
                break
            try:
                page = doc[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        out.pages.append(pdfium_page_text(textpage.get_text_range()))
                    finally:
                        textpage.close()
                finally:
                    page.close()
            except Exception as exc:  # noqa: BLE001 - one bad page, not the file
                out.warnings.append(f"page {index + 1} unreadable PDF: {type(exc).__name__}")
                out.pages.append("")
    finally:
        doc.close()
    return out


def _read_pdfplumber(data: bytes, limits: Limits) -> Extraction:
    out = Extraction(engine="pdfplumber")

    def stop(number: int, total: int) -> bool:
        out.total = total
        out.stopped = limits.reached(number - 1)
        return out.stopped is not None

    out.pages, out.warnings = page_texts(data, stop=stop)
    return out


def read_text(data: bytes, *, engine: str = "auto", limits: Limits | None = None) -> Extraction:
    """Raw page texts with the chosen engine (``auto``: PDFium, else pdfplumber)."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    limits = (limits or Limits()).begin()
    problem = sniff(data)
    if problem:
        return Extraction(warnings=[problem])
    if engine in ("auto", "pdfium"):
        got = _read_pdfium(data, limits)
        if got is not None or engine == "pdfium":
            return got or Extraction(warnings=["unreadable PDF: PDFium cannot open it"])
    return _read_pdfplumber(data, limits)


def clean_pages(pages: list[str]) -> list[str]:
    """Undo line-end hyphenation (the vocabulary is the whole file's) and drop
    ``(cid:N)`` glyphs; other line breaks stay."""
    vocab = Vocabulary.from_lines(line for page in pages for line in page.splitlines())
    return [_CID_RE.sub("", dehyphenate_keeping_lines(page.splitlines(), vocab))
            for page in pages]


def extract_pdf_text_with_warnings(data: bytes, *,
                                   engine: str = "auto") -> tuple[list[str], list[str]]:
    """Plain text per page and the reasons when there is none (never raises)."""
    try:
        got = read_text(data, engine=engine)
        return clean_pages(got.pages), got.warnings
    except Exception as exc:  # noqa: BLE001
        return [], [f"parse error: {type(exc).__name__}"]


def extract_pdf_text(data: bytes, *, engine: str = "auto") -> list[str]:
    """Plain text per page for full-text search; ``[]`` when unreadable."""
    return extract_pdf_text_with_warnings(data, engine=engine)[0]


def attachment_text(data: bytes, *, max_pages: int | None = DEFAULT_MAX_PAGES,
                    max_seconds: float | None = DEFAULT_MAX_SECONDS,
                    clock: Callable[[], float] = time.monotonic,
                    engine: str = "auto") -> tuple[str, str | None, list[str]]:
    """``(status, error, text of each page)`` of an attachment PDF; never raises.

    ``status`` is ``"ok"`` when some page has text, else ``"no_text"`` (a scan, an
    encrypted or broken file) with the reason in ``error``. A file cut short by
    ``max_pages`` or ``max_seconds`` keeps the pages read, and ``error`` says so
    (``truncated: 500 of 2300 pages read (page limit 500)``) under status ``"ok"``:
    the stored status is what tells the harvester and ``reparse`` that the file's text
    was taken (a new status would make every harvest read the file again).
    """
    try:
        got = read_text(data, engine=engine,
                        limits=Limits(max_pages=max_pages, max_seconds=max_seconds, clock=clock))
        texts = clean_pages(got.pages)
    except Exception as exc:  # noqa: BLE001 - a bug must not fail the item
        got, texts = Extraction(warnings=[f"parse error: {type(exc).__name__}"]), []
    if any(t.strip() for t in texts):
        return "ok", got.truncation, texts
    warnings = list(dict.fromkeys(got.warnings + ([got.truncation] if got.truncation else [])))
    reason = "no text in PDF" + (f": {'; '.join(warnings)}" if warnings else "")
    return "no_text", reason, []
