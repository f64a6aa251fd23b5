"""Plain text of a PDF per page, for full-text search of attachments."""

from __future__ import annotations

import re

from parsers.dehyphenate import Vocabulary, dehyphenate_keeping_lines
from parsers.pdf_layout import page_texts

#: glyphs the PDF has no characters for (``(cid:127)``, a slide bullet) carry no text
_CID_RE = re.compile(r"\(cid:\d+\)")


def extract_pdf_text_with_warnings(data: bytes) -> tuple[list[str], list[str]]:
    """Plain text per page and the reasons when there is none (never raises)."""
    try:
        pages, warnings = page_texts(data)
        vocab = Vocabulary.from_lines(line for page in pages for line in page.splitlines())
        return [_CID_RE.sub("", dehyphenate_keeping_lines(page.splitlines(), vocab))
                for page in pages], warnings
    except Exception as exc:  # noqa: BLE001
        return [], [f"parse error: {type(exc).__name__}"]


def attachment_text(data: bytes) -> tuple[str, str | None, list[str]]:
    """``(status, error, text of each page)`` of an attachment PDF; never raises.

    ``status`` is ``"ok"`` when some page has text, else ``"no_text"`` (a scan, an
    encrypted or broken file) with the reason in ``error``.
    """
    texts, warnings = extract_pdf_text_with_warnings(data)
    if any(t.strip() for t in texts):
        return "ok", None, texts
    warnings = list(dict.fromkeys(warnings))
    reason = "no text in PDF" + (f": {'; '.join(warnings)}" if warnings else "")
    return "no_text", reason, []


def extract_pdf_text(data: bytes) -> list[str]:
    """Plain text per page for full-text search; ``[]`` when unreadable."""
    return extract_pdf_text_with_warnings(data)[0]
