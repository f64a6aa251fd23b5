"""End to end: the demo Dynasty site over real HTTP on 127.0.0.1 → harvest → SQLite → Datasette.

No HTTP mocking: the harvester talks to ``demosite.DemoServer`` on a free loopback port,
writes a real database file and raw archive, and Datasette reads the file back through
its own test client.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from datasette.app import Datasette

from db.schema import open_db
from demosite import DemoServer, expected_items
from kokousarkisto import api
from kokousarkisto.check_corpus import compare, resolve_path
from kokousarkisto.publish import load_metadata
from scraper.archive import RawArchive
from scraper.http import FetchPolicy
from scraper.sources import Source
from tests.served import serve

FAST = FetchPolicy(min_interval=0, retries=1, backoff=0.01)
DATA_TABLES = ("sources", "bodies", "meetings", "items", "item_preparers", "item_handlings",
               "attachments", "raw_documents", "item_versions", "official_decisions")


def harvest(db_path: Path, site: DemoServer):
    return api.harvest(db_path, [Source(id="demo", base_url=site.base_url, name="Demo")],
                       policy=FAST)


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db_path)
    try:
        return {t: conn.execute(f"select * from [{t}] order by 1").fetchall() for t in DATA_TABLES}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def harvested(tmp_path_factory):
    """One harvest of the whole demo site, shared by the read-only tests below."""
    db_path = tmp_path_factory.mktemp("pipeline") / "kokousarkisto.db"
    with DemoServer() as site:
        first = harvest(db_path, site)
        after_first = snapshot(db_path)
        second = harvest(db_path, site)
        after_second = snapshot(db_path)
    return db_path, first, second, after_first, after_second


def test_every_demo_item_is_stored_with_its_fields(harvested):
    db_path, first, *_ = harvested
    assert first.exit_code == 0, first.failures
    expected = {e["item_id"]: e for e in expected_items()}
    db = open_db(db_path)
    rows = {r["dynasty_id"]: r for r in db["items"].rows}
    assert set(rows) == set(expected)
    assert first.new_items == len(expected) >= 20
    for item_id, want in expected.items():
        row = rows[item_id]
        for name in ("section", "case_number", "title", "meeting_date", "document_type"):
            assert row[name] == want[name], (item_id, name, row[name], want[name])
        assert row["proposal"], item_id
        body = db["bodies"].get(row["body_id"])["name"]
        assert body == want["body"], item_id
        if want["document_type"] == "minutes":
            assert row["decision"], item_id
        else:
            assert row["decision"] is None, item_id


def test_proposals_and_decisions_match_the_demo_data(harvested):
    db = open_db(harvested[0])
    rows = {r["dynasty_id"]: r for r in db["items"].rows}
    norm = " ".join
    for want in expected_items():
        row = rows[want["item_id"]]
        assert norm(row["proposal"].split()) == norm(want["proposal"].split()), want["item_id"]
        if want["decision"]:
            assert norm(row["decision"].split()) == norm(want["decision"].split())


def test_earlier_handlings_are_stored_with_their_texts(harvested):
    """Päätöshistoria entries reach ``item_handlings`` with their own proposer,
    proposal and decision, and are found by the canned ``search_history`` query."""
    db = open_db(harvested[0])
    norm = " ".join
    checked = 0
    for want in expected_items():
        rows = list(db.query("select * from item_handlings where item_id = ? order by position",
                             [f"demo/{want['item_id']}"]))
        assert [(r["body"], r["section"], r["date"]) for r in rows] == [
            (h["body"], h["section"], h["date"]) for h in want["previous_handlings"]]
        for row, h in zip(rows, want["previous_handlings"], strict=True):
            for name in ("proposal", "decision", "discussion"):
                got = norm(row[name].split()) if row[name] else None
                assert got == (norm(h[name].split()) if h[name] else None), (row, name)
            assert row["proposer_name"] == (h["proposer"] or {}).get("name")
            checked += bool(h["decision"])
    assert checked >= 2, "the demo site prints decision histories"
    (resp,) = datasette_get_json(harvested[0], "search_history", {"q": "yleiskaava"})
    assert {r["handled_by"] for r in resp} == {"Kaupunkisuunnittelulautakunta"}


def datasette_get_json(db_path: Path, query: str, params: dict[str, str]) -> list[list[dict]]:
    async def fetch():
        ds = Datasette([str(db_path)], metadata=load_metadata(db_path))
        resp = await ds.client.get(f"/{db_path.stem}/{query}.json",
                                   params={**params, "_shape": "array"})
        assert resp.status_code == 200, resp.text
        return [resp.json()]

    return asyncio.run(fetch())


def test_second_harvest_adds_and_changes_nothing(harvested):
    _, first, second, after_first, after_second = harvested
    assert second.new_items == 0 and second.updated_items == 0 and second.exit_code == 0
    assert after_second == after_first
    assert len(after_first["item_versions"]) == len(after_first["items"])  # one version each


def test_raw_archive_holds_every_fetched_byte(harvested):
    db_path = harvested[0]
    db = open_db(db_path)
    archive = RawArchive(api.default_archive_dir(db_path))
    fetches = list(db.query("select * from fetches where sha256 is not null"))
    assert fetches and all(f["status"] in (200, 304) for f in fetches)
    # the second harvest asked conditionally: the three feeds were answered 304
    assert sum(f["status"] == 304 for f in fetches) == 3
    for f in fetches:
        assert f["sha256"] in archive
        headers = json.loads(f["headers"])
        assert "Content-Type" in headers
    for row in db["items"].rows:
        html = archive.get(row["html_sha256"])
        assert b"<html" in html.lower()[:2000]
        assert archive.get(row["pdf_sha256"]).startswith(b"%PDF")


def test_attachments_are_downloaded_and_linked(harvested):
    db = open_db(harvested[0])
    want = sum(len(e["attachments"]) for e in expected_items())
    rows = list(db["attachments"].rows)
    assert len(rows) == want >= 2
    assert all(r["status"] == "ok" and r["sha256"] for r in rows)


def test_official_decisions_are_their_own_records(harvested):
    db_path, first, *_ = harvested
    db = open_db(db_path)
    rows = list(db.query("select * from official_decisions order by decision_date"))
    assert first.official_decisions == len(rows) == 3
    for row in rows:
        assert row["official_name"] and row["official_title"] and row["decision_date"]
        assert row["title"] and row["decision"] and row["case_number"]
        assert json.loads(row["warnings"]) == []
        assert row["official_name"] not in row["decision"]  # the signature line is dropped


def test_meetings_join_agenda_and_minutes(harvested):
    db = open_db(harvested[0])
    both = list(db.query("select * from meetings where agenda_doc_id is not null "
                         "and minutes_doc_id is not null"))
    assert both, "the demo site publishes one meeting as agenda and minutes"
    assert all(m["document_type"] == "minutes" for m in both)
    assert db["meetings"].count >= 4


def test_datasette_serves_the_database_with_metadata(harvested):
    db_path = harvested[0]

    async def fetch():
        ds = Datasette([str(db_path)], metadata=load_metadata(db_path))
        index = await ds.client.get("/")
        items = await ds.client.get(f"/{db_path.stem}/items.json?_shape=array&_size=max")
        latest = await ds.client.get(f"/{db_path.stem}/latest_decisions.json?_shape=array")
        table = await ds.client.get(f"/{db_path.stem}/items")
        return index, items, latest, table

    index, items, latest, table = asyncio.run(fetch())
    assert index.status_code == 200 and "Kokousarkisto" in index.text
    assert items.status_code == 200
    assert len(items.json()) == len(expected_items())
    minutes = [e for e in expected_items() if e["document_type"] == "minutes"]
    assert latest.status_code == 200 and len(latest.json()) == len(minutes)
    assert all(r["decision"] for r in latest.json())
    assert "Agenda items (asia)" in table.text  # the table description from metadata.yml


def test_agenda_first_then_minutes(tmp_path):
    """A meeting is published as an agenda, harvested, then its minutes appear."""
    minutes = [e for e in expected_items() if e["document_type"] == "minutes"]
    agendas = [e for e in expected_items() if e["document_type"] == "agenda"]
    pairs = [(a, m) for a in agendas for m in minutes
             if (a["body"], a["meeting_date"]) == (m["body"], m["meeting_date"])]
    assert pairs
    agenda_item = pairs[0][0]
    published = min(m["published"] for _, m in pairs)
    db_path = tmp_path / "kokousarkisto.db"
    with DemoServer(as_of=dt.date.fromisoformat(published) - dt.timedelta(days=1)) as site:
        harvest(db_path, site)
        db = open_db(db_path)
        meeting = next(db.query(
            "select m.* from meetings m join items i on i.meeting_id = m.id "
            "where i.dynasty_id = ?", [agenda_item["item_id"]]))
        assert meeting["document_type"] == "agenda" and meeting["minutes_doc_id"] is None
        site.set_as_of(None)
        summary = harvest(db_path, site)
    # everything published on or after the minutes' day appears now, the minutes included
    later = {e["item_id"] for e in expected_items() if e["published"] >= published}
    assert {m["item_id"] for _, m in pairs} <= later
    assert summary.new_items == len(later)
    meeting = db["meetings"].get(meeting["id"])
    assert meeting["document_type"] == "minutes" and meeting["minutes_doc_id"]
    decisions = list(db.query("select decision from items where meeting_id = ? and "
                              "document_type = 'minutes'", [meeting["id"]]))
    assert decisions and all(r["decision"] for r in decisions)


def test_cli_parse_prints_json_for_html_and_pdf(tmp_path):
    item = expected_items()[0]
    with DemoServer() as site:
        import requests

        html = requests.get(f"{site.base_url}/kokous/{item['item_id']}.HTM", timeout=10).content
        pdf = requests.get(f"{site.base_url}/kokous/{item['item_id']}.PDF", timeout=10).content
    for name, data in (("item.HTM", html), ("item.PDF", pdf)):
        path = tmp_path / name
        path.write_bytes(data)
        out = subprocess.run([sys.executable, "-m", "kokousarkisto.cli", "parse", str(path)],
                             capture_output=True, check=True)
        record = json.loads(out.stdout)
        for key in ("section", "case_number", "title", "body", "meeting_date", "document_type",
                    "preparers", "proposer", "proposal", "decision", "attachments", "warnings"):
            assert key in record, (name, key)
        assert record["case_number"] == item["case_number"], name
        assert record["section"] == item["section"], name


def test_cli_parse_of_garbage_warns_and_does_not_crash(tmp_path):
    path = tmp_path / "junk.HTM"
    path.write_bytes(b"\x00\xff not a page")
    out = subprocess.run([sys.executable, "-m", "kokousarkisto.cli", "parse", str(path)],
                         capture_output=True, check=True)
    record = json.loads(out.stdout)
    assert record["title"] is None and "missing: title" in record["warnings"]


PARSER_FIXTURES = Path(__file__).resolve().parent / "parsers"


def _cli_parse(*args: str) -> tuple[str, object]:
    out = subprocess.run([sys.executable, "-m", "kokousarkisto.cli", "parse", *args],
                         capture_output=True, check=True)
    return out.stderr.decode().strip(), json.loads(out.stdout)


@pytest.mark.parametrize("fixture,kind", [
    ("meeting_html/minutes_static.HTM", "meeting_html"),
    ("lists_html/telimet_static.HTM", "body_list"),
    ("lists_html/telin_static.HTM", "meeting_list"),
])
def test_cli_parse_tells_meeting_and_list_pages_apart(fixture, kind):
    """Not only item pages: the parser is chosen by the page (and its file name), and the
    record printed is what that parser's own fixture test expects."""
    path = PARSER_FIXTURES / fixture
    expected = json.loads((path.parent / f"{path.stem}.expected.json")
                          .read_text(encoding="utf-8"))
    url = (expected.get("_input") or {}).get("url")
    said, record = _cli_parse(str(path), *(["--url", url] if url else []))
    assert said == f"parser: {kind}"
    # the parser's own fixture expectations, read as its fixture test reads them
    diffs = [d for key, want in expected.items() if not key.startswith("_")
             for d in compare(resolve_path(record, key), want, key)]
    assert not diffs and len(expected) > 3, diffs


def test_cli_parse_splits_a_whole_minutes_pdf(tmp_path):
    from tests.parsers.test_item_pdf import generated  # builds the fixture's PDF

    path = tmp_path / "meeting.PDF"
    path.write_bytes(generated("minutes_multi"))
    said, minutes = _cli_parse(str(path), "--kind", "minutes_pdf")
    records = minutes["items"]
    expected = json.loads((PARSER_FIXTURES / "item_pdf" / "minutes_multi.expected.json"
                           ).read_text(encoding="utf-8"))
    assert said == "parser: minutes_pdf" and isinstance(records, list)
    assert [r["section"] for r in records] == [e["section"] for e in expected]
    assert [r["title"] for r in records] == [e["title"] for e in expected]


def test_cli_harvest_without_source_is_a_usage_error(tmp_path):
    out = subprocess.run([sys.executable, "-m", "kokousarkisto.cli", "harvest", "--db",
                          str(tmp_path / "x.db")], capture_output=True)
    assert out.returncode == 2 and b"--source" in out.stderr


def test_cli_demo_harvests_then_serve_answers_on_loopback(tmp_path):
    """The README's main job without its blocking server: ``demo --no-serve``, then
    ``serve`` as a real Datasette process answering on 127.0.0.1."""
    import requests

    from demosite.towns import TOWNS

    db_path = tmp_path / "demo.db"
    out = subprocess.run([sys.executable, "-m", "kokousarkisto.cli", "demo", "--db", str(db_path),
                          "--site-port", "0", "--no-serve"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    per_town = {t.id: len(expected_items(t)) for t in TOWNS}
    assert f"sources=3 new={sum(per_town.values())}" in out.stdout
    with serve(db_path) as url:
        resp = requests.get(f"{url}/demo/items.json?_shape=array&_size=max", timeout=10)
        assert resp.status_code == 200
        got: dict[str, int] = {}
        for row in resp.json():
            got[row["source_id"]] = got.get(row["source_id"], 0) + 1
        assert got == per_town
        home = requests.get(f"{url}/", timeout=5)
        assert "Kokousarkisto" in home.text


def test_reparse_rebuilds_items_from_the_archive_without_network(tmp_path):
    db_path = tmp_path / "kokousarkisto.db"
    with DemoServer() as site:
        harvest(db_path, site)
    before = snapshot(db_path)
    # the site is gone: anything reparse needs must come from the raw archive
    unchanged = api.reparse(db_path)
    assert (unchanged.items, unchanged.updated, unchanged.failed) == (len(expected_items()), 0, 0)
    assert snapshot(db_path) == before
    db = open_db(db_path)
    victim = next(db["items"].rows)
    db["items"].update(victim["id"], {"title": "rikottu", "proposal": None})
    db.close()
    fixed = api.reparse(db_path)
    assert fixed.updated == 1
    restored = open_db(db_path)["items"].get(victim["id"])
    assert (restored["title"], restored["proposal"]) == (victim["title"], victim["proposal"])
    # officials' decisions are rebuilt from their archived pages too
    assert (unchanged.official_decisions.unchanged, unchanged.official_decisions.failed) == (3, 0)
    db = open_db(db_path)
    official = next(db["official_decisions"].rows)
    db["official_decisions"].update(official["id"], {"decision": None, "official_name": "x"})
    db.close()
    again = api.reparse(db_path)
    assert (again.official_decisions.updated, again.official_decisions.failed) == (1, 0)
    assert "official_decisions_updated=1" in again.line()
    back = open_db(db_path)["official_decisions"].get(official["id"])
    assert (back["decision"], back["official_name"]) == (official["decision"],
                                                         official["official_name"])


def test_case_history_and_officials_canned_queries(harvested):
    """Every canned query in metadata.yml answers through Datasette's own client."""
    db_path = harvested[0]
    name = db_path.stem
    agenda = next(e for e in expected_items() if e["document_type"] == "agenda"
                  and any(m["case_number"] == e["case_number"] and m["document_type"] == "minutes"
                          for m in expected_items()))

    async def fetch():
        ds = Datasette([str(db_path)], metadata=load_metadata(db_path))
        case = await ds.client.get(f"/{name}/case_history.json?_shape=array"
                                   f"&case_number={agenda['case_number']}")
        officials = await ds.client.get(f"/{name}/official_decisions_latest.json?_shape=array")
        queries = await ds.client.get(f"/{name}.json")
        return case, officials, queries

    case, officials, queries = asyncio.run(fetch())
    rows = case.json()
    # the case went from the agenda to the minutes of the same body: oldest first
    assert {r["document_type"] for r in rows} == {"agenda", "minutes"}
    assert [r["meeting_date"] for r in rows] == sorted(r["meeting_date"] for r in rows)
    assert all(r["body"] == agenda["body"] for r in rows)
    got = officials.json()
    assert len(got) == 3 and [r["decision_date"] for r in got] == sorted(
        (r["decision_date"] for r in got), reverse=True)
    assert all(r["official_name"] and r["decision"] for r in got)
    names = {q["name"] for q in queries.json()["queries"]}
    assert {"search", "search_attachments", "latest_decisions", "official_decisions_latest",
            "case_history"} <= names


def test_body_person_queries_and_atom_feeds(harvested):
    db_path = harvested[0]
    name = db_path.stem
    minutes = [e for e in expected_items() if e["document_type"] == "minutes"]
    body = minutes[0]["body"]
    in_body = [e for e in minutes if e["body"] == body]
    dates = sorted(e["meeting_date"] for e in in_body)
    person = next(p["name"] for e in expected_items() for p in e["preparers"])
    by_person = {e["item_id"] for e in expected_items()
                 if person in [p["name"] for p in e["preparers"]]
                 or (e["proposer"] or {}).get("name") == person}
    target = next(e for e in minutes if "Kulttuuriavustukset" in e["title"])

    async def fetch():
        ds = Datasette([str(db_path)], metadata=load_metadata(db_path))
        get = ds.client.get
        return (
            await get(f"/{name}/decisions_by_body.json?_shape=array&body={body}"
                      f"&start={dates[0]}&end={dates[-1]}"),
            await get(f"/{name}/decisions_by_body.json?_shape=array&body={body}"
                      f"&start={dates[-1]}&end={dates[-1]}"),
            await get(f"/{name}/items_by_person.json?_shape=array&name={person.split()[-1]}"),
            await get(f"/{name}/feed_search.atom?q=kulttuuriavustuksista"),
            await get(f"/{name}/feed_body.atom?body={body}"),
        )

    whole, last_day, people, search_feed, body_feed = asyncio.run(fetch())
    assert len(whole.json()) == len(in_body)
    assert {r["meeting_date"] for r in last_day.json()} == {dates[-1]}
    assert {r["url"].rsplit("=", 1)[-1] for r in people.json()} == by_person
    assert search_feed.status_code == 200
    assert search_feed.headers["content-type"].startswith("application/atom+xml")
    assert "<feed" in search_feed.text and target["title"] in search_feed.text
    # the matched inflected form is emphasised in the entry's HTML content
    assert "&lt;strong&gt;Kulttuuriavustusten&lt;/strong&gt;" in search_feed.text
    assert body_feed.status_code == 200
    assert body_feed.text.count("<entry>") == sum(e["body"] == body for e in expected_items())
