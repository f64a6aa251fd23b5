"""``kill -9`` in the middle of a harvest loses nothing: the next run completes the work,
with no duplicate and no half-written item (each item is one transaction)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

from demosite import DemoServer, expected_items


def count(db_path, sql: str) -> int:
    conn = sqlite3.connect(db_path, timeout=10)
    try:
        return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # the schema may not exist yet
        return 0
    finally:
        conn.close()


def test_killed_harvest_is_completed_by_the_next_run(tmp_path):
    db_path = tmp_path / "k.db"
    with DemoServer() as site:
        cmd = [sys.executable, "-m", "kokousarkisto.cli", "harvest", "--db", str(db_path),
               "--source", f"demo={site.base_url}"]
        # slow enough (per-host delay) to be caught in the middle
        proc = subprocess.Popen([*cmd, "--delay", "0.05"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while count(db_path, "select count(*) from items") < 5:
            assert proc.poll() is None, "harvest ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        partial = count(db_path, "select count(*) from items")
        assert 5 <= partial < len(expected_items())
        # every stored item is whole: its children went in with it
        assert count(db_path, "select count(*) from items where proposal is null") == 0

        done = subprocess.run([*cmd, "--delay", "0"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert count(db_path, "select count(*) from items") == len(expected_items())
    assert count(db_path, "select count(distinct dynasty_id) from items") == len(expected_items())
    assert count(db_path, "select count(*) from item_versions") == len(expected_items())
    assert count(db_path, "select count(*) from (select item_id, name from item_preparers "
                          "group by item_id, name having count(*) > 1)") == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("pragma foreign_key_check").fetchall() == []
    conn.close()
