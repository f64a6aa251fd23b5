"""Template families as data (issue 11): every HTML fixture names its families, each
family the issue lists has at least five fixtures, and no fixture's record carries a UI
label, caption, bare number or placeholder as a title or a text value.

A fixture's ``_families`` (in ``NAME.expected.json``) lists the page family
(``word2013``, ``word2017``, ``dynasty10_div_nav`` = Dynasty 10 before 10.4.0.260401,
``dynasty10_table_nav`` = after, ``static_meeting``, ``kuopio_databegin``,
``other_system``) and its variants (charset as served, language, document type, page
kind). The demo site and ``check-corpus`` read the same tags.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from parsers import detect_kind, parse
from parsers.text.vocabulary import UI_LABELS, not_a_title_reason
from tests.parsers.cases import load_spec

HERE = Path(__file__).resolve().parent
FOLDERS = {"item_html": "item_html", "meeting_html": "meeting_html",
           "official_decision": "official_decision"}
#: The families and variants the issue asks for, each with at least five fixtures.
REQUIRED = ("word2013", "word2017", "dynasty10_div_nav", "dynasty10_table_nav", "utf-8",
            "iso-8859-1", "swedish", "official_decision", "meeting_page", "agenda", "minutes")
MINIMUM = 5
TEXT_FIELDS = ("title", "proposal", "decision", "discussion", "background", "for_information",
               "supplementary", "appeal")


def _fixtures() -> list[tuple[str, Path]]:
    return [(kind, page) for kind, folder in FOLDERS.items()
            for page in sorted((HERE / folder).glob("*.HTM"))]


FIXTURES = _fixtures()


def _families(page: Path) -> list[str]:
    spec = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
    return spec.get("_families") or []


def test_every_html_fixture_names_its_families():
    unnamed = [f"{kind}/{page.name}" for kind, page in FIXTURES if not _families(page)]
    assert not unnamed, unnamed


def test_each_family_has_five_fixtures():
    counts = Counter(f for _, page in FIXTURES for f in _families(page))
    short = {f: counts[f] for f in REQUIRED if counts[f] < MINIMUM}
    assert not short, f"families with fewer than {MINIMUM} fixtures: {short}"


@pytest.mark.parametrize(("kind", "page"), FIXTURES, ids=[f"{k}/{p.stem}" for k, p in FIXTURES])
def test_no_label_number_or_placeholder_as_a_value(kind, page):
    inputs, _ = load_spec(page.with_suffix(".expected.json"))
    record = parse(kind, page.read_bytes(), url=inputs.get("url"),
                   content_type=inputs.get("content_type")).to_dict()
    titles = [record.get("title")] + [i.get("title") for i in record.get("items", [])]
    for title in titles:
        if title is not None:
            assert not_a_title_reason(title) is None, title
    for name in TEXT_FIELDS:
        value = record.get(name)
        if value:
            assert value.strip(" -–—.") and value.casefold() not in UI_LABELS, (name, value)
            assert not value.startswith(("Navigointi", "Kokousasian teksti")), (name, value)
    for attachment in record.get("attachments", []):
        assert attachment["title"].strip(" -–—.()") and not attachment["title"].startswith("(")


@pytest.mark.parametrize(("kind", "page"), FIXTURES, ids=[f"{k}/{p.stem}" for k, p in FIXTURES])
def test_each_fixture_is_detected_as_its_kind(kind, page):
    """``check-corpus`` and ``kokousarkisto parse`` choose the parser by content: a saved
    page of every family must be told apart (an official's decision by its label even
    on a page whose body class is an item page's)."""
    inputs, _ = load_spec(page.with_suffix(".expected.json"))
    assert detect_kind(page.read_bytes(), inputs.get("url")) == kind
