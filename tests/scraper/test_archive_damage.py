"""A damaged or missing raw archive: detected, never parsed as the document, repaired by
fetching the right bytes again; ``reparse`` keeps what is stored and counts only real
changes."""

from __future__ import annotations

import json

import pytest

from db.schema import open_db
from parsers import parse_item
from parsers.records import ItemRecord, PageStructure
from scraper.archive import ArchiveDamaged, RawArchive
from scraper.reparse import Parsers, reparse
from tests.faultserver import Fault, ok, status
from tests.scraper.test_attachment_text import ITEM_4_PDF
from tests.scraper.test_faults import (  # noqa: F401 - fixtures used by name
    ITEMS,
    MEETING,
    PAGE,
    RECENT,
    demo_server,
    harvest,
    item_row,
    pdfs_parsed_once,
    site,
    source_of,
)

ITEM_5 = f"{MEETING}-5"
FIELDS = ("title", "proposal", "decision", "background", "section", "case_number")


@pytest.fixture
def srv(request):
    return request.getfixturevalue("site")


def _reparse(tmp_path, parsers: Parsers | None = None):
    db = open_db(tmp_path / "k.db")
    try:
        return reparse(db, RawArchive(tmp_path / "k.raw"), jobs=1, parsers=parsers or Parsers())
    finally:
        db.close()


def _blob(tmp_path, sha: str):
    return tmp_path / "k.raw" / sha[:2] / sha


def test_get_checks_the_hash_and_put_repairs(tmp_path):
    archive = RawArchive(tmp_path / "raw")
    sha = archive.put(b"<html>oikea sivu</html>")
    path = tmp_path / "raw" / sha[:2] / sha
    path.write_bytes(b"<html>oikea")  # truncated on disk
    with pytest.raises(ArchiveDamaged, match="damaged"):
        archive.get(sha)
    assert sha in archive  # present, but not the document
    assert archive.put(b"<html>oikea sivu</html>") == sha
    assert archive.get(sha) == b"<html>oikea sivu</html>"


@pytest.mark.parametrize("damage", ["truncated", "zeroed"])
def test_reparse_never_parses_a_damaged_blob(srv, tmp_path, damage):
    assert harvest(tmp_path, source_of(srv)).exit_code == 0
    before = item_row(tmp_path, ITEM_5)
    blob = _blob(tmp_path, before["html_sha256"])
    data = blob.read_bytes()
    blob.write_bytes(data[: len(data) // 3] if damage == "truncated" else bytes(len(data)))
    summary = _reparse(tmp_path)
    assert summary.failed == 1 and summary.updated == 0, summary.failures
    assert "damaged" in summary.failures[0] and ITEM_5 in summary.failures[0]
    assert item_row(tmp_path, ITEM_5) == before


def test_a_no_op_reparse_changes_nothing_and_keeps_harvest_warnings(srv, tmp_path):
    srv.script(ITEM_4_PDF, status(404, b"ei ole"))
    assert harvest(tmp_path, source_of(srv)).new_items == 3
    before = {i: item_row(tmp_path, i) for i in ITEMS}
    assert "item pdf: HTTP 404" in json.loads(before[f"{MEETING}-4"]["warnings"])
    summary = _reparse(tmp_path)
    assert (summary.updated, summary.failed) == (0, 0), summary.failures
    assert {i: item_row(tmp_path, i) for i in ITEMS} == before


def _no_structure(html: bytes, **kwargs) -> tuple[ItemRecord, float | None]:
    record, agreement = parse_item(html, **kwargs)
    blank = ItemRecord(structure=PageStructure.UNKNOWN_TEMPLATE)
    blank.warn("unknown template")
    return blank if kwargs["url"].endswith(ITEM_5) else record, agreement


def test_reparse_keeps_a_stored_item_when_the_page_yields_no_structure(srv, tmp_path):
    assert harvest(tmp_path, source_of(srv)).exit_code == 0
    before = item_row(tmp_path, ITEM_5)
    summary = _reparse(tmp_path, Parsers(item=_no_structure))
    assert summary.failed == 1 and "no Dynasty item structure" in summary.failures[0]
    after = item_row(tmp_path, ITEM_5)
    assert {k: after[k] for k in FIELDS} == {k: before[k] for k in FIELDS}
    assert after["proposal"]


def test_a_missing_blob_makes_the_next_fetch_unconditional(srv, tmp_path):
    page = srv.site.get(PAGE).body
    srv.script(PAGE, ok(page, "text/html; charset=windows-1252", ETag='"v1"'))
    assert harvest(tmp_path, source_of(srv), **RECENT).exit_code == 0
    sha = item_row(tmp_path, ITEM_5)["html_sha256"]
    _blob(tmp_path, sha).unlink()
    again = harvest(tmp_path, source_of(srv), **RECENT)
    assert again.exit_code == 0 and again.failed == 0, again.failures
    asked = [r for r in srv.requests if r["path"] == PAGE]
    assert "If-None-Match" not in asked[-1]  # unconditional: the copy is gone
    assert RawArchive(tmp_path / "k.raw").get(sha) == page  # and the archive whole again


def test_a_304_for_a_damaged_copy_is_fetched_again_and_repairs_it(srv, tmp_path):
    page = srv.site.get(PAGE).body
    html = "text/html; charset=windows-1252"
    srv.script(PAGE, ok(page, html, ETag='"v1"'), Fault(304, b"", {"ETag": '"v1"'}),
               ok(page, html, ETag='"v1"'))
    assert harvest(tmp_path, source_of(srv), **RECENT).exit_code == 0
    before = item_row(tmp_path, ITEM_5)
    _blob(tmp_path, before["html_sha256"]).write_bytes(b"\0" * 100)
    again = harvest(tmp_path, source_of(srv), **RECENT)
    assert again.failed == 0, again.failures
    asked = [r for r in srv.requests if r["path"] == PAGE]
    assert [("If-None-Match" in r) for r in asked] == [False, True, False]
    assert RawArchive(tmp_path / "k.raw").get(before["html_sha256"]) == page
    assert {k: item_row(tmp_path, ITEM_5)[k] for k in FIELDS} == {k: before[k] for k in FIELDS}
