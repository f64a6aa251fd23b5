"""Tests for ``parsers.lists_html`` (the body list and a body's meeting list) beyond
its fixtures.

* Fixtures (``lists_html/NAME.*`` + ``NAME.expected.json``) run in the one runner,
  ``test_fixtures.py``; the never-raise properties in ``test_properties.py``.
* Goldens on the real corpus (``tests/golden/**/NAME.golden.json`` with ``_parser``
  ``body_list`` or ``meeting_list``), one test per field, skipped without the corpus.
* Every list page of the demo site (``TELIMET.HTM``, ``meeting_frames``,
  ``meeting_handlers``, ``TELIN-<id>.HTM``, ``page=meetings&id=``) against
  ``demosite.expected_bodies()`` and ``expected_documents()``.
* ``classify_link`` on the link shapes Dynasty uses; random HTML never raises.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import parsers.lists_html.parse as lists_module
from demosite import build_site, expected_bodies, expected_documents
from kokousarkisto.check_corpus import compare, resolve_path
from parsers import parse
from parsers.html.links import classify_link
from parsers.records import BodyListRecord, MeetingListRecord
from tests.parsers.cases import PROPERTY_SETTINGS, assert_sane

HERE = Path(__file__).resolve().parent
REPO = Path(__file__).resolve().parents[2]

def parse_body_list(data, *, url=None, content_type=None):
    """The ``body_list`` kind through the front door (its never-raise guard included)."""
    return parse("body_list", data, url=url, content_type=content_type)


def parse_meeting_list(data, *, url=None, content_type=None):
    """The ``meeting_list`` kind through the front door (its never-raise guard included)."""
    return parse("meeting_list", data, url=url, content_type=content_type)

FIXTURES = HERE / "lists_html"
GOLDEN = REPO / "tests" / "golden"
CORPUS = REPO / ".." / "shared" / "corpus"
DEMO_BASE = "http://127.0.0.1:8000"
PARSERS = {"body_list": parse_body_list, "meeting_list": parse_meeting_list}


# --- fixtures as data -----------------------------------------------------------------

FIXTURE_NAMES = sorted(p.stem for p in FIXTURES.glob("*.HTM"))


# --- links ------------------------------------------------------------------------------


@pytest.mark.parametrize(("href", "expected"), [
    ("http://h/kokous/2017406946-3.HTM", ("item", "2017406946-3")),
    ("2017406946-3.htm", ("item", "2017406946-3")),
    ("http://h/cgi/DREQUEST.PHP?page=meetingitem&id=2017406946-3", ("item", "2017406946-3")),
    ("DREQUEST.PHP?id=2017406946&page=meeting", ("meeting", "2017406946")),
    ("http://h/kokous/2017406946.HTM", ("meeting", "2017406946")),
    ("http://h/kokous/TELIN-217668.HTM", ("body", "217668")),
    ("DREQUEST.PHP?page=meetings&id=217668", ("body", "217668")),
    ("http://h/kokous/TELIMET.HTM", ("bodies", None)),
    ("http://h/cgi/DREQUEST.PHP?page=meeting_frames", ("bodies", None)),
    ("http://h/cgi/DREQUEST.PHP?page=meeting_handlers", ("bodies", None)),
    ("http://h/kokous/2017406946-0-1.PDF", ("pdf", "2017406946-0-1")),
    ("https://h.oncloudos.com/kokous/20261727-4-374197.PDF", ("attachment", "20261727-4-374197")),
    ("http://h/cgi/DREQUEST.PHP?page=meetingitem_attachment&id=1-2-3", ("attachment", "1-2-3")),
    ("http://h/cgi/DREQUEST.PHP?page=rss/meetings&show=30", ("feed", None)),
    ("mailto:x@example.org", ("other", None)),
    ("", ("other", None)),
    (None, ("other", None)),
    ("http://[bad", ("other", None)),
])
def test_classify_link(href, expected):
    assert classify_link(href) == expected


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("parse", [parse_body_list, parse_meeting_list])
def test_unexpected_error_becomes_a_warning(monkeypatch, parse):
    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(lists_module, "read_dynasty_page", boom)
    record = parse((FIXTURES / "telin_static.HTM").read_bytes())
    assert any(w.startswith("parser error: RuntimeError: kaboom") for w in record.warnings)


@pytest.mark.parametrize("parse", [parse_body_list, parse_meeting_list])
@pytest.mark.parametrize("data", [b"", b"<", b"\x00", b"<!--DATA_BEGIN--><table><tr><td>"])
def test_degenerate_inputs(parse, data):
    record = parse(data)
    json.dumps(record.to_dict())
    assert not any(w.startswith("parser error") for w in record.warnings)


def test_bodies_from_record_comments_when_rows_have_no_links():
    page = (b"<html><body><!--DATA_BEGIN--><table>"
            b"<!--TIETUE:TELIN-77--><!--Tekninen lautakunta--><tr><td>Tekninen lautakunta</td></tr>"
            b"<!--TIETUE--><!--DATA_END--></body></html>")
    record = parse_body_list(page, url="http://testila.example/kokous/TELIMET.HTM")
    assert [(b.name, b.dynasty_id, b.url) for b in record.bodies] == [
        ("Tekninen lautakunta", "77", "http://testila.example/kokous/TELIN-77.HTM")]
    assert record.warnings == ["bodies read from record comments only"]


def test_bodies_from_record_comments_on_a_dynamic_page_link_to_the_static_lists():
    page = (b"<html><body><!--DATA_BEGIN--><table><!--TIETUE:TELIN-77--><!--Tekninen lautakunta-->"
            b"<tr><td>Tekninen lautakunta</td></tr><!--TIETUE--><!--DATA_END--></body></html>")
    record = parse_body_list(page, url="http://testila.example/cgi/DREQUEST.PHP?page=x")
    assert record.bodies[0].url == "http://testila.example/kokous/TELIN-77.HTM"


def test_bodies_from_a_selection_list():
    page = ("<html><body><form action='DREQUEST.PHP'><select name='id'>"
            "<option value=''>Valitse toimielin</option><option value='12'>Kunnanhallitus</option>"
            "<option value='15'>Tekninen lautakunta</option></select></form>"
            "<table><tr><td>1.2.2024</td><td><a href='DREQUEST.PHP?page=meeting&amp;id=5'>"
            "Pöytäkirja</a></td></tr></table></body></html>").encode()
    record = parse_body_list(page, url="http://testila.example/cgi/DREQUEST.PHP?page=meetings&id=12")
    assert [(b.name, b.dynasty_id, b.url) for b in record.bodies] == [
        ("Kunnanhallitus", "12", "http://testila.example/cgi/DREQUEST.PHP?page=meetings&id=12"),
        ("Tekninen lautakunta", "15",
         "http://testila.example/cgi/DREQUEST.PHP?page=meetings&id=15")]
    assert "bodies read from a selection list only" in record.warnings


# --- goldens on the real corpus ---------------------------------------------------------


def _golden_params():
    params = []
    for path in sorted(GOLDEN.rglob("*.golden.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if spec.get("_parser") not in PARSERS:
            continue
        for key in spec:
            if not key.startswith("_"):
                params.append(pytest.param(path, key, id=f"{path.name.split('.')[0]}-{key}"))
    return params


@functools.cache
def _parse_corpus_page(parser: str, source: str, url: str | None) -> dict:
    return PARSERS[parser]((CORPUS / source).read_bytes(), url=url).to_dict()


@pytest.mark.parametrize(("golden", "key"), _golden_params())
def test_golden_field(golden, key):
    spec = json.loads(golden.read_text(encoding="utf-8"))
    source = CORPUS / spec["_source"]
    if not source.exists():
        pytest.skip(f"corpus not available: {source}")
    data = _parse_corpus_page(spec["_parser"], spec["_source"], spec["_input"].get("url"))
    diffs = compare(resolve_path(data, key), spec[key], key)
    assert not diffs, "\n".join(diffs)


def test_there_are_list_goldens_of_both_kinds():
    kinds = {json.loads(p.read_text(encoding="utf-8")).get("_parser")
             for p in GOLDEN.rglob("*.golden.json")}
    assert {"body_list", "meeting_list"} <= kinds


# --- the demo site ----------------------------------------------------------------------


@functools.cache
def _demo():
    return build_site(DEMO_BASE)


def _latest(body_id: int) -> dict | None:
    """The body's newest document as the demo lists it: latest meeting, minutes first."""
    docs = [d for d in expected_documents() if d["body_id"] == body_id]
    docs.sort(key=lambda d: (d["meeting_date"], d["document_type"] == "minutes", d["doc_id"]),
              reverse=True)
    return docs[0] if docs else None


@pytest.mark.parametrize("path", ["/kokous/TELIMET.HTM", "/cgi/DREQUEST.PHP?page=meeting_frames",
                                  "/cgi/DREQUEST.PHP?page=meeting_handlers"])
def test_demo_body_list(path):
    content_type, data = _demo().pages[path]
    record = parse_body_list(data, url=DEMO_BASE + path, content_type=content_type)
    assert isinstance(record, BodyListRecord)
    want = sorted(expected_bodies(), key=lambda b: b["name"])
    assert [(b.name, b.dynasty_id) for b in record.bodies] == [
        (b["name"], str(b["id"])) for b in want]
    for body, expected in zip(record.bodies, want, strict=True):
        if "handlers" in path:
            assert body.url == f"{DEMO_BASE}/cgi/DREQUEST.PHP?page=meetings&id={expected['id']}"
        else:
            assert body.url == f"{DEMO_BASE}/kokous/TELIN-{expected['id']}.HTM"
        latest = _latest(expected["id"])
        assert body.latest_doc_id == latest["doc_id"]
        assert body.latest_date == latest["meeting_date"]
        assert body.latest_document_type == latest["document_type"]
        assert body.latest_url == DEMO_BASE + latest["html_path"]
    assert record.title == "Demolan kaupunki"
    assert len(record.feeds) == (3 if "frames" in path else 0)
    assert record.warnings == []


def _meeting_list_params():
    out = []
    for body in expected_bodies():
        for path in (f"/kokous/TELIN-{body['id']}.HTM",
                     f"/cgi/DREQUEST.PHP?page=meetings&id={body['id']}"):
            out.append(pytest.param(body, path, id=path.rsplit("/", 1)[-1]))
    return out


@pytest.mark.parametrize(("body", "path"), _meeting_list_params())
def test_demo_meeting_list(body, path):
    content_type, data = _demo().pages[path]
    record = parse_meeting_list(data, url=DEMO_BASE + path, content_type=content_type)
    assert isinstance(record, MeetingListRecord)
    assert (record.body, record.body_id) == (body["name"], str(body["id"]))
    docs = [d for d in expected_documents() if d["body_id"] == body["id"]]
    got = {m.dynasty_id: m for m in record.meetings}
    assert set(got) == {d["doc_id"] for d in docs}
    for doc in docs:
        entry = got[doc["doc_id"]]
        assert (entry.meeting_date, entry.document_type, entry.label) == (
            doc["meeting_date"], doc["document_type"], doc["label"])
        if "DREQUEST" in path:
            assert entry.url == f"{DEMO_BASE}/cgi/DREQUEST.PHP?page=meeting&id={doc['doc_id']}"
        else:
            assert entry.url == DEMO_BASE + doc["html_path"]
    dates = [m.meeting_date for m in record.meetings]
    assert dates == sorted(dates, reverse=True)  # newest first, as listed
    assert record.warnings == []


def test_demo_lists_follow_as_of():
    import datetime as dt

    site = build_site(DEMO_BASE, as_of=dt.date(2025, 2, 1))
    record = parse_meeting_list(site.pages["/kokous/TELIN-310100.HTM"][1],
                                url=DEMO_BASE + "/kokous/TELIN-310100.HTM")
    assert [m.dynasty_id for m in record.meetings] == ["2025012801", "2024100701"]


# --- properties ---------------------------------------------------------------------------


def _check(record) -> None:
    assert_sane(record, (BodyListRecord, MeetingListRecord))


_PIECES = ["<tr>", "<td>", "</td>", "</tr>", "<table>", "</table>", "<a href='TELIN-12.HTM'>",
           "<a href='DREQUEST.PHP?page=meetings&id=3'>", "<a href='2024000001.HTM'>",
           "<a href='DREQUEST.PHP?page=meeting&id=7'>", "</a>", "<!--TIETUE:2024000001-->",
           "<!--2024-13-45-->", "<!--TIETUE:TELIN-9-->", "<!--TIETUE-->", "<!--DATA_BEGIN-->",
           "<frame src='x'>", "Pöytäkirja", "Esityslista", "12.05.2024", "31.02.2024",
           "Kaupunginhallitus", "<label class='h3'>", "<br>", "</label>", "&nbsp;"]


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=15)), max_size=100),
       st.sampled_from([parse_body_list, parse_meeting_list]))
def test_random_html_never_raises(parts, parse):
    _check(parse(("<html><body>" + "".join(parts)).encode("utf-8", "replace"),
                 url="http://example.invalid/kokous/TELIMET.HTM"))
