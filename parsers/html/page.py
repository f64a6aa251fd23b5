"""Read a Dynasty page once: decoded text, tree, blocks, data area, heading label.

The meeting page and the navigation pages (body list, meeting list) share Dynasty's
frame, so they share this reading: ``parsers.html.blocks`` does the decoding and the
one pass over the tree into blocks and table rows; this module adds where the data
area is, the heading label's lines, links classified by target, and Dynasty's
``<!--TIETUE:...-->`` record comments.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from parsers.html.blocks import (
    Block,
    cell_text,
    decode_html,
    extract_blocks,
    parse_tree,
    resolve_url,
)
from parsers.html.links import classify_link
from parsers.records import PageStructure
from parsers.text.vocabulary import clean_text

__all__ = ["Page", "block_cells", "block_links", "element_lines", "is_dynasty", "label_lines",
           "read_page", "tietue_records"]

# --- the page -------------------------------------------------------------------------


@dataclass
class Page:
    """A decoded, parsed Dynasty page: its tree, its blocks and where its data is."""

    root: object | None
    blocks: list[Block]
    data: list[Block]  # blocks inside the data area (all blocks when there is none)
    markers: bool  # a data area was marked
    url: str | None
    label: list[str] = field(default_factory=list)  # lines of the heading label
    body_class: str = ""
    dynasty: bool = False  # anything on the page says Dynasty made it (see is_dynasty)

    def resolve(self, href: str | None) -> str | None:
        return resolve_url(self.url, href) if href else None


#: why a page with no sign of Dynasty is not read (its record: UNKNOWN_TEMPLATE)
NOT_DYNASTY = "unknown template: nothing on the page says Dynasty made it"


def read_dynasty_page(rec: Any, data: bytes | str, url: str | None,
                      content_type: str | None) -> Page | None:
    """:func:`read_page` for a parser of Dynasty's own pages (lists, meetings): its
    warnings go to ``rec``; ``None``, with ``rec.structure`` set and why warned, when
    there is nothing to read: no document (EMPTY) or nothing Dynasty made
    (UNKNOWN_TEMPLATE: a link id then means nothing either)."""
    warnings: list[str] = []
    page = read_page(data, url, content_type, warnings)
    for w in warnings:
        rec.warn(w)
    if page.root is None:
        rec.structure = PageStructure.EMPTY
        return None
    if not page.dynasty:
        rec.structure = PageStructure.UNKNOWN_TEMPLATE
        rec.warn(NOT_DYNASTY)
        return None
    return page


def read_page(data: bytes | str, url: str | None, content_type: str | None,
              warnings: list[str]) -> Page:
    """Decode and parse a page; problems are appended to ``warnings``."""
    if isinstance(data, str):
        text = data
    else:
        text, _, decode_warnings = decode_html(bytes(data), content_type)
        warnings.extend(decode_warnings)
    root = parse_tree(text, warnings)
    if root is None:
        warnings.append("empty document")
        return Page(None, [], [], False, url)
    extracted = extract_blocks(root)
    blocks = extracted.blocks
    if extracted.markers_seen:
        data_blocks = [b for b in blocks if b.in_data]
    else:
        warnings.append("no data area markers; reading the whole page")
        data_blocks = blocks
    body = root.find(".//body") if root.tag != "body" else root
    body_class = (body.get("class") or "") if body is not None else ""
    return Page(root, blocks, data_blocks, extracted.markers_seen, url,
                label_lines(root), body_class,
                is_dynasty(root, extracted.markers_seen, body_class))


#: Dynasty's ``<body class>`` of its item, meeting, body-list and meeting-list pages
DYNASTY_BODY_CLASSES = frozenset({"bodykokousasia", "bodykokous", "bodytelimet", "bodytelin"})
#: links only Dynasty makes: its CGI, its ``/kokous/`` folder, its file names
_DYNASTY_HREF_RE = re.compile(
    r"DREQUEST\.PHP|/kokous/|(?:^|/)(?:TELIN-\d+|TELIMET|\d{6,}(?:-\d+)*)\.(?:HTML?|PDF)(?:$|[?#])",
    re.I)


def is_dynasty(root, markers: bool, body_class: str) -> bool:
    """Whether anything on the page says Dynasty made it: its data-area markers, its
    ``<body class>``, its ``TIETUE`` record comments, or a link only Dynasty makes.

    A page of another system has none, and its links to ``11.html`` are no meetings:
    the list and meeting parsers call it an unknown template instead of inventing rows.
    """
    if markers or body_class.strip().lower() in DYNASTY_BODY_CLASSES:
        return True
    for el in root.iter("a", "frame", "iframe"):
        href = el.get("href") or el.get("src") or ""
        if _DYNASTY_HREF_RE.search(href.strip()):
            return True
    return bool(tietue_records(root))


def element_lines(el) -> list[str]:
    """An element's text as cleaned lines (``<br>`` and block ends break lines)."""
    pieces: list[str] = []
    skip = 0
    for event, node in etree.iterwalk(el, events=("start", "end", "comment")):
        if event == "comment":
            if not skip and node.tail:
                pieces.append(node.tail)
            continue
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in ("script", "style", "head", "title"):
                skip += 1
            elif not skip:
                if tag == "br":
                    pieces.append("\n")
                if node.text:
                    pieces.append(node.text)
        else:
            if tag in ("script", "style", "head", "title"):
                skip -= 1
            elif not skip and tag in ("p", "div", "tr", "li", "table"):
                pieces.append("\n")
            if node is not el and node.tail and not skip:
                pieces.append(node.tail)
    return [ln for ln in (clean_text(x) for x in "".join(pieces).split("\n")) if ln]


#: A heading that names a document and its date (``Esityslista 23.09.2026 …``).
_DOC_LABEL_RE = re.compile(
    r"(?:Pöytäkirja|Esityslista|Kokouskutsu|Protokoll|Föredragningslista|"
    r"Viranhaltijapäätös|Tjänsteinnehavarbeslut)\s+\d{1,2}\.\d{1,2}\.\d{4}", re.I)


def label_lines(root) -> list[str]:
    """The heading label (``<label class="h3">Body<br>Pöytäkirja 14.06.2023 …</label>``).

    Dynasty 10 puts a page label (``<h1>Kokous</h1>``) in ``div.page-header`` and the
    document's heading in ``div.meeting-header``: the first candidate that names a
    document and a date wins; without one, the first non-empty candidate.
    """
    if root is None:
        return []
    candidates = [el for el in root.iter("label") if "h3" in (el.get("class") or "").split()]
    candidates += [el for el in root.iter() if isinstance(el.tag, str)
                   and "meeting-header" in (el.get("class") or "").split()]
    for tag in ("h1", "h2", "h3", "label"):
        candidates += list(root.iter(tag))
    first: list[str] = []
    for el in candidates:
        lines = element_lines(el)
        if lines and any(_DOC_LABEL_RE.search(line) for line in lines):
            return lines
        first = first or lines
    return first


def block_cells(block: Block) -> list[str]:
    """A block's cells as one-line texts (a paragraph is one cell)."""
    if block.kind == "row":
        return [t for t in (cell_text(c, " ") for c in block.cells or []) if t]
    text = block.flat
    return [text] if text else []


def block_links(block: Block, page: Page) -> list[tuple[str, str, str, str | None]]:
    """``(kind, id, text, absolute url)`` of every link in a block."""
    out = []
    for href, text in block.all_links():
        kind, ident = classify_link(href)
        out.append((kind, ident, clean_text(text), page.resolve(href)))
    return out


# --- comments -------------------------------------------------------------------------

_TIETUE_RE = re.compile(r"^TIETUE:(.+)$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _valid_iso(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def tietue_records(root) -> list[dict[str, str]]:
    """Dynasty's ``<!--TIETUE:key-->`` … ``<!--TIETUE-->`` record comments, as dicts:
    ``key`` and, from the comments inside, ``date`` (ISO) and ``file`` (``x.HTM``) and
    ``name`` (other text)."""
    if root is None:
        return []
    out: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for node in root.iter(etree.Comment):
        text = clean_text(node.text or "")
        m = _TIETUE_RE.match(text)
        if m:
            current = {"key": m.group(1).strip()}
            out.append(current)
            continue
        if text == "TIETUE":
            current = None
            continue
        if current is None or not text:
            continue
        if _ISO_DATE_RE.match(text):
            if _valid_iso(text):
                current.setdefault("date", text)
        elif re.fullmatch(r"[\w-]+\.HTML?", text, re.I):
            current.setdefault("file", text)
        elif not text.isdigit():
            current.setdefault("name", text)
    return out
