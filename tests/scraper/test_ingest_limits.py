"""What every stored text goes through (db.ingest): control characters from a hostile page
never reach the database, and one huge item is capped with a warning."""

from __future__ import annotations

import json
import re

import pytest

from db import ingest
from db.schema import open_db
from parsers.records import Attachment, ItemRecord, Person
from tests.faultserver import ok
from tests.scraper.test_faults import (  # noqa: F401 - fixtures used by name
    MEETING,
    PAGE,
    demo_server,
    harvest,
    pdfs_parsed_once,
    site,
    source_of,
)

CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@pytest.fixture
def srv(request):
    return request.getfixturevalue("site")


def test_control_characters_never_reach_the_database(srv, tmp_path):
    page = srv.site.get(PAGE).body
    hostile = re.sub(rb"(<p[^>]*>)", lambda m: m.group(1) + b"\x01\x1b[31m\x07", page, count=3)
    hostile = hostile.replace(b"</title>", b"\x0c\x1f</title>", 1)
    assert hostile != page
    srv.script(PAGE, ok(hostile, "text/html; charset=windows-1252"))
    summary = harvest(tmp_path, source_of(srv))
    assert (summary.new_items, summary.failed) == (3, 0), summary.failures
    db = open_db(tmp_path / "k.db")
    try:
        for table in ("items", "attachments", "attachment_pages", "item_preparers",
                      "item_handlings", "meetings"):
            if not db[table].exists():
                continue
            for row in db[table].rows:
                for column, value in row.items():
                    assert not (isinstance(value, str) and CONTROLS.search(value)), \
                        (table, column, value[:80])
        item = db["items"].get(f"demo/{MEETING}-5")
        assert "[31m" in " ".join(str(v) for v in item.values())  # only the control went
    finally:
        db.close()


def test_a_huge_field_is_capped_with_a_warning_and_nested_text_is_cleaned():
    record = ItemRecord(title="Otsikko\x01", decision="sana " * 1_000_000,
                        preparers=[Person(name="Maija\x1b Meikäläinen")],
                        attachments=[Attachment(title="Liite\x00 1")])
    ingest.clean_record(record)
    assert len(record.decision) <= ingest.MAX_FIELD_CHARS + 2
    assert record.decision.endswith(" …")
    assert record.title == "Otsikko" and record.preparers[0].name == "Maija Meikäläinen"
    assert record.attachments[0].title == "Liite 1"
    assert f"text capped: decision kept {ingest.MAX_FIELD_CHARS} characters" in record.warnings
    again = json.loads(json.dumps(record.warnings))
    ingest.clean_record(record)  # idempotent: a reparse finds nothing to change
    assert record.warnings == again
    pages = ingest.clean_pages(["a\x02b", "x" * (ingest.MAX_PAGE_CHARS + 10)])
    assert pages[0] == "ab" and len(pages[1]) <= ingest.MAX_PAGE_CHARS + 2
