"""Official-decision fixtures as data: ``NAME.HTM`` beside ``NAME.expected.json``."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import parse
from tests.parsers.cases import load_spec


def parse_official_decision(data, *, url=None, content_type=None):
    """The ``official_decision`` kind through the front door (its never-raise guard included)."""
    return parse("official_decision", data, url=url, content_type=content_type)

FIXTURES = Path(__file__).with_name("official_decision")
CASES = sorted(FIXTURES.glob("*.HTM"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture(path: Path) -> None:
    inputs, expected = load_spec(path.with_suffix(".expected.json"))
    record = parse_official_decision(path.read_bytes(), url=inputs.get("url"),
                                     content_type=inputs.get("content_type")).to_dict()
    assert {k: record[k] for k in expected} == expected


@pytest.mark.parametrize("data", [b"", b"\xff\xfe\x00", b"<html><label>x<br>Viranhaltijap"])
def test_garbage_is_recorded_not_raised(data: bytes) -> None:
    record = parse_official_decision(data)
    assert record.decision is None and "missing: decision" in record.warnings
