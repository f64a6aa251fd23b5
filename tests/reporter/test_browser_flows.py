"""A reporter's flows in headless Chromium against a real ``kokousarkisto serve`` of the
three-town demo archive: search with filters and paging → item page → case page →
meeting page → archived PDF; subscribe → a valid feed; every page at 390 px without
horizontal scrolling, ``lang="fi"``. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

import pytest
import requests

from tests.reporter.conftest import copy_db, query
from tests.reporter.rfc4287 import check
from tests.served import ARTIFACTS, chromium, require_chromium, serve

require_chromium()
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def site(towns_db):
    with serve(towns_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium(1280, 1000) as driver:
        yield driver


def _go(browser, element, fragment: str) -> None:
    """Click a link or button and wait until the next page (its URL has ``fragment``) is
    loaded: a click does not wait for the navigation it starts."""
    old = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, 30).until(
        lambda b: fragment in b.current_url and b.execute_script(
            "return document.readyState") == "complete" and not _same(old, b))


def _same(old, browser) -> bool:
    try:
        return old.id == browser.find_element(By.TAG_NAME, "html").id
    except Exception:  # noqa: BLE001 - the old page is gone
        return False


def _shot(browser, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    width = browser.get_window_size()["width"]
    browser.set_window_size(width, min(max(height, 600), 4000))
    assert browser.save_screenshot(str(ARTIFACTS / f"reporter-{name}-{width}.png"))
    browser.set_window_size(width, 1000)


def _check_page(browser, name: str) -> None:
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fi"
    _shot(browser, name)


def test_search_item_case_meeting_and_archived_pdf(site, browser, towns_db):
    browser.set_window_size(1280, 1000)
    browser.get(site + "/")
    box = browser.find_element(By.CSS_SELECTOR, "form.kk-search input[name=q]")
    box.send_keys("yleiskaavan")
    Select(browser.find_element(By.NAME, "kunta")).select_by_visible_text("Demola")
    browser.find_element(By.NAME, "alku").send_keys("1.1.2024")
    _go(browser, browser.find_element(By.CSS_SELECTOR, "form.kk-search button"), "/haku?")
    total = browser.find_element(By.CSS_SELECTOR, ".kk-total").text
    assert "osuma" in total
    cards = browser.find_elements(By.CSS_SELECTOR, "ol.kk-cards li")
    assert cards and all("Demola" in c.text for c in cards)
    assert browser.find_elements(By.CSS_SELECTOR, "ol.kk-cards mark")
    _check_page(browser, "search")
    # the subscribe link gives a valid feed of this search
    feed_url = browser.find_element(By.CSS_SELECTOR, "a.kk-subscribe").get_attribute("href")
    feed = requests.get(feed_url, timeout=10)
    assert feed.status_code == 200 and check(feed.content) == []
    assert "yleiskaavan" in feed.text and "Demola" in feed.text
    # the first hit opens the archive's own item page
    first = browser.find_element(By.CSS_SELECTOR, "ol.kk-cards .kk-card-title a")
    title = first.text
    _go(browser, first, "/kohta/demola/")
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    _check_page(browser, "item")
    pdf = browser.find_element(By.CSS_SELECTOR, "a.kk-archived-pdf").get_attribute("href")
    answer = requests.get(pdf, timeout=10)
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert answer.headers["content-type"].startswith("application/pdf")
    # case history, then a meeting of it
    _go(browser, browser.find_element(By.CSS_SELECTOR, "dd.kk-case-number a"), "/diaari/demola/")
    steps = browser.find_elements(By.CSS_SELECTOR, "ol.kk-steps li")
    assert len(steps) >= 2
    _check_page(browser, "case")
    _go(browser, steps[0].find_element(By.CSS_SELECTOR, "a"), "/kokous/")
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Aika" in page and "Paikka" in page and "Osallistujat" in page
    _check_page(browser, "meeting")


def test_paging_through_results(site, browser, towns_db):
    browser.set_window_size(1280, 1000)
    browser.get(site + "/haku?tyyppi=poytakirja")
    first = [a.get_attribute("href") for a in
             browser.find_elements(By.CSS_SELECTOR, ".kk-card-title a")]
    _go(browser, browser.find_element(By.CSS_SELECTOR, "a[rel=next]"), "sivu=2")
    second = [a.get_attribute("href") for a in
              browser.find_elements(By.CSS_SELECTOR, ".kk-card-title a")]
    assert first and second and not set(first) & set(second)
    _go(browser, browser.find_element(By.CSS_SELECTOR, "a[rel=prev]"), "/haku?tyyppi")
    assert [a.get_attribute("href") for a in
            browser.find_elements(By.CSS_SELECTOR, ".kk-card-title a")] == first


def test_a_wrong_date_gets_a_finnish_message(site, browser):
    browser.get(site + "/haku?q=kaava&alku=31.2.2025")
    alert = browser.find_element(By.CSS_SELECTOR, ".kk-errors").text
    assert "ei ole päivämäärä" in alert and "1.1.2025" in alert


def test_pages_fit_a_phone_without_horizontal_scrolling(site, browser, towns_db):
    item_id = query(towns_db, "select id from items where document_type = 'minutes' and "
                              "source_id = 'malliala' order by length(title) desc")[0][0]
    meeting, body = query(towns_db, "select id, body_id from meetings where exists (select 1 "
                                    "from meeting_attendees where meeting_id = meetings.id)")[0]
    paths = {"home": "/", "search": "/haku?q=kaava&liitteet=1", "item": f"/kohta/{item_id}",
             "meeting": f"/kokous/{meeting}", "body": f"/toimielin/{body}",
             "case": "/diaari/demola/3700/2024", "official": "/paatos/demola/2025012001",
             "notfound": "/ei-ole"}
    browser.set_window_size(390, 1000)
    try:
        for name, path in paths.items():
            browser.get(site + path)
            width = browser.execute_script("return document.documentElement.scrollWidth")
            assert width <= 390, (name, width)
            _check_page(browser, name)
    finally:
        browser.set_window_size(1280, 1000)


#: sets a flag when a browser runs it: the test reads the flag
PLANTED = ('<img src=x onerror="window.__kk_xss=1">'
           '<script>window.__kk_xss=1</script><svg onload="window.__kk_xss=1">')


@pytest.fixture(scope="module")
def hostile_site(towns_db, tmp_path_factory):
    import sqlite3
    db_path = copy_db(towns_db, tmp_path_factory.mktemp("xss-browser") / "kunnat.db")
    conn = sqlite3.connect(db_path)
    with conn:
        item = conn.execute("select id, meeting_id, body_id, source_id from items where "
                            "document_type = 'minutes' and exists (select 1 from attachments "
                            "a where a.item_id = items.id) limit 1").fetchone()
        conn.execute("update items set title = 'Avustus ' || ?, decision = ?, proposal = ?, "
                     "case_number_raw = ? where id = ?",
                     [PLANTED, PLANTED, PLANTED, "1/2025 " + PLANTED, item[0]])
        conn.execute("update attachments set title = ? where item_id = ?", [PLANTED, item[0]])
        conn.execute("update item_preparers set name = ? where item_id = ?", [PLANTED, item[0]])
        conn.execute("update bodies set name = ? where id = ?", [PLANTED, item[2]])
        conn.execute("update meeting_attendees set name = ? where meeting_id = ?",
                     [PLANTED, item[1]])
        conn.execute("update sources set municipality = ? where id = ?", [PLANTED, item[3]])
    conn.close()
    with serve(db_path) as url:
        yield url, item


def test_planted_markup_never_executes_in_the_browser(hostile_site, browser):
    url, (item_id, meeting_id, body_id, source_id) = hostile_site
    browser.set_window_size(1280, 1000)
    for path in ("/", "/haku?q=avustus", f"/haku?q=avustus&kunta={source_id}",
                 f"/kohta/{item_id}", f"/kokous/{meeting_id}", f"/toimielin/{body_id}",
                 f"/diaari/{source_id}/1/2025"):
        browser.get(url + path)
        assert browser.execute_script("return document.readyState") == "complete"
        assert browser.execute_script("return window.__kk_xss === undefined"), path
        if path.startswith(("/haku", "/kohta")):
            # the planted item is shown, its markup as visible text
            assert '<img src=x onerror="window.__kk_xss=1">' in browser.find_element(
                By.TAG_NAME, "body").text, path
