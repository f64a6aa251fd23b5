"""Attachment text extraction under faults: a bad file is recorded, never fails its item,
and an unchanged file is not extracted again."""

from __future__ import annotations

import pytest

import parsers.pdf.text as pdf_module
from db import store
from db.schema import open_db
from parsers import attachment_text
from scraper import harvest as harvest_module
from tests.faultserver import ok, status
from tests.scraper.test_faults import (  # noqa: F401 - fixtures used by name
    ATTACHMENT,
    MEETING,
    demo_server,
    harvest,
    pdfs_parsed_once,
    site,
    source_of,
)

ATTACHMENT_ID = f"demo/{MEETING}-4#1"
ITEM_4_PDF = f"/kokous/{MEETING}-4.PDF"


def attachment_and_pages(tmp_path) -> tuple[dict, list[dict]]:
    db = open_db(tmp_path / "k.db")
    try:
        att = db["attachments"].get(ATTACHMENT_ID)
        pages = list(db.query("select * from attachment_pages where attachment_id = ? "
                              "order by page", [ATTACHMENT_ID]))
        return att, pages
    finally:
        db.close()


@pytest.fixture
def srv(request):
    """``test_faults``' demo site with its feeds scripted and no faults yet."""
    return request.getfixturevalue("site")


class Calls:
    """Calls counted in a file: the extraction runs in a child process (scraper.sandbox)."""

    def __init__(self, path) -> None:
        self.path = path
        path.write_text("")

    def add(self, size: int) -> None:
        with open(self.path, "a") as fh:
            fh.write(f"{size}\n")

    def __len__(self) -> int:
        return len(self.path.read_text().split())


@pytest.fixture
def extractions(monkeypatch, tmp_path):
    """Counts the attachment text extractions of the harvester."""
    calls = Calls(tmp_path / "extractions.txt")
    real = harvest_module.attachment_text

    def counting(data: bytes):
        calls.add(len(data))
        return real(data)

    monkeypatch.setattr(harvest_module, "attachment_text", counting)
    return calls


@pytest.mark.parametrize("body, content_type, want_status, want_error", [
    (b"<html><body>Virhe</body></html>", "text/html", "not_pdf", "starts with b'<html>"),
    (b"%PDF-1.4\n" + b"\x00garbage\xff" * 300, "application/pdf", "no_text", "no text in PDF"),
    (b"%PDF-1.4\n%%EOF\n", "application/pdf", "no_text", "no text in PDF"),
], ids=["html", "garbage pdf", "empty pdf"])
def test_a_bad_attachment_is_recorded_and_its_item_stored(srv, tmp_path, body, content_type,
                                                         want_status, want_error):
    srv.script(ATTACHMENT, ok(body, content_type))
    summary = harvest(tmp_path, source_of(srv))
    assert (summary.new_items, summary.failed, summary.exit_code) == (3, 0, 0), summary.failures
    att, pages = attachment_and_pages(tmp_path)
    assert att["status"] == want_status and att["error"].startswith(want_error), att
    assert pages == []
    db = open_db(tmp_path / "k.db")
    assert db["items"].get(f"demo/{MEETING}-4")["title"]
    db.close()
    # not a passing fault: a later run fetches nothing again
    again = harvest(tmp_path, source_of(srv))
    assert (again.updated_items, again.failed, srv.hits[ATTACHMENT]) == (0, 0, 1)


def test_an_unchanged_attachment_is_not_extracted_again(srv, tmp_path, extractions):
    # the item's own PDF fails for a passing reason, so the next run takes the item again
    srv.script(ITEM_4_PDF, status(503, b"busy"))
    first = harvest(tmp_path, source_of(srv))
    assert first.failed == 1 and first.new_items == 3
    att, pages = attachment_and_pages(tmp_path)
    assert att["status"] == "ok" and pages and pages[0]["sha256"] == att["sha256"]
    assert len(extractions) == 1
    srv.routes.pop(ITEM_4_PDF)
    second = harvest(tmp_path, source_of(srv))
    assert (second.updated_items, second.failed) == (1, 0), second.failures
    assert srv.hits[ATTACHMENT] == 2  # fetched again, but the same bytes
    assert len(extractions) == 1
    assert attachment_and_pages(tmp_path) == (att, pages)


def test_a_changed_attachment_replaces_its_pages(srv, tmp_path):
    srv.script(ITEM_4_PDF, status(503, b"busy"))
    harvest(tmp_path, source_of(srv))
    _, pages = attachment_and_pages(tmp_path)
    assert pages
    # the attachment turns into an error page, while the item is taken again
    srv.routes.pop(ITEM_4_PDF)
    srv.script(ATTACHMENT, ok(b"<html>poistettu</html>", "text/html"))
    harvest(tmp_path, source_of(srv))
    att, pages = attachment_and_pages(tmp_path)
    assert att["status"] == "not_pdf" and pages == []


def test_attachment_text_never_raises(monkeypatch):
    def boom(data: bytes, **kwargs):
        raise RuntimeError("bug")

    # a bug deep in the PDF reading still yields a recorded reason, not an exception
    # (b"%PDF-1.4" alone is no file PDFium opens, so pdfplumber's reading is asked)
    monkeypatch.setattr(pdf_module, "page_texts", boom)
    status_, error, texts = attachment_text(b"%PDF-1.4")
    assert (status_, texts) == ("no_text", []) and error == "no text in PDF: parse error: RuntimeError"


def test_attachment_text_state_needs_pages_of_the_same_file(tmp_path):
    db = open_db(tmp_path / "k.db")
    assert store.attachment_text_state(db, "demo/x#1", "0" * 64) is None


def many_page_pdf(pages: int) -> bytes:
    """A report of ``pages`` pages, each saying ``Sivu k``."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    for k in range(1, pages + 1):
        c.drawString(57, 700, f"Liiteraportti Sivu {k}")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_an_attachment_over_the_page_limit_keeps_its_first_pages(srv, tmp_path, extractions):
    from parsers.pdf.text import DEFAULT_MAX_PAGES

    srv.script(ATTACHMENT, ok(many_page_pdf(DEFAULT_MAX_PAGES + 20), "application/pdf"))
    srv.script(ITEM_4_PDF, status(503, b"busy"))  # the item comes again in the next run
    harvest(tmp_path, source_of(srv))
    att, pages = attachment_and_pages(tmp_path)
    assert att["status"] == "ok"
    assert att["error"] == (f"truncated: {DEFAULT_MAX_PAGES} of {DEFAULT_MAX_PAGES + 20} "
                            f"pages read (page limit {DEFAULT_MAX_PAGES})")
    assert [p["page"] for p in pages] == list(range(1, DEFAULT_MAX_PAGES + 1))
    assert pages[-1]["text"] == f"Liiteraportti Sivu {DEFAULT_MAX_PAGES}"
    # the cut file counts as read: the next harvest does not extract it again
    srv.routes.pop(ITEM_4_PDF)
    second = harvest(tmp_path, source_of(srv))
    assert (second.updated_items, second.failed) == (1, 0), second.failures
    assert len(extractions) == 1 and attachment_and_pages(tmp_path) == (att, pages)
