"""Recent meetings are re-checked: unchanged pages cost a 304, changed ones are re-parsed
and versioned, and the old bytes stay in the raw archive."""

from __future__ import annotations

import datetime as dt

from db.schema import open_db
from demosite import DemoServer
from scraper.archive import RawArchive
from scraper.harvest import Harvester
from scraper.http import FetchPolicy, HttpClient
from scraper.sources import Source
from tests.loopback import Reply, ScriptedServer
from tests.scraper.test_harvest_faults import CGI, HTML_TYPE, feed, item_page

POLICY = FetchPolicy(min_interval=0, retries=0)


def harvester(tmp_path, today: dt.date, days: int = 14) -> Harvester:
    return Harvester(open_db(tmp_path / "k.db"), HttpClient(POLICY), RawArchive(tmp_path / "raw"),
                     today=lambda: today, recheck_days=days)


def test_unchanged_recent_items_are_asked_conditionally(tmp_path):
    with DemoServer() as site:
        source = Source(id="demo", base_url=site.base_url)
        first = harvester(tmp_path, dt.date(2025, 2, 12)).run([source])
        second_h = harvester(tmp_path, dt.date(2025, 2, 12))
        second = second_h.run([source])
    db = second_h.db
    recent = db.execute("select count(*) from items where meeting_date >= '2025-01-29'").fetchone()[0]
    assert recent > 0 and first.new_items > recent
    assert (second.new_items, second.updated_items, second.failed) == (0, 0, 0)
    statuses = [r[0] for r in db.execute(
        "select status from fetches where run_id = 2 and url like '%page=meetingitem&%'")]
    assert statuses == [304] * recent  # only recent items, each a conditional 304
    assert db["item_versions"].count == first.new_items


def test_changed_page_is_reparsed_and_versioned(tmp_path):
    with ScriptedServer() as site:
        site.routes[f"{CGI}rss/meetings&show=100"] = [Reply(200, b"<rss><channel/></rss>")]
        site.routes[f"{CGI}rss/meetingitems&show=100"] = [Reply(200, feed(site.url, ["900-1"]))]
        site.routes[f"{CGI}meetingitem&id=900-1"] = [
            Reply(200, item_page(1, "Talousarvio"), HTML_TYPE),
            Reply(200, item_page(1, "Talousarvio (korjattu)"), HTML_TYPE),
        ]
        source = Source(id="t", base_url=site.url)
        harvester(tmp_path, dt.date(2025, 5, 20)).run([source])
        h = harvester(tmp_path, dt.date(2025, 5, 20))
        summary = h.run([source])
        # outside the window nothing is fetched again
        late = harvester(tmp_path, dt.date(2025, 7, 1)).run([source])
    assert (summary.updated_items, summary.new_items) == (1, 0)
    assert late.requests == 3  # the three feeds only (the officials' one answers 404)
    db = h.db
    assert db["items"].get("t/900-1")["title"] == "Talousarvio (korjattu)"
    versions = list(db.query("select html_sha256 from item_versions where item_id = 't/900-1' "
                             "order by id"))
    assert len(versions) == 2 and versions[0] != versions[1]
    archive = RawArchive(tmp_path / "raw")
    assert all(v["html_sha256"] in archive for v in versions)
    assert b"Talousarvio</b>" in archive.get(versions[0]["html_sha256"])
