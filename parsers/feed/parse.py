"""Dynasty RSS feeds (``page=rss/meetingitems``, ``rss/meetings``, ``rss/official_decisions``).

The feeds are ISO-8859-1 with HTML entities inside CDATA and carry no reliable guid or
pubDate: the id in each link is the key. Titles read ``Toimielin DD.MM.YYYY / Otsikko``
and the subject may itself contain `` / ``, so only the first separator splits.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import feedparser

from parsers.records import FeedEntry, FeedRecord, PageStructure
from parsers.text.vocabulary import DATE_RE, clean_text, document_type_of, parse_fi_date

_STATIC_ID_RE = re.compile(r"/kokous/([0-9]+(?:-[0-9]+)*)\.(?:HTM|PDF)$", re.I)


def link_id(link: str) -> tuple[str | None, str | None]:
    """``...DREQUEST.PHP?page=meetingitem&id=20261273-7`` → ``("meetingitem", "20261273-7")``.

    Static hosts link ``/kokous/20261273-7.HTM`` instead; the id is the file name. A link
    that is no URL at all (``http://[``: urlsplit raises) names no page and no id.
    """
    try:
        parts = urlsplit(link)
    except ValueError:
        return None, None
    query = parse_qs(parts.query)
    if "id" in query:
        return (query.get("page") or [None])[0], query["id"][0]
    m = _STATIC_ID_RE.search(parts.path)
    if m:
        return ("meetingitem" if "-" in m.group(1) else "meeting"), m.group(1)
    return (query.get("page") or [None])[0], None


def split_title(title: str) -> tuple[str | None, str | None, str | None]:
    """``Kaupunginhallitus 02.10.2017 / A / B`` → ``("Kaupunginhallitus", "2017-10-02", "A / B")``.

    The last date before the first separator is the meeting date.
    """
    head, sep, subject = title.partition(" / ")
    if not sep:
        head, subject = title, ""
    dates = list(DATE_RE.finditer(head))
    if not dates:
        return None, None, clean_text(title) or None
    m = dates[-1]
    body = clean_text(head[: m.start()]) or None
    return body, parse_fi_date(m.group(0)), clean_text(subject) or None


def _unescape(text: str | None) -> str:
    # Entities written inside CDATA survive XML parsing literally; decode them once.
    return html.unescape(text or "")


def parse(data: bytes, *, url: str | None = None, content_type: str | None = None) -> FeedRecord:
    """Parse a Dynasty RSS feed. Malformed feeds are recorded in ``warnings``, not raised.

    ``url`` and ``content_type`` are not needed (links in a feed are absolute, and the
    XML declares its encoding); they are accepted so that every kind has one face.
    """
    result = FeedRecord()
    parsed = feedparser.parse(data)
    if not parsed.get("version"):
        # an error page or nothing at all where the feed should be: no entries to invent
        result.structure = (PageStructure.EMPTY if not bytes(data).strip()
                            else PageStructure.UNKNOWN_TEMPLATE)
        result.warn("empty document" if result.structure is PageStructure.EMPTY
                    else "unknown template: not an RSS or Atom feed")
        return result
    if parsed.get("bozo"):
        result.warnings.append(f"malformed feed: {parsed.get('bozo_exception')!r}")
    result.title = _unescape(parsed.feed.get("title")) or None
    for entry in parsed.entries:
        link = _unescape(entry.get("link")).strip()
        raw_title = clean_text(_unescape(entry.get("title")))
        if not link:
            result.warnings.append(f"entry without link: {raw_title!r}")
            continue
        page, dynasty_id = link_id(link)
        body, date, subject = split_title(raw_title)
        description = clean_text(_unescape(entry.get("summary"))) or None
        result.entries.append(FeedEntry(
            link=link, dynasty_id=dynasty_id, page=page, raw_title=raw_title, body=body,
            meeting_date=date, subject=subject, description=description,
            document_type=document_type_of(subject) if page == "meeting" else None,
        ))
    return result
