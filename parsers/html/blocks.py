"""Bytes → text → a flat stream of text blocks, in one pass over an lxml tree.

Two jobs that every HTML parser of Word-exported municipal pages needs:

* ``decode_html``: pick the right character set. Dynasty's static pages say
  ``windows-1252`` or ``iso-8859-1`` and really are windows-1252 (bytes 0x80–0x9F are
  smart quotes and dashes, as the WHATWG encoding standard prescribes for both labels);
  newer pages are UTF-8.
* ``extract_blocks``: walk the tree once (``lxml.etree.iterwalk``, no recursion, no
  repeated ``text_content()`` of big subtrees) and turn it into paragraphs (``Block``)
  with what a section parser needs to know about each: its lines (``<br>`` kept), the
  bold lead-in (Word headings are bold), the first inline run (CSS-column layouts put
  the heading in its own ``<span>``), Word list markers, links, and whether it lies
  inside the page's data area (``<!--DATA_BEGIN-->`` … ``<!--DATA_END-->`` or
  ``div.data-part-block-htm``). Table rows with several filled cells become one
  ``row`` block holding its cells; one-cell layout rows are flattened.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree, html

from parsers.text.vocabulary import clean_text

# --- decoding ---------------------------------------------------------------------

_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I
)

#: Labels that browsers decode as windows-1252 (WHATWG encoding standard).
_CP1252_LABELS = {
    "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin-1",
    "latin1", "l1", "cp819", "ibm819", "iso-ir-100", "csisolatin1", "iso_8859-1:1987",
    "us-ascii", "ascii", "ansi_x3.4-1968", "iso88591", "8859-1",
}


#: Codecs no browser decodes a page with (or not text codecs at all): a label naming
#: one is treated as unknown.
_REFUSED_CODECS = {"utf-7", "idna", "punycode", "raw_unicode_escape", "unicode_escape",
                   "undefined", "mbcs", "oem"}


def normalise_charset(label: str | None) -> str | None:
    """A charset label → a Python codec name, ``None`` when unknown.

    Latin-1 and ASCII labels become ``cp1252``; a UTF-16 label in an 8-bit page is a
    lie (the bytes we are reading are ASCII-compatible), so it becomes UTF-8. A label
    naming a codec that is not a text encoding (``base64``, ``zlib``) is unknown.
    """
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _CP1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
        b"a".decode(name)  # LookupError for bytes-to-bytes codecs such as base64
    except (LookupError, ValueError):
        return None
    if name in _REFUSED_CODECS:
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"
    return name


def resolve_url(base: str | None, href: str) -> str:
    """An absolute URL for a link on a page; a malformed one is kept as written."""
    href = href.strip()
    if not base:
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def _decode_cp1252(data: bytes) -> str:
    # Five bytes are undefined in cp1252; browsers show them as C1 controls, we as U+FFFD.
    return data.decode("cp1252", errors="replace")


_ESCAPED_RE = re.compile("[\udc80-\udcff]+")
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _utf8_evidence(data: bytes) -> tuple[str, int, int]:
    """The bytes read as UTF-8 with bad bytes kept as surrogates, the number of
    non-ASCII characters that were valid UTF-8 and the number of bad bytes.

    Counted with C-speed bytes and regex operations: pages can be megabytes."""
    ascii_count = len(data.translate(None, _HIGH_BYTES))
    try:
        text = data.decode("utf-8")
        bad = 0
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="surrogateescape")
        bad = sum(len(m) for m in _ESCAPED_RE.findall(text))
    return text, len(text) - ascii_count - bad, bad


def _cp1252_for_bad_bytes(text: str) -> str:
    """Bytes that were not UTF-8 (surrogate-escaped) read as windows-1252, one by one."""
    return _ESCAPED_RE.sub(
        lambda m: bytes(ord(c) - 0xDC00 for c in m.group(0)).decode("cp1252", "replace"), text)


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """Decode page bytes; returns ``(text, codec, warnings)``.

    Order: a byte-order mark, the HTTP ``Content-Type`` charset, a ``<meta>`` charset in
    the first 4 KB, then UTF-8 if the bytes are valid UTF-8, else cp1252. The label is
    checked against the bytes, because both lie:

    * a page labelled windows-1252 / ISO-8859-1 whose bytes are UTF-8 (multi-byte
      sequences, none broken) is decoded as UTF-8 with a warning; read as cp1252 every
      ``ä`` would become ``Ã¤``;
    * a UTF-8 page (labelled so, or unlabelled) with a few stray bytes keeps its UTF-8
      and reads only the stray bytes as cp1252 (an ``ä`` pasted from an old document),
      with a warning; the whole page goes through cp1252 only when the bytes are not
      mostly UTF-8.
    """
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8", warnings
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16", warnings

    declared = None
    if content_type:
        m = _HEADER_CHARSET_RE.search(content_type)
        if m:
            declared = normalise_charset(m.group(1))
            if declared is None:
                warnings.append(f"unknown charset in content type: {m.group(1)}")
    if declared is None:
        m = _META_CHARSET_RE.search(data[:4096])
        if m:
            declared = normalise_charset(m.group(1).decode("ascii", "replace"))
            if declared is None:
                warnings.append(f"unknown charset in meta: {m.group(1).decode('ascii', 'replace')}")

    if declared in (None, "utf-8", "cp1252"):
        text, wide, bad = _utf8_evidence(data)
        if not bad and (declared != "cp1252" or wide):
            if declared == "cp1252":
                warnings.append("labelled windows-1252 but the bytes are UTF-8; decoded as UTF-8")
            return text, "utf-8", warnings
        if bad and wide > bad:
            label = "labelled windows-1252 but mostly" if declared == "cp1252" else "mostly"
            warnings.append(f"{label} UTF-8 with {bad} stray byte(s); those read as windows-1252")
            return _cp1252_for_bad_bytes(text), "utf-8", warnings
        if declared == "utf-8":
            warnings.append("declared utf-8 but not valid utf-8; decoded as cp1252")
        return _decode_cp1252(data), "cp1252", warnings
    try:
        return data.decode(declared), declared, warnings
    except UnicodeDecodeError:
        warnings.append(f"bytes not valid {declared}; undecodable bytes replaced")
        return data.decode(declared, errors="replace"), declared, warnings


# --- blocks -------------------------------------------------------------------------

#: Elements that end the current paragraph where they start and where they end.
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table tbody thead tfoot tr td th caption "
    "center blockquote pre section article header footer nav aside form fieldset legend "
    "address body html hr main figure figcaption details summary".split()
)
#: Elements whose text is never page content.
SKIP_TAGS = frozenset("head title style script noscript template select option textarea".split())
_BOLD_TAGS = frozenset("b strong h1 h2 h3 h4 h5 h6 th".split())
_BOLD_STYLE_RE = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)", re.I)
_NORMAL_STYLE_RE = re.compile(r"font-weight\s*:\s*(normal|lighter|[1-5]00)", re.I)
#: Word's list indent: ``-<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span>``
_WORD_LIST_SPAN_RE = re.compile(r"font\s*:\s*([0-9.]+)pt", re.I)
_DATA_BEGIN = ("DATA_BEGIN", "DATABEGIN")
_DATA_END = ("DATA_END", "DATAEND")
_DATA_CLASS = "data-part-block-htm"
#: Dynasty 10's page parts, by the class that marks them (``div.data-part page-header``,
#: ``table.tbl.navigation`` …) → region name; the innermost one wins.
REGIONS = {
    "page-header": "page-header",
    "meeting-header": "meeting-header",
    "page-navigation": "navigation",
    "navigation": "navigation",
    "meetingitem": "meetingitem",
    "data-part-block-htm": "content",
}
_UPPER_START_RE = re.compile(r"^[A-ZÅÄÖÜ]")


@dataclass(slots=True)
class Block:
    """One paragraph-like piece of the page (or one table row with several cells)."""

    kind: str  # "p", "row" or "hr"
    tag: str = ""
    cls: str = ""
    style: str = ""
    align: str = ""
    raw: str = ""  # text as on the page; <br> is "\n"
    bold_prefix: str = ""  # leading bold text (all of it when the block is bold)
    first_run: str = ""  # text of the first inline element when more text follows
    list_marker: str | None = None  # Word list marker ("-", "·", "1.") or "li"
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    in_data: bool = False
    cells: list[list[Block]] | None = None  # for rows
    #: Dynasty 10's ``div.data-part`` block (or a navigation table) the block lies in:
    #: one of :data:`REGIONS`, "" outside any.
    region: str = ""
    caption: str = ""  # the enclosing table's ``<caption>`` text (often visually hidden)
    #: Dynasty 10: where ``raw`` splits after its first ``<span>`` at any depth (a label
    #: span and its value span inside ``<font>`` or another span)
    label_end: int | None = None
    _lines: list[str] | None = None  # cache: the raw text is cleaned once

    @property
    def lines(self) -> list[str]:
        """Cleaned non-empty lines (``<br>`` separated)."""
        if self._lines is None:
            if self.kind == "row":
                text = self.text
                self._lines = [text] if text else []
            else:
                self._lines = [ln for ln in (clean_text(x) for x in self.raw.split("\n")) if ln]
        return self._lines

    @property
    def text(self) -> str:
        """Cleaned text; lines joined by newlines; a row's cells joined by `` | ``."""
        if self.kind == "row":
            return " | ".join(t for t in (cell_text(c) for c in self.cells or []) if t)
        return "\n".join(self.lines)

    @property
    def flat(self) -> str:
        """Cleaned text on one line (cells joined by spaces), for pattern checks."""
        if self.kind == "row":
            return " ".join(t for t in (cell_text(c, " ") for c in self.cells or []) if t)
        return " ".join(self.lines)

    def all_links(self) -> list[tuple[str, str]]:
        if self.kind != "row":
            return list(self.links)
        return [link for cell in self.cells or [] for b in cell for link in b.all_links()]


def cell_text(blocks: list[Block], sep: str = "\n") -> str:
    return sep.join(t for t in (b.text if sep == "\n" else b.flat for b in blocks) if t)


def _is_word_list_span(el, style: str) -> bool:
    """Word's tiny empty span that stands for the tab after a list marker."""
    if "pt" not in style or len(el) or (el.text or "").strip():
        return False
    m = _WORD_LIST_SPAN_RE.search(style)
    try:
        return bool(m) and float(m.group(1)) <= 8.0
    except ValueError:
        return False


class _Builder:
    __slots__ = ("pieces", "ctx", "in_data", "marker", "first_run", "first_run_el",
                 "first_run_at", "links", "after_run", "span_gap", "label_at")

    def __init__(self, ctx, in_data: bool):
        self.pieces: list[tuple[str, bool]] = []
        self.ctx = ctx
        self.in_data = in_data
        self.marker: str | None = None
        self.first_run = ""
        self.first_run_el = None
        self.first_run_at = -1
        self.links: list[tuple[str, str]] = []
        self.after_run = False  # the first run just ended: the next text may need a space
        self.span_gap = False  # a Dynasty 10 span just ended (label/value spans at any depth)
        self.label_at: int | None = None  # where the text after the first span starts

    def has_text(self) -> bool:
        return any(t.strip() for t, _ in self.pieces)


@dataclass
class ExtractResult:
    blocks: list[Block]
    markers_seen: bool  # DATA_BEGIN comment or a data-part-block-htm element


def parse_tree(text: str, warnings: list[str] | None = None):
    """Parse decoded text with lxml's HTML parser; ``None`` for an empty document.

    ``huge_tree`` lifts libxml2's nesting limit of 256, past which it stops parsing
    (unclosed ``<font>`` tags in old pages nest that deep); the walk over the tree is
    not recursive. A fatal parser error is added to ``warnings``.
    """
    parser = html.HTMLParser(encoding="utf-8", remove_blank_text=False, recover=True,
                             huge_tree=True)
    data = text.encode("utf-8", errors="replace")
    if not data.strip():
        return None
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    if warnings is not None:
        for err in parser.error_log:
            if err.level_name == "FATAL":
                warnings.append(f"html parser: {err.message}")
                break
    return root


def extract_blocks(root) -> ExtractResult:
    """Walk the tree once and return its blocks in document order."""
    out_stack: list[list[Block]] = [[]]  # where finished blocks go (cells push their own)
    row_stack: list[list[list[Block]]] = []  # open <tr>s: their cells
    ctx_stack: list = []  # open block-level elements
    flags: list[tuple[bool, bool, bool, bool]] = []  # (bold, skip, block, marker-span)
    link_bufs: list[tuple[str, list[str]]] = []
    class_stack: list[str] = []
    region_stack: list[str] = [""]  # the Dynasty 10 region of each open element
    captions: list[str] = []  # the caption text of each open <table>
    state = {"data_comment": False, "data_depth": 0, "markers": False}
    cur: _Builder | None = None
    list_counters: list[int | None] = []  # None for <ul>, a counter for <ol>
    pending_marker: list[str] = []  # an <li>'s marker, waiting for the item's first text

    def in_data() -> bool:
        return state["data_comment"] or state["data_depth"] > 0

    def flush() -> None:
        nonlocal cur
        if cur is None:
            return
        b = cur
        cur = None
        if not b.has_text():
            return
        raw = "".join(t for t, _ in b.pieces)
        prefix: list[str] = []
        saw_bold = False
        for t, bold in b.pieces:
            if bold and t.strip():
                saw_bold = True
            elif t.strip():
                break
            prefix.append(t)
        bold_prefix = "".join(prefix) if saw_bold else ""
        el = b.ctx
        if el is not None:
            tag = el.tag if isinstance(el.tag, str) else ""
            cls = el.get("class") or ""
            style = el.get("style") or ""
            align = (el.get("align") or "").lower()
        else:
            tag = cls = style = align = ""
        out_stack[-1].append(Block(
            kind="p", tag=tag, cls=cls, style=style, align=align, raw=raw,
            bold_prefix=bold_prefix, first_run=b.first_run, list_marker=b.marker,
            links=b.links, in_data=b.in_data, region=region_stack[-1], label_end=b.label_at,
            caption=captions[-1] if captions else "",
        ))
        if tag == "caption" and captions:
            captions[-1] = clean_text(raw)

    def open_builder() -> _Builder:
        b = _Builder(ctx_stack[-1] if ctx_stack else None, in_data())
        if pending_marker:
            b.marker = "li"
            b.pieces.append((pending_marker.pop() + " ", False))
            pending_marker.clear()
        return b

    def add_text(t: str | None) -> None:
        nonlocal cur
        if not t or (flags and flags[-1][1]):
            return
        if cur is None:
            if not t.strip():
                return  # whitespace between blocks
            cur = open_builder()
        bold = flags[-1][0] if flags else False
        if "\n" in t or "\r" in t:
            t = t.replace("\r", " ").replace("\n", " ")  # source wrapping; <br> is "\n"
        if cur.after_run or cur.span_gap:
            # Dynasty 10 prints a label and its value as sibling spans with nothing
            # between them (``<span>Kaupunginjohtaja</span><span>Konserni- ja …``): a
            # lower-case end glued to a capital start is two words, never one.
            if cur.span_gap and cur.label_at is None and t.strip():
                cur.label_at = sum(len(p) for p, _ in cur.pieces)
            cur.after_run = cur.span_gap = False
            last = next((p for p, _ in reversed(cur.pieces) if p), "")
            if last and (last[-1].islower() or last[-1] in ".:)") and _UPPER_START_RE.match(t):
                t = " " + t
        cur.pieces.append((t, bold))
        for _, buf in link_bufs:
            buf.append(t)

    def start_row() -> None:
        row_stack.append([])

    def end_row() -> None:
        if not row_stack:
            return
        cells = row_stack.pop()
        filled = [c for c in cells if any(b.text for b in c)]
        nested = any(b.kind != "p" for c in cells for b in c)
        target = out_stack[-1]
        if nested or len(filled) <= 1:
            for c in cells:
                target.extend(c)
        else:
            target.append(Block(kind="row", cells=filled, tag="tr",
                                in_data=any(b.in_data for c in filled for b in c),
                                region=region_stack[-1],
                                caption=captions[-1] if captions else ""))

    for event, el in etree.iterwalk(root, events=("start", "end", "comment")):
        tag = el.tag
        if event == "comment":
            body = (el.text or "").strip().upper()
            if body in _DATA_BEGIN:
                flush()
                state["data_comment"] = True
                state["markers"] = True
            elif body in _DATA_END:
                flush()
                state["data_comment"] = False
            add_text(el.tail)
            continue
        if not isinstance(tag, str):  # processing instruction, entity
            if event == "end":
                add_text(el.tail)
            continue
        tag = tag.lower()
        if event == "start":
            parent_flags = flags[-1] if flags else (False, False, False, False)
            skip = parent_flags[1] or tag in SKIP_TAGS
            style = el.get("style") or ""
            bold = parent_flags[0]
            if tag in _BOLD_TAGS:
                bold = True
            if style and "weight" in style:
                if _BOLD_STYLE_RE.search(style):
                    bold = True
                elif _NORMAL_STYLE_RE.search(style):
                    bold = False
            is_block = tag in BLOCK_TAGS
            marker_span = False
            cls = el.get("class") or ""
            class_stack.append(cls)
            region = region_stack[-1]
            if cls:
                names = cls.split()
                part = "data-part" in names  # ``<body class="meetingitem">`` is no part
                for name in names:
                    if name in REGIONS and (part or name == _DATA_CLASS
                                            or (name == "navigation" and tag == "table")):
                        region = REGIONS[name]
            region_stack.append(region)
            if tag == "table":
                captions.append("")
            if _DATA_CLASS in cls.split():
                flush()
                state["data_depth"] += 1
                state["markers"] = True
            if is_block:
                flush()
                ctx_stack.append(el)
                if tag == "tr":
                    start_row()
                elif tag in ("td", "th"):
                    if row_stack:
                        cell: list[Block] = []
                        row_stack[-1].append(cell)
                        out_stack.append(cell)
                    else:
                        out_stack.append(out_stack[-1])
                elif tag == "hr":
                    out_stack[-1].append(Block(kind="hr", tag="hr", in_data=in_data()))
                elif tag in ("ul", "ol"):
                    list_counters.append(0 if tag == "ol" else None)
                elif tag == "li":
                    if list_counters and list_counters[-1] is not None:
                        list_counters[-1] += 1
                        marker = f"{list_counters[-1]}."
                    else:
                        marker = "-"
                    pending_marker[:] = [marker]
            elif tag == "br":
                if cur is not None and not skip:
                    cur.pieces.append(("\n", False))
            elif tag == "span" and cur is not None and _is_word_list_span(el, style):
                # Word's list indent span: what came before it in the paragraph is the marker.
                so_far = clean_text("".join(t for t, _ in cur.pieces))
                if 0 < len(so_far) <= 5 and cur.marker is None:
                    cur.marker = so_far
                    marker_span = True
            elif tag == "a" and el.get("href") is not None and not skip:
                link_bufs.append((el.get("href") or "", []))
            elif cur is not None and cur.first_run_el is None and not cur.has_text():
                if ctx_stack and el.getparent() is ctx_stack[-1]:
                    cur.first_run_el = el
                    cur.first_run_at = len(cur.pieces)
            elif cur is None and ctx_stack and el.getparent() is ctx_stack[-1] and not skip:
                # An inline element opens the block: remember where its text starts.
                cur = open_builder()
                cur.first_run_el = el
                cur.first_run_at = len(cur.pieces)
            flags.append((bold, skip or marker_span, is_block, marker_span))
            if marker_span and cur is not None:
                cur.pieces.append((" ", False))
            add_text(el.text)
        else:  # end
            fl = flags.pop() if flags else (False, False, False, False)
            cls = class_stack.pop() if class_stack else ""
            if fl[2]:
                flush()
                if ctx_stack:
                    ctx_stack.pop()
                if tag == "tr":
                    end_row()
                elif tag in ("td", "th"):
                    if len(out_stack) > 1:
                        out_stack.pop()
                elif tag in ("ul", "ol"):
                    if list_counters:
                        list_counters.pop()
                elif tag == "li":
                    pending_marker.clear()
            elif tag == "a" and el.get("href") is not None and link_bufs and not fl[1]:
                href, buf = link_bufs.pop()
                text = clean_text("".join(buf))
                if cur is not None:
                    cur.links.append((href.strip(), text))
            elif cur is not None and cur.first_run_el is el:
                run = "".join(t for t, _ in cur.pieces[cur.first_run_at:])
                if run.strip():
                    cur.first_run = run
                    cur.after_run = True
                else:
                    cur.first_run_el = None
            elif cur is not None and tag == "span" and region_stack[-1]:
                cur.span_gap = True
            if _DATA_CLASS in cls.split():
                flush()
                state["data_depth"] -= 1
            if len(region_stack) > 1:
                region_stack.pop()
            if tag == "table" and captions:
                captions.pop()
            add_text(el.tail)
    flush()
    while row_stack:  # unclosed rows in truncated pages
        end_row()
    blocks = out_stack[0]
    return ExtractResult(blocks=blocks, markers_seen=state["markers"])
