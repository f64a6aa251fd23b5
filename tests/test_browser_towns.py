"""Three municipalities in one archive, as a person sees them in headless Chromium.

The three demo towns (same body names, the same case number 3700/2024, the same
document ids) are harvested into one database served by ``kokousarkisto serve``; Chromium
reads the case history, the body facet, a body's decisions and an item's permanent page
at 390 px and 1280 px and keeps screenshots in ``test-artifacts/``.
"""

from __future__ import annotations

from contextlib import ExitStack
from urllib.parse import quote

import pytest

from demosite import DemoServer, expected_items
from demosite.towns import TOWNS, town
from kokousarkisto import api
from scraper.http import FetchPolicy
from scraper.sources import Source
from tests.served import ARTIFACTS, chromium, require_chromium, serve

require_chromium()
from selenium.webdriver.common.by import By  # noqa: E402

WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def towns_url(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("browser-towns") / "kunnat.db"
    with ExitStack() as stack:
        sources = []
        for t in TOWNS:
            site = stack.enter_context(DemoServer(town=t))
            m = t.data.municipality
            sources.append(Source(id=t.id, base_url=site.base_url, name=m.name,
                                  municipality=m.short))
        summary = api.harvest(db_path, sources, policy=FetchPolicy(min_interval=0))
    assert summary.exit_code == 0
    with serve(db_path) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium(1200, 1400) as driver:
        yield driver


def _shoot(browser, name: str) -> None:
    """Screenshots at 390 px and 1280 px of the page in the browser, whole height."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        browser.set_window_size(width, 900)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, min(max(int(height), 600), 5000))
        assert browser.save_screenshot(str(ARTIFACTS / f"towns-{name}-{width}.png"))
        scroll = browser.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth")
        if width == 1280:
            assert scroll <= 0, f"{name}: horizontal scroll at {width} px"
    browser.set_window_size(1280, 1400)


def _column(browser, column: str) -> list[str]:
    return [td.text for td in browser.find_elements(
        By.CSS_SELECTOR, f"table.rows-and-columns td.col-{column}")]


def test_case_history_shows_three_separate_histories(towns_url, browser):  # noqa: F811
    browser.get(f"{towns_url}/arkisto/case_history?case_number=3700%2F2024")
    towns = _column(browser, "municipality")
    want = sorted(t.data.municipality.short for t in TOWNS)
    assert sorted(set(towns)) == want
    assert [t for i, t in enumerate(towns) if i == 0 or towns[i - 1] != t] == want
    assert len(towns) == sum(
        1 for t in TOWNS for e in expected_items(t) if e["case_number"] == "3700/2024")
    _shoot(browser, "case-history")

    browser.get(f"{towns_url}/arkisto/case_history?case_number=3700%2F2024&kunta=provby")
    assert set(_column(browser, "municipality")) == {"Provby"}
    assert set(_column(browser, "title")) == {"Uppdatering av stadsstrategin"}


def test_body_facet_and_a_chosen_body_name_their_municipality(towns_url, browser):  # noqa: F811
    browser.get(f"{towns_url}/arkisto/items?_facet=body_id")
    facets = browser.find_element(By.CSS_SELECTOR, ".facet-info[data-column=body_id]").text
    for t in TOWNS:
        assert f"Kaupunginhallitus ({t.data.municipality.short})" in facets
    _shoot(browser, "body-facet")

    body = quote("Kaupunginhallitus (Malliala)")
    browser.get(f"{towns_url}/arkisto/decisions_by_body?body={body}"
                "&start=2024-01-01&end=2025-12-31")
    rows = _column(browser, "municipality")
    malliala = [e for e in expected_items(town("malliala"))
                if e["body"] == "Kaupunginhallitus" and e["document_type"] == "minutes"]
    assert rows == ["Malliala"] * len(malliala)
    _shoot(browser, "decisions-by-body")


def test_permanent_item_link_names_its_municipality(towns_url, browser):  # noqa: F811
    target = next(e for e in expected_items(town("provby"))
                  if e["case_number"] == "3700/2024" and e["body"] == "Kaupunginhallitus")
    for source, short in (("provby", "Provby"), ("malliala", "Malliala")):
        browser.get(f"{towns_url}/kohta/{source}/{target['item_id']}")
        assert browser.find_element(By.CSS_SELECTOR, ".kk-municipality").text == short
        permalink = browser.find_element(By.CSS_SELECTOR, "a.kk-permalink")
        assert permalink.get_attribute("href") == \
            f"{towns_url}/kohta/{source}/{target['item_id']}"
    browser.get(f"{towns_url}/kohta/provby/{target['item_id']}")
    assert browser.find_element(By.TAG_NAME, "h1").text == target["title"]
    _shoot(browser, "item")


def test_meeting_row_page_names_municipality_and_body(towns_url, browser):  # noqa: F811
    browser.get(f"{towns_url}/arkisto/meetings?source_id=malliala&_size=1&_sort=id")
    link = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns td.col-id a")
    link.click()
    place = browser.find_element(By.CSS_SELECTOR, ".kk-place").text
    assert "Malliala" in place and "(Malliala)" in place
    assert "Demola" not in place and "Provby" not in place
    _shoot(browser, "meeting-row")
