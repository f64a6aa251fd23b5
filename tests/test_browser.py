"""A person's path through the published site, in headless Chromium.

The demo site is harvested into a real database, ``kokousarkisto serve`` runs Datasette
on a free loopback port, and Chromium (Debian's ``chromium`` + ``chromium-driver``,
installed by ``scripts/setup.sh``) types an inflected Finnish word into the search form,
checks that the right decision is listed, opens its readable page and keeps a screenshot
in ``test-artifacts/``. Skipped where Chromium is not installed, except in CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from demosite import DemoServer, expected_items
from kokousarkisto import api
from scraper.http import FetchPolicy
from scraper.sources import Source

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")

if not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("CI"):
    pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("browser") / "kokousarkisto.db"
    with DemoServer() as demo:
        summary = api.harvest(db_path, [Source(id="demo", base_url=demo.base_url)],
                              policy=FetchPolicy(min_interval=0))
    assert summary.exit_code == 0
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kokousarkisto.cli", "serve", "--db",
                             str(db_path), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                requests.get(url, timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1200,1400",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='kk-chromium-')}"):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def test_search_an_inflected_word_and_read_the_decision(site_url, browser):
    # "kulttuuriavustuksista" (elative plural) occurs nowhere in the demo's text: only
    # Finnish lemmatisation finds the decision on culture grants (Kulttuuriavustukset …)
    target = next(e for e in expected_items()
                  if e["document_type"] == "minutes" and "Kulttuuriavustukset" in e["title"])
    browser.get(f"{site_url}/kokousarkisto/search")
    box = browser.find_element(By.CSS_SELECTOR, "input[name=q]")
    box.clear()
    box.send_keys("kulttuuriavustuksista")
    box.submit()
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert rows, "no search results"
    first = rows[0].text
    assert "Kulttuuriavustukset" in first and target["body"] in first
    assert browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns mark")

    browser.get(f"{site_url}/kokousarkisto/items/demo~2F{target['item_id']}")
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading == target["title"]
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Päätös" in page and " ".join(target["decision"].split()[:6]) in page
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "decision-page.png"))
