"""The parse cache on its own: records survive JSON exactly, keys change with every input.

Records come from really parsing the demo site's item pages and PDFs and the generated
Dynasty-like PDFs; the cache is a real SQLite file in a temporary archive directory.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from pathlib import Path

import pytest

from demosite import build_site
from parsers import PARSER_VERSION, attachment_text, parse, parse_item
from parsers.records import ItemRecord, Person
from scraper.parse_cache import (
    CACHE_FILE,
    AttachmentResult,
    ItemInputs,
    ItemResult,
    ParseCache,
)
from tests.parsers import pdfgen

BASE = "http://127.0.0.1:8765"
SPEC_DIR = Path(pdfgen.__file__).parent / "item_pdf"


def demo_documents() -> list[tuple[str, str, bytes, bytes | None]]:
    """(url, content type, HTML, PDF or None) of every item of the demo site."""
    site = build_site(BASE)
    out = []
    for path, (content_type, body) in sorted(site.pages.items()):
        if m := re.fullmatch(r"/kokous/(\d+-\d+)\.HTM", path):
            pdf = site.pages.get(f"/kokous/{m.group(1)}.PDF")
            out.append((BASE + path, content_type, body, pdf[1] if pdf else None))
    return out


def demo_attachments() -> list[bytes]:
    site = build_site(BASE)
    return [body for path, (_, body) in sorted(site.pages.items())
            if re.fullmatch(r"/kokous/\d+-\d+-\d+\.PDF", path)]


def generated_records() -> list[ItemRecord]:
    records = []
    for spec in sorted(SPEC_DIR.glob("*.yaml")):
        data = pdfgen.build_pdf(pdfgen.load_spec(spec))
        records.append(parse("item_pdf", data, url=f"{BASE}/kokous/{spec.stem}.PDF"))
        records.extend(parse("minutes_pdf", data).items)
    return records


def test_demo_item_records_round_trip_through_json_exactly():
    documents = demo_documents()
    assert len(documents) >= 20 and any(pdf for *_, pdf in documents)
    for url, content_type, html, pdf in documents:
        record, agreement = parse_item(html, url=url, content_type=content_type,
                                       pdf=pdf, pdf_url=url[:-4] + ".PDF")
        back = ItemRecord.from_dict(json.loads(json.dumps(record.to_dict())))
        assert back == record, url
        assert back.to_dict() == record.to_dict()
        result = ItemResult(record, agreement)
        assert ItemResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_generated_pdf_records_round_trip_with_their_nested_records():
    records = generated_records()
    assert any(r.preparers for r in records) and any(r.previous_handlings for r in records)
    assert any(r.proposer for r in records) and any(r.attachments for r in records)
    for record in records:
        back = ItemRecord.from_dict(json.loads(json.dumps(record.to_dict())))
        assert back == record
        assert all(type(p) is Person for p in back.preparers)


def test_from_dict_refuses_unknown_keys_and_wrong_types():
    good = ItemRecord(title="Otsikko", preparers=[Person(name="Maija Meikäläinen")]).to_dict()
    assert ItemRecord.from_dict(good).preparers[0].name == "Maija Meikäläinen"
    for damaged in ({**good, "surprise": 1}, {**good, "title": 7},
                    {**good, "preparers": "Maija"}, {**good, "preparers": [{"nimi": "x"}]},
                    {**good, "proposer": "kaupunginjohtaja"}, ["not", "a", "dict"]):
        with pytest.raises(TypeError):
            ItemRecord.from_dict(damaged)


def inputs(**changes) -> ItemInputs:
    base = dict(html_sha256="a" * 64, url=f"{BASE}/kokous/1-1.HTM", content_type="text/html",
                pdf_sha256="b" * 64, pdf_url=f"{BASE}/kokous/1-1.PDF")
    return ItemInputs(**{**base, **changes})


def test_a_result_is_found_only_under_all_of_its_arguments(tmp_path):
    url, content_type, html, pdf = demo_documents()[0]
    record, agreement = parse_item(html, url=url, content_type=content_type, pdf=pdf)
    with ParseCache.in_archive(tmp_path) as cache:
        cache.put_item(inputs(), ItemResult(record, agreement))
        assert cache.get_item(inputs()) == ItemResult(record, agreement)
        for changed in (dict(html_sha256="c" * 64), dict(url=url), dict(content_type=None),
                        dict(pdf_sha256=None), dict(pdf_url=None)):
            assert cache.get_item(inputs(**changed)) is None, changed
        assert (cache.hits, cache.misses) == ({"item": 1}, {"item": 5})
    assert (tmp_path / CACHE_FILE).is_file()
    # a new parser version misses, and pruning drops the old version's rows
    with ParseCache.in_archive(tmp_path, parser_version=PARSER_VERSION + "+next") as newer:
        assert newer.get_item(inputs()) is None
        assert newer.prune() == 1
    with ParseCache.in_archive(tmp_path) as cache:
        assert cache.get_item(inputs()) is None


def test_attachment_text_is_kept_per_sha256(tmp_path):
    attachments = demo_attachments()
    assert attachments
    with ParseCache(tmp_path / "c.sqlite") as cache:
        for number, data in enumerate(attachments):
            cache.put_attachment(f"{number:064x}", AttachmentResult(*attachment_text(data)))
    with ParseCache(tmp_path / "c.sqlite") as cache:
        for number, data in enumerate(attachments):
            got = cache.get_attachment(f"{number:064x}")
            assert got == AttachmentResult(*attachment_text(data)) and got.texts
        assert cache.get_attachment("f" * 64) is None


@pytest.mark.parametrize("value", ["{not json", '{"record": {"title": 5}, "agreement": null}',
                                   '{"agreement": 1.0}', '"a string"', "[]"])
def test_a_damaged_entry_is_a_miss_and_a_warning(tmp_path, caplog, value):
    url, content_type, html, pdf = demo_documents()[0]
    record, agreement = parse_item(html, url=url, content_type=content_type)
    with ParseCache(tmp_path / "c.sqlite") as cache:
        cache.put_item(inputs(), ItemResult(record, agreement))
    conn = sqlite3.connect(tmp_path / "c.sqlite")
    conn.execute("update parse_cache set value = ?", [value])
    conn.commit()
    conn.close()
    with caplog.at_level(logging.WARNING, logger="scraper.parse_cache"):
        with ParseCache(tmp_path / "c.sqlite") as cache:
            assert cache.get_item(inputs()) is None
            assert cache.misses == {"item": 1}
            # and it can be written again
            cache.put_item(inputs(), ItemResult(record, agreement))
            assert cache.get_item(inputs()) == ItemResult(record, agreement)
    assert any("damaged item entry" in r.getMessage() for r in caplog.records)


def test_a_cache_file_that_is_not_sqlite_disables_the_cache(tmp_path, caplog):
    path = tmp_path / CACHE_FILE
    path.write_bytes(b"this is no database " * 100)
    with caplog.at_level(logging.WARNING, logger="scraper.parse_cache"):
        with ParseCache(path) as cache:
            assert not cache.usable
            cache.put_attachment("a" * 64, AttachmentResult("ok", None, ["teksti"]))
            assert cache.get_attachment("a" * 64) is None
            assert cache.prune() == 0
    assert any("unusable" in r.getMessage() for r in caplog.records)
    assert path.read_bytes() == b"this is no database " * 100
