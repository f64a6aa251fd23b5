"""Attachment text: demo site over loopback HTTP → harvest → ``attachment_pages`` → Datasette.

The demo site's attachments are real PDFs (a one-page report, a one-page letter, a
five-slide deck); their text must be stored page by page, found by the Finnish-aware
``search_attachments`` query with the right page number, kept by a second harvest and
rebuilt by ``reparse`` from the raw archive.
"""

from __future__ import annotations

import sqlite3

import pytest

from db import fts
from db.fts import index_analyser
from db.schema import open_db
from demosite import DemoServer, expected_items
from kokousarkisto import api
from parsers import attachment_text
from scraper.archive import RawArchive
from scraper.http import FetchPolicy
from scraper.sources import Source
from tests.search.helpers import datasette_get

FAST = FetchPolicy(min_interval=0, retries=1, backoff=0.01)
SLIDES = "2024102201-4"  # its attachment is a five-slide deck
REPORT = "2024100701-3"  # a one-page report


def harvest(path, site):
    return api.harvest(path, [Source(id="demo", base_url=site.base_url, name="Demo")],
                       policy=FAST)


def pages_of(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select attachment_id, sha256, page, text, lemmas "
                            "from attachment_pages order by attachment_id, page").fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("attachments") / "kokousarkisto.db"
    with DemoServer() as site:
        first = harvest(path, site)
        after_first = pages_of(path)
        second = harvest(path, site)
    assert first.exit_code == 0 and second.exit_code == 0, (first.failures, second.failures)
    return path, after_first


def attachments_wanted() -> dict[str, dict]:
    return {f"demo/{e['item_id']}#{i + 1}": a for e in expected_items()
            for i, a in enumerate(e["attachments"])}


def test_every_attachment_pdf_is_stored_page_by_page(demo):
    path, _ = demo
    db = open_db(path)
    archive = RawArchive(api.default_archive_dir(path))
    wanted = attachments_wanted()
    assert len(wanted) >= 3
    for attachment_id in wanted:
        att = db["attachments"].get(attachment_id)
        assert att["status"] == "ok" and att["error"] is None, att
        status, error, texts = attachment_text(archive.get(att["sha256"]))
        assert texts and status == "ok" and error is None
        rows = list(db.query("select * from attachment_pages where attachment_id = ? "
                             "order by page", [attachment_id]))
        assert [r["page"] for r in rows] == list(range(1, len(texts) + 1)), attachment_id
        for row, text in zip(rows, texts, strict=True):
            assert row["sha256"] == att["sha256"]
            assert " ".join(row["text"].split()) == " ".join(text.replace("(cid:127)", "")
                                                             .split())
            assert "(cid:" not in row["text"] and row["lemmas"] is not None
    slides = list(db.query("select page, text from attachment_pages where attachment_id = ? "
                           "order by page", [f"demo/{SLIDES}#1"]))
    assert len(slides) == 5 and "Ehdotetut toimenpiteet 2025" in slides[3]["text"]
    [report] = db.query("select text from attachment_pages where attachment_id = ?",
                        [f"demo/{REPORT}#1"])
    assert "Yleinen taloudellinen kehitys" in report["text"]


def test_second_harvest_keeps_the_pages(demo):
    path, after_first = demo
    assert after_first and pages_of(path) == after_first


def search_attachments(path, q: str) -> list[dict]:
    [response] = datasette_get(path, [("search_attachments", {"q": q})])
    assert response.status_code == 200, response.text[:500]
    return response.json()


@pytest.mark.parametrize("q, item, page, marked", [
    # inflected forms of words that are in no item, only in the attachments
    ("tilahaun", SLIDES, 4, "tilahaku"),
    ("ryhmätöissä", SLIDES, 2, "ryhmätöinä"),
    ("työttömyysasteen", REPORT, 1, "Työttömyysaste"),
])
def test_search_finds_a_word_only_in_an_attachment_with_its_page(demo, voikko, q, item, page,
                                                                  marked):
    path, _ = demo
    assert index_analyser(open_db(path)) == voikko.name
    [items] = datasette_get(path, [("search", {"q": q})])
    assert items.status_code == 200 and items.json() == []  # not in any item's own text
    rows = search_attachments(path, q)
    assert [(r["id"], r["page"]) for r in rows] == [(f"demo/{item}", page)]
    row = rows[0]
    assert f"<mark>{marked}</mark>" in row["snippet"]
    assert row["title"] and row["url"].endswith(item)
    assert row["attachment_url"].endswith(f"-1.PDF#page={page}")


def test_search_attachments_without_a_query_is_empty(demo):
    path, _ = demo
    assert search_attachments(path, "") == []
    assert search_attachments(path, '" NEAR(') == []


def _copy(path, copy):
    """A copy of the harvested demo database, for a test that changes it."""
    src, dst = sqlite3.connect(path), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    return copy


def test_reparse_rebuilds_the_pages_from_the_archive(demo, tmp_path):
    path, after_first = demo
    copy = _copy(path, tmp_path / "kokousarkisto.db")
    api.default_archive_dir(copy).symlink_to(api.default_archive_dir(path).resolve())
    unchanged = api.reparse(copy)
    assert (unchanged.updated, unchanged.failed) == (0, 0)
    assert pages_of(copy) == after_first
    db = open_db(copy)
    db.execute("delete from attachment_pages")
    db.conn.commit()
    db.close()
    assert pages_of(copy) == []
    rebuilt = api.reparse(copy)
    assert rebuilt.failed == 0
    assert pages_of(copy) == after_first
    assert search_attachments(copy, "kumppanuuspöytä")


def test_a_change_of_analyser_relemmatises_the_pages_too(demo, tmp_path, voikko, snowball):
    path, after_first = demo
    copy = _copy(path, tmp_path / "kokousarkisto.db")
    db = open_db(copy)
    assert index_analyser(db) == voikko.name
    fts.use_lemmatiser(db, snowball)
    assert index_analyser(db) == snowball.name
    rows = list(db.query("select text, lemmas from attachment_pages order by id"))
    assert len(rows) == len(after_first)
    assert all(r["lemmas"] == fts.page_lemmas(r["text"], snowball) for r in rows)
    assert [r["lemmas"] for r in rows] != [p[4] for p in after_first]
    # the index follows the new lemmas (the triggers), so a query lemmatised the same way finds
    expression = fts.match_expression("tilahaun", snowball)
    found = db.execute("select attachment_pages.page from attachment_pages_fts join "
                       "attachment_pages on attachment_pages.id = attachment_pages_fts.rowid "
                       "where attachment_pages_fts match ?", [expression]).fetchall()
    assert found == [(4,)]
    db.close()
