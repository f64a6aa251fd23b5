"""Dynasty RSS feeds, byte for byte in the shape real Dynasty servers send.

Real feeds are ISO-8859-1, put every text in CDATA, have no ``guid`` or
``pubDate``, and write HTML entities inside the CDATA of descriptions. Because
CDATA is literal, feedparser hands those entities through (it labels the values
``text/html``): a harvester must ``html.unescape`` titles and descriptions. The
demo does the same so that harvesters are tested against that quirk. Characters
outside Latin-1 (“ ” – €) are written as numeric entities, since the encoding
cannot hold them.
"""

from __future__ import annotations

from html.entities import codepoint2name

from .common import Urls, dyn_date
from .model import Document, OfficialDecision

ENCODING = "iso-8859-1"
DEFAULT_SHOW = 30


def title_text(text: str) -> str:
    """CDATA text for a title: Latin-1 as is, ``&<>`` and the rest as entities."""
    out = []
    for ch in text:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ord(ch) > 0xFF:
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def description_text(text: str) -> str:
    """CDATA text for a description: every non-ASCII character as an HTML entity.

    Named entities where HTML has one (``&auml;``), numeric ones otherwise
    (``&#8211;``), as Dynasty's HTML-to-RSS step writes them.
    """
    out = []
    for ch in title_text(text):
        code = ord(ch)
        if code < 0x80:
            out.append(ch)
        elif code in codepoint2name and code <= 0xFF:
            out.append(f"&{codepoint2name[code]};")
        else:
            out.append(f"&#{code};")
    return "".join(out)


def _cdata(tag: str, text: str) -> str:
    return f"<{tag}><![CDATA[{text}]]></{tag}>"


def channel(description: str, link: str, entries: list[tuple[str, str, str]]) -> bytes:
    """One ``<rss>`` document; ``entries`` are ``(title, description, link)``."""
    items = "".join(
        "<item>"
        + _cdata("title", title_text(title))
        + _cdata("description", description_text(desc))
        + _cdata("link", url)
        + "</item>"
        for title, desc, url in entries
    )
    xml = (
        "<?xml version='1.0' encoding='iso-8859-1'?><rss version='2.0'><channel>"
        + _cdata("title", "Dynasty")
        + _cdata("description", description)
        + _cdata("link", link)
        + items
        + "</channel></rss>"
    )
    return xml.encode(ENCODING)


def newest_first(docs: list[Document]) -> list[Document]:
    return sorted(docs, key=lambda d: (d.published, d.meeting.date, d.doc_id), reverse=True)


def meeting_items_feed(docs: list[Document], urls: Urls, show: int = DEFAULT_SHOW) -> bytes:
    """``page=rss/meetingitems``: items of the newest documents first.

    Within one document the items keep their agenda order. Titles are
    ``<body> <dd.mm.yyyy> / <item title>``; item titles may contain `` / `` too, so
    split on the first one.
    """
    entries = [
        (
            f"{doc.meeting.body.name} {dyn_date(doc.meeting.date)} / {item.title}",
            item.title,
            urls.cgi("meetingitem", doc.item_id(item)),
        )
        for doc in newest_first(docs)
        for item in doc.meeting.items
    ]
    return channel("Dynasty - Kokousasiat", urls.cgi("meeting_frames"), entries[: max(show, 0)])


def meetings_feed(docs: list[Document], urls: Urls, show: int = DEFAULT_SHOW) -> bytes:
    """``page=rss/meetings``: ``<body> <dd.mm.yyyy> / Pöytäkirja`` (or ``/ Esityslista``)."""
    entries = [
        (
            f"{doc.meeting.body.name} {dyn_date(doc.meeting.date)} / {doc.label}",
            f"{doc.meeting.body.name} {doc.label.lower()} {dyn_date(doc.meeting.date)}"
            f" klo {doc.meeting.time}, {doc.meeting.place}",
            urls.cgi("meeting", doc.doc_id),
        )
        for doc in newest_first(docs)
    ]
    return channel("Dynasty - Kokoukset", urls.cgi("meeting_frames"), entries[: max(show, 0)])


def official_decisions_feed(
    decisions: list[OfficialDecision], urls: Urls, show: int = DEFAULT_SHOW
) -> bytes:
    """``page=rss/official_decisions``: ``<official title> <dd.mm.yyyy> / <title>``."""
    ordered = sorted(decisions, key=lambda d: (d.published, d.id), reverse=True)
    entries = [
        (
            f"{d.official.title} {dyn_date(d.date)} / {d.title}",
            d.title,
            urls.cgi("official_decision", d.id),
        )
        for d in ordered
    ]
    return channel(
        "Dynasty - Viranhaltijapäätökset", urls.cgi("meeting_frames"), entries[: max(show, 0)]
    )
