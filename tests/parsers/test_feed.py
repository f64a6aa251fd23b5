"""The feed parser's title splitting and link ids (its fixtures, ``feed/NAME.xml`` +
``NAME.expected.json``, run in the one runner, ``test_fixtures.py``)."""

from __future__ import annotations

from parsers import parse
from parsers.feed.parse import link_id, split_title
from parsers.records import PageStructure


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



def test_a_link_that_is_no_url_names_nothing_and_does_not_fail_the_feed() -> None:
    # urlsplit raises "Invalid IPv6 URL" on an unclosed bracket; one such entry (a cut
    # feed, a hostile host) must leave the other entries readable
    assert link_id("http://[h/cgi/DREQUEST.PHP?page=meetingitem&id=1-2") == (None, None)
    feed = (b'<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>'
            b"<title>Dynasty</title>"
            b"<item><title>Kaupunginhallitus 02.10.2017 / A</title>"
            b"<link>http://[h/cgi/DREQUEST.PHP?page=meetingitem&amp;id=1-2</link></item>"
            b"<item><title>Kaupunginhallitus 02.10.2017 / B</title>"
            b"<link>https://h/cgi/DREQUEST.PHP?page=meetingitem&amp;id=1-3</link></item>"
            b"</channel></rss>")
    record = parse_feed(feed)
    assert record.structure is PageStructure.FOUND
    assert [(e.subject, e.dynasty_id) for e in record.entries] == [("A", None), ("B", "1-3")]
