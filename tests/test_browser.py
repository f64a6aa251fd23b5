"""A person's path through the published site, in headless Chromium.

The demo site is harvested into a real database, ``kokousarkisto serve`` runs Datasette
on a free loopback port, and Chromium (Debian's ``chromium`` + ``chromium-driver``,
installed by ``scripts/setup.sh``) types an inflected Finnish word into the search form,
checks that the right decision is listed, opens its readable page and keeps a screenshot
in ``test-artifacts/``. Skipped where Chromium is not installed, except in CI.
"""

from __future__ import annotations

import pytest

from demosite import DemoServer, expected_items
from kokousarkisto import api
from scraper.http import FetchPolicy
from scraper.sources import Source
from tests.served import ARTIFACTS, chromium, require_chromium, serve

require_chromium()
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("browser") / "kokousarkisto.db"
    with DemoServer() as demo:
        summary = api.harvest(db_path, [Source(id="demo", base_url=demo.base_url)],
                              policy=FetchPolicy(min_interval=0))
    assert summary.exit_code == 0
    with serve(db_path) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium(1200, 1400) as driver:
        yield driver


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
