"""Tests of attachment text extraction (``parsers.pdf.text``): both engines, the
clean-up they share, and the per-file page and time limits.

PDFs are generated here with reportlab (a many-page "report" with Finnish words
hyphenated at line ends) or by ``pdfgen.py``; the demo site's attachments are real
PDFs built by ``demosite``.
"""

from __future__ import annotations

import io
import sys
from collections import Counter
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pdfgen  # noqa: E402

from demosite.site import build_site  # noqa: E402
from parsers.pdf import text as pdf_text  # noqa: E402
from parsers.pdf.text import (  # noqa: E402
    DEFAULT_MAX_PAGES,
    attachment_text,
    extract_pdf_text,
    extract_pdf_text_with_warnings,
    pdfium_page_text,
)

ENGINES = ["pdfium", "pdfplumber"]


def many_pages(n: int, *, text: bool = True) -> bytes:
    """An ``n``-page report; page k says ``Sivu k`` and hyphenates ``kehittämis-``
    / ``ohjelma`` and ``Poh-`` / ``jois-Savon`` at its line ends."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    for k in range(1, n + 1):
        if text:
            c.setFont("Helvetica", 11)
            c.drawString(57, 800, f"Testikaupunki Sivu {k}")
            c.drawString(57, 700, f"Luku {k}: kunnan kehittämis-")
            c.drawString(57, 686, "ohjelma ja yhteistyö Poh-")
            c.drawString(57, 672, "jois-Savon järjestöjen kanssa.")
        else:
            c.rect(100, 100, 300, 300, fill=1)
        c.showPage()
    c.save()
    return buf.getvalue()


class TickingClock:
    """A clock that moves one second every time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture(scope="module")
def forty() -> bytes:
    return many_pages(40)


# --- the clean-up ------------------------------------------------------------------------


def test_pdfium_marks_become_line_end_hyphens() -> None:
    raw = "Otsikko \r\nKaupunki kunnostaa Poh\ufffejois-Savon kenttiä.\r\n\r\n  \r\nLoppu\x02"
    assert pdfium_page_text(raw) == "Otsikko\nKaupunki kunnostaa Poh-\njois-Savon kenttiä.\nLoppu"


@pytest.mark.parametrize("engine", ENGINES)
def test_both_engines_dehyphenate_the_same_way(engine: str, forty: bytes) -> None:
    pages = extract_pdf_text(forty, engine=engine)
    assert len(pages) == 40
    assert pages[6].splitlines() == [
        "Testikaupunki Sivu 7",
        "Luku 7: kunnan kehittämisohjelma",
        "ja yhteistyö Pohjois-Savon",
        "järjestöjen kanssa.",
    ]


def demo_attachments() -> dict[str, bytes]:
    pages = build_site("http://127.0.0.1:8765").pages
    return {path: body for path, (_, body) in sorted(pages.items())
            if path.endswith(".PDF") and path.count("-") == 2}


def words(pages: list[str]) -> Counter[str]:
    return Counter(w.strip(".,:;()–-•").casefold() for page in pages for w in page.split()
                   if any(ch.isalnum() for ch in w))


def test_engines_agree_on_the_demo_attachments() -> None:
    files = demo_attachments()
    assert len(files) >= 3
    for path, data in files.items():
        a, b = extract_pdf_text(data, engine="pdfium"), extract_pdf_text(data, engine="pdfplumber")
        assert len(a) == len(b), path
        wa, wb = words(a), words(b)
        assert sum((wa & wb).values()) / sum((wa | wb).values()) >= 0.99, (path, wa ^ wb)
        assert "(cid:" not in "".join(a + b)
        assert any(ch in "".join(a) for ch in "äö"), path


def test_pdfgen_item_pdf_keeps_hyphens_that_belong_to_words() -> None:
    data = pdfgen.build_pdf(pdfgen.load_spec(HERE / "item_pdf" / "kuopio_minutes.yaml"))
    for engine in ENGINES:
        text = "\n".join(extract_pdf_text(data, engine=engine))
        assert "Pohjois-Savon" in text and "Poh-" not in text, engine
        assert "Ely-keskuksen" in text and "taajama-alueella" in text, engine


# --- limits ------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_page_limit_keeps_the_first_pages(engine: str, forty: bytes) -> None:
    status, error, texts = attachment_text(forty, max_pages=10, engine=engine)
    assert status == "ok" and len(texts) == 10
    assert error == "truncated: 10 of 40 pages read (page limit 10)"
    assert [t.splitlines()[0] for t in texts] == [f"Testikaupunki Sivu {k}" for k in range(1, 11)]


@pytest.mark.parametrize("engine", ENGINES)
def test_time_limit_with_an_injected_clock(engine: str, forty: bytes) -> None:
    status, error, texts = attachment_text(forty, max_seconds=5, clock=TickingClock(),
                                           engine=engine)
    assert status == "ok" and 1 <= len(texts) < 40
    assert error == f"truncated: {len(texts)} of 40 pages read (time limit 5 s)"
    assert texts[-1].startswith(f"Testikaupunki Sivu {len(texts)}\n")


@pytest.mark.parametrize("engine", ENGINES)
def test_within_the_limits_every_page_is_read(engine: str, forty: bytes) -> None:
    assert DEFAULT_MAX_PAGES >= 40
    status, error, texts = attachment_text(forty, clock=TickingClock(), max_seconds=1000,
                                           engine=engine)
    assert (status, error, len(texts)) == ("ok", None, 40)
    assert attachment_text(forty, max_pages=None, max_seconds=None, engine=engine)[2] == texts


@pytest.mark.parametrize("engine", ENGINES)
def test_a_truncated_file_without_text_says_both(engine: str) -> None:
    status, error, texts = attachment_text(many_pages(12, text=False), max_pages=3,
                                           engine=engine)
    assert (status, texts) == ("no_text", [])
    assert error == "no text in PDF: truncated: 3 of 12 pages read (page limit 3)"


# --- fallback and bad input ----------------------------------------------------------------


def test_without_pypdfium2_pdfplumber_reads_the_file(monkeypatch, forty: bytes) -> None:
    with_pdfium = extract_pdf_text(forty)
    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # import pypdfium2 → ImportError
    got = pdf_text.read_text(forty, limits=pdf_text.Limits(max_pages=2))
    assert got.engine == "pdfplumber" and len(got.pages) == 2
    assert extract_pdf_text(forty) == with_pdfium  # same text, either engine


def encrypted() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, encrypt=StandardEncryption("salainen", canPrint=0))
    c.drawString(57, 700, "Salainen liite")
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("data, reason", [
    (b"<html>404</html>", "no text in PDF: not a PDF: starts with b'<html'"),
    (b"", "no text in PDF: not a PDF: empty input"),
    (b"%PDF-1.4\n" + b"\x00garbage\xff" * 300, "no text in PDF"),
], ids=["html", "empty", "garbage"])
def test_bad_input_is_no_text_with_a_reason(data: bytes, reason: str) -> None:
    status, error, texts = attachment_text(data)
    assert (status, texts) == ("no_text", []) and error.startswith(reason)


def test_an_encrypted_file_falls_back_and_names_the_problem() -> None:
    status, error, texts = attachment_text(encrypted())
    assert (status, texts) == ("no_text", []) and "encrypted PDF" in error
    assert extract_pdf_text_with_warnings(encrypted())[1][0].startswith("encrypted PDF")


def test_unknown_engine_is_a_caller_bug() -> None:
    with pytest.raises(ValueError):
        pdf_text.read_text(b"%PDF-1.4", engine="tesseract")
