"""The multi-municipality demo: three towns, three page families, one archive.

Each town's site runs on its own loopback port; all three are harvested into one real
SQLite file as ``kokousarkisto demo`` does, and the stored items are compared with each
town's ground truth.
"""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import ExitStack
from pathlib import Path

import pytest
from datasette.app import Datasette

from demosite import DemoServer, build_site, expected_documents, expected_items
from demosite.towns import TOWNS, town
from kokousarkisto import api
from kokousarkisto.publish import TEMPLATE_DIR, load_metadata
from scraper.http import FetchPolicy
from scraper.sources import Source

FAST = FetchPolicy(min_interval=0, retries=1, backoff=0.01)
FIELDS = ("title", "section", "case_number", "body", "meeting_date", "document_type")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    db_path = tmp_path_factory.mktemp("towns") / "kunnat.db"
    with ExitStack() as stack:
        sources = []
        for t in TOWNS:
            site = stack.enter_context(DemoServer(town=t))
            m = t.data.municipality
            sources.append(Source(id=t.id, base_url=site.base_url, name=m.name,
                                  municipality=m.short))
        summary = api.harvest(db_path, sources, policy=FAST)
    assert summary.exit_code == 0, summary.failures
    return db_path


def test_towns_share_body_names_case_numbers_and_ids_but_not_families():
    bodies = {t.id: {b.name for b in t.data.bodies} for t in TOWNS}
    for names in bodies.values():
        assert {"Kaupunginhallitus", "Kaupunginvaltuusto"} <= names
        assert any(n.endswith("lautakunta") for n in names)
    cases = [{e["case_number"] for e in expected_items(t)} for t in TOWNS]
    assert "3700/2024" in set.intersection(*cases)
    pages = {t.id: build_site("http://127.0.0.1:1", town=t) for t in TOWNS}
    item = "/cgi/DREQUEST.PHP?page=meetingitem&id=2024100701-3"
    word, d10, swedish = (pages[i].resources[item] for i in ("demola", "malliala", "provby"))
    assert b"WordSection1" in word.body and word.body.decode("cp1252")
    assert d10.content_type == "text/html; charset=UTF-8"
    assert b"data-part-block-htm" in d10.body and b"WordSection1" not in d10.body
    assert "Malliala" in d10.body.decode("utf-8")
    # Dynasty 10: the older navigation in 2024, the table.tbl.navigation later; attachment
    # ids, not running numbers, in the attachment file names
    newer = pages["malliala"].resources["/cgi/DREQUEST.PHP?page=meetingitem&id=2025020501-4"]
    assert b"tbl navigation" not in d10.body and b"tbl navigation" in newer.body
    assert b"2024100701-3-374" in d10.body and b"2024100701-3-1.PDF" not in d10.body
    meeting = pages["malliala"].resources["/cgi/DREQUEST.PHP?page=meeting&id=2024100701"]
    assert b"data-part meeting-header" in meeting.body
    text = swedish.body.decode("cp1252")
    assert "Protokoll 07.10.2024 Paragraf 103" in text and "Förslag" in text
    assert "Pöytäkirja" not in text and "Päätösehdotus" not in text
    decision = pages["provby"].resources["/cgi/DREQUEST.PHP?page=official_decision&id=2025011501"]
    assert "Tjänsteinnehavarbeslut 15.01.2025" in decision.body.decode("cp1252")


def test_each_town_is_stored_as_its_own_ground_truth(archive):
    conn = sqlite3.connect(archive)
    conn.row_factory = sqlite3.Row
    try:
        for t in TOWNS:
            rows = {r["dynasty_id"]: r for r in conn.execute(
                "select items.*, bodies.name as body from items join bodies "
                "on bodies.id = items.body_id where items.source_id = ?", [t.id])}
            want = expected_items(t)
            assert len(rows) == len(want), t.id
            for e in want:
                row = rows[e["item_id"]]
                got = {f: row[f] for f in FIELDS}
                assert got == {f: e[f] for f in FIELDS}, (t.id, e["item_id"])
                assert bool(row["decision"]) == (e["document_type"] == "minutes"), e["item_id"]
                assert row["proposer_name"] == (e["proposer"] or {}).get("name")
            label = conn.execute("select label from sources where id = ?", [t.id]).fetchone()
            assert label[0] == t.data.municipality.short
            people = conn.execute(
                "select meetings.date, meeting_attendees.name, meeting_attendees.role "
                "from meeting_attendees join meetings on meetings.id = "
                "meeting_attendees.meeting_id where meetings.source_id = ? "
                "order by meetings.date, meeting_attendees.position", [t.id]).fetchall()
            assert [tuple(p) for p in people] == [
                (d["meeting_date"], a["name"], a["role"])
                for d in sorted(expected_documents(t), key=lambda d: d["meeting_date"])
                if d["document_type"] == "minutes" for a in d["attendees"]], t.id
            attachments = conn.execute(
                "select attachments.url, attachments.status from attachments join items "
                "on items.id = attachments.item_id where items.source_id = ?", [t.id]).fetchall()
            assert len(attachments) == sum(len(e["attachments"]) for e in want), t.id
            assert {status for _, status in attachments} == {"ok"}, t.id
            officials = conn.execute(
                "select dynasty_id, official_title, official_name, decision_date, title "
                "from official_decisions where source_id = ? order by dynasty_id",
                [t.id]).fetchall()
            assert [tuple(o) for o in officials] == sorted(
                (o.id, o.official.title, o.official.name, o.date.isoformat(), o.title)
                for o in t.data.official_decisions), t.id
    finally:
        conn.close()


def test_one_case_number_in_three_towns_stays_three_histories(archive):
    ds = Datasette(files=[str(archive)], metadata=load_metadata(archive),
                   template_dir=str(TEMPLATE_DIR))

    async def fetch(path):
        return (await ds.client.get(path)).json()

    rows = asyncio.run(fetch("/kunnat/case_history.json?_shape=array&case_number=3700/2024"))
    blocks = [r["municipality"] for r in rows]
    # one block per town, in order, never interleaved
    assert [town for i, town in enumerate(blocks) if i == 0 or blocks[i - 1] != town] == \
        sorted({t.data.municipality.short for t in TOWNS})
    for t in TOWNS:
        want = [e for e in expected_items(t) if e["case_number"] == "3700/2024"]
        mine = asyncio.run(fetch("/kunnat/case_history.json?_shape=array"
                                 f"&case_number=3700/2024&kunta={t.id}"))
        assert [(r["meeting_date"], r["body"], r["document_type"]) for r in mine] == sorted(
            (e["meeting_date"], e["body"], e["document_type"]) for e in want)
    swedish = asyncio.run(fetch("/kunnat/case_history.json?_shape=array"
                                "&case_number=3700/2024&kunta=Provby"))
    assert {r["title"] for r in swedish} == {"Uppdatering av stadsstrategin"}


def test_unknown_town_is_a_clear_error():
    with pytest.raises(KeyError, match="known: demola, malliala, provby"):
        town("nowhere")
