"""PDF decompression bombs and oversized PDFs against a loopback site: the run finishes,
the item is stored from its HTML, the failure is recorded before the parse and no
later run parses the file again."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import resource
import signal
import time

import pytest

from db import store
from db.schema import open_db
from scraper import sandbox
from scraper.pdf_guard import PdfGuard, PdfLimits, PdfRefused, decoded_size, page_count
from tests.faultserver import ok
from tests.pdfbomb import bomb, many_pages
from tests.scraper.test_attachment_text import ATTACHMENT_ID, ITEM_4_PDF
from tests.scraper.test_faults import (  # noqa: F401 - fixtures used by name
    ATTACHMENT,
    MEETING,
    POLICY,
    demo_server,
    pdfs_parsed_once,
    site,
    source_of,
)
from tests.scraper.test_faults import harvest as _harvest

ITEM_4 = f"demo/{MEETING}-4"
#: the bomb is 611 KB on the wire, over the fault tests' usual 300 KB cap
WIDE = dataclasses.replace(POLICY, max_bytes=2_000_000)
MiB = 1024 * 1024


@pytest.fixture
def srv(request):
    """``test_faults``' demo site with its feeds scripted and no faults yet."""
    return request.getfixturevalue("site")


@pytest.fixture(scope="module")
def bomb_pdf() -> bytes:
    """611 KB on the wire, 400 MiB of content stream once inflated."""
    return bomb(400 * MiB)


def _peak_child_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def harvest(tmp_path, *sources):
    return _harvest(tmp_path, *sources, policy=WIDE)


# -- the sandbox alone ---------------------------------------------------------------------

def _allocate(n: int) -> int:
    return len(bytearray(n))


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _abort() -> None:
    os.kill(os.getpid(), signal.SIGABRT)


def test_the_sandbox_returns_values_and_contains_every_way_of_failing():
    assert sandbox.run(_allocate, 1000).value == 1000
    small = sandbox.Limits(memory=64 * MiB, seconds=5)
    assert "memory limit 64 MiB" in sandbox.run(_allocate, 512 * MiB, limits=small).error
    started = time.monotonic()
    slow = sandbox.run(_sleep, 60, limits=sandbox.Limits(seconds=0.5))
    assert slow.error == "time limit 0.5 s" and time.monotonic() - started < 5
    died = sandbox.run(_abort)
    assert died.error.startswith("parser process killed by SIGABRT")
    raised = sandbox.run(int, "x")
    assert raised.error.startswith("ValueError: invalid literal")


def test_a_bomb_is_refused_by_its_decoded_size_in_bounded_time(bomb_pdf):
    started = time.monotonic()
    with pytest.raises(PdfRefused, match="decoded streams over 256 MiB"):
        decoded_size(bomb_pdf, 256 * MiB)
    assert time.monotonic() - started < 10
    assert decoded_size(many_pages(3), 256 * MiB) == 0  # no Flate stream
    assert page_count(many_pages(600)) == 600


# -- a harvest meeting bombs -------------------------------------------------------------------

def _item_and_attachment(tmp_path) -> tuple[dict, dict, list[dict]]:
    db = open_db(tmp_path / "k.db")
    try:
        item = db["items"].get(ITEM_4)
        att = db["attachments"].get(ATTACHMENT_ID)
        parses = list(db.query("select * from pdf_parses where error is not null"))
        return item, att, parses
    finally:
        db.close()


def test_a_bomb_as_item_pdf_and_attachment_is_recorded_and_the_run_goes_on(srv, tmp_path,
                                                                          bomb_pdf):
    srv.script(ITEM_4_PDF, ok(bomb_pdf, "application/pdf"))
    srv.script(ATTACHMENT, ok(bomb_pdf, "application/pdf"))
    started = time.monotonic()
    summary = harvest(tmp_path, source_of(srv))
    seconds = time.monotonic() - started
    assert (summary.new_items, summary.failed, summary.exit_code) == (3, 0, 0), summary.failures
    item, att, parses = _item_and_attachment(tmp_path)
    assert item["title"] and item["proposal"]  # from its HTML page
    assert "item pdf: not parsed: decoded streams over 256 MiB" in item["warnings"]
    assert item["pdf_sha256"] == hashlib.sha256(bomb_pdf).hexdigest()  # archived all the same
    assert att["status"] == "no_text" and att["error"].startswith("not read: decoded streams")
    assert [p["kind"] for p in parses] == ["item"]  # one file, one row: the same bytes
    assert seconds < 60, seconds
    assert _peak_child_rss_mib() < 1500
    print(f"bomb harvest: {seconds:.1f} s, peak child RSS {_peak_child_rss_mib():.0f} MiB")
    # the next run (the item taken again by a changed page) never parses the file again
    again = harvest(tmp_path, source_of(srv))
    assert again.failed == 0


def test_without_a_stream_budget_the_memory_limit_still_holds(srv, tmp_path, bomb_pdf,
                                                             monkeypatch):
    import scraper.items

    tight = PdfLimits(decoded_bytes=10**12, memory=300 * MiB, item_seconds=5)
    monkeypatch.setattr(scraper.items, "PdfLimits", lambda: tight)
    srv.script(ITEM_4_PDF, ok(bomb_pdf, "application/pdf"))
    summary = harvest(tmp_path, source_of(srv))
    assert (summary.new_items, summary.exit_code) == (3, 0), summary.failures
    item, _, parses = _item_and_attachment(tmp_path)
    assert "item pdf: not parsed:" in item["warnings"] and item["title"]
    assert parses and parses[0]["error"]


def test_an_item_pdf_over_the_page_limit_is_not_parsed(srv, tmp_path):
    srv.script(ITEM_4_PDF, ok(many_pages(600), "application/pdf"))
    started = time.monotonic()
    summary = harvest(tmp_path, source_of(srv))
    assert (summary.new_items, summary.exit_code) == (3, 0), summary.failures
    assert time.monotonic() - started < 60
    item, _, _ = _item_and_attachment(tmp_path)
    assert "item pdf: not parsed: 600 pages, over the item PDF limit of 100" in item["warnings"]


def test_a_parse_two_dead_runs_left_open_is_never_tried_again(srv, tmp_path, bomb_pdf):
    sha = hashlib.sha256(bomb_pdf).hexdigest()
    db = open_db(tmp_path / "k.db")
    for _ in range(2):  # two runs died while parsing this file
        store.begin_pdf_parse(db, sha, "item", "2025-01-01T00:00:00+00:00")
    db.close()
    srv.script(ITEM_4_PDF, ok(bomb_pdf, "application/pdf"))
    summary = harvest(tmp_path, source_of(srv))
    assert (summary.new_items, summary.exit_code) == (3, 0), summary.failures
    item, _, parses = _item_and_attachment(tmp_path)
    assert "item pdf: not parsed: 2 parses of this file never finished" in item["warnings"]
    assert [p["sha256"] for p in parses] == [sha]


def test_one_dead_run_costs_nothing_a_second_one_quarantines_the_file(tmp_path):
    from parsers import attachment_text

    data = many_pages(2)
    sha = hashlib.sha256(data).hexdigest()
    db = open_db(tmp_path / "k.db")
    try:
        guard = PdfGuard(db, lambda: "2025-01-01T00:00:00+00:00")
        store.begin_pdf_parse(db, sha, "attachment", "2025-01-01T00:00:00+00:00")  # killed
        status, error, texts = guard.attachment_text(attachment_text, data, sha)
        assert status == "ok" and "Sivu ja teksti" in texts[0]
        assert store.pdf_parse_state(db, sha)[:2] == (True, None)
        for _ in range(2):
            store.begin_pdf_parse(db, sha, "attachment", "2025-01-01T00:00:00+00:00")
        status, error, _ = guard.attachment_text(attachment_text, data, sha)
        assert (status, error) == ("no_text", "not read: 2 parses of this file never "
                                              "finished (the runs died during them)")
    finally:
        db.close()
