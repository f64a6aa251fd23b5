"""Tests for ``parsers.meeting_html`` (the meeting page: items, appeals, attendees)
beyond its fixtures.

* Fixtures (``meeting_html/NAME.*`` + ``NAME.expected.json``) run in the one runner,
  ``test_fixtures.py``; the never-raise properties in ``test_properties.py``.
* Goldens on the real corpus: ``tests/golden/**/NAME.golden.json`` whose ``_parser`` is
  ``meeting_html``, one test per field, skipped when ``../shared/corpus`` is absent.
* Every meeting page of the demo site (static and ``DREQUEST.PHP``) against
  ``demosite.expected_documents()`` and ``expected_items()``.
* Random HTML (hypothesis) never raises and always gives a ``MeetingRecord``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import parsers.meeting_html.parse as meeting_module
from demosite import build_site, expected_documents, expected_items
from kokousarkisto.check_corpus import compare, resolve_path
from parsers import parse
from parsers.meeting_html.appeals import parse_section_list
from parsers.meeting_html.attendees import split_attendee
from parsers.records import MeetingRecord
from tests.parsers.cases import (
    PROPERTY_SETTINGS,
    assert_sane,
)

HERE = Path(__file__).resolve().parent
REPO = Path(__file__).resolve().parents[2]

def parse_meeting_html(data, *, url=None, content_type=None):
    """The ``meeting_html`` kind through the front door (its never-raise guard included)."""
    return parse("meeting_html", data, url=url, content_type=content_type)

FIXTURES = HERE / "meeting_html"
GOLDEN = REPO / "tests" / "golden"
CORPUS = REPO / ".." / "shared" / "corpus"
DEMO_BASE = "http://127.0.0.1:8000"


def check(record: MeetingRecord, expected: dict) -> list[str]:
    data = record.to_dict()
    return [d for key, value in expected.items()
            for d in compare(resolve_path(data, key), value, key)]


# --- fixtures as data -----------------------------------------------------------------

FIXTURE_NAMES = sorted(p.stem for p in FIXTURES.glob("*.HTM"))


# --- pieces -----------------------------------------------------------------------------

KNOWN = [str(n) for n in range(41, 61)]


@pytest.mark.parametrize(("raw", "known", "sections", "parts"), [
    ("43, 44 kohdat 1-3, 47-48, 50", KNOWN, ["43", "44", "47", "48", "50"], {"44": "kohdat 1-3"}),
    # an export that dropped the separators: the meeting's own numbers split the runs
    ("41-4345,47k2484950-52", KNOWN,
     ["41", "42", "43", "45", "47", "48", "49", "50", "51", "52"], {"47": "kohta 2"}),
    ("§ 5–7 ja 9", ["5", "6", "7", "8", "9"], ["5", "6", "7", "9"], {}),
    ("3-5", [], ["3", "4", "5"], {}),  # without known numbers a range is every number
    ("12 kohta 2, 13", ["12", "13"], ["12", "13"], {"12": "kohta 2"}),
    ("12 kohdat 1, 3, 13", ["12", "13"], ["12", "13"], {"12": "kohdat 1, 3"}),
    ("", KNOWN, [], {}),
])
def test_parse_section_list(raw, known, sections, parts):
    got_sections, got_parts, problems = parse_section_list(raw, known)
    assert (got_sections, got_parts) == (sections, parts)
    assert problems == []


@pytest.mark.parametrize("raw", ["1-", "-5", "k3", "9-2", "130-999", "7-8"])
def test_parse_section_list_reports_problems(raw):
    _, _, problems = parse_section_list(raw, ["1", "2", "3", "5", "7"])
    assert problems


@pytest.mark.parametrize(("cells", "expected"), [
    (["Aino Esimerkki, puheenjohtaja"], ("Aino Esimerkki", "puheenjohtaja", None)),
    (["Eero K. Olematon"], ("Eero K. Olematon", None, None)),
    (["Doris Testinen, saapui klo 18.12 § 43 käsittelyn aikana"],
     ("Doris Testinen", None, "saapui klo 18.12 § 43 käsittelyn aikana")),
    (["Gunnar Sepitetty", "kaupunginhallituksen edustaja, poistui klo 19.05"],
     ("Gunnar Sepitetty", "kaupunginhallituksen edustaja", "poistui klo 19.05")),
    (["Ilmari Väännös", "hallintosihteeri, pöytäkirjanpitäjä"],
     ("Ilmari Väännös", "hallintosihteeri, pöytäkirjanpitäjä", None)),
    (["Veera Esi-merkki", "poistui klo 17.05, palasi klo 17.30"],
     ("Veera Esi-merkki", None, "poistui klo 17.05, palasi klo 17.30")),
    (["Saapuvilla olleet jäsenet"], None),
    (["12 kohtaa"], None),
    ([""], None),
])
def test_split_attendee(cells, expected):
    assert split_attendee(cells) == expected


def test_a_page_of_another_document_is_noticed():
    data = (FIXTURES / "minutes_static.HTM").read_bytes()
    record = parse_meeting_html(data, url="http://testila.example/kokous/2023999999.HTM")
    assert record.dynasty_id == "2023999999"
    assert "items belong to document 2023500101, not 2023999999" in record.warnings


def test_unexpected_error_becomes_a_warning(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(meeting_module, "read_dynasty_page", boom)
    record = parse_meeting_html((FIXTURES / "minutes_static.HTM").read_bytes())
    assert isinstance(record, MeetingRecord)
    assert any(w.startswith("parser error: RuntimeError: kaboom") for w in record.warnings)


@pytest.mark.parametrize("data", [b"", b"  ", b"\x00\x00", b"<", b"<!--DATA_BEGIN-->",
                                  b"<html><body><table><tr><td>", "Pöytäkirja".encode()])
def test_degenerate_inputs(data):
    record = parse_meeting_html(data)
    assert isinstance(record, MeetingRecord)
    json.dumps(record.to_dict())
    assert not any(w.startswith("parser error") for w in record.warnings)


def test_str_and_bytearray_inputs_give_the_same_record():
    data = (FIXTURES / "minutes_static.HTM").read_bytes()
    first = parse_meeting_html(data).to_dict()
    assert parse_meeting_html(bytearray(data)).to_dict() == first
    assert parse_meeting_html(data.decode("cp1252")).to_dict() == first


# --- goldens on the real corpus ---------------------------------------------------------


def _golden_params(parser: str):
    params = []
    for path in sorted(GOLDEN.rglob("*.golden.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if spec.get("_parser") != parser:
            continue
        for key in spec:
            if not key.startswith("_"):
                params.append(pytest.param(path, key, id=f"{path.name.split('.')[0]}-{key}"))
    return params


@functools.cache
def _parse_corpus_page(source: str, url: str | None) -> dict:
    return parse_meeting_html((CORPUS / source).read_bytes(), url=url).to_dict()


@pytest.mark.parametrize(("golden", "key"), _golden_params("meeting_html"))
def test_golden_field(golden, key):
    spec = json.loads(golden.read_text(encoding="utf-8"))
    source = CORPUS / spec["_source"]
    if not source.exists():
        pytest.skip(f"corpus not available: {source}")
    actual = resolve_path(_parse_corpus_page(spec["_source"], spec["_input"].get("url")), key)
    diffs = compare(actual, spec[key], key)
    assert not diffs, "\n".join(diffs)


def test_there_is_a_meeting_golden():
    assert _golden_params("meeting_html")


# --- the demo site ----------------------------------------------------------------------


@functools.cache
def _demo():
    return build_site(DEMO_BASE)


def _demo_params():
    out = []
    for doc in expected_documents():
        for path in (doc["html_path"], f"/cgi/DREQUEST.PHP?page=meeting&id={doc['doc_id']}"):
            out.append(pytest.param(doc, path, id=path.rsplit("/", 1)[-1]))
    return out


@pytest.mark.parametrize(("doc", "path"), _demo_params())
def test_demo_meeting_page(doc, path):
    content_type, data = _demo().pages[path]
    record = parse_meeting_html(data, url=DEMO_BASE + path, content_type=content_type)
    minutes = doc["document_type"] == "minutes"
    assert record.dynasty_id == doc["doc_id"]
    assert record.document_type == doc["document_type"]
    assert record.body == doc["body"]
    assert record.meeting_date == doc["meeting_date"]
    assert record.time == doc["time"]
    assert record.end_time == (doc["end_time"] if minutes else None)
    assert record.place == doc["place"]
    assert record.status == ("Tarkastettu" if minutes else None)
    assert record.pdf_url == DEMO_BASE + doc["pdf_path"]
    assert [i.dynasty_id for i in record.items] == doc["item_ids"]
    items = {i["item_id"]: i for i in expected_items()}
    for item in record.items:
        want = items[item.dynasty_id]
        assert item.section == want["section"]
        assert item.title == want["title"]
        assert item.url == DEMO_BASE + want["html_path"]
        assert item.has_attachments == bool(want["attachments"])
    assert [vars(a) for a in record.attendees] == doc["attendees"]
    assert record.warnings == []


# --- properties ---------------------------------------------------------------------------


_WORDS = ["Pykälä", "Asianro", "Otsikko", "Muutoksenhakuohjeet", "Saapuvilla olleet jäsenet",
          "Muut saapuvilla olleet", "Poissa", "Kokoustiedot", "Kokousaika", "Kokouspaikka:",
          "Pöytäkirja 08.05.2024 klo 15:30 / Tarkastettu", "Esityslista 1.2.2024 klo 9.00",
          "12", "§ 12", "12-14", "12k3", "kohdat 1-2", "13131415", "-", ",",
          "Aino Esimerkki, puheenjohtaja", "saapui klo 18.12 § 43 käsittelyn aikana",
          "Testi Testinen", "sivistysjohtaja, poistui klo 19.05", "\xa0\xa0", "–"]
_TAGS = ["<tr class='trHea'><td class='tcHeaFirst'>", "<tr>", "<td>", "<td class='tcDat'>",
         "</td>", "</tr>", "<table>", "</table>", "<br>", "<p>", "</p>",
         "<a href='2024000001-1.HTM'>", "<a href='DREQUEST.PHP?page=meetingitem&id=9-2'>",
         "<a href='2024000001-0-1.PDF'>", "<a href='TELIN-5.HTM'>", "</a>",
         "<img src='ATTACHEMENT.GIF'>", "<label class='h3'>", "</label>", "<!--DATA_BEGIN-->",
         "<!--DATA_END-->", "<xp xclass='MsoNormal'>", "</xp>", "<"]


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_TAGS),
                          st.text(max_size=20)), max_size=120),
       st.sampled_from(["utf-8", "cp1252"]))
def test_random_html_never_raises(parts, encoding):
    page = "<html><body>" + " ".join(parts)
    assert_sane(parse_meeting_html(page.encode(encoding, errors="replace"),
                                   url="http://example.invalid/kokous/2024000001.HTM"),
                MeetingRecord)


@PROPERTY_SETTINGS
@given(st.text(alphabet="0123456789-,k ;", max_size=40),
       st.lists(st.integers(min_value=1, max_value=300).map(str), max_size=30))
def test_section_lists_never_raise(raw, known):
    sections, parts, problems = parse_section_list(raw, known)
    assert all(isinstance(s, str) for s in sections)
    assert set(parts) <= set(sections) | {None} or problems


def test_a_range_whose_end_is_not_above_its_start_is_a_problem():
    # found by the property above: "00-0" listed '00' and gave the part to an unlisted '0'
    sections, parts, problems = parse_section_list("00-0k0", [])
    assert problems == ["bad range 00-0"] and set(parts) <= set(sections) | {"0"}
    assert parse_section_list("5-5", [])[2] == ["bad range 5-5"]
    assert parse_section_list("5-7", []) == (["5", "6", "7"], {}, [])
