"""Feed fixtures as data: each ``NAME.xml`` in feed/ has ``NAME.expected.json``.

Expected keys are compared; keys an expectation leaves out are not. ``"bozo": true``
means the feed is malformed and a warning must say so while entries still come out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers import parse
from parsers.feed.parse import link_id, split_title


def parse_feed(data, *, url=None, content_type=None):
    """The ``feed`` kind through the front door (its never-raise guard included)."""
    return parse("feed", data, url=url, content_type=content_type)

FIXTURES = Path(__file__).with_name("feed")
CASES = sorted(FIXTURES.glob("*.xml"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_feed_fixture(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    result = parse_feed(path.read_bytes())
    if "title" in expected:
        assert result.title == expected["title"]
    if expected.get("bozo"):
        assert any("malformed" in w for w in result.warnings)
    elif "warnings" in expected:
        assert result.warnings == expected["warnings"]
    assert len(result.entries) == len(expected["entries"])
    for entry, want in zip(result.entries, expected["entries"], strict=True):
        for key, value in want.items():
            assert getattr(entry, key) == value, (path.name, key)


def test_title_splits_on_first_separator_only() -> None:
    assert split_title("Kaupunginhallitus 02.10.2017 / A / B") == (
        "Kaupunginhallitus", "2017-10-02", "A / B")
    assert split_title("Ilman päivämäärää") == (None, None, "Ilman päivämäärää")


def test_link_id_forms() -> None:
    assert link_id("https://h/cgi/DREQUEST.PHP?page=meetingitem&id=20261273-7") == (
        "meetingitem", "20261273-7")
    assert link_id("https://h/kokous/2017406946.HTM") == ("meeting", "2017406946")
    assert link_id("https://h/somewhere") == (None, None)


@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    result = parse_feed(data)
    assert isinstance(result.entries, list)
