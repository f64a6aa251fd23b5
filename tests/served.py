"""A real ``kokousarkisto serve`` on a free loopback port, and headless Chromium, for the
tests that look at the published site the way a person or a feed reader does.

One place for both, so every browser test starts Chromium with the same flags (those this
machine's closed network needs) and every served test waits for, and stops, its server
the same way.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
#: a busy 2-core machine starts Datasette slowly
START_SECONDS = 90
#: flags for headless Chromium here: no GPU, and no background connections, which the
#: closed network refuses many at a time
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--hide-scrollbars",
                  "--disable-component-update", "--disable-sync")


def require_chromium() -> None:
    """Skip the calling test module where Chromium or Selenium is missing, except in CI,
    where a missing browser must fail the run instead of hiding the browser tests."""
    if not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("CI"):
        pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)
    pytest.importorskip("selenium.webdriver")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(db_path: str | Path, *args: str, ready: str = "/-/versions.json") -> Iterator[str]:
    """``kokousarkisto serve --db DB ARGS`` on a free port; yields its base URL once
    ``ready`` answers, and stops the server afterwards."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kokousarkisto.cli", "serve", "--db",
                             str(db_path), "--port", str(port), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                requests.get(url + ready, timeout=2)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, f"serve exited with {proc.returncode}"
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@contextmanager
def chromium(width: int = 1280, height: int = 1000) -> Iterator:
    """A headless Chromium driven by Selenium, with a new empty profile."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--window-size={width},{height}",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='kk-chromium-')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options,
                              service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
