"""A progress counter on a terminal, nothing extra under cron."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from demosite import DemoServer, expected_items
from kokousarkisto.cli import TerminalProgress


def test_counter_counts_each_status(capsys):
    progress = TerminalProgress()
    for status in ("new", "new", "failed"):
        progress("demo", status)
    progress.close()
    err = capsys.readouterr().err
    assert "\rdemo: 3 items (failed=1 new=2)" in err and err.endswith("\n")


def test_harvest_draws_progress_only_on_a_terminal(tmp_path):
    with DemoServer() as site:
        cmd = [sys.executable, "-m", "kokousarkisto.cli", "harvest", "--delay", "0",
               "--source", f"demo={site.base_url}"]
        quiet = subprocess.run([*cmd, "--db", str(tmp_path / "a.db")], capture_output=True,
                               text=True)
        leader, follower = pty.openpty()
        proc = subprocess.run([*cmd, "--db", str(tmp_path / "b.db")], stdout=subprocess.PIPE,
                              stderr=follower, text=True)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
    assert quiet.returncode == 0 and quiet.stderr == ""  # cron mail stays empty
    assert proc.returncode == 0
    tty_err = b"".join(chunks).decode()
    assert f"demo: {len(expected_items())} items (new={len(expected_items())})" in tty_err
