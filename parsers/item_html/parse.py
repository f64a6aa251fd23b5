"""Parse one Dynasty agenda-item page (kokousasia, ``NNNN-N.HTM``) into an ``ItemRecord``.

Dynasty publishes every item of an agenda (esityslista) or minutes (pöytäkirja) as a
page whose frame is Dynasty's own (the header label ``Kaupunginhallitus`` /
``Pöytäkirja 14.03.2019 Pykälä 57``, the ``Edellinen asia | Seuraava asia``
navigation, an attachment list) and whose content is the municipality's Word document
exported to HTML, between ``<!--DATA_BEGIN-->`` and ``<!--DATA_END-->`` (older static
pages, windows-1252) or inside ``div.data-part-block-htm`` (newer UTF-8 pages).

Dynasty 10 (``*.oncloudos.com``) marks its parts: ``div.data-part`` blocks
``page-header`` (a page label such as ``Kokousasian teksti``: never the title),
``meeting-header`` (``Tekninen lautakunta  Esityslista 23.09.2026/Asianro 4``),
``page-navigation`` and ``meetingitem`` / ``data-part-block-htm`` (the text). From
10.4.0.260401 the navigation is ``table.tbl.navigation`` with a visually hidden
``<caption>``: ``Navigointi`` (skipped), ``Liitteet`` and ``Oheismateriaali`` (the item's
lists). Such pages are read by part (``Block.region``), not by the data-area comments.
Their text pairs a label and its value as sibling spans (``<span>Valmistelija</span>
<span>…</span>``); a first span holding an official's title followed by a proposal
(``<span>Kaupunginjohtaja</span><span>… päättää, että …</span>``) is the proposer
(title only) and the proposal.

Never a wrong field: a bare number above the title (2017 agendas print the item
number alone) is the item number; UI labels, captions, dates, case numbers alone and
placeholders (``-``) are never a title or a text; an attachment's note in parentheses
on its own line belongs to that attachment.

How a page is read:

1. ``parsers.html.blocks`` decodes the bytes and turns the tree into a flat list of
   paragraphs in one pass.
2. The header label outside the data area gives ``body``, ``document_type``,
   ``meeting_date`` and ``section``.
3. The data area is read top to bottom. Before the title come the case number
   (``642/2019`` + ``00.01.01.00``, ``Asianro 5316/13.01/2019``, or ``2751/10.02.03``
   and ``/2015`` in separate elements), earlier handlings (``Kaupunginhallitus | 61 § |
   18.2.2019``) and ``§ N``; the first other paragraph is the title. After it, every
   paragraph whose lead-in is a section heading (bold text, a first ``<span>``, the text
   before a tab or a run of ``&nbsp;``, a first table cell, or the whole short
   paragraph) opens a section; headings are matched with
   ``fields.classify_heading_strict`` so that body text such as ``Lisäysehdotus:`` or
   the sub-heading ``Asian aikaisempi käsittely`` stays body text.
4. Unheaded text after the title starts with the preparers when it looks like people
   (Kuopio: ``Liikuntatoimen johtaja Oskari Otaksuma`` + a unit line) and is
   otherwise background, as is the text of ``Selostus``/``Esittelyteksti``/``Perustelut``.
5. ``Päätöshistoria`` switches to history mode: the earlier bodies' proposals,
   discussions and decisions found there are never this item's; each handling header
   (``Kaupunkisuunnittelulautakunta 26.4.2017 § 87``) becomes one of the
   ``previous_handlings`` and keeps the proposer, proposal, discussion and decision
   printed under it until the next header. ``Tiedoksi`` and ``Muutoksenhaku`` end the
   history, and so does a handling header naming this very item (templates that print
   the history first): the current handling is never an earlier one.

Design decisions worth knowing:

* Text fields keep paragraphs (blank line between) and list items (one per line, with
  ``- `` for bullets of any glyph, numbers kept).
* The deciding body's lead-in in a decision (``Kaupunginhallitus:``) is part of the
  decision text, as on the page.
* With both ``Esitys`` (the preparer's proposal, Kuopio committees) and
  ``Päätösehdotus`` on a page, ``proposal`` is the päätösehdotus and the esitys goes to
  ``background`` under its heading.
* Attendance notes in a decision (``X palasi kokoukseen …``) belong to ``discussion``.
* A preparer's unit line has no field of its own; it is appended to the title
  (``Liikuntatoimen johtaja, Liikuntapalvelujen yksikkö``).
* A person listed twice (Kuopio: under the title with title and unit, and again in
  the ``Valmistelija`` row with a phone number) is one preparer with the richer
  fields, as in the PDF parser (``fields.merge_people``).
* An agenda has no decision of its own: a ``Päätös`` section on an agenda page is
  ignored with a warning.
* Through :func:`parsers.parse` an unexpected error is a ``parser error: …`` warning
  on an empty record (the one guard, :mod:`parsers.kinds`).

Code layout: this module walks the blocks (step 3's zones and history mode); the
helpers live in ``parsers.item_html.paras`` (paragraphs, heading detection),
``parsers.item_html.header`` (label, case number, §, handlings) and
``parsers.item_html.sections`` (sections → record fields, preparers, attachments).
"""

from __future__ import annotations

from parsers.html.blocks import (
    Block,
    decode_html,
    extract_blocks,
    parse_tree,
)
from parsers.html.links import classify_link
from parsers.item_html.header import NAV_RE
from parsers.item_html.paras import Para, Section, detect_heading, para
from parsers.item_html.sections import SectionReader
from parsers.records import Handling, ItemRecord, PageStructure
from parsers.text.vocabulary import (
    UI_LABELS,
    classify_heading_strict,
    not_a_title_reason,
    parse_handling_line,
)

# --- the parser -----------------------------------------------------------------------


class _ItemParser(SectionReader):
    def __init__(self, rec: ItemRecord, url: str | None):
        self.rec = rec
        self.url = url
        self.sections: list[Section] = []
        self.current: Section | None = None
        self.zone = "header"
        self.in_history = False
        self.pending_case: str | None = None
        self.label_section: str | None = None
        self.content_section: str | None = None
        self.content_item: str | None = None
        self.handlings: list[Handling] = []
        self.history_handling: Handling | None = None  # whose texts the history shows now
        self.seen_heading = False
        self.seen_body_date = False
        self.whole_page = False  # no data area markers: the page's chrome is in the stream

    # -- data area --

    def run(self, blocks: list[Block]) -> None:
        for b in blocks:
            if b.kind == "hr":
                if self.zone == "header" and self.current is not None:
                    self.current = None  # end of Dynasty's attachment list
                continue
            text = b.flat
            if not text or (len(text) < 300 and NAV_RE.search(text)):
                continue
            heading = detect_heading(b)
            if heading:
                self.open_section(*heading)
                continue
            if self.zone == "header":
                if self.current is not None:  # Dynasty's attachment list above the content
                    if b.all_links():
                        self.current.paras.append(para(b))
                        continue
                    self.current = None  # its entries are links: unlinked text ends it
                if self.consume_header(b):
                    continue
                if self.whole_page and _is_link_only(b):  # a menu outside any data area
                    continue
                if self.rec.title is None:
                    if not_a_title_reason(text) is None:
                        self.rec.title = text
                    continue  # a label, number or placeholder above the title
                self.zone = "body"
                self.current = self.new_section("preamble", "")
            if self.in_history:
                h = parse_handling_line(text)
                if h:
                    if self.is_this_item(h):
                        self.in_history = False
                        self.history_handling = None
                        self.current = self.new_section("unheaded", "")
                    else:
                        self.handlings.append(h)
                        self.history_handling = h
                        self.current = self.new_section("unheaded", "")
                    continue
            if self.current is None:
                self.current = self.new_section("unheaded", "")
            self.current.paras.append(para(b))

    def read_navigation(self, blocks: list[Block]) -> None:
        """Dynasty 10's navigation part: tables captioned ``Liitteet`` or
        ``Oheismateriaali`` (or a ``Liitteet`` line above a list) are the item's lists;
        the ``Navigointi`` table and every other menu are skipped."""
        heading_field: str | None = None
        current: Section | None = None
        for b in blocks:
            if b.kind == "hr":
                heading_field, current = None, None
                continue
            text = b.flat
            if not text:
                continue
            if b.tag == "caption" or (b.kind == "p" and not b.links and len(text) <= 40):
                found = classify_heading_strict(text)
                heading_field = found if found in _NAVIGATION_LISTS else None
                current = self.new_section(heading_field, text) if heading_field else None
                continue
            fieldname = classify_heading_strict(b.caption) if b.caption else heading_field
            if fieldname not in _NAVIGATION_LISTS:
                # an attachment link without a list heading (``…/20261727-4-374197.PDF``)
                links = [(h, t) for h, t in b.all_links() if classify_link(h)[0] == "attachment"]
                if links:
                    if current is None or current.field != "attachments":
                        current = self.new_section("attachments", "")
                    current.paras.append(Para(b.flat, False, links))
                continue
            if current is None or current.field != fieldname:
                current = self.new_section(fieldname, b.caption or fieldname)
            current.paras.append(para(b))

    def new_section(self, fieldname: str, heading: str) -> Section:
        sec = Section(fieldname, heading, [], self.in_history,
                      self.history_handling if self.in_history else None)
        self.sections.append(sec)
        return sec

    def open_section(self, fieldname: str, heading: str, inline: list[Para]) -> None:
        if fieldname == "history":
            self.in_history = True
            self.history_handling = None
        elif self.in_history and fieldname in ("for_information", "appeal"):
            self.in_history = False
            self.history_handling = None
        if not (self.zone == "header" and fieldname == "attachments" and self.rec.title is None):
            self.zone = "body"
        self.seen_heading = True
        self.current = self.new_section(fieldname, heading)
        self.current.paras.extend(inline)


#: Regions (``parsers.html.blocks.REGIONS``) that only Dynasty 10 pages have.
_DYNASTY10_PARTS = frozenset({"page-header", "meeting-header", "content", "meetingitem"})
#: Lists a navigation table may hold under its caption; other tables there are menus.
_NAVIGATION_LISTS = ("attachments", "supplementary")


def _is_navigation_table(block: Block) -> bool:
    """A caption, or a block of a table captioned, with one of Dynasty's labels."""
    caption = block.flat if block.tag == "caption" else block.caption
    if not caption:
        return False
    return caption.casefold() in UI_LABELS or \
        classify_heading_strict(caption) in _NAVIGATION_LISTS


def _is_link_only(block: Block) -> bool:
    links = block.all_links()
    if not links:
        return False
    rest = block.flat
    for _, text in links:
        rest = rest.replace(text, "", 1)
    return not rest.strip(" |/>»-–")


# --- entry point ----------------------------------------------------------------------


def _parse(rec: ItemRecord, data: bytes, url: str | None, content_type: str | None) -> None:
    if isinstance(data, str):
        text = data
    else:
        text, _, warnings = decode_html(bytes(data), content_type)
        for w in warnings:
            rec.warn(w)
    tree_warnings: list[str] = []
    root = parse_tree(text, tree_warnings)
    for w in tree_warnings:
        rec.warn(w)
    if root is None:
        rec.structure = PageStructure.EMPTY
        rec.warn("empty document")
        return
    extracted = extract_blocks(root)
    blocks = extracted.blocks
    parser = _ItemParser(rec, url)
    index = None
    if any(b.region in _DYNASTY10_PARTS for b in blocks):
        # Dynasty 10: the page's parts are marked, whatever the data area comments say.
        label = [b for b in blocks if b.region in ("page-header", "meeting-header")]
        parser.read_label(label or [b for b in blocks if not b.region and not b.in_data])
        parser.read_navigation([b for b in blocks if b.region == "navigation"])
        data_blocks = [b for b in blocks if b.region in ("content", "meetingitem")]
    elif extracted.markers_seen:
        parser.read_label([b for b in blocks if not b.in_data])
        data_blocks = [b for b in blocks if b.in_data]
    else:
        rec.warn("no data area markers; reading the whole page")
        parser.whole_page = True
        index = parser.read_label(blocks)
        data_blocks = blocks[index + 1:] if index is not None else blocks
    if not data_blocks:
        rec.warn("empty data area")
    # Tables captioned as Dynasty's own lists or menus (``Navigointi``, ``Liitteet``)
    # wherever they stand: their caption never opens a section of the text.
    navigation = [b for b in data_blocks if _is_navigation_table(b)]
    if navigation:
        parser.read_navigation(navigation)
        data_blocks = [b for b in data_blocks if not _is_navigation_table(b)]
    parser.run(data_blocks)
    parser.finish()
    if parser.whole_page and not (index is not None or parser.seen_heading or rec.case_number
                                  or parser.content_section or parser.content_item):
        # Nothing says this is an item page: its first line is no title and its text no
        # background.
        rec.title = rec.background = None
        rec.preparers = []
        rec.structure = PageStructure.UNKNOWN_TEMPLATE
        rec.warn("unknown template: no Dynasty item structure found")


def parse(data: bytes, *, url: str | None = None, content_type: str | None = None) -> ItemRecord:
    """Parse one Dynasty item page. Pure: no network, no globals.

    ``url`` is the page's address (attachment links are resolved against it);
    ``content_type`` the HTTP header, whose charset wins over the page's ``<meta>``.
    """
    rec = ItemRecord(source_format="html")
    _parse(rec, data, url, content_type)
    rec.warn_missing()
    return rec
