"""Hosts harvested side by side: a stalled host holds only itself, kill -9 during a
concurrent harvest loses nothing, and the result is the same as one host at a time."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise

from demosite import DemoServer, expected_items
from kokousarkisto import api
from scraper.http import FetchPolicy
from scraper.sources import Source
from tests.scraper.test_kill9 import content, count

FAST = FetchPolicy(min_interval=0, retries=0)
ITEMS = len(expected_items())


class StalledHost:
    """Accepts every request and answers nothing until :meth:`release` (then 404)."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.requests = 0
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                host.requests += 1
                host.released.wait(600)
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)

    def release(self) -> None:
        self.released.set()

    def __enter__(self) -> StalledHost:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()


def items_of(db_path, source_id: str) -> int:
    return count(db_path, f"select count(*) from items where source_id = '{source_id}'")


def test_a_stalled_host_does_not_delay_the_others(tmp_path):
    db_path = tmp_path / "k.db"
    # the stalled host would hold a request for ten minutes (no read timeout before)
    patient = FetchPolicy(min_interval=0, retries=0, read_timeout=600)
    with StalledHost() as stalled, DemoServer() as a, DemoServer() as b:
        sources = [Source(id="stalled", base_url=stalled.url), Source(id="a", base_url=a.base_url),
                   Source(id="b", base_url=b.base_url)]
        result = {}
        run = threading.Thread(target=lambda: result.update(summary=api.harvest(
            db_path, sources, policy=patient, concurrency=3)))
        started = time.monotonic()
        run.start()
        try:
            # the stall lasts until released below: the others can only finish first if
            # they never wait for it (the limit only keeps a failing run from hanging)
            while items_of(db_path, "a") < ITEMS or items_of(db_path, "b") < ITEMS:
                assert time.monotonic() - started < 300, "the others waited for the stall"
                time.sleep(0.1)
            others_done = time.monotonic() - started
            # the stalled host is still holding its first request, and the run with it
            assert stalled.requests == 1 and run.is_alive()
        finally:
            stalled.release()
            run.join(60)
    assert not run.is_alive()
    summary = result["summary"]
    assert (summary.new_items, summary.sources) == (2 * ITEMS, 3)
    assert summary.by_source["a"].new_items == summary.by_source["b"].new_items == ITEMS
    assert summary.by_source["stalled"].failed >= 1
    assert summary.by_source["stalled"].seconds > others_done * 0.9
    assert any(f.startswith("stalled: items feed") for f in summary.failures)


def test_concurrent_harvest_equals_one_host_at_a_time(tmp_path):
    with DemoServer() as a, DemoServer() as b, DemoServer() as c:
        sources = [Source(id=n, base_url=s.base_url) for n, s in
                   (("a", a), ("b", b), ("c", c))]
        side_by_side = api.harvest(tmp_path / "side.db", sources, policy=FAST, concurrency=3)
        in_turn = api.harvest(tmp_path / "turn.db", sources, policy=FAST, concurrency=1)
        again = api.harvest(tmp_path / "side.db", sources, policy=FAST, concurrency=3)
    assert side_by_side.exit_code == in_turn.exit_code == 0
    assert side_by_side.new_items == in_turn.new_items == 3 * ITEMS
    assert list(side_by_side.by_source) == ["a", "b", "c"]
    assert content(tmp_path / "side.db") == content(tmp_path / "turn.db")
    # a second run stores nothing new and asks conditionally
    assert (again.new_items, again.updated_items, again.failed) == (0, 0, 0)
    conn = sqlite3.connect(tmp_path / "side.db")
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("select count(distinct run_id) from fetches").fetchone()[0] == 2


def test_killed_concurrent_harvest_is_completed_by_the_next_run(tmp_path):
    db_path = tmp_path / "k.db"
    with DemoServer() as a, DemoServer() as b, DemoServer() as c:
        args = [arg for n, s in (("a", a), ("b", b), ("c", c))
                for arg in ("--source", f"{n}={s.base_url}")]

        def cmd(path):
            return [sys.executable, "-m", "kokousarkisto.cli", "harvest", "--db", str(path),
                    *args, "--concurrency", "3"]

        proc = subprocess.Popen([*cmd(db_path), "--delay", "0.05"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        # caught while every host is in the middle of its items
        while min(items_of(db_path, n) for n in "abc") < 3:
            assert proc.poll() is None, "harvest ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        partial = count(db_path, "select count(*) from items")
        assert 9 <= partial < 3 * ITEMS
        assert count(db_path, "select count(*) from items where proposal is null") == 0

        done = subprocess.run([*cmd(db_path), "--delay", "0"], capture_output=True, text=True)
        whole = subprocess.run([*cmd(tmp_path / "whole.db"), "--delay", "0"],
                               capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert whole.returncode == 0, whole.stderr
    assert content(db_path) == content(tmp_path / "whole.db")
    assert count(db_path, "select count(*) from items") == 3 * ITEMS
    conn = sqlite3.connect(db_path)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("pragma foreign_key_check").fetchall() == []
    conn.close()


def test_verbose_and_status_report_each_source(tmp_path):
    db_path = tmp_path / "k.db"
    cli = [sys.executable, "-m", "kokousarkisto.cli"]
    with DemoServer() as a, DemoServer() as b:
        run = subprocess.run([*cli, "--verbose", "harvest", "--db", str(db_path), "--source",
                              f"a={a.base_url}", "--source", f"b={b.base_url}", "--delay", "0",
                              "--concurrency", "2"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"harvest: sources=2 new={2 * ITEMS} ")
    assert [line.split(":")[0].strip() for line in lines[1:3]] == ["a", "b"]
    assert all(f"new={ITEMS} " in line and "seconds=" in line for line in lines[1:3])
    status = subprocess.run([*cli, "status", "--db", str(db_path)], capture_output=True,
                            text=True)
    assert status.returncode == 0, status.stderr
    table = [line.split() for line in status.stdout.splitlines()]
    assert table[0][:7] == ["source", "items", "runs", "last", "run", "requests", "seconds"]
    rows = {row[0]: row for row in table[1:3]}
    assert set(rows) == {"a", "b"}
    assert all(int(row[1]) == ITEMS and int(row[4]) > ITEMS for row in rows.values())


def test_ctrl_c_stops_a_concurrent_harvest_at_once(tmp_path):
    db_path = tmp_path / "k.db"
    with DemoServer() as a, DemoServer() as b, DemoServer() as c:
        args = [arg for n, s in (("a", a), ("b", b), ("c", c))
                for arg in ("--source", f"{n}={s.base_url}")]
        proc = subprocess.Popen([sys.executable, "-m", "kokousarkisto.cli", "harvest", "--db",
                                 str(db_path), *args, "--concurrency", "3", "--delay", "0.2"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while count(db_path, "select count(*) from items") < 3:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        stopped = time.monotonic()
        proc.wait(30)
        took = time.monotonic() - stopped
        stored = count(db_path, "select count(*) from items")
        time.sleep(1)  # no host thread writes after the process is gone
    assert took < 10
    assert proc.returncode != 0
    assert stored == count(db_path, "select count(*) from items") < 3 * ITEMS
    conn = sqlite3.connect(db_path)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("select count(*) from items where proposal is null").fetchone()[0] == 0
    conn.close()


def test_backfill_and_officials_decisions_run_side_by_side(tmp_path):
    with DemoServer() as a, DemoServer() as b:
        plan = [(Source(id=n, base_url=s.base_url), FAST) for n, s in (("a", a), ("b", b))]
        summary, stats = api.harvest_backfill(tmp_path / "k.db", plan, "2000-01-01",
                                              recheck_days=0, concurrency=2)
    assert summary.exit_code == 0, summary.failures
    assert summary.new_items == 2 * ITEMS
    assert summary.by_source["a"].official_decisions == summary.by_source["b"].official_decisions
    assert summary.official_decisions == 2 * summary.by_source["a"].official_decisions > 0
    assert stats.items_listed == 2 * ITEMS and stats.failed == 0
    assert len(stats.body_list_url) == 2


class Arrivals(list):
    """A request log that also notes when each request arrived."""

    def append(self, request) -> None:
        super().append({**request, "at": time.monotonic()})


def test_each_host_keeps_its_own_delay_and_retry_after(tmp_path):
    from tests.loopback import Reply, ScriptedServer
    from tests.scraper.test_config import empty_site

    delay = 0.4
    with ScriptedServer() as slow, ScriptedServer() as b, ScriptedServer() as c:
        for site in (slow, b, c):
            empty_site(site)
            site.requests = Arrivals()
        feed = "/cgi/DREQUEST.PHP?page=rss/meetingitems&show=100"
        slow.routes[feed] = [Reply(503, b"busy", {"Retry-After": "2"}), slow.routes[feed][0]]
        sources = [Source(id=n, base_url=s.url) for n, s in (("slow", slow), ("b", b), ("c", c))]
        started = time.monotonic()
        summary = api.harvest(tmp_path / "k.db", sources, recheck_days=0, concurrency=3,
                              policy=FetchPolicy(min_interval=delay, retries=1, backoff=0.1))
        wall = time.monotonic() - started
    assert summary.exit_code == 0, summary.failures
    for site in (slow, b, c):
        times = [r["at"] for r in site.requests]
        assert min(later - earlier for earlier, later in pairwise(times)) >= delay - 0.05
    # the busy host waited what it was told; the others did not wait with it
    retried = [r["at"] for r in slow.requests if r["path"] == feed]
    assert retried[1] - retried[0] >= 2
    assert max(r["at"] for s in (b, c) for r in s.requests) < retried[1]
    assert wall < sum(s.seconds for s in summary.by_source.values())
