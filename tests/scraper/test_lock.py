from __future__ import annotations

import subprocess
import sys

import pytest

from scraper.lock import HarvestLocked, harvest_lock


def test_second_holder_is_refused_and_lock_is_released(tmp_path):
    db = tmp_path / "a.db"
    with harvest_lock(db):
        with pytest.raises(HarvestLocked, match="another harvest"):
            with harvest_lock(db):
                pass
    with harvest_lock(db):  # released on exit
        pass


def test_lock_held_by_another_process_and_freed_when_it_is_killed(tmp_path):
    db = tmp_path / "a.db"
    code = ("import sys, time; from scraper.lock import harvest_lock\n"
            f"with harvest_lock({str(db)!r}):\n    print('held', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(HarvestLocked, match=f"pid {proc.pid}"):
            with harvest_lock(db):
                pass
    finally:
        proc.kill()
        proc.wait()
    with harvest_lock(db):  # kill -9 leaves no stale lock
        pass


def test_cli_exits_with_its_own_code_when_locked(tmp_path):
    db = tmp_path / "a.db"
    with harvest_lock(db):
        out = subprocess.run([sys.executable, "-m", "kokousarkisto.cli", "harvest", "--db", str(db),
                              "--source", "http://127.0.0.1:9"], capture_output=True, text=True)
    assert out.returncode == 75 and "another harvest" in out.stderr


def test_reparse_exits_with_the_lock_code_too(tmp_path):
    db = tmp_path / "a.db"
    db.write_bytes(b"")
    with harvest_lock(db):
        out = subprocess.run([sys.executable, "-m", "kokousarkisto.cli", "reparse", "--db",
                              str(db)], capture_output=True, text=True)
    assert out.returncode == 75 and "another harvest" in out.stderr
    assert "Traceback" not in out.stderr
