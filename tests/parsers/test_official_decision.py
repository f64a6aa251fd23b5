"""Officials' decisions on garbage (their fixtures, ``official_decision/NAME.HTM`` +
``NAME.expected.json``, run in the one runner, ``test_fixtures.py``)."""

from __future__ import annotations

import pytest

from parsers import parse


def parse_official_decision(data, *, url=None, content_type=None):
    """The ``official_decision`` kind through the front door (its never-raise guard included)."""
    return parse("official_decision", data, url=url, content_type=content_type)


@pytest.mark.parametrize("data", [b"", b"\xff\xfe\x00", b"<html><label>x<br>Viranhaltijap"])
def test_garbage_is_recorded_not_raised(data: bytes) -> None:
    record = parse_official_decision(data)
    assert record.decision is None and "missing: decision" in record.warnings
