"""The bundled demo Dynasty site: routes, encodings, feeds, as_of, caching, PDFs."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import urllib.error
import urllib.request
from collections.abc import Iterator

import feedparser
import pdfplumber
import pytest
from bs4 import BeautifulSoup

from demosite import DemoServer, build_site, expected_documents, expected_items
from demosite.common import Urls
from demosite.model import load
from demosite.site import _build_static

AGENDA_ID, MINUTES_ID = "2025012801", "2025020501"
BEFORE_MINUTES = dt.date(2025, 2, 1)  # agenda published 2025-01-29, minutes 2025-02-10
AFTER_MINUTES = dt.date(2025, 2, 10)

ITEMS = expected_items()
BY_ID = {e["item_id"]: e for e in ITEMS}


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def site():
    return build_site("http://127.0.0.1:9")


def pdf_lines(data: bytes) -> list[str]:
    """Text lines of a PDF without the running page header (top of each page)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            line["text"]
            for page in pdf.pages
            for line in page.extract_text_lines()
            if line["top"] > 90
        ]


# --------------------------------------------------------------------------- data
def test_ground_truth_covers_the_brief() -> None:
    docs = expected_documents()
    assert len({d["body_id"] for d in docs}) >= 2
    assert len(docs) >= 4
    unique = {(e["body"], e["meeting_date"], e["title"]) for e in ITEMS}
    assert 22 <= len(unique) <= 26
    styles = {e["case_style"]: e for e in ITEMS if e["case_style"]}
    assert set(styles) == {"separate", "combined", "split"}
    assert styles["separate"]["case_number_raw"] == styles["separate"]["case_number"]
    for style in ("combined", "split"):  # number/task class/year
        e = styles[style]
        assert e["case_number_raw"] == e["case_number"].replace("/", f"/{e['task_class']}/")
    # the done-when: every demo item carries a case number, procedural ones too
    assert all(e["case_number"] for e in ITEMS)
    assert any(" / " in e["title"] for e in ITEMS)
    assert any("“" in e["title"] and "–" in e["title"] for e in ITEMS)
    with_pdfs = {e["title"] for e in ITEMS if e["attachments"]}
    kinds = {a["kind"] for e in ITEMS for a in e["attachments"]}
    assert len(with_pdfs) >= 2 and {"report", "slides"} <= kinds
    assert any(e["previous_handlings"] for e in ITEMS)
    assert any(e["history"] for e in ITEMS)
    assert any(e["discussion"] for e in ITEMS)
    assert any(p["title"] for e in ITEMS for p in e["preparers"])


def test_agenda_and_minutes_of_the_same_meeting() -> None:
    agenda = [e for e in ITEMS if e["doc_id"] == AGENDA_ID]
    minutes = [e for e in ITEMS if e["doc_id"] == MINUTES_ID]
    assert agenda and len(agenda) == len(minutes)
    for a, m in zip(agenda, minutes, strict=True):
        assert a["document_type"] == "agenda" and m["document_type"] == "minutes"
        assert (a["body"], a["meeting_date"], a["title"]) == (
            m["body"],
            m["meeting_date"],
            m["title"],
        )
        assert a["section"] == str(a["ordinal"]) and m["section"] != a["section"]
        assert a["decision"] is None and m["decision"]
        assert a["published"] < m["published"]


# --------------------------------------------------------------------------- routes
def expected_type(path: str) -> str:
    if path.endswith(".PDF"):
        return "application/pdf"
    if path.endswith(".GIF"):
        return "image/gif"
    if "page=rss/" in path:
        return "text/xml; charset=iso-8859-1"
    if "page=meetingitem&" in path:
        return "text/html; charset=iso-8859-1"  # the deliberate lie, see site.HTML_LATIN1
    return "text/html; charset=windows-1252"


def test_every_route_answers_with_its_content_type(server: DemoServer) -> None:
    paths = sorted(server.site.pages)
    assert len(paths) > 100
    for path in paths:
        status, headers, body = fetch(server.base_url + path)
        assert status == 200, path
        assert headers["Content-Type"] == expected_type(path), path
        assert body == server.site.pages[path][1]
        if path.endswith(".PDF"):
            assert body.startswith(b"%PDF-")


def test_required_routes_exist(server: DemoServer) -> None:
    base = server.base_url
    required = [
        "/cgi/DREQUEST.PHP?page=rss/meetingitems&show=5",
        "/cgi/DREQUEST.PHP?page=rss/meetings&show=5",
        "/cgi/DREQUEST.PHP?page=rss/official_decisions&show=5",
        f"/cgi/DREQUEST.PHP?page=meetingitem&id={MINUTES_ID}-3",
        f"/cgi/DREQUEST.PHP?id={MINUTES_ID}&page=meeting",  # any query order
        "/cgi/DREQUEST.PHP?page=meeting_frames",
        "/cgi/DREQUEST.PHP?page=meeting_handlers",
        "/cgi/DREQUEST.PHP?page=meetings&id=310100",
        f"/kokous/{MINUTES_ID}-3.HTM",
        f"/kokous/{MINUTES_ID}.HTM",
        "/kokous/TELIMET.HTM",
        "/kokous/TELIN-310100.HTM",
        f"/kokous/{MINUTES_ID}-3.PDF",
        f"/kokous/{MINUTES_ID}.PDF",
        f"/kokous/{MINUTES_ID}-4-1.PDF",
        f"/kokous/{MINUTES_ID.lower()}-3.htm",  # Dynasty hosts are case-insensitive
    ]
    for path in required:
        assert fetch(base + path)[0] == 200, path
    for path in [
        "/",
        "/kokous/NOPE.HTM",
        "/kokous/2099010101-1.HTM",
        "/cgi/DREQUEST.PHP?page=meetingitem&id=1-1",
        "/cgi/DREQUEST.PHP?page=nope",
        "/cgi/OTHER.PHP",
    ]:
        status, headers, _ = fetch(base + path)
        assert status == 404, path


def test_head_request(server: DemoServer) -> None:
    req = urllib.request.Request(server.base_url + "/kokous/TELIMET.HTM", method="HEAD")
    with urllib.request.urlopen(req) as resp:
        assert resp.status == 200 and resp.read() == b""
        assert int(resp.headers["Content-Length"]) > 0


def test_links_are_absolute_and_resolve(server: DemoServer) -> None:
    seen: set[str] = set()
    for path, (ctype, body) in server.site.pages.items():
        if not ctype.startswith("text/html"):
            continue
        soup = BeautifulSoup(body.decode("cp1252"), "html.parser")
        for tag in soup.find_all(["a", "img"]):
            url = tag.get("href") or tag.get("src")
            if not url or url.startswith("mailto:"):
                continue
            assert url.startswith(server.base_url), (path, url)
            seen.add(url)
    for url in sorted(seen):
        assert fetch(url)[0] == 200, url


# --------------------------------------------------------------------------- HTML
def test_item_pages_are_cp1252_word_html(site) -> None:
    high = set()
    for e in ITEMS:
        raw = site.pages[e["html_path"]][1]
        text = raw.decode("cp1252")
        assert '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' in text
        assert text.count("<!--DATA_BEGIN-->") == 1 and text.count("<!--DATA_END-->") == 1
        data = text.split("<!--DATA_BEGIN-->")[1].split("<!--DATA_END-->")[0]
        assert "Edellinen asia" in data and "Seuraava asia" in data
        assert "Kokousasia&nbsp;PDF-muodossa" in data
        assert '<div class="WordSection1">' in data
        high |= {b for b in raw if 0x80 <= b <= 0x9F}
    assert {0x93, 0x94, 0x96} <= high  # “ ” –


def _page_text(raw: bytes) -> str:
    soup = BeautifulSoup(raw.decode("cp1252"), "html.parser")
    return " ".join(soup.get_text(" ").replace("\xa0", " ").split())


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def test_item_pages_show_the_ground_truth(site) -> None:
    for e in ITEMS:
        raw = site.pages[e["html_path"]][1]
        text = _page_text(raw)
        date = dt.date.fromisoformat(e["meeting_date"]).strftime("%d.%m.%Y")
        label = "Pöytäkirja" if e["document_type"] == "minutes" else "Esityslista"
        word = "Pykälä" if e["document_type"] == "minutes" else "Asianro"
        sep = "/" if e["template"] == "kuopio" else " "
        assert f"{e['body']} {label} {date}{sep}{word} {e['section']}" in text
        assert _norm(e["title"]) in text
        for field in ("proposal", "background", "decision", "discussion", "presentation"):
            for para in (e[field] or "").split("\n"):
                assert _norm(re.sub(r"^(-|\d+\.) ", "", para)) in text, (e["item_id"], field)
        if e["document_type"] == "agenda" and not e["history"]:
            # an agenda has no decision (only a Päätöshistoria entry may show one)
            assert "Päätös " not in text.replace("Päätösehdotus", "")
        if e["case_number_raw"]:
            # "split" case numbers are two <span>s: join inline text without a separator
            glued = BeautifulSoup(raw.decode("cp1252"), "html.parser").get_text("")
            assert e["case_number_raw"] in glued
        if e["proposer"]:
            assert f"{e['proposer']['title']} {e['proposer']['name']}" in text
        for person in e["preparers"]:
            assert person["name"] in text and person["phone"] in text
        for att in e["attachments"]:
            assert f'href="{site.base_url}{att["url_path"]}"' in raw.decode("cp1252")
        for h in e["previous_handlings"]:
            d = dt.date.fromisoformat(h["date"])
            assert f"{h['body']} {h['section']} § {d.day}.{d.month}.{d.year}" in text


def test_meeting_and_list_pages(site) -> None:
    for d in expected_documents():
        text = _page_text(site.pages[d["html_path"]][1])
        date = dt.date.fromisoformat(d["meeting_date"]).strftime("%d.%m.%Y")
        assert f"{d['body']} {d['label']} {date} klo {d['time']}" in text
        for iid in d["item_ids"]:
            assert _norm(BY_ID[iid]["title"]) in text
        for a in d["attendees"]:
            assert a["name"] in text
        telin = _page_text(site.pages[f"/kokous/TELIN-{d['body_id']}.HTM"][1])
        assert f"{date} {d['label']}" in telin
    assert "saapui klo 16.23 § 201 käsittelyn aikana" in _page_text(
        site.pages["/kokous/2024100701.HTM"][1]
    )
    bodies = _page_text(site.pages["/kokous/TELIMET.HTM"][1])
    for name in ("Kaupunginhallitus", "Kaupunkisuunnittelulautakunta", "Hyvinvointilautakunta"):
        assert name in bodies


# --------------------------------------------------------------------------- RSS
def test_meetingitems_feed(server: DemoServer) -> None:
    status, headers, raw = fetch(
        server.base_url + "/cgi/DREQUEST.PHP?page=rss/meetingitems&show=100"
    )
    assert headers["Content-Type"] == "text/xml; charset=iso-8859-1"
    assert raw.startswith(b"<?xml version='1.0' encoding='iso-8859-1'?><rss version='2.0'>")
    assert b"<title><![CDATA[" in raw and b"&auml;" in raw and b"&#8220;" in raw
    assert b"<guid" not in raw and b"<pubDate" not in raw
    raw.decode("iso-8859-1")
    feed = feedparser.parse(raw)
    assert not feed.bozo and feed.encoding == "iso-8859-1"
    assert len(feed.entries) == len(ITEMS)
    seen = set()
    for entry in feed.entries:
        iid = entry.link.rsplit("id=", 1)[1]
        e = BY_ID[iid]
        head, title = html.unescape(entry.title).split(" / ", 1)
        body, date = head.rsplit(" ", 1)
        assert body == e["body"]
        assert dt.datetime.strptime(date, "%d.%m.%Y").date().isoformat() == e["meeting_date"]
        assert title == e["title"]
        assert html.unescape(entry.description) == e["title"]
        assert entry.link == f"{server.base_url}/cgi/DREQUEST.PHP?page=meetingitem&id={iid}"
        seen.add(iid)
    assert seen == set(BY_ID)
    # newest document first
    assert feed.entries[0].link.endswith("id=2025030601-1")


def test_feed_show_limits_entries(server: DemoServer) -> None:
    raw = fetch(server.base_url + "/cgi/DREQUEST.PHP?page=rss/meetingitems&show=3")[2]
    assert len(feedparser.parse(raw).entries) == 3
    default = fetch(server.base_url + "/cgi/DREQUEST.PHP?page=rss/meetingitems")[2]
    assert len(feedparser.parse(default).entries) == 30


def test_meetings_and_official_decision_feeds(server: DemoServer) -> None:
    raw = fetch(server.base_url + "/cgi/DREQUEST.PHP?page=rss/meetings&show=50")[2]
    feed = feedparser.parse(raw)
    docs = {d["doc_id"]: d for d in expected_documents()}
    assert len(feed.entries) == len(docs)
    for entry in feed.entries:
        d = docs[entry.link.rsplit("id=", 1)[1]]
        date = dt.date.fromisoformat(d["meeting_date"]).strftime("%d.%m.%Y")
        assert html.unescape(entry.title) == f"{d['body']} {date} / {d['label']}"
        assert fetch(entry.link)[0] == 200
    raw = fetch(server.base_url + "/cgi/DREQUEST.PHP?page=rss/official_decisions")[2]
    feed = feedparser.parse(raw)
    assert len(feed.entries) == 3
    titles = [html.unescape(e.title) for e in feed.entries]
    assert (
        "Liikuntapäällikkö 28.01.2025 / Uimahallin aukioloajat hiihtolomaviikolla – “perheuinti”"
        in titles
    )
    for entry in feed.entries:
        assert fetch(entry.link)[0] == 200


# --------------------------------------------------------------------------- as_of
def _item_links(srv: DemoServer) -> set[str]:
    raw = fetch(srv.base_url + "/cgi/DREQUEST.PHP?page=rss/meetingitems&show=200")[2]
    return {e.link.rsplit("id=", 1)[1] for e in feedparser.parse(raw).entries}


def test_as_of_shows_the_agenda_first_and_the_minutes_later() -> None:
    with DemoServer(as_of=BEFORE_MINUTES) as srv:
        links = _item_links(srv)
        assert f"{AGENDA_ID}-3" in links and f"{MINUTES_ID}-3" not in links
        assert not any(i.startswith("2025030601") for i in links)
        assert fetch(f"{srv.base_url}/kokous/{MINUTES_ID}-3.HTM")[0] == 404
        assert fetch(f"{srv.base_url}/kokous/{MINUTES_ID}.PDF")[0] == 404
        assert fetch(f"{srv.base_url}/cgi/DREQUEST.PHP?page=meeting&id={MINUTES_ID}")[0] == 404
        assert fetch(f"{srv.base_url}/kokous/{AGENDA_ID}-3.HTM")[0] == 200
        telin = fetch(srv.base_url + "/kokous/TELIN-310100.HTM")[2].decode("cp1252")
        assert AGENDA_ID in telin and MINUTES_ID not in telin

        srv.set_as_of(AFTER_MINUTES)
        assert srv.as_of == AFTER_MINUTES
        links = _item_links(srv)
        assert {f"{AGENDA_ID}-3", f"{MINUTES_ID}-3"} <= links
        assert fetch(f"{srv.base_url}/kokous/{MINUTES_ID}-3.HTM")[0] == 200
        telin = fetch(srv.base_url + "/kokous/TELIN-310100.HTM")[2].decode("cp1252")
        assert AGENDA_ID in telin and MINUTES_ID in telin

        srv.set_as_of(None)
        assert any(i.startswith("2025030601") for i in _item_links(srv))
        srv.set_as_of(dt.date(2024, 1, 1))
        assert _item_links(srv) == set()


# --------------------------------------------------------------------------- caching
def test_etag_and_last_modified_give_304() -> None:
    with DemoServer(as_of=BEFORE_MINUTES) as srv:
        url = srv.base_url + "/cgi/DREQUEST.PHP?page=rss/meetingitems&show=10"
        status, headers, body = fetch(url)
        etag, last_modified = headers["ETag"], headers["Last-Modified"]
        assert status == 200 and etag.startswith('"')
        assert last_modified == "Wed, 29 Jan 2025 06:00:00 GMT"
        status, headers, body = fetch(url, {"If-None-Match": etag})
        assert status == 304 and body == b"" and headers["ETag"] == etag
        assert fetch(url, {"If-Modified-Since": last_modified})[0] == 304
        assert fetch(url, {"If-Modified-Since": "Mon, 27 Jan 2025 00:00:00 GMT"})[0] == 200
        assert fetch(url, {"If-None-Match": '"other"'})[0] == 200
        # If-None-Match wins over If-Modified-Since
        assert fetch(url, {"If-None-Match": '"x"', "If-Modified-Since": last_modified})[0] == 200

        srv.set_as_of(AFTER_MINUTES)
        status, headers, _ = fetch(url, {"If-None-Match": etag})
        assert status == 200 and headers["ETag"] != etag

        page = srv.base_url + f"/kokous/{AGENDA_ID}-1.HTM"
        headers = fetch(page)[1]
        assert headers["Last-Modified"] == "Wed, 29 Jan 2025 06:00:00 GMT"
        assert fetch(page, {"If-None-Match": headers["ETag"]})[0] == 304


def test_generation_is_deterministic_and_fast() -> None:
    data = load()
    urls = Urls("http://127.0.0.1:1")
    start = dt.datetime.now()
    first = _build_static(data, urls)
    assert (dt.datetime.now() - start).total_seconds() < 5
    second = _build_static(data, urls)
    assert first.keys() == second.keys()
    for key in first:
        assert first[key].body == second[key].body, key
    a = build_site("http://127.0.0.1:2", BEFORE_MINUTES).pages
    b = build_site("http://127.0.0.1:2", BEFORE_MINUTES).pages
    assert a == b


# --------------------------------------------------------------------------- PDFs
HEADINGS = {
    "Päätösehdotus",
    "Päätös",
    "Selostus",
    "Valmistelijat",
    "Käsittely",
    "Liitteet",
    "Esitys",
    "Valmistelija",
    "Päätöshistoria",
}


def _tokens(e: dict) -> set[str]:
    text = " ".join(
        str(e[f] or "")
        for f in ("title", "proposal", "decision", "discussion", "background", "presentation")
    )
    return set(text.replace("\n", " ").split())


def hyphenator_breaks(lines: list[str], tokens: set[str]) -> list[str]:
    """Line-end hyphens that the hyphenator added (the joined word is in the source)."""
    out = []
    for line, nxt in zip(lines, lines[1:], strict=False):
        if not line.endswith("-") or not nxt:
            continue
        head = line.split()[-1]
        if len(head) < 3 or not head[-2].isalpha() or head in tokens:
            continue
        joined = head[:-1] + nxt.split()[0].replace("\xa0", " ").split()[0]
        if joined in tokens:
            out.append(joined)
    return out


def test_item_pdfs_have_left_headings_and_hyphenation(site) -> None:
    for e in ITEMS:
        data = site.pages[e["pdf_path"]][1]
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            words = [w for page in pdf.pages for w in page.extract_words()]
            header = pdf.pages[0].extract_text_lines()[0]["text"]
        assert re.search(r"\d+ \(\d+\)$", header), header
        left = {w["text"] for w in words if w["x0"] < 150}
        assert "Päätösehdotus" in left
        has_decision = e["document_type"] == "minutes" or bool(e["history"])
        assert ("Päätös" in left) == has_decision
        assert left & HEADINGS >= {"Päätösehdotus"}
        body_x = {round(w["x0"]) for w in words if w["x0"] > 150 and w["top"] > 90}
        assert 184 in body_x
        lines = pdf_lines(data)
        assert hyphenator_breaks(lines, _tokens(e)), e["item_id"]


def test_pdf_text_keeps_finnish_characters(site) -> None:
    e = next(x for x in ITEMS if x["title"].startswith("Kouluverkkoselvitys"))
    text = "\n".join(pdf_lines(site.pages[e["pdf_path"]][1]))
    assert "Kouluverkkoselvitys “Koulu keskellä kylää” – jatkovalmistelun" in text
    assert "äänin 8–3." in text


def test_long_item_runs_over_pages_and_meeting_pdf_holds_all(site) -> None:
    e = next(x for x in ITEMS if x["title"].startswith("Talousarvion 2025"))
    with pdfplumber.open(io.BytesIO(site.pages[e["pdf_path"]][1])) as pdf:
        assert len(pdf.pages) >= 2
        numbers = [p.extract_text_lines()[0]["text"].rsplit(" ", 2)[-2] for p in pdf.pages]
    assert numbers == [str(int(numbers[0]) + i) for i in range(len(numbers))]
    with pdfplumber.open(io.BytesIO(site.pages["/kokous/2024100701.PDF"][1])) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    for item in (x for x in ITEMS if x["doc_id"] == "2024100701"):
        assert f"§ {item['section']}" in text


def test_attachment_pdfs_have_text(site) -> None:
    atts = [a for e in ITEMS for a in e["attachments"]]
    assert atts
    for att in atts:
        with pdfplumber.open(io.BytesIO(site.pages[att["url_path"]][1])) as pdf:
            text = "\n".join(p.extract_text() for p in pdf.pages)
            first = pdf.pages[0]
            if att["kind"] == "slides":
                assert first.width > first.height and len(pdf.pages) >= 3
                big = {round(c["size"]) for c in first.chars}
                assert max(big) >= 28
            else:
                assert first.width < first.height
        assert len(text) > 200, att
        assert "Demolan kaupunki" in text
