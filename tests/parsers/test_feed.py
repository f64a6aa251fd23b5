"""The feed parser's title splitting and link ids (its fixtures, ``feed/NAME.xml`` +
``NAME.expected.json``, run in the one runner, ``test_fixtures.py``)."""

from __future__ import annotations

from parsers import parse
from parsers.feed.parse import link_id, split_title


def parse_feed(data, *, url=None, content_type=None):
    """The ``feed`` kind through the front door (its never-raise guard included)."""
    return parse("feed", data, url=url, content_type=content_type)


def test_title_splits_on_first_separator_only() -> None:
    assert split_title("Kaupunginhallitus 02.10.2017 / A / B") == (
        "Kaupunginhallitus", "2017-10-02", "A / B")
    assert split_title("Ilman päivämäärää") == (None, None, "Ilman päivämäärää")


def test_link_id_forms() -> None:
    assert link_id("https://h/cgi/DREQUEST.PHP?page=meetingitem&id=20261273-7") == (
        "meetingitem", "20261273-7")
    assert link_id("https://h/kokous/2017406946.HTM") == ("meeting", "2017406946")
    assert link_id("https://h/somewhere") == (None, None)

