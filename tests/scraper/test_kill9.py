"""``kill -9`` in the middle of a harvest loses nothing: the next run completes the work,
with no duplicate and no half-written item (each item is one transaction), and the
database ends up the same as after one uninterrupted run."""

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


#: what a run stores, without the columns that only say *when* (timestamps, run ids)
CONTENT = {
    "sources": "select id, name, base_url, municipality, kind from sources",
    "bodies": "select source_id, name, dynasty_id from bodies",
    "meetings": "select m.date, b.name, m.document_type, m.agenda_doc_id, m.minutes_doc_id, "
                "m.agenda_url, m.minutes_url from meetings m join bodies b on b.id = m.body_id",
    "items": "select i.*, b.name as body_name from items i join bodies b on b.id = i.body_id",
    "item_preparers": "select item_id, position, name, title, phone, email from item_preparers",
    "item_handlings": "select item_id, position, body, section, date from item_handlings",
    "attachments": "select * from attachments",
    "attachment_pages": "select attachment_id, sha256, page, text from attachment_pages",
    "item_versions": "select item_id, html_sha256, pdf_sha256 from item_versions",
    "official_decisions": "select * from official_decisions",
    "raw_documents": "select sha256, size, content_type, path from raw_documents",
}
VOLATILE = {"first_seen", "updated_at", "meeting_id", "body_id", "id"}


def content(db_path) -> dict[str, list]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        out = {}
        for table, sql in CONTENT.items():
            rows = [tuple((k, r[k]) for k in r.keys()
                          if k not in VOLATILE or table in ("attachments",) and k == "id")
                    for r in conn.execute(sql)]
            out[table] = sorted(rows, key=repr)
        return out
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
        whole = subprocess.run([sys.executable, "-m", "kokousarkisto.cli", "harvest", "--db",
                                str(tmp_path / "whole.db"), "--source",
                                f"demo={site.base_url}", "--delay", "0"], capture_output=True)
    assert done.returncode == 0, done.stderr
    assert whole.returncode == 0
    # the same database as one uninterrupted run, apart from when things happened
    assert content(db_path) == content(tmp_path / "whole.db")
    assert count(db_path, "select count(*) from items") == len(expected_items())
    assert count(db_path, "select count(distinct dynasty_id) from items") == len(expected_items())
    assert count(db_path, "select count(*) from item_versions") == len(expected_items())
    assert count(db_path, "select count(*) from (select item_id, name from item_preparers "
                          "group by item_id, name having count(*) > 1)") == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("pragma foreign_key_check").fetchall() == []
    conn.close()
