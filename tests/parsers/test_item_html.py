"""Tests for ``parsers.item_html`` beyond its fixtures.

* Fixtures (``item_html/NAME.*`` + ``NAME.expected.json``) run in the one runner,
  ``test_fixtures.py``; the never-raise properties in ``test_properties.py``.
* Goldens on the real corpus: ``tests/golden/espoo/<page>.expected.json``, one test per
  field, skipped when ``../shared/corpus`` is absent.
* A cross-check against the peer project's section split of the same pages.
* Random HTML (hypothesis) never raises and always gives an ``ItemRecord``.
"""

from __future__ import annotations

import functools
import json
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

import parsers.item_html.parse as item_module
from kokousarkisto.check_corpus import compare
from parsers import parse
from parsers.html.blocks import decode_html
from parsers.records import ItemRecord
from tests.parsers.cases import (
    PROPERTY_SETTINGS,
    assert_sane,
    load_spec,
)

HERE = Path(__file__).resolve().parent
REPO = Path(__file__).resolve().parents[2]

def parse_item_html(data, *, url=None, content_type=None):
    """The ``item_html`` kind through the front door (its never-raise guard included)."""
    return parse("item_html", data, url=url, content_type=content_type)

FIXTURES = HERE / "item_html"
GOLDEN = REPO / "tests" / "golden"
CORPUS = REPO / ".." / "shared" / "corpus"
RECORD_FIELDS = set(ItemRecord().to_dict())
TEXT_FIELDS = ("title", "proposal", "decision", "discussion", "background", "for_information",
               "supplementary", "appeal")


# --- comparison: the same rules as `kokousarkisto check-corpus` ---------------------


# --- fixtures as data -----------------------------------------------------------------

FIXTURE_NAMES = sorted(p.stem for p in FIXTURES.glob("*.HTM"))


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_never_takes_navigation_as_content(name):
    rec = parse_item_html((FIXTURES / f"{name}.HTM").read_bytes())
    for field in TEXT_FIELDS:
        value = getattr(rec, field) or ""
        for nav in ("Edellinen asia", "Seuraava asia", "PDF-muodossa", "Avaa haku"):
            assert nav not in value, (field, nav)


def test_history_never_leaks_into_the_items_own_fields():
    rec = parse_item_html((FIXTURES / "espoo2017_minutes.HTM").read_bytes())
    everything = json.dumps(
        {k: v for k, v in rec.to_dict().items() if k != "previous_handlings"},
        ensure_ascii=False)
    for leaked in ("Olli Edellinen", "Anna Aiempi", "palauttaa asian", "jätti asian",
                   "puoltaa hankesuunnitelman", "Päätöshistoria", "Berglund ehdotti"):
        assert leaked not in everything, leaked
    assert rec.proposer is not None and rec.proposer.name == "Veli Virkamies"


def test_each_earlier_handling_keeps_its_own_texts():
    """The history's texts go to the handling whose header they follow, never to the
    item or to the neighbouring handling."""
    rec = parse_item_html((FIXTURES / "espoo2017_minutes.HTM").read_bytes())
    first, second = rec.previous_handlings
    assert (first.body, first.section, first.date) == ("Kaupunkisuunnittelulautakunta", "61",
                                                      "2017-05-03")
    assert first.proposer is not None and first.proposer.name == "Anna Aiempi"
    assert first.discussion is None and "Puolto hyväksyttiin" in (first.decision or "")
    assert second.proposer is not None and second.proposer.name == "Olli Edellinen"
    assert second.discussion == "Berglund ehdotti käsittelyn lykkäämistä kahdella viikolla."
    assert "pöydälle" in (second.decision or "") and "pöydälle" not in (first.decision or "")


@pytest.mark.skipif(not (CORPUS / "dynasty/espoo/2017406946-3.HTM").exists(),
                    reason="../shared/corpus absent")
def test_real_page_history_keeps_the_earlier_tabling():
    url = "http://espoo04.hosting.documenta.fi/kokous/2017406946-3.HTM"
    rec = parse_item_html((CORPUS / "dynasty/espoo/2017406946-3.HTM").read_bytes(), url=url)
    (h,) = rec.previous_handlings
    assert (h.body, h.section, h.date) == ("Kaupunginhallitus", "105", "2017-04-10")
    assert h.proposer is not None and h.proposal and h.discussion
    assert "pöydälle" in (h.decision or "") and "pöydälle" in h.discussion
    # the earlier proposal is not the current one, nor its decision the current decision
    assert h.proposal != rec.proposal and h.decision != rec.decision
    assert rec.decision and "pöydälle" not in rec.decision.split("\n\n")[-1]


def test_agenda_decision_is_ignored_with_a_warning():
    page = (
        "<html><body><label>Tekninen lautakunta<br>Esityslista 01.02.2019 Asianro 3</label>"
        "<!--DATA_BEGIN--><p>12/2019</p><p><b>Otsikko</b></p>"
        "<p><b>Päätösehdotus</b>\xa0\xa0 Tekninen lautakunta hyväksyy asian.</p>"
        "<p><b>Päätös</b>\xa0\xa0 Hyväksyttiin.</p><!--DATA_END--></body></html>"
    ).encode()
    rec = parse_item_html(page)
    assert rec.document_type == "agenda" and rec.section == "3"
    assert rec.proposal == "Tekninen lautakunta hyväksyy asian."
    assert rec.decision is None
    assert "agenda page has a decision section; ignored" in rec.warnings
    assert "missing: decision" not in rec.warnings


def _mini(content: str) -> ItemRecord:
    page = ("<html><body><label>Kunnanhallitus<br>Pöytäkirja 01.02.2019 Pykälä 7</label>"
            f"<!--DATA_BEGIN--><p>12/2019</p><p><b>Otsikko</b></p>{content}"
            "<!--DATA_END--></body></html>")
    return parse_item_html(page.encode("utf-8"))


def test_proposer_on_the_first_line_of_a_br_paragraph():
    rec = _mini("<p><b>Päätösehdotus</b><br>Kunnanjohtaja Pekka Esimerkki<br>"
                "Kunnanhallitus hyväksyy esityksen.</p><p><b>Päätös</b></p><p>Hyväksyttiin.</p>")
    assert rec.proposer is not None and rec.proposer.name == "Pekka Esimerkki"
    assert rec.proposal == "Kunnanhallitus hyväksyy esityksen."


def test_generic_word_with_colon_inside_text_opens_no_section():
    rec = _mini("<p><b>Päätösehdotus</b>\xa0\xa0 Kunnanjohtaja Pekka Esimerkki</p>"
                "<p>Kunnanhallitus hyväksyy esityksen.</p>"
                "<p><b>Käsittely</b>\xa0\xa0 Malli teki ehdotuksen.</p>"
                "<p>Ehdotus: Asia palautetaan valmisteluun.</p>"
                "<p><b>Päätös</b>\xa0\xa0 Kunnanhallitus:</p><p>Hyväksyttiin.</p>")
    assert rec.proposal == "Kunnanhallitus hyväksyy esityksen."
    assert rec.discussion == "Malli teki ehdotuksen.\n\nEhdotus: Asia palautetaan valmisteluun."
    assert rec.decision == "Kunnanhallitus:\n\nHyväksyttiin."


def test_label_in_a_table_row():
    page = ("<html><body><table><tr><td>Kunnanhallitus</td><td>Pöytäkirja 01.02.2019 "
            "Pykälä 7</td></tr></table><!--DATA_BEGIN--><p>12/2019</p><p><b>Otsikko</b></p>"
            "<!--DATA_END--></body></html>").encode()
    rec = parse_item_html(page)
    assert (rec.body, rec.meeting_date, rec.section) == ("Kunnanhallitus", "2019-02-01", "7")


def test_missing_fields_are_named_in_warnings():
    rec = parse_item_html(b"<html><body><!--DATA_BEGIN--><p>Pelkka teksti</p>"
                          b"<!--DATA_END--></body></html>")
    for name in ("section", "case_number", "body", "meeting_date", "document_type", "proposal"):
        assert f"missing: {name}" in rec.warnings


def test_unexpected_error_becomes_a_warning(monkeypatch):
    def boom(root):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(item_module, "extract_blocks", boom)
    rec = parse_item_html((FIXTURES / "kuopio_item.HTM").read_bytes())
    assert isinstance(rec, ItemRecord)
    assert any(w.startswith("parser error: RuntimeError: kaboom") for w in rec.warnings)


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x00\x00", b"<", b"<!--DATA_BEGIN-->",
                                  b"<html><body><table><tr><td>", "§ 5".encode()])
def test_degenerate_inputs(data):
    rec = parse_item_html(data)
    assert isinstance(rec, ItemRecord)
    json.dumps(rec.to_dict())


def test_pure_and_repeatable():
    data = (FIXTURES / "espoo2017_minutes.HTM").read_bytes()
    first = parse_item_html(data, url="http://example.invalid/kokous/2017500111-4.HTM")
    second = parse_item_html(data, url="http://example.invalid/kokous/2017500111-4.HTM")
    assert first.to_dict() == second.to_dict()
    # a str (already decoded) and a bytearray are accepted too
    text = data.decode("cp1252")
    assert parse_item_html(text).title == first.title
    assert parse_item_html(bytearray(data)).title == first.title


def test_relative_links_without_url_stay_relative():
    rec = parse_item_html((FIXTURES / "espoo2017_minutes.HTM").read_bytes())
    assert rec.attachments[0].url == "2017500111-4-1.PDF"
    assert rec.attachments[1].url == "http://example.invalid/kokous/2017500111-4-2.PDF"


# --- decoding -----------------------------------------------------------------------------


def test_decode_header_charset_wins_over_meta():
    page = '<meta charset="utf-8"><p>“x”</p>'.encode("cp1252")
    text, codec, warnings = decode_html(page, "text/html; charset=windows-1252")
    assert codec == "cp1252" and "“x”" in text and not warnings


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin1", "windows-1252", "cp1252",
                                   "us-ascii"])
def test_decode_latin1_labels_mean_cp1252(label):
    page = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'.encode()
    page += b"<p>\x93lainaus\x94 \x96 45 \x80 \x85</p>"
    text, codec, _ = decode_html(page)
    assert codec == "cp1252"
    assert "“lainaus” – 45 € …" in text


def test_decode_invalid_utf8_declared_falls_back_to_cp1252():
    page = b'<meta charset="utf-8"><p>P\xe4\xe4t\xf6s</p>'
    text, codec, warnings = decode_html(page)
    assert codec == "cp1252" and "Päätös" in text
    assert warnings == ["declared utf-8 but not valid utf-8; decoded as cp1252"]


def test_decode_undeclared():
    assert decode_html("Päätös".encode())[1] == "utf-8"
    assert decode_html("Päätös".encode("cp1252"))[:2] == ("Päätös", "cp1252")
    assert decode_html(b"\xef\xbb\xbfP\xc3\xa4")[:2] == ("Pä", "utf-8")
    _, _, warnings = decode_html(b"<p>x</p>", "text/html; charset=x-unknown-thing")
    assert warnings == ["unknown charset in content type: x-unknown-thing"]


# --- goldens on the real corpus -------------------------------------------------------------


def _golden_params():
    params = []
    for path in sorted(GOLDEN.rglob("*.expected.json")):
        _, fields = load_spec(path)
        for field in fields:
            params.append(pytest.param(path, field, id=f"{path.name.split('.')[0]}-{field}"))
    return params


@functools.cache
def _parse_corpus_page(source: str, url: str | None) -> dict:
    return parse_item_html((CORPUS / source).read_bytes(), url=url).to_dict()


@pytest.mark.parametrize(("golden", "field"), _golden_params())
def test_golden_field(golden, field):
    spec = json.loads(golden.read_text(encoding="utf-8"))
    source = CORPUS / spec["_source"]
    if not source.exists():
        pytest.skip(f"corpus not available: {source}")
    actual = _parse_corpus_page(spec["_source"], spec.get("_input", {}).get("url"))
    diffs = compare(actual[field], spec[field], field)
    assert not diffs, "\n".join(diffs)


def test_goldens_cover_every_field():
    for path in GOLDEN.rglob("*.expected.json"):
        _, fields = load_spec(path)
        assert set(fields) == RECORD_FIELDS - {"source_format"}, path.name


# --- cross-check against the peer project's split ---------------------------------------------

PEER_PAGES = {
    "espoo_kh_170508_contents_127.json": "2017406946-3.HTM",
    "espoo_yl_130117_contents_5.json": "2013262303-5.HTM",
}
_QUOTES = str.maketrans({"”": '"', "“": '"', "„": '"', "’": "'", "‘": "'", "\xa0": " "})


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def _peer_fragments(content: str) -> list[str]:
    if "<" not in content:
        return [_norm(content)]
    root = lxml_html.fragment_fromstring(content, create_parent="div")
    out = []
    for el in root.iter("p", "li"):
        text = _norm(el.text_content())
        if text:
            out.append(text)
    return out


def _our_text(rec: dict, heading: str) -> str | None:
    proposer = rec["proposer"] or {}
    people = [f"{p['name']}, puh. {p['phone']}" for p in rec["preparers"]]
    mapping = {
        "Dno": rec["case_number"],
        "functionId": (rec["task_class"] or "").replace(".", " "),
        "Valmistelijat / lisätiedot": "\n".join(people + [rec["contact_pattern"] or ""]),
        "Päätösehdotus": f"{proposer.get('title')} {proposer.get('name')}\n{rec['proposal']}",
        "Käsittely": rec["discussion"],
        "Päätös": rec["decision"],
        "Selostus": rec["background"],
    }
    return mapping.get(heading)


def _peer_params():
    peer_dir = CORPUS / "dynasty" / "espoo" / "peer-expected"
    params = []
    for peer_file, page in PEER_PAGES.items():
        path = peer_dir / peer_file
        if not path.exists():
            params.append(pytest.param(peer_file, page, None, id=f"{page}-corpus-missing"))
            continue
        for section in json.loads(path.read_text(encoding="utf-8")):
            params.append(pytest.param(peer_file, page, section["title"],
                                       id=f"{page.split('.')[0]}-{section['title']}"))
    return params


@pytest.mark.parametrize(("peer_file", "page", "heading"), _peer_params())
def test_peer_cross_check(peer_file, page, heading):
    path = CORPUS / "dynasty" / "espoo" / "peer-expected" / peer_file
    if heading is None or not path.exists():
        pytest.skip("corpus not available")
    section = next(s for s in json.loads(path.read_text(encoding="utf-8"))
                   if s["title"] == heading)
    rec = _parse_corpus_page(f"dynasty/espoo/{page}",
                             f"http://espoo04.hosting.documenta.fi/kokous/{page}")
    ours = _our_text(rec, heading)
    assert ours is not None, f"no field mapped for peer heading {heading!r}"
    ours = _norm(ours)
    squeezed = ours.replace(" ", "")
    missing, spacing = [], []
    for frag in _peer_fragments(section["content"]):
        if frag in ours:
            continue
        # The peer drops whitespace-only spans (``muissakin<span> </span>rahastoissa``
        # becomes one word); such fragments are reported, not failed.
        (spacing if frag.replace(" ", "") in squeezed else missing).append(frag)
    for frag in spacing:
        warnings.warn(f"peer differs only in spacing in {heading!r}: {frag[:100]}", stacklevel=1)
    assert not missing, f"{len(missing)} peer fragment(s) not in our {heading!r}:\n" + \
        "\n".join(f"  - {m[:120]}" for m in missing)


# --- properties ---------------------------------------------------------------------------------


_WORDS = ["Päätös", "Päätösehdotus", "Päätöshistoria", "Käsittely", "Selostus", "Liitteet",
          "Liite", "Valmistelijat / lisätiedot:", "Esittelijä", "Tiedoksi", "Esitys",
          "Kaupunginhallitus", "Kaupunginjohtaja Jukka Esimerkki", "§ 12", "12 §",
          "Asianro 5312/13.01/2024", "418/2024", "00.01.01.00", "/2023", "1934/10.02.03",
          "Pöytäkirja 14.03.2024 Pykälä 52", "Esityslista 05.09.2024 Asianro 4",
          "Kaupunginhallitus 6.2.2024 § 31", "etunimi.sukunimi@esimerkkila.fi",
          "Edellinen asia | Seuraava asia", "\xa0\xa0\xa0", "\u00ad", "”", "–", "-", "1)"]
_TAGS = ["<p>", "</p>", "<b>", "</b>", "<br>", "<table><tr><td>", "</td><td>", "</td></tr>",
         "</table>", "<li>", "<ol>", "<ul>", "<div class='data-part-block-htm'>", "</div>",
         "<!--DATA_BEGIN-->", "<!--DATA_END-->", "<!--DATABEGIN-->", "<hr>", "<h3>", "</h3>",
         "<span style='font:7.0pt \"Times New Roman\"'>\xa0\xa0 </span>",
         "<span style='font-weight:bold'>", "</span>", "<a href='x-1.PDF'>", "</a>",
         "<label class='h3'>", "</label>", "<style>", "</style>", "<script>", "<"]


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_TAGS),
                          st.text(max_size=30)), max_size=120),
       st.sampled_from(["utf-8", "cp1252", "utf-16-le"]))
def test_random_html_never_raises(parts, encoding):
    page = "<html><body>" + " ".join(parts)
    assert_sane(parse_item_html(page.encode(encoding, errors="replace")), ItemRecord)


