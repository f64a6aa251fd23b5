"""The page kinds: one registry line per kind, the one never-raise guard, detection.

Every kind's parser has the same face, ``parse(data, *, url=None, content_type=None)
-> Record``; :func:`parse` looks the kind up here and runs it inside the guard, so a
parser bug on one page becomes a ``parser error`` warning on an empty record of the
right type and never stops a harvest. Adding a page kind is one package under
``parsers/``, one line in :data:`KINDS` and a fixture folder under ``tests/parsers/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from parsers.feed import parse as feed
from parsers.html.links import classify_link
from parsers.item_html import parse as item_html
from parsers.item_pdf import parse as item_pdf
from parsers.lists_html import parse as lists_html
from parsers.meeting_html import parse as meeting_html
from parsers.official_decision import parse as official_decision
from parsers.records import (
    BodyListRecord,
    FeedRecord,
    ItemRecord,
    MeetingListRecord,
    MeetingRecord,
    MinutesRecord,
    OfficialDecisionRecord,
    PageStructure,
    Record,
)


@dataclass(frozen=True)
class Kind:
    """A page kind: its name, its parser and the record type the parser returns."""

    name: str
    parse: Callable[..., Record]
    record_type: type[Record]
    description: str
    #: the empty record the guard returns when the parser fails (default: ``record_type()``)
    empty: Callable[[], Record] | None = None

    def empty_record(self) -> Record:
        return self.empty() if self.empty else self.record_type()  # type: ignore[call-arg]


#: every page kind, by name, in the order ``kokousarkisto parse --kind`` lists them
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("item_html", item_html.parse, ItemRecord, "an agenda item or minutes section page"),
    Kind("item_pdf", item_pdf.parse, ItemRecord, "one item's PDF",
         empty=lambda: ItemRecord(source_format="pdf")),
    Kind("minutes_pdf", item_pdf.parse_minutes, MinutesRecord,
         "a whole agenda or minutes PDF, split into items"),
    Kind("meeting_html", meeting_html.parse, MeetingRecord,
         "a meeting document's page: its items, attendees, appeals"),
    Kind("body_list", lists_html.parse_body_list, BodyListRecord,
         "the list of bodies (TELIMET.HTM, page=meeting_frames)"),
    Kind("meeting_list", lists_html.parse_meeting_list, MeetingListRecord,
         "a body's list of meetings (TELIN-<id>.HTM, page=meetings)"),
    Kind("feed", feed.parse, FeedRecord, "a Dynasty RSS feed"),
    Kind("official_decision", official_decision.parse, OfficialDecisionRecord,
         "an official's decision (viranhaltijapäätös)"),
)}


def parse(kind: str, data: bytes, *, url: str | None = None,
          content_type: str | None = None) -> Record:
    """Parse ``data`` as a page of ``kind``; never raises for any bytes.

    An unknown ``kind`` is a caller's mistake and raises ``ValueError``; anything the
    parser itself raises becomes a ``parser error`` warning on an empty record whose
    ``structure`` is ``parser_error``. This is the only place that catches a parser's
    exceptions: the kinds' parsers themselves let them through.
    """
    try:
        entry = KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown page kind {kind!r}; use one of {', '.join(KINDS)}") from None
    try:
        return entry.parse(data, url=url, content_type=content_type)
    except Exception as exc:  # noqa: BLE001 - the one guard: a parser bug must not stop a run
        record = entry.empty_record()
        record.structure = PageStructure.PARSER_ERROR
        record.warn(f"parser error: {type(exc).__name__}: {str(exc)[:200]}")
        return record


# --- which kind ---------------------------------------------------------------------------

_BODY_CLASS_RE = re.compile(rb"<body[^>]*\bclass\s*=\s*[\"']?([\w-]+)", re.I)
_BODY_CLASSES = {"bodykokousasia": "item_html", "bodykokous": "meeting_html",
                 "bodytelimet": "body_list", "bodytelin": "meeting_list"}
_ITEM_LABEL_RE = re.compile(
    r"(?:Pöytäkirja|Esityslista|Protokoll|Föredragningslista)\s+\d{1,2}\.\d{1,2}\.\d{4}\s*/?\s*"
    r"(?:Pykälä|Asianro|Paragraf|Ärende)\s*\d+", re.I)
#: ``Viranhaltijapäätös 07.04.2025`` in the page's label, in UTF-8 or windows-1252 bytes
_OFFICIAL_LABEL_RE = re.compile(
    rb"(?:Viranhaltijap(?:\xc3\xa4|\xe4|&auml;)(?:\xc3\xa4|\xe4|&auml;)t(?:\xc3\xb6|\xf6|&ouml;)s|"
    rb"Tj(?:\xc3\xa4|\xe4|&auml;)nsteinnehavarbeslut)\s*(?:</?\w+[^>]*>\s*)*\d{1,2}\.\d{1,2}\.\d{4}")
_BY_LINK = {"item": "item_html", "meeting": "meeting_html", "bodies": "body_list",
            "body": "meeting_list", "feed": "feed"}


def detect_kind(data: bytes, url: str | None = None) -> str:
    """Which kind a page is: a name of :data:`KINDS`.

    A PDF is an item PDF (a whole minutes PDF looks the same; ask for ``minutes_pdf``).
    An RSS document is a feed; a page naming itself ``Viranhaltijapäätös <date>`` an
    official's decision (static ones share the item pages' body class). Another HTML
    page is told by Dynasty's ``<body class>``
    (``bodyKokousasia``, ``bodyKokous``, ``bodyTelimet``, ``bodyTelin``), else by its URL
    (``page=meetingitem``/``…-3.HTM``, ``page=meeting``/``<docid>.HTM``, ``TELIMET``/
    ``page=meeting_frames``, ``TELIN-``/``page=meetings``, ``page=official_decision``),
    else by what it links to.
    """
    head = data.lstrip()[:400]
    if head[:5] == b"%PDF-":
        return "item_pdf"
    if re.search(rb"<rss[\s>]|<rdf:RDF|<feed[\s>]", head):
        return "feed"
    if _OFFICIAL_LABEL_RE.search(data[:20000]):
        return "official_decision"  # its label, whatever the page's body class
    m = _BODY_CLASS_RE.search(data[:20000])
    if m:
        kind = _BODY_CLASSES.get(m.group(1).decode("ascii", "replace").lower())
        if kind:
            return kind
    if url:
        if "page=official_decision" in url.lower():
            return "official_decision"
        link_kind, _ = classify_link(url)
        if link_kind in _BY_LINK:
            return _BY_LINK[link_kind]
    text = data.decode("utf-8", "replace") if b"\xc3" in data else data.decode("cp1252",
                                                                             "replace")
    if _ITEM_LABEL_RE.search(text):
        return "item_html"
    frames = re.findall(r"<i?frame\b[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]+)", text, re.I)
    if any(classify_link(src)[0] == "bodies" for src in frames):
        return "body_list"  # Dynasty's frameset around its body lists
    hrefs = re.findall(r"href\s*=\s*[\"']?([^\"'\s>]+)", text, re.I)
    kinds = [classify_link(h)[0] for h in hrefs]
    if kinds.count("item") >= 2:
        return "meeting_html"
    if kinds.count("body") >= 2:
        return "body_list"
    if kinds.count("meeting") >= 2:
        return "meeting_list"
    return "item_html"
