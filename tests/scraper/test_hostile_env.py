"""The run's surroundings: locks on the real path, publishing only whole files, one clear
line for a broken database, workers that die with their parent, rechecks after a host
move, officials' decisions failing one by one."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import bulk, fts
from db.schema import open_db
from demosite import build_site
from kokousarkisto import api
from kokousarkisto.publish import PublishRefused
from scraper.lock import HarvestLocked, harvest_lock
from scraper.sources import Source
from tests.faultserver import FaultServer
from tests.processes import (
    assert_kill_9_leaves_none,
    descendants,
    pool_workers,
    spawned_workers,
)
from tests.scraper.test_faults import (  # noqa: F401 - fixtures used by name
    DECISIONS_FEED,
    ITEMS,
    MEETING,
    demo_server,
    harvest,
    item_row,
    pdfs_parsed_once,
    site,
    source_of,
)


@pytest.fixture
def srv(request):
    return request.getfixturevalue("site")


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kokousarkisto.cli", *args],
                          capture_output=True, text=True, timeout=timeout)


def test_a_symlinked_database_meets_the_same_lock(tmp_path):
    real = tmp_path / "k.db"
    open_db(real).close()
    link = tmp_path / "linkki.db"
    link.symlink_to(real)
    with harvest_lock(real):
        with pytest.raises(HarvestLocked), harvest_lock(link):
            pass
        assert api.harvest_running(link)


def test_harvest_leaves_no_wal_and_publish_refuses_a_file_in_use(srv, tmp_path):
    db_path = tmp_path / "k.db"
    assert harvest(tmp_path, source_of(srv)).exit_code == 0
    api.prepare_serve(db_path, publish=True)  # a whole file: fine
    # a harvest holds the file
    with harvest_lock(db_path):
        with pytest.raises(PublishRefused, match="a harvest is writing"):
            api.prepare_serve(db_path, publish=True)
        refused = _cli("serve", "--db", str(db_path), "--publish", "--port", "1")
        assert refused.returncode == 75, refused.stderr
        assert refused.stderr.startswith("error: not published: a harvest is writing")
    # another process keeps a write-ahead log alive: committed rows not in the .db yet
    writer = sqlite3.connect(db_path)
    writer.execute("pragma journal_mode=wal")
    reader = sqlite3.connect(db_path)
    reader.execute("begin")
    reader.execute("select count(*) from items").fetchone()  # holds a read snapshot
    writer.execute("update items set title = title || '!'")
    writer.commit()
    try:
        with pytest.raises(PublishRefused, match="live write-ahead log"):
            api.prepare_serve(db_path, publish=True)
    finally:
        reader.rollback()
        reader.close()
        writer.close()
    api.prepare_serve(db_path, publish=True)  # the readers are gone: checkpointed, fine
    assert not os.path.exists(f"{db_path}-wal") or os.path.getsize(f"{db_path}-wal") == 0


def test_a_real_harvest_ends_with_an_empty_wal(tmp_path):
    with FaultServer() as srv:
        srv.site = build_site(srv.url)
        summary = api.harvest(tmp_path / "k.db", [Source(id="d", base_url=srv.url)],
                              policy=__import__("scraper.http").http.FetchPolicy(
                                  min_interval=0, retries=0))
    assert summary.new_items > 0
    wal = tmp_path / "k.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    # so copying the .db alone copies every committed item
    copy = tmp_path / "copy.db"
    copy.write_bytes((tmp_path / "k.db").read_bytes())
    conn = sqlite3.connect(copy)
    assert conn.execute("select count(*) from items").fetchone()[0] == summary.new_items
    conn.close()


def test_a_corrupt_database_is_one_line_and_exit_74(tmp_path):
    bad = tmp_path / "rikki.db"
    bad.write_bytes(os.urandom(8192))
    for args in (["harvest", "--db", str(bad), "--source", "http://127.0.0.1:9"],
                 ["reparse", "--db", str(bad)],
                 ["serve", "--db", str(bad), "--publish", "--port", "1"]):
        done = _cli(*args)
        assert done.returncode == 74, (args, done.stderr)
        assert done.stderr.strip() == f"error: database {bad}: file is not a database", args
        assert "Traceback" not in done.stderr


def test_a_half_copied_database_is_one_line_and_exit_74(srv, tmp_path):
    """A copy cut short (a full disk, an interrupted scp): the header reads, the pages
    do not. Every command says so in one line with exit 74, status too."""
    whole = tmp_path / "k.db"
    assert harvest(tmp_path, source_of(srv)).exit_code == 0
    half = tmp_path / "puolikas.db"
    data = whole.read_bytes()
    half.write_bytes(data[:len(data) // 2])
    for args in (["harvest", "--db", str(half), "--source", "http://127.0.0.1:9"],
                 ["reparse", "--db", str(half)],
                 ["status", "--db", str(half)],
                 ["serve", "--db", str(half), "--publish", "--port", "1"]):
        done = _cli(*args)
        assert done.returncode == 74, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, args
        assert str(half) in done.stderr and "malformed" in done.stderr, args


def test_status_reports_and_serve_finishes_an_interrupted_bulk_load(srv, tmp_path):
    db_path = tmp_path / "k.db"
    assert harvest(tmp_path, source_of(srv)).exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute(f"insert into [{fts.META_TABLE}] (key, value) values (?, 'x')",
                 [bulk.PENDING_KEY])
    conn.commit()
    conn.close()
    shown = _cli("status", "--db", str(db_path))
    assert "interrupted bulk load" in shown.stdout
    assert api.prepare_serve(db_path, publish=False) == [
        "finished the search index an interrupted bulk load left"]
    assert not api.bulk_load_pending(db_path)
    assert "interrupted bulk load" not in _cli("status", "--db", str(db_path)).stdout


RUNNER = """
import sys, time
from scraper.jobs import JobRunner
with JobRunner(2) as runner:
    jobs = [runner.submit(time.sleep, 120) for _ in range(2)]
    print("started", flush=True)
    time.sleep(120)
"""


BULK_RUNNER = """
import sys, threading, time
from db import bulk, store
from db.lemmas import Lemmatiser, SnowballAnalyser
from db.schema import open_db
from tests.search.helpers import NOW, SOURCE, item_write

def writes(body_id):
    n = 0
    while True:  # an endless, slow stream: the load is still running when killed
        n += 1
        entry = {"id": f"{n}-1", "title": f"Asia {n}", "decision": "Avustus myönnetään.",
                 "body": "Kaupunginhallitus", "date": "2024-01-01", "section": "1"}
        if n == 2:
            print("started", flush=True)
        yield item_write(entry, body_id, None)
        time.sleep(0.01)

if __name__ == "__main__":
    if sys.argv[2] == "spawn":  # another thread: the workers are spawned, not forked
        threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
    db = open_db(sys.argv[1])
    store.ensure_source(db, store.SourceRow(id=SOURCE, name="B", base_url="http://b"), NOW)
    body = store.ensure_body(db, SOURCE, "Kaupunginhallitus")
    bulk.load_items(db, writes(body), Lemmatiser(SnowballAnalyser()), now=NOW, batch=5,
                    jobs=2)
"""


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_bulk_load_workers_die_with_their_parent(tmp_path, start):
    """A ``kill -9`` of a bulk load (a backfill, bench_load) leaves no lemmatising worker
    behind, forked or spawned: they are asked to die with the loading process. The
    batches it committed are in the search index (each batch indexes its own rows)."""
    script = tmp_path / "load.py"
    script.write_text(BULK_RUNNER)
    root = Path(__file__).resolve().parents[2]
    db_path = tmp_path / "b.db"
    proc = subprocess.Popen([sys.executable, str(script), str(db_path), start],
                            stdout=subprocess.PIPE, text=True, cwd=root,
                            env={**os.environ, "PYTHONPATH": str(root)})
    try:
        assert proc.stdout.readline().strip() == "started"
        find = pool_workers if start == "fork" else spawned_workers
        workers = find(proc.pid, 2)
        assert len(workers) == 2, workers
        conn = sqlite3.connect(db_path)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and conn.execute(
                "select count(*) from items").fetchone()[0] < 10:
            time.sleep(0.1)  # two batches committed
        conn.close()
        assert_kill_9_leaves_none(proc, workers)
    finally:
        if proc.poll() is None:
            proc.kill()
    conn = sqlite3.connect(db_path)  # not open_db: nothing may repair the file first
    stored = conn.execute("select count(*) from items").fetchone()[0]
    assert stored >= 10
    assert conn.execute("select count(*) from items_fts_docsize").fetchone()[0] == stored
    conn.execute("insert into items_fts(items_fts) values ('integrity-check')")
    assert not api.bulk_load_pending(db_path)
    conn.close()


def test_reparse_workers_die_with_their_parent():
    proc = subprocess.Popen([sys.executable, "-c", RUNNER], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "started"
        deadline = time.monotonic() + 30
        while len(workers := descendants(proc.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)  # the forkserver and two workers
        assert len(workers) >= 3, workers
        assert_kill_9_leaves_none(proc, workers)
    finally:
        if proc.poll() is None:
            proc.kill()
