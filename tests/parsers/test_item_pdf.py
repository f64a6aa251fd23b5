"""Tests of the Dynasty item PDF parser (``parsers.item_pdf``) beyond its fixtures.

* Generated PDFs: every ``item_pdf/*.yaml`` spec is rendered with ``pdfgen.py``; the
  one runner (``test_fixtures.py``) compares it with ``<name>.expected.json`` (written
  by hand from the spec, not saved from the parser); here the splitting, layout and
  people rules.
* Real PDFs (Oulu, ``../shared/corpus``; skipped when absent): ``*.golden.json``
  holds hand-written expectations, with prose and personal data as digests so that
  no corpus sentence is copied into the repository.
* Robustness: broken, truncated, encrypted, empty and corrupted inputs never raise
  (random and cut bytes: ``test_properties.py``).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import pdfgen  # noqa: E402

from parsers import parse  # noqa: E402
from parsers.item_pdf import rows as dip  # noqa: E402
from parsers.item_pdf.fields import (  # noqa: E402
    parse_attachments,
    parse_history_rows,
    parse_preparers,
    proposer_from_line,
)
from parsers.item_pdf.headings import classify, parse_header  # noqa: E402
from parsers.pdf.layout import Line, Word, read_layout  # noqa: E402
from parsers.pdf.text import extract_pdf_text, extract_pdf_text_with_warnings  # noqa: E402
from parsers.records import Handling, ItemRecord, Proposer  # noqa: E402
from parsers.text.dehyphenate import Vocabulary  # noqa: E402


def parse_item_pdf(data, *, url=None, content_type=None):
    """The ``item_pdf`` kind through the front door (its never-raise guard included)."""
    return parse("item_pdf", data, url=url, content_type=content_type)


def parse_minutes_pdf(data, *, url=None):
    """The ``minutes_pdf`` kind through the front door: the items of a whole PDF."""
    return parse("minutes_pdf", data, url=url).items

SPEC_DIR = HERE / "item_pdf"
CORPUS = HERE.parents[1] / ".." / "shared" / "corpus"
SPECS = sorted(SPEC_DIR.glob("*.yaml"))
GOLDEN = sorted(SPEC_DIR.glob("*.golden.json"))


def _build(name: str) -> bytes:
    return pdfgen.build_pdf(pdfgen.load_spec(SPEC_DIR / f"{name}.yaml"))


_CACHE: dict[str, bytes] = {}


def generated(name: str) -> bytes:
    if name not in _CACHE:
        _CACHE[name] = _build(name)
    return _CACHE[name]


def _field_diff(expected: dict, actual: dict) -> list[str]:
    return [
        f"{key}:\n  expected {expected.get(key)!r}\n  actual   {actual.get(key)!r}"
        for key in sorted(set(expected) | set(actual))
        if expected.get(key) != actual.get(key)
    ]


# --- generated PDFs: spec + expected JSON -------------------------------------------------


def test_both_pdf_families_have_five_fixtures() -> None:
    """Item PDFs and whole-minutes PDFs (several layouts of the people block) are two
    families: each has at least five generated fixtures with expectations."""
    kinds = [pdfgen.load_spec(p).get("function", "item") for p in SPECS]
    assert kinds.count("item") >= 5 and kinds.count("minutes") >= 5, kinds


def test_a_person_sentence_is_split_after_each_phone_number() -> None:
    people, _ = parse_preparers([
        "Talousjohtaja Liisa Laskija puh. 040 123 4567, controller Pekka",
        "Pallo puh. 044 765 4321 ja hallintosihteeri Maija Malli puh. 050",
        "111 2222"])
    assert [(p.title, p.name, p.phone) for p in people] == [
        ("Talousjohtaja", "Liisa Laskija", "040 123 4567"),
        ("controller", "Pekka Pallo", "044 765 4321"),
        ("hallintosihteeri", "Maija Malli", "050 111 2222")]
    # one person per line stays one person per line; a unit line is the title's
    people, _ = parse_preparers(["Riikka Testinen, puh. 050 123 4567",
                                 "Ari Koe, puh. 050 765 4321"])
    assert [(p.name, p.phone) for p in people] == [("Riikka Testinen", "050 123 4567"),
                                                   ("Ari Koe", "050 765 4321")]
    people, _ = parse_preparers(["Liikuntapalvelujen päällikkö Satu Esimerkki",
                                 "Liikuntapalvelut"])
    assert [(p.name, p.title) for p in people] == [
        ("Satu Esimerkki", "Liikuntapalvelujen päällikkö, Liikuntapalvelut")]


def test_generator_is_deterministic() -> None:
    assert _build("agenda") == _build("agenda")


def test_generated_layout_is_measured() -> None:
    layout = read_layout(generated("kuopio_minutes"))
    assert layout.page_count == 2
    assert layout.body_x == pytest.approx(184, abs=1)
    assert layout.left_x == pytest.approx(57, abs=1)
    assert layout.body_size == 11
    # the running header of both pages is gone from the content, page numbers too
    assert [ln.text for ln in layout.header[:2]] == [
        "Kuopion kaupunki Pöytäkirja 14/2019 1 (2)",
        "Kaupunginhallitus 04.11.2019",
    ]
    assert not any("(2)" in ln.text for ln in layout.lines)
    single = read_layout(generated("single_column"))
    assert single.body_x is None


def test_footer_and_repeated_header_without_rule() -> None:
    layout = read_layout(generated("wrapped_headings"))
    assert layout.page_count == 2
    assert len(layout.header) == 4  # two lines on both pages, found by repetition
    assert len(layout.footer) == 2
    assert not any("www.testikaupunki.fi" in ln.text for ln in layout.lines)


def test_minutes_split_shares_the_header() -> None:
    items = parse_minutes_pdf(generated("minutes_multi"))
    assert [r.section for r in items] == ["41", "42", "43"]
    assert {r.meeting_date for r in items} == {"2020-04-21"}
    # an item PDF parser given a whole minutes PDF says so
    rec = parse_item_pdf(generated("minutes_multi"))
    assert any("minutes_pdf" in w for w in rec.warnings)


def test_minutes_pdf_without_sections_is_one_item() -> None:
    items = parse_minutes_pdf(generated("wrapped_headings"))
    assert len(items) == 1 and items[0].title == "Katujen kunnossapito-ohjelma vuodelle 2020"


def test_history_never_fills_own_fields() -> None:
    rec = parse_item_pdf(generated("history"))
    own = " ".join(filter(None, [rec.proposal, rec.decision, rec.discussion]))
    assert "palautti" not in own and "tiedoksi" not in own and "lisäselvityksen" not in own
    assert rec.proposer == Proposer(name="Jukka Esimerkki", title="Kaupunginjohtaja")


def test_table_lines_are_not_dehyphenated() -> None:
    rec = parse_item_pdf(generated("wrapped_headings"))
    assert "2020-\n\nTorikadun päällystys- 80 000 €" in (rec.background or "")


def test_pages_are_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfplumber.page

    closed: list[int] = []
    original = pdfplumber.page.Page.close

    def close(self) -> None:
        closed.append(self.page_number)
        original(self)

    monkeypatch.setattr(pdfplumber.page.Page, "close", close)
    parse_item_pdf(generated("kuopio_minutes"))
    # every page is closed right after use (PDF.close() closes them once more)
    assert closed[:2] == [1, 2]


# --- extract_pdf_text ---------------------------------------------------------------------


def test_extract_pdf_text() -> None:
    pages = extract_pdf_text(generated("kuopio_minutes"))
    assert len(pages) == 2
    assert pages[0].startswith("Kuopion kaupunki Pöytäkirja 14/2019 1 (2)\n")
    assert "asti Pohjois-Savon\nliikuntajärjestöjen" in pages[0]
    assert "taajama-alueella" in pages[0]
    assert "Poh-" not in pages[0]
    # a hyphen at the end of a page stays: page texts are separate documents
    assert pages[0].rstrip().endswith("Kunnos-")
    assert "2 (2)" in pages[1]


def test_extract_pdf_text_bad_input() -> None:
    assert extract_pdf_text(b"") == []
    assert extract_pdf_text(b"<html><body>404</body></html>") == []
    pages, warnings = extract_pdf_text_with_warnings(b"<html>")
    assert pages == [] and warnings == ["not a PDF: starts with b'<html'"]


# --- bad input never raises -------------------------------------------------------------


def test_not_a_pdf() -> None:
    rec = parse_item_pdf(b"<html><head><title>Virhe</title></head></html>")
    assert isinstance(rec, ItemRecord)
    assert rec.source_format == "pdf"
    assert rec.warnings[0] == "not a PDF: starts with b'<html'"
    assert "missing: title" in rec.warnings


def test_empty_input() -> None:
    assert parse_item_pdf(b"").warnings[0] == "not a PDF: empty input"
    items = parse_minutes_pdf(b"")
    assert len(items) == 1 and items[0].warnings[0] == "not a PDF: empty input"


def test_truncated_pdf() -> None:
    data = generated("agenda")
    rec = parse_item_pdf(data[: len(data) // 2])
    assert isinstance(rec, ItemRecord)
    assert rec.warnings  # either unreadable or missing fields


def test_encrypted_pdf() -> None:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, encrypt=StandardEncryption("salainen", canPrint=0))
    c.drawString(57, 700, "§ 1 Salainen asia")
    c.save()
    rec = parse_item_pdf(buf.getvalue())
    assert rec.warnings[0].startswith("encrypted PDF")
    assert extract_pdf_text(buf.getvalue()) == []


def test_pdf_without_text() -> None:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.rect(100, 100, 300, 300, fill=1)
    c.save()
    rec = parse_item_pdf(buf.getvalue())
    assert rec.warnings[0] == "no text in PDF (scanned image?)"
    assert extract_pdf_text(buf.getvalue()) == [""]


def _never_raises(data: bytes) -> None:
    rec = parse_item_pdf(data)
    assert isinstance(rec, ItemRecord) and rec.source_format == "pdf"
    json.dumps(rec.to_dict())
    items = parse_minutes_pdf(data)
    assert items and all(isinstance(r, ItemRecord) for r in items)
    pages = extract_pdf_text(data)
    assert isinstance(pages, list) and all(isinstance(p, str) for p in pages)


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=20))
def test_corrupted_pdfs_never_raise(flips: list[tuple[int, int]]) -> None:
    data = bytearray(generated("kuopio_minutes"))
    for pos, value in flips:
        data[pos % len(data)] = value
    _never_raises(bytes(data))


# --- helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vs. kaupunginjohtaja Matti Malli", Proposer("Matti Malli", "Vs. kaupunginjohtaja")),
        ("Kaupunginjohtaja Outi Esimerkki", Proposer("Outi Esimerkki", "Kaupunginjohtaja")),
        ("Ympäristönsuojelupäällikkö Tuula Testi-Tyynilä",
         Proposer("Tuula Testi-Tyynilä", "Ympäristönsuojelupäällikkö")),
        ("Merkitään tiedoksi.", None),
        ("Kaupunginvaltuusto tekee Testilän kaupungin", None),
        ("Kaupunginhallitus", None),
        ("Kaupunginhallitus hyväksyy osaltaan suunnitelman.", None),
        ("Lautakunta esittää 12.3.2020 Pekka Testi", None),
        ("", None),
    ],
)
def test_proposer_from_line(text: str, expected: Proposer | None) -> None:
    assert proposer_from_line(text) == expected


def test_parse_preparers() -> None:
    people, pattern = parse_preparers(
        [
            "Talousyksikkö,",
            "konsernicontroller Maija Malli puh. 044 000 0001,",
            "talouspäällikkö Pekka Pallo puh. 044 000 0002 ja",
            "talousjohtaja Outi Koe puh. 040 000 0003",
        ]
    )
    assert [(p.name, p.title, p.phone) for p in people] == [
        ("Maija Malli", "konsernicontroller", "044 000 0001"),
        ("Pekka Pallo", "talouspäällikkö", "044 000 0002"),
        ("Outi Koe", "talousjohtaja", "040 000 0003"),
    ]
    assert pattern is None
    people, pattern = parse_preparers(
        ["Sivistysjohtaja Mikko Malli puh. 044 1234567, suunnittelija Anna Koe puh. 044 7654321",
         "etunimi.sukunimi@testila.fi"]
    )
    assert [p.name for p in people] == ["Mikko Malli", "Anna Koe"]
    assert pattern == "etunimi.sukunimi@testila.fi"
    people, _ = parse_preparers(["Ympäristönsuojelupäällikkö", "Tuula Testi-Tyynilä"])
    assert [(p.name, p.title) for p in people] == [("Tuula Testi-Tyynilä", "Ympäristönsuojelupäällikkö")]
    # a unit line is appended to the person's title, as the HTML parser does
    people, _ = parse_preparers(["Hyvinvoinnin edistämisen johtaja Heli Malli", "Aktivointiyksikkö"])
    assert [(p.name, p.title) for p in people] == [
        ("Heli Malli", "Hyvinvoinnin edistämisen johtaja, Aktivointiyksikkö")
    ]
    _, pattern = parse_preparers(["Kalle Malli puh. 044 718 3302", "etunimi.sukunimi(at)demola.fi"])
    assert pattern == "etunimi.sukunimi@demola.fi"


def test_merge_people() -> None:
    from parsers.records import Person
    from parsers.text.vocabulary import merge_people

    merged = merge_people(
        [Person("Kalle Malli", "Liikuntapäällikkö"), Person("Kalle Malli", None, "044 1"),
         Person("Outi Koe", None, "040 2")]
    )
    assert merged == [Person("Kalle Malli", "Liikuntapäällikkö", "044 1"), Person("Outi Koe", None, "040 2")]


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Valmistelijat/ Lisätietojen antaja", "preparers"),
        ("Valmistelijat / lisätiedot:", "preparers"),
        ("Kaupunginhallituksen päätösehdotus", "proposal"),
        ("Kaupunginjohtajan esitys", "proposal"),
        ("Päätösesitys", "proposal"),
        ("Päätöshistoria", "history"),
        ("Tiivistelmä", "background"),
        ("Esittelyteksti", "background"),
        ("Täytäntöönpanotiedot", "for_information"),
        ("Oheismateriaali", "supplementary"),
        ("Aika", None),
    ],
)
def test_classify(heading: str, field: str | None) -> None:
    assert classify(heading) == field


def _line(*cells: tuple[float, str], size: float = 11, page: int = 1) -> Line:
    words = []
    for x, text in cells:
        for w in text.split():
            words.append(Word(w, x, x + 6 * len(w), 40, 40 + size, size, False))
            x += 6 * len(w) + 3
    return Line(page=page, words=words)


def test_parse_header() -> None:
    header = [
        _line((57, "TESTILÄN KAUPUNKI"), (300, "PÖYTÄKIRJA 11/2019"), (480, "1 (2)")),
        _line((57, "KAUPUNGINHALLITUS"), (300, "04.11.2019")),
    ]
    assert parse_header(header) == ("Kaupunginhallitus", "2019-11-04", "minutes")
    header = [_line((57, "Testilän kaupunki")), _line((315, "Päivämäärä"))]
    assert parse_header(header) == (None, None, None)
    header = [_line((57, "Pikkulan kunta"), (300, "Esityslista"), (450, "Kunnanhallitus 3.2.2020"))]
    assert parse_header(header) == ("Kunnanhallitus", "2020-02-03", "agenda")
    assert parse_header([]) == (None, None, None)


def test_parse_history_rows() -> None:
    rows = [
        "Juhlavuoden 2020 -toimikunta 3.5.2019, 7.11.2019",
        "Opetus- ja kasvatuslautakunta 12.2.2019 § 21",
        "Kaupunginhallitus 88 § 14.3.2022",
        "-",
    ]
    assert parse_history_rows(rows, lists=True) == [
        Handling("Juhlavuoden 2020 -toimikunta", None, "2019-05-03"),
        Handling("Juhlavuoden 2020 -toimikunta", None, "2019-11-07"),
        Handling("Opetus- ja kasvatuslautakunta", "21", "2019-02-12"),
        Handling("Kaupunginhallitus", "88", "2022-03-14"),
    ]
    assert parse_history_rows(rows[:1], lists=False) == []


def test_attachments_unnumbered_and_none() -> None:
    layout = read_layout(generated("kuopio_minutes"))
    ctx = dip.text_context(layout, dip.content_rows(layout))
    rows = [r for r in dip.content_rows(layout) if r.text.startswith(("1 ", "2 ", "alueellinen"))]
    titles = [a.title for a in parse_attachments(rows, ctx)]
    assert titles == [
        "Lähiliikuntapaikkojen kunnostusohjelma 2020 – 2022",
        "Kohdeluettelo ja kustannusarvio liikuntapaikoittain sekä alueellinen aikataulu",
    ]
    assert isinstance(ctx.vocab, Vocabulary)


# --- real PDFs: Oulu golden files (digests) and the peer project's split ---------------------


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _corpus_pdf(rel: str) -> bytes:
    path = CORPUS / rel
    if not path.exists():
        pytest.skip(f"../shared/corpus/{rel} is not available")
    return path.read_bytes()


def golden_accuracy(golden: dict) -> tuple[int, int, list[str]]:
    """``(fields equal, fields checked, names of wrong fields)`` for one golden file."""
    rec = parse_item_pdf(_corpus_pdf(golden["source"])).to_dict()
    wrong = [k for k, v in golden["literal"].items() if rec[k] != v]
    wrong += [k for k, v in golden["digest"].items() if _digest(rec[k]) != v["sha256"]]
    total = len(golden["literal"]) + len(golden["digest"])
    return total - len(wrong), total, wrong


@pytest.mark.parametrize("golden_path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_oulu_golden(golden_path: Path) -> None:
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    equal, total, wrong = golden_accuracy(golden)
    print(f"{golden_path.stem}: {equal}/{total} fields")
    assert not wrong, f"fields differing from the hand-written expectation: {wrong}"
    assert total == len(ItemRecord().to_dict())


def test_oulu_every_field_covered() -> None:
    for path in GOLDEN:
        golden = json.loads(path.read_text(encoding="utf-8"))
        covered = set(golden["literal"]) | set(golden["digest"])
        assert covered == set(ItemRecord().to_dict()), path.name


def test_oulu_matches_peer_split() -> None:
    """Cross-check against another project's expected section split of 395959398."""
    peer_path = CORPUS / "tweb-pdf" / "oulu" / "395959398_actions.json"
    if not peer_path.exists():
        pytest.skip("../shared/corpus is not available")
    peer = {s["title"]: s["content"] for s in json.loads(peer_path.read_text(encoding="utf-8"))}
    rec = parse_item_pdf(_corpus_pdf("tweb-pdf/oulu/395959398.pdf"))
    assert rec.case_number_raw == peer["Dno"]
    assert rec.proposal == peer["Kaupunginhallituksen päätösehdotus"]
    assert rec.decision == peer["Päätös"]
    assert rec.task_class.replace(".", " ") == peer["functionId"]
    # the earlier handling's own proposal and decision stay out of this item's fields
    history = peer["Kaupunginhallituksen käsittely"]
    own_proposal = history.split("Päätösesitys ", 1)[1].split("\n\n")[0]
    assert own_proposal not in (rec.proposal or "") + (rec.decision or "")
    # every background paragraph is a paragraph of the peer's history block
    for para in (rec.background or "").split("\n\n"):
        assert para in history.split("\n\n")
    assert rec.attachments == [] and rec.supplementary is None  # "-" means none
    for line in peer["Päätöshistoria"].replace(" Sivistys", "\nSivistys").replace(
        " Kaupunginhallitus", "\nKaupunginhallitus"
    ).splitlines():
        assert any(h.body in line for h in rec.previous_handlings), line


def test_oulu_single_page_header() -> None:
    layout = read_layout(_corpus_pdf("tweb-pdf/oulu/35090068.pdf"))
    assert [ln.text for ln in layout.header] == ["Oulun kaupunki", "Päivämäärä"]
    assert layout.body_x is not None and 180 <= layout.body_x <= 190


def test_oulu_extract_pdf_text() -> None:
    pages = extract_pdf_text(_corpus_pdf("tweb-pdf/oulu/395959398.pdf"))
    assert len(pages) == 2 and all(pages)


# --- the demo site (demosite/, built by another engineer; skipped when absent) --------------


def _demosite():
    try:
        from demosite.expected import expected_items
        from demosite.site import build_site
    except Exception:  # noqa: BLE001 - not there yet, or broken: not this module's test
        pytest.skip("demosite is not available")
    return build_site("http://localhost:1"), expected_items()


def _ws(value):
    return " ".join(value.split()) if isinstance(value, str) else value


EXACT = ("section", "case_number", "case_number_raw", "task_class", "title", "body",
         "meeting_date", "document_type", "proposal", "decision", "discussion",
         "for_information", "contact_pattern", "proposer", "previous_handlings")


def test_demosite_item_pdfs() -> None:
    """Every demo item PDF parses to the demo site's ground truth.

    Deliberate differences (shared with the HTML parser): a preparer's unit line is
    appended to the title, and with both ``Esitys`` and ``Päätösehdotus`` the esitys
    is background under its heading; so titles and background are compared loosely.
    """
    site, items = _demosite()
    wrong: list[str] = []
    for e in items:
        rec = parse_item_pdf(site.pages[e["pdf_path"]][1]).to_dict()
        for name in EXACT:
            if _ws(rec[name]) != _ws(e[name]):
                wrong.append(f"{e['item_id']} {name}: {rec[name]!r} != {e[name]!r}")
        titles = [_ws(a["title"]) for a in rec["attachments"]]
        if titles != [_ws(a["title"]) for a in e["attachments"]]:
            wrong.append(f"{e['item_id']} attachments: {titles}")
        people = [(p["name"], p["phone"]) for p in rec["preparers"]]
        if people != [(p["name"], p["phone"]) for p in e["preparers"]]:
            wrong.append(f"{e['item_id']} preparers: {people}")
        for para in (e["background"] or "").split("\n\n"):
            if _ws(para) not in _ws(rec["background"] or ""):
                wrong.append(f"{e['item_id']} background lacks: {para[:60]!r}")
        missing = [f"missing: {k}" for k in ("case_number",) if not e[k]]
        if rec["warnings"] != missing:
            wrong.append(f"{e['item_id']} warnings: {rec['warnings']}")
    assert not wrong, "\n".join(wrong)


def test_demosite_pdf_agrees_with_html_parser() -> None:
    """The fields the harvester compares (``parsers.crosscheck``) agree with the HTML
    parser on every demo item."""
    site, items = _demosite()
    try:
        from parsers.crosscheck import COMPARED_FIELDS, _norm
    except Exception:  # noqa: BLE001
        pytest.skip("the HTML parser or crosscheck is not available")
    wrong = []
    for e in items:
        html = parse("item_html", site.pages[e["html_path"]][1])
        pdf = parse_item_pdf(site.pages[e["pdf_path"]][1])
        for name in COMPARED_FIELDS:
            a, b = getattr(html, name), getattr(pdf, name)
            if _norm(a) != _norm(b):
                wrong.append(f"{e['item_id']} {name}: html {a!r} pdf {b!r}")
    assert not wrong, "\n".join(wrong)


def test_demosite_minutes_pdfs_split_into_items() -> None:
    site, items = _demosite()
    by_doc: dict[str, list[dict]] = {}
    for e in items:
        by_doc.setdefault(e["doc_id"], []).append(e)
    for doc_id, expected in by_doc.items():
        got = parse_minutes_pdf(site.pages[f"/kokous/{doc_id}.PDF"][1])
        for name in ("section", "title", "case_number", "previous_handlings", "proposal"):
            assert [r.to_dict()[name] for r in got] == [
                e[name] for e in expected
            ], (doc_id, name)
