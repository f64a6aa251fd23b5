"""Backfill over loopback: items reached through the body and meeting lists, not the feeds.

The demo site (``demosite.DemoServer``, or its pages served by a scripted server where a
test needs a static-only host, a frameset or a broken page) on 127.0.0.1; a real
database, raw archive and HTTP client.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import scraper.harvest as harvest_module
from db.schema import open_db
from demosite import DemoServer, build_site, expected_documents, expected_items
from kokousarkisto.cli import cli
from scraper.archive import RawArchive
from scraper.backfill import Backfiller
from scraper.harvest import Harvester, RunSummary
from scraper.http import FetchPolicy, HttpClient
from scraper.sources import Source
from tests.loopback import Reply, ScriptedServer

FAST = FetchPolicy(min_interval=0, retries=1, backoff=0.01)
ALL_ITEMS = {i["item_id"] for i in expected_items()}


def harvester(tmp_path: Path) -> Harvester:
    db = open_db(tmp_path / "k.db")
    return Harvester(db, HttpClient(FAST), RawArchive(tmp_path / "k.raw"))


def stored_ids(h: Harvester) -> set[str]:
    return {r["dynasty_id"] for r in h.db.query("select dynasty_id from items")}


def items_since(since: str) -> set[str]:
    return {i["item_id"] for i in expected_items() if i["meeting_date"] >= since}


def test_backfill_alone_stores_every_demo_item(tmp_path):
    h = harvester(tmp_path)
    summary = RunSummary()
    with DemoServer() as site:
        source = Source(id="demo", base_url=site.base_url)
        stats = Backfiller(h, dt.date(2024, 1, 1)).run(source, summary)
        assert stored_ids(h) == ALL_ITEMS and len(ALL_ITEMS) == 31
        assert (stats.bodies, stats.bodies_walked, stats.documents, stats.meeting_pages) == (
            3, 3, len(expected_documents()), len(expected_documents()))
        assert (stats.items_listed, stats.items_new, stats.failed) == (31, 31, 0)
        assert (summary.new_items, summary.failed) == (31, 0)
        assert stats.body_list_url == [f"{site.base_url}/cgi/DREQUEST.PHP?page=meeting_frames"]
        # bodies keep their Dynasty ids; every document is attached to its meeting
        assert {(b["name"], b["dynasty_id"]) for b in h.db["bodies"].rows} == {
            ("Hyvinvointilautakunta", "310375"), ("Kaupunginhallitus", "310100"),
            ("Kaupunkisuunnittelulautakunta", "310240")}
        docs = {r["agenda_doc_id"] for r in h.db["meetings"].rows} | {
            r["minutes_doc_id"] for r in h.db["meetings"].rows}
        assert {d["doc_id"] for d in expected_documents()} <= docs
        # what the item parser found is stored as after a feed harvest
        row = h.db["items"].get("demo/2025020501-3")
        want = next(i for i in expected_items() if i["item_id"] == "2025020501-3")
        assert (row["title"], row["section"], row["meeting_date"]) == (
            want["title"], want["section"], want["meeting_date"])

        # a second backfill adds nothing and refetches lists conditionally
        before = h.fetcher.clients.requests_made
        again = Backfiller(h, dt.date(2024, 1, 1)).run(source, RunSummary())
        assert (again.items_listed, again.items_new) == (31, 0)
        assert h.fetcher.clients.requests_made - before == 1 + 3 + 6  # body list, lists, meetings
    statuses = [r["status"] for r in h.db.query(
        "select status from fetches where url like '%page=meeting_frames' order by id")]
    assert statuses == [200, 304]


def test_since_limits_the_walk(tmp_path):
    h = harvester(tmp_path)
    with DemoServer() as site:
        stats = Backfiller(h, "2025-01-01").run(Source(id="demo", base_url=site.base_url),
                                                RunSummary())
    assert stored_ids(h) == items_since("2025-01-01") and len(items_since("2025-01-01")) == 15
    # Hyvinvointilautakunta's latest document is older: its list is not even fetched
    assert (stats.bodies, stats.bodies_walked, stats.documents) == (3, 2, 3)


def test_as_of_site_and_since_in_the_future(tmp_path):
    h = harvester(tmp_path)
    with DemoServer(as_of=dt.date(2025, 2, 1)) as site:
        source = Source(id="demo", base_url=site.base_url)
        Backfiller(h, "2025-01-01").run(source, RunSummary())
        assert stored_ids(h) == {f"2025012801-{n}" for n in range(1, 7)}
        stats = Backfiller(h, "2030-01-01").run(source, RunSummary())
        assert (stats.documents, stats.items_new) == (0, 0)


def _scripted_demo(server: ScriptedServer, keep) -> None:
    """Serve the demo site's pages (for this server's address) whose path ``keep`` allows."""
    for path, (content_type, body) in build_site(server.url).pages.items():
        if keep(path):
            server.routes[path] = [Reply(200, body, {"Content-Type": content_type})]


def test_static_only_host_uses_telimet_and_telin(tmp_path):
    h = harvester(tmp_path)
    with ScriptedServer() as site:
        _scripted_demo(site, lambda p: p.startswith("/kokous/"))  # no DREQUEST.PHP at all
        summary = RunSummary()
        stats = Backfiller(h, "2024-01-01").run(Source(id="demo", base_url=site.url), summary)
        assert stats.body_list_url == [f"{site.url}/kokous/TELIMET.HTM"]
    assert stored_ids(h) == ALL_ITEMS
    assert summary.failed == 0
    assert any(re.search(r"/kokous/TELIN-\d+\.HTM$", r["url"]) for r in h.db["fetches"].rows)


def test_frameset_is_followed_to_its_body_list(tmp_path):
    h = harvester(tmp_path)
    with ScriptedServer() as site:
        _scripted_demo(site, lambda p: "meeting_frames" not in p and "TELIMET" not in p)
        frameset = (b"<html><frameset cols='20%,80%'>"
                    b"<frame src='DREQUEST.PHP?page=meeting_handlers'>"
                    b"<frame src='DREQUEST.PHP?page=rss/meetings'></frameset></html>")
        site.routes["/cgi/DREQUEST.PHP?page=meeting_frames"] = [Reply(200, frameset)]
        stats = Backfiller(h, "2024-01-01").run(Source(id="demo", base_url=site.url),
                                                RunSummary())
        assert stats.body_list_url == [f"{site.url}/cgi/DREQUEST.PHP?page=meeting_handlers"]
    assert stored_ids(h) == ALL_ITEMS  # through page=meetings&id= and page=meeting&id=


def test_broken_pages_are_failures_and_the_rest_is_stored(tmp_path):
    h = harvester(tmp_path)
    with ScriptedServer() as site:
        _scripted_demo(site, lambda p: True)
        site.routes["/kokous/2024100701.HTM"] = [Reply(500, b"boom")]
        site.routes["/kokous/2025020501-4.HTM"] = [Reply(404, b"gone")]
        summary = RunSummary()
        stats = Backfiller(h, "2024-01-01").run(Source(id="demo", base_url=site.url), summary)
    missing = {i for i in ALL_ITEMS if i.startswith("2024100701-")} | {"2025020501-4"}
    assert stored_ids(h) == ALL_ITEMS - missing
    assert stats.failed == summary.failed == 2
    assert any("2024100701.HTM: HTTP 500" in f for f in summary.failures)
    assert any("2025020501-4.HTM" in f for f in summary.failures)


def test_another_meetings_page_served_is_a_failure(tmp_path):
    h = harvester(tmp_path)
    with ScriptedServer() as site:
        _scripted_demo(site, lambda p: True)
        site.routes["/kokous/2024091101.HTM"] = site.routes["/kokous/2024100701.HTM"]
        summary = RunSummary()
        Backfiller(h, "2024-01-01").run(Source(id="demo", base_url=site.url), summary)
    assert summary.failed == 1
    assert "2024091101.HTM: another meeting's page was served" in summary.failures[0]
    missing = {i for i in ALL_ITEMS if i.startswith("2024091101-")}
    assert stored_ids(h) == ALL_ITEMS - missing


def test_no_body_list_is_one_failure(tmp_path):
    h = harvester(tmp_path)
    with ScriptedServer() as site:
        summary = RunSummary()
        stats = Backfiller(h, "2024-01-01").run(Source(id="x", base_url=site.url), summary)
    assert (stats.bodies, summary.failed) == (0, 1)
    assert "no body list" in summary.failures[0]


# --- the command ------------------------------------------------------------------------


def test_harvest_backfill_reaches_items_the_feed_no_longer_shows(tmp_path, monkeypatch):
    monkeypatch.setattr(harvest_module, "FEED_SIZE", 5)  # a feed showing only the newest 5
    db_path = tmp_path / "k.db"
    runner = CliRunner()
    with DemoServer() as site:
        args = ["harvest", "--db", str(db_path), "--source", f"demo={site.base_url}",
                "--delay", "0", "--recheck-days", "0"]
        first = runner.invoke(cli, args)
        assert first.exit_code == 0, first.output
        assert "new=5 " in first.output
        second = runner.invoke(cli, [*args, "--backfill", "--since", "2024-01-01"])
        assert second.exit_code == 0, second.output
        assert "new=26 " in second.output
        assert "backfill: bodies=3 lists=3 documents=6 meeting_pages=6 items_listed=31 " \
               "new=26 failed=0" in second.output
    db = open_db(db_path)
    assert {r["dynasty_id"] for r in db.query("select dynasty_id from items")} == ALL_ITEMS


@pytest.mark.parametrize("extra", [["--backfill"], ["--since", "2024-01-01"],
                                   ["--backfill", "--since", "1.1.2024"]])
def test_backfill_usage_errors(tmp_path, extra):
    result = CliRunner().invoke(cli, ["harvest", "--db", str(tmp_path / "k.db"), "--source",
                                      "demo=http://127.0.0.1:9", *extra])
    assert result.exit_code == 2


def test_backfill_stores_each_meetings_details_from_its_newest_page(tmp_path):
    """A meeting reached only by the backfill gets its time, place and attendees too,
    from its minutes when both the agenda and the minutes are walked."""
    from tests.scraper.test_meetings import newest_documents, stored_meetings

    h = harvester(tmp_path)
    summary = RunSummary()
    with DemoServer() as site:
        Backfiller(h, dt.date(2024, 1, 1)).run(Source(id="demo", base_url=site.base_url),
                                              summary)
    h.db.close()
    assert summary.failed == 0, summary.failures
    stored = stored_meetings(tmp_path)
    expected = newest_documents()
    assert sorted(stored) == sorted(expected)
    for key, doc in expected.items():
        m = stored[key]
        assert (m["page_doc_id"], m["start_time"], m["place"]) == \
            (doc["doc_id"], doc["time"], doc["place"]), key
        assert [{k: a[k] for k in ("name", "role", "note", "group")} for a in m["attendees"]] \
            == doc["attendees"], key
