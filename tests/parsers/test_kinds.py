"""The front door (:mod:`parsers`): the registry of page kinds, the one never-raise guard,
kind detection and the typed signals every kind's record carries."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import parsers
from demosite import build_site
from demosite.towns import TOWNS
from parsers.kinds import KINDS
from parsers.records import PageStructure
from tests.parsers.fixtures import all_fixtures

HERE = Path(__file__).parent

#: a page of another system: archive links named like Dynasty's static files, but
#: nothing Dynasty made (no data area, no body class, no record comments, no CGI)
FOREIGN = """<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8">
<title>Päätöksenteko – Esimerkkilän kunta</title></head><body class="page-decisions">
<nav><a href="/">Etusivu</a> | <a href="/paatoksenteko/">Päätöksenteko</a></nav>
<h1>Kunnanhallitus</h1>
<ul>
<li><a href="2024.html">Pöytäkirjat 2024</a> 12.2.2024</li>
<li><a href="2023.html">Pöytäkirjat 2023</a> 13.2.2023</li>
<li><a href="41-2.htm">Esityslista 41</a> 5.3.2024</li>
<li><a href="42-7.htm">Esityslista 42</a> 6.3.2024</li>
</ul>
<p>§ 12 Talousarvio 2024. Kunnanhallitus esittää valtuustolle, että talousarvio hyväksytään.</p>
</body></html>""".encode()


def test_every_kind_has_a_fixture_folder_and_the_same_face() -> None:
    folders = {"item_html": "item_html", "item_pdf": "item_pdf", "minutes_pdf": "item_pdf",
               "meeting_html": "meeting_html", "body_list": "lists_html",
               "meeting_list": "lists_html", "feed": "feed",
               "official_decision": "official_decision"}
    assert set(KINDS) == set(folders)
    for name, kind in KINDS.items():
        assert (HERE / folders[name]).is_dir(), name
        record = parsers.parse(name, b"", url=None, content_type=None)
        assert isinstance(record, kind.record_type), name
        json.dumps(record.to_dict())


def test_an_unknown_kind_is_the_callers_mistake() -> None:
    with pytest.raises(ValueError, match="unknown page kind 'nope'"):
        parsers.parse("nope", b"")


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_guard_turns_any_parser_bug_into_a_typed_empty_record(name, monkeypatch) -> None:
    kind = KINDS[name]

    def broken(data, *, url=None, content_type=None):
        raise RuntimeError("kaboom")

    monkeypatch.setitem(KINDS, name, dataclasses.replace(kind, parse=broken))
    record = parsers.parse(name, b"<html><body><p>x</p></body></html>")
    assert type(record) is kind.record_type
    assert record.structure is PageStructure.PARSER_ERROR
    assert record.warnings == ["parser error: RuntimeError: kaboom"]
    if name == "item_pdf":
        assert record.source_format == "pdf"


@pytest.mark.parametrize("name", ["meeting_html", "body_list", "meeting_list", "item_html"])
def test_a_page_of_another_system_is_an_unknown_template_not_invented_rows(name) -> None:
    record = parsers.parse(name, FOREIGN, url="https://www.esimerkkila.fi/paatoksenteko/kh.html")
    assert record.structure is PageStructure.UNKNOWN_TEMPLATE
    assert any(w.startswith("unknown template") for w in record.warnings)
    data = record.to_dict()
    for key in ("items", "attendees", "bodies", "meetings", "frames", "feeds", "preparers"):
        assert not data.get(key), (name, key)
    for key in ("title", "body", "meeting_date", "section", "background"):
        assert data.get(key) is None, (name, key)


def test_an_error_page_where_a_feed_should_be_is_no_feed() -> None:
    record = parsers.parse("feed", b"<html><body><h1>Virhe 500</h1></body></html>")
    assert record.structure is PageStructure.UNKNOWN_TEMPLATE and record.entries == []
    assert record.warnings == ["unknown template: not an RSS or Atom feed"]


@pytest.mark.parametrize("name", ["item_html", "meeting_html", "body_list", "meeting_list",
                                  "feed"])
def test_empty_bytes_are_an_empty_page(name) -> None:
    assert parsers.parse(name, b"").structure is PageStructure.EMPTY


@pytest.mark.parametrize("town", [None, *TOWNS], ids=lambda t: t.id if t else "default")
def test_every_demo_page_is_found_not_unknown(town) -> None:
    site = build_site("http://127.0.0.1:8000", town=town)
    seen = set()
    for path, (content_type, body) in site.pages.items():
        if not path.upper().endswith((".HTM", ".HTML")) and "DREQUEST.PHP" not in path:
            continue
        if "rss/" in path:
            continue
        kind = parsers.detect_kind(body, "http://127.0.0.1:8000" + path)
        record = parsers.parse(kind, body, url="http://127.0.0.1:8000" + path,
                               content_type=content_type)
        assert record.structure is PageStructure.FOUND, (path, kind, record.warnings)
        seen.add(kind)
    assert {"item_html", "meeting_html", "body_list", "meeting_list"} <= seen


def test_a_meeting_page_of_another_document_says_so_in_a_field() -> None:
    data = (HERE / "meeting_html" / "minutes_static.HTM").read_bytes()
    record = parsers.parse("meeting_html", data,
                           url="http://testila.example/kokous/2023999999.HTM")
    assert record.other_document == "2023500101"
    own = parsers.parse("meeting_html", data, url="http://testila.example/kokous/2023500101.HTM")
    assert own.other_document is None


def test_records_round_trip_with_their_typed_signals() -> None:
    record = parsers.parse("meeting_list", FOREIGN)
    back = type(record).from_dict(json.loads(json.dumps(record.to_dict())))
    assert back == record and back.structure is PageStructure.UNKNOWN_TEMPLATE


# --- which kind -----------------------------------------------------------------------


def test_detect_kind_on_demo_pages() -> None:
    pages = build_site("http://127.0.0.1:8000").pages
    detect = parsers.detect_kind
    assert detect(pages["/kokous/2025020501-3.HTM"][1]) == "item_html"
    assert detect(pages["/kokous/2025020501.HTM"][1]) == "meeting_html"
    assert detect(pages["/kokous/TELIMET.HTM"][1]) == "body_list"
    assert detect(pages["/cgi/DREQUEST.PHP?page=meetings&id=310100"][1]) == "meeting_list"
    assert detect(pages["/kokous/2025020501-3.PDF"][1]) == "item_pdf"
    feeds = [body for path, (_, body) in pages.items() if "rss/" in path]
    assert feeds and all(detect(body) == "feed" for body in feeds)


@pytest.mark.parametrize(("html", "url", "kind"), [
    (b"<p>x</p>", "http://h/cgi/DREQUEST.PHP?page=meeting&id=5", "meeting_html"),
    (b"<p>x</p>", "http://h/kokous/TELIN-5.HTM", "meeting_list"),
    (b"<p>x</p>", "http://h/kokous/TELIMET.HTM", "body_list"),
    (b"<p>x</p>", "http://h/cgi/DREQUEST.PHP?page=official_decision&id=7", "official_decision"),
    (b"<p>Kunnanhallitus Esityslista 1.2.2024 Asianro 3</p>", None, "item_html"),
    (b"<a href='1-1.HTM'>a</a><a href='1-2.HTM'>b</a>", None, "meeting_html"),
    (b"<a href='TELIN-1.HTM'>a</a><a href='TELIN-2.HTM'>b</a>", None, "body_list"),
    (b"<a href='11.HTM'>a</a><a href='12.HTM'>b</a>", None, "meeting_list"),
    (b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", None, "feed"),
    ("<body class='bodyKokousasia'><label>Tekninen johtaja<br>Viranhaltijapäätös "
     "07.04.2025 § 3</label>".encode("cp1252"), None, "official_decision"),
    (b"", None, "item_html"),
])
def test_detect_kind_without_body_class(html, url, kind) -> None:
    assert parsers.detect_kind(html, url) == kind


def test_every_fixture_is_detected_as_its_kind() -> None:
    """Without a URL, from the bytes alone (a whole minutes PDF is asked for by name)."""
    wrong = [(f.id, f.kind, parsers.detect_kind(f.data())) for f in all_fixtures()
             if f.kind != "minutes_pdf" and parsers.detect_kind(f.data()) != f.kind]
    assert not wrong, wrong
