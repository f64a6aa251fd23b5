"""Never-raise properties, once per registered page kind, through the one guard
(:func:`parsers.parse`): random bytes, fixture pages (and the real corpus's, when
present) cut short or with a chunk cut out, and fixture pages re-encoded in another
charset than they declare (or mixed with another charset's bytes). Every answer is a record of the kind's type that
serialises to JSON, carries no ``parser error`` (the guard is a last resort, not a
habit) and never has a UI label, placeholder or bare number as a title.

``KOKOUSARKISTO_HYPOTHESIS_EXAMPLES=4000`` runs them much harder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import parsers
from parsers.records import PageStructure
from parsers.text.vocabulary import not_a_title_reason
from tests.parsers.cases import PROPERTY_SETTINGS
from tests.parsers.fixtures import fixtures_of

KINDS = sorted(parsers.KINDS)
#: PDFs cost tens of milliseconds a page: fewer examples of real PDF bytes
PDF_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=max(10, PROPERTY_SETTINGS.max_examples // 4))
ENCODINGS = ("utf-8", "cp1252", "iso-8859-1", "iso-8859-15", "utf-16", "mac_roman")
CONTENT_TYPES = st.one_of(st.none(), st.sampled_from(
    [f"text/html; charset={e}" for e in ENCODINGS] + ["text/html", "application/pdf",
                                                       "text/html; charset=bogus-9"]))


#: real pages no test here wrote, when ``../shared/corpus`` is present
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dynasty"


def _pages() -> dict[str, list[bytes]]:
    pages = {kind: [f.data() for f in fixtures_of(kind)] for kind in KINDS}
    for path in sorted(CORPUS.glob("*/*.HTM")) if CORPUS.is_dir() else []:
        data = path.read_bytes()
        pages[parsers.detect_kind(data, path.name)].append(data)
    return pages


PAGES = _pages()


def assert_sane(kind: str, record: object) -> None:
    entry = parsers.KINDS[kind]
    assert isinstance(record, entry.record_type), (kind, type(record))
    data = record.to_dict()  # type: ignore[attr-defined]
    json.dumps(data)
    assert record.structure is not PageStructure.PARSER_ERROR, record.warnings  # type: ignore[attr-defined]
    assert not any(w.startswith("parser error") for w in data["warnings"]), data["warnings"]
    titles = [data.get("title")] + [i.get("title") for i in data.get("items") or []]
    for title in titles:
        if title is not None:
            assert not_a_title_reason(title) is None, (kind, title)


def _settings(kind: str) -> settings:
    return PDF_SETTINGS if kind.endswith("_pdf") else PROPERTY_SETTINGS


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_pages_to_cut(kind) -> None:
    assert PAGES[kind], kind


@pytest.mark.parametrize("kind", KINDS)
def test_random_bytes(kind) -> None:
    @PROPERTY_SETTINGS
    @given(st.one_of(st.binary(max_size=3000),
                     st.binary(max_size=2000).map(lambda b: b"%PDF-1.4\n" + b)),
           CONTENT_TYPES, st.one_of(st.none(), st.text(max_size=60)))
    def check(data: bytes, content_type: str | None, url: str | None) -> None:
        assert_sane(kind, parsers.parse(kind, data, url=url, content_type=content_type))

    check()


@pytest.mark.parametrize("kind", KINDS)
def test_fixtures_cut_short_or_with_a_chunk_cut_out(kind) -> None:
    pages = PAGES[kind]

    @_settings(kind)
    @given(st.sampled_from(range(len(pages))), st.floats(0, 1), st.floats(0, 1), st.booleans())
    def check(index: int, a: float, b: float, short: bool) -> None:
        data = pages[index]
        lo, hi = sorted((int(len(data) * a), int(len(data) * b)))
        cut = data[:hi] if short else data[:lo] + data[hi:]
        assert_sane(kind, parsers.parse(kind, cut, url="http://example.invalid/kokous/1-1.HTM"))

    check()


@pytest.mark.parametrize("kind", KINDS)
def test_fixtures_in_mixed_encodings(kind) -> None:
    pages = PAGES[kind]

    @_settings(kind)
    @given(st.sampled_from(range(len(pages))), st.sampled_from(ENCODINGS),
           st.sampled_from(ENCODINGS), st.floats(0, 1), CONTENT_TYPES)
    def check(index: int, read_as: str, write_as: str, where: float,
              content_type: str | None) -> None:
        data = pages[index]
        text = data.decode(read_as, errors="replace")
        recoded = text.encode(write_as, errors="replace")
        cut = int(len(data) * where)
        mixed = data[:cut] + recoded[cut:]  # a page whose tail came in another charset
        for candidate in (recoded, mixed):
            assert_sane(kind, parsers.parse(kind, candidate, content_type=content_type))

    check()
