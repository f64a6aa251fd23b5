"""``kokousarkisto status`` on real archives: a demo-site harvest is healthy; a later run of
the same source against a loopback site whose feed is empty, failing, or whose items all
warn, is flagged broken and the command exits 1."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from db.status import (
    MIN_ITEMS_FOR_RATE,
    RunStats,
    StatusError,
    assess,
    open_readonly,
)
from demosite import DemoServer, expected_items
from kokousarkisto import api
from kokousarkisto.cli import cli
from scraper.http import FetchPolicy
from scraper.lock import harvest_lock
from scraper.sources import Source
from tests.loopback import Reply, ScriptedServer

FAST = FetchPolicy(min_interval=0, retries=0, backoff=0.01)
CGI = "/cgi/DREQUEST.PHP?page="
ITEMS_FEED = f"{CGI}rss/meetingitems&show=100"
MEETINGS_FEED = f"{CGI}rss/meetings&show=100"
HTML = {"Content-Type": "text/html; charset=windows-1252"}


def rss(base: str, ids: list[str]) -> bytes:
    items = "".join(
        f"<item><title><![CDATA[Kunnanhallitus 12.05.2025 / Asia {i}]]></title>"
        f"<link><![CDATA[{base}{CGI}meetingitem&id={i}]]></link></item>" for i in ids)
    return (f"<?xml version='1.0' encoding='iso-8859-1'?><rss version='2.0'><channel>"
            f"<title>Dynasty</title>{items}</channel></rss>").encode("latin-1")


def page(n: int) -> bytes:
    return (f"<html><body><!--DATA_BEGIN--><p>§ {n}</p><p><b>Asia {n}</b></p>"
            f"<p>Päätös</p><p>Hyväksyttiin.</p><!--DATA_END--></body></html>").encode("cp1252")


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory) -> Path:
    """The whole demo site harvested twice (the second run finds nothing new)."""
    db_path = tmp_path_factory.mktemp("status") / "k.db"
    with DemoServer() as site:
        source = Source(id="demo", base_url=site.base_url, name="Demo")
        first = api.harvest(db_path, [source], policy=FAST, recheck_days=0)
        second = api.harvest(db_path, [source], policy=FAST, recheck_days=0)
    assert first.exit_code == 0, first.failures
    assert (first.new_items, second.new_items) == (len(expected_items()), 0)
    return db_path


@pytest.fixture
def archive(demo_archive, tmp_path) -> Path:
    """A private copy of the demo archive (database and raw archive) for one test."""
    db_path = tmp_path / "k.db"
    shutil.copy(demo_archive, db_path)
    shutil.copytree(api.default_archive_dir(demo_archive), api.default_archive_dir(db_path))
    return db_path


def run_status(db_path: Path, *args: str):
    result = CliRunner().invoke(cli, ["status", "--db", str(db_path), *args])
    return result


def loopback_run(db_path: Path, routes) -> None:
    """One more harvest of source ``demo``, now served by a scripted loopback site."""
    with ScriptedServer() as site:
        for path, replies in routes(site.url).items():
            site.routes[path] = replies
        api.harvest(db_path, [Source(id="demo", base_url=site.url, name="Demo")],
                    policy=FAST, recheck_days=0)


def test_healthy_archive_exits_0(archive):
    result = run_status(archive, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["broken"] == []
    (demo,) = report["sources"]
    n = len(expected_items())
    assert demo["id"] == "demo" and demo["items"] == n and demo["runs"] == 2
    # the second run found nothing new, yet its (unchanged) feed still showed every item
    assert demo["last_run_new_items"] == 0 and demo["last_run_seen"] == n
    assert demo["last_run_failures"] == 0 and demo["last_error"] is None
    assert demo["last_run_at"] and demo["last_item_fetch"] and demo["flags"] == []


def test_table_output(archive):
    result = run_status(archive)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["source", "items", "runs"]
    assert lines[1].split()[0] == "demo" and lines[1].split()[-1] == "ok"
    assert lines[-1] == "status: sources=1 broken=0"


def test_status_reads_only(archive):
    before = hashlib.sha256(archive.read_bytes()).hexdigest()
    archive.chmod(0o444)
    try:
        assert run_status(archive).exit_code == 0
    finally:
        archive.chmod(0o644)
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == before


def test_empty_feed_after_earlier_items_is_broken(archive):
    loopback_run(archive, lambda base: {ITEMS_FEED: [Reply(200, rss(base, []))],
                                        MEETINGS_FEED: [Reply(200, rss(base, []))]})
    result = run_status(archive, "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["broken"] == ["demo"]
    (demo,) = report["sources"]
    assert demo["runs"] == 3 and demo["last_run_seen"] == 0 and demo["flags"] == ["broken"]
    assert demo["reasons"] == [
        f"the items feed of the latest run was empty (earlier runs saw up to "
        f"{len(expected_items())})"]
    # the loopback site has no officials' decisions feed: that 404 is how older sites say
    # so, not an error worth reporting
    assert demo["last_error"] is None

    table = run_status(archive)
    assert table.exit_code == 1
    assert "BROKEN" in table.output and "demo: broken: the items feed" in table.output


def test_failing_feed_is_broken_and_is_the_last_error(archive):
    loopback_run(archive, lambda base: {ITEMS_FEED: [Reply(503, b"down")],
                                        MEETINGS_FEED: [Reply(200, rss(base, []))],
                                        f"{CGI}rss/official_decisions&show=100":
                                            [Reply(200, rss(base, []))]})
    result = run_status(archive, "--json")
    assert result.exit_code == 1
    (demo,) = json.loads(result.output)["sources"]
    assert demo["reasons"] == ["the items feed failed in the latest run: HTTP 503"]
    assert demo["last_error"]["status"] == 503 and ITEMS_FEED in demo["last_error"]["url"]
    assert demo["last_run_failures"] == 1


def test_warning_rate_jump_is_broken(archive):
    ids = [f"900-{n}" for n in range(1, MIN_ITEMS_FOR_RATE + 2)]

    def routes(base):
        out = {ITEMS_FEED: [Reply(200, rss(base, ids))],
               MEETINGS_FEED: [Reply(200, rss(base, []))]}
        for n, i in enumerate(ids, 1):  # pages without PDFs: every item warns
            out[f"{CGI}meetingitem&id={i}"] = [Reply(200, page(n), HTML)]
        return out

    loopback_run(archive, routes)
    (demo,) = json.loads(run_status(archive, "--json").output)["sources"]
    assert demo["last_run_new_items"] == len(ids)
    assert any(r.startswith(f"parse warnings jumped: {len(ids)} of {len(ids)} new items")
               for r in demo["reasons"]), demo["reasons"]
    assert run_status(archive).exit_code == 1


def test_quiet_run_with_a_new_item_is_healthy(archive):
    """A later run that finds one new, clean item and a short feed is not a breakage."""
    loopback_run(archive, lambda base: {
        ITEMS_FEED: [Reply(200, rss(base, ["901-1"]))],
        MEETINGS_FEED: [Reply(200, rss(base, []))],
        f"{CGI}meetingitem&id=901-1": [Reply(200, page(1), HTML)],
        "/kokous/901-1.PDF": [Reply(200, b"%PDF-1.4 not really")],
    })
    result = run_status(archive, "--json")
    (demo,) = json.loads(result.output)["sources"]
    assert demo["last_run_seen"] == 1 and demo["last_run_new_items"] == 1
    assert result.exit_code == 0, demo["reasons"]


def test_a_running_harvest_is_left_out_but_a_crashed_one_counts(archive):
    conn = sqlite3.connect(archive)
    run_id = conn.execute("insert into runs (started_at) values ('2030-01-01T00:00:00+00:00')"
                          ).lastrowid
    conn.execute("insert into fetches (run_id, source_id, url, fetched_at, status, headers) "
                 "values (?, 'demo', ?, '2030-01-01T00:00:00+00:00', 200, '{}')",
                 [run_id, f"http://127.0.0.1{MEETINGS_FEED}"])
    conn.commit()
    conn.close()
    with harvest_lock(archive):  # the run has got as far as the meetings feed
        result = run_status(archive, "--json")
        report = json.loads(result.output)
        assert result.exit_code == 0 and report["running_run"] == run_id
        assert report["sources"][0]["runs"] == 2
        assert "a harvest is running" in run_status(archive).output
    result = run_status(archive, "--json")  # nobody holds the lock: that run crashed
    assert result.exit_code == 1
    (demo,) = json.loads(result.output)["sources"]
    assert demo["reasons"] == ["the latest run did not get to the items feed"]


def test_a_missing_database_exits_2_an_unreadable_one_74(tmp_path):
    assert run_status(tmp_path / "missing.db").exit_code == 2  # a wrong --db: usage
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    result = run_status(junk)  # the file cannot be used: as every other command says
    assert result.exit_code == 74 and "not a SQLite database" in result.output
    with pytest.raises(StatusError, match="no such database"):
        open_readonly(tmp_path / "missing.db")


def test_empty_archive_has_no_sources(tmp_path):
    from db.schema import open_db

    open_db(tmp_path / "new.db").close()
    result = run_status(tmp_path / "new.db")
    assert result.exit_code == 0 and "status: sources=0 broken=0" in result.output


# -- the rules, without HTTP ---------------------------------------------------------------

def run(run_id: int, **kw) -> RunStats:
    defaults = {"feed_fetched": True, "feed_ok": True, "seen": 10}
    return RunStats(run_id=run_id, **{**defaults, **kw})


@pytest.mark.parametrize("runs,broken", [
    ([], False),
    ([run(1, seen=0)], False),  # a source that has never published anything
    ([run(1, seen=5, new_items=5), run(2, seen=0)], True),
    ([run(1, seen=None, new_items=5), run(2, seen=0)], True),  # history from stored items
    ([run(1, seen=5, new_items=5), run(2, seen=None)], False),  # unknown: no archive
    ([run(1, seen=5, new_items=5), run(2, seen=5)], False),  # quiet: nothing new
    ([run(1), run(2, feed_ok=False, feed_reason="HTTP 500", seen=0)], True),
    ([run(1, feed_ok=False, feed_reason="ConnectionError", seen=0)], True),  # never worked
    ([run(1), run(2, feed_fetched=False, seen=None)], True),
    ([run(1), run(2, item_requests=3, item_ok=0)], True),
    ([run(1), run(2, item_requests=3, item_ok=1)], False),
    # warnings: 4/4 now against 1/10 before → jump; 2/2 is too small a sample
    ([run(1, new_items=10, new_warned=1), run(2, new_items=4, new_warned=4)], True),
    ([run(1, new_items=10, new_warned=1), run(2, new_items=2, new_warned=2)], False),
    # 4/4 against 6/10 (60 %): high, but not twice the usual rate
    ([run(1, new_items=10, new_warned=6), run(2, new_items=4, new_warned=4)], False),
    # 2/4 (50 %) against 0 %: not above the floor
    ([run(1, new_items=10, new_warned=0), run(2, new_items=4, new_warned=2)], False),
    # no history to compare with
    ([run(1, new_items=10, new_warned=10)], False),
])
def test_assess_rules(runs, broken):
    assert bool(assess(runs)) is broken, assess(runs)
