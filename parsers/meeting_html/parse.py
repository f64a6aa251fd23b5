"""Parse a Dynasty meeting page (``page=meeting&id=<docid>`` / ``/kokous/<docid>.HTM``).

The page of one meeting document (an agenda, esityslista, or minutes, pöytäkirja)
has Dynasty's frame – the label ``Kaupunginhallitus`` / ``Pöytäkirja 14.06.2023 klo
18:00 / Tarkastettu`` and the navigation line – and, inside the data area, a few
tables, each under a header row (``tr.trHea``):

* ``Pykälä | Otsikko | Pöytäkirja PDF-muodossa`` (``Asianro`` on agendas): one row per
  item with its § (or item number), an attachment icon when it has attachments, and
  its title linking to the item page;
* ``Pykälä | Muutoksenhakuohjeet``: the appeal instructions, each a PDF for a list of
  sections printed like ``43, 44 kohdat 1-3, 47-48, 50`` – or, where the
  export lost the separators, ``41-42,44k24546``; the
  meeting's own § numbers split such runs (see :func:`parse_section_list`);
* ``Kokoustiedot``: ``Kokousaika`` and ``Kokouspaikka`` rows (where printed);
* ``Saapuvilla olleet jäsenet``, ``Muut saapuvilla olleet`` (and ``Poissa``,
  ``varajäsenet``): one person a row, ``Name, role, note`` in one cell or ``Name |
  role, note`` in two. A comma part that tells when someone came or left (``saapui klo
  18.12 § 43 käsittelyn aikana``, ``poistui klo 19.05``) is the note; the others are
  the role (``hallintosihteeri, pöytäkirjanpitäjä``).

Sections are recognised by their header text, not by class names, so a template that
styles them differently still parses; items are also recognised by their links (an
item page ``<docid>-<n>.HTM`` / ``page=meetingitem``), so a page without the header
row still yields its items. A page of another system is an unknown template: no
items are read from it.

This module walks the data area's tables and puts the record together; the label and
``Kokoustiedot`` fields are read in :mod:`parsers.meeting_html.header`, item numbers
and attachment icons in :mod:`parsers.meeting_html.items`, appeal section lists in
:mod:`parsers.meeting_html.appeals`, attendee lines in :mod:`parsers.meeting_html.attendees`, and
the page and its links in :mod:`parsers.html.page` and :mod:`parsers.html.links`.
"""

from __future__ import annotations

from parsers.html.blocks import Block
from parsers.html.links import classify_link, link_id
from parsers.html.page import Page, block_cells, block_links, read_dynasty_page
from parsers.meeting_html.appeals import link_appeals
from parsers.meeting_html.attendees import attendee_lines, looks_like_name, split_attendee
from parsers.meeting_html.header import norm_head, read_detail_row, read_label
from parsers.meeting_html.items import ITEM_NUMBER_RE, attachment_item_urls, split_numbered
from parsers.records import Attendee, MeetingItem, MeetingRecord, PageStructure
from parsers.text.vocabulary import DATE_RE, clean_text, not_a_title_reason, parse_fi_date

# --- section headings -----------------------------------------------------------------

_NUMBER_HEADS = {"pykälä", "§", "asianro", "asia", "asianumero", "nro", "paragraf", "ärende",
                 "kohta"}
_APPEAL_HEADS = ("muutoksenhaku", "oikaisuvaatimus", "besvärsanvisning", "ändringssökande")
_TITLE_HEADS = {"otsikko", "asia", "rubrik", "ärende"}
_ATTENDEE_GROUPS = (
    # (words in the heading, group); first match wins
    (("poissa", "frånvarande"), "absent"),
    (("varajäsen", "ersättare"), "deputies"),
    (("muut", "övriga"), "others"),
    (("jäsenet", "saapuvilla", "läsnä", "närvarande", "ledamöter"), "members"),
)
_DETAIL_HEADS = {"kokoustiedot", "mötesuppgifter", "kokouksen tiedot"}


# --- the parser -----------------------------------------------------------------------


def _is_header_block(block: Block) -> bool:
    """Dynasty's header rows are ``td.tcHea*`` cells."""
    if block.kind == "row":
        return any("tcHea" in b.cls for cell in block.cells or [] for b in cell)
    return "tcHea" in block.cls


class _MeetingParser:
    def __init__(self, rec: MeetingRecord, page: Page):
        self.rec = rec
        self.page = page
        self.mode: str | None = None
        self.group: str | None = None
        self.item_urls: set[str] = set()
        self.appeal_rows: list[tuple[str, str, str | None]] = []
        self._attachment_rows: set[str] | None = None

    # -- frame --

    def read_frame(self) -> None:
        """The navigation line outside the data area: the body's meeting list link."""
        if self.rec.body:
            return
        for block in self.page.blocks:
            if block.in_data and self.page.markers:
                continue
            for kind, _, text, _ in block_links(block, self.page):
                if kind == "body" and text:
                    self.rec.body = text
                    return

    # -- data area --

    def run(self) -> None:
        for block in self.page.data:
            if block.kind == "hr":
                continue
            cells = block_cells(block)
            if not cells:
                continue
            if self.heading(block, cells):
                continue
            if self.mode == "items":
                self.item_row(block, cells)
            elif self.mode == "appeals":
                self.appeal_row(block, cells)
            elif self.mode == "attendees":
                self.attendee_row(block, cells)
            elif self.mode == "details":
                read_detail_row(self.rec, cells)
            elif self.mode is None:
                if not read_detail_row(self.rec, cells):
                    self.item_row(block, cells, strict=True)
        link_appeals(self.rec, self.appeal_rows)
        self.fallback_items()

    def heading(self, block: Block, cells: list[str]) -> bool:
        """Switch mode on a section's header row; True when the block was one."""
        first = norm_head(cells[0])
        heads = [norm_head(c) for c in cells]
        for link in block_links(block, self.page):
            if link[0] == "pdf" and self.rec.pdf_url is None and \
                    (self.rec.dynasty_id is None or link[1] == self.rec.dynasty_id):
                self.rec.pdf_url = link[3]
        if first in _NUMBER_HEADS and len(cells) >= 2:
            if any(any(w in h for w in _APPEAL_HEADS) for h in heads[1:]):
                self.mode = "appeals"
            else:
                self.mode = "items"
            return True
        if first in _TITLE_HEADS and _is_header_block(block):
            self.mode = "items"
            return True
        plain = not block.all_links() and not any(ch.isdigit() for ch in first)
        if len(cells) == 1 and len(first) <= 60 and (plain or _is_header_block(block)):
            if first in _DETAIL_HEADS:
                self.mode = "details"
                return True
            if any(w in first for w in _APPEAL_HEADS) and _is_header_block(block):
                self.mode = "appeals"
                return True
            for words, group in _ATTENDEE_GROUPS:
                if any(w in first for w in words) and (_is_header_block(block) or (
                        "," not in first and not looks_like_name(cells[0]))):
                    self.mode, self.group = "attendees", group
                    return True
        if _is_header_block(block):
            self.mode = "other"
            self.rec.warn(f"unknown section: {clean_text(cells[0])[:60]}")
            return True
        return False

    def item_row(self, block: Block, cells: list[str], strict: bool = False) -> None:
        links = block_links(block, self.page)
        items = [link for link in links if link[0] == "item"]
        if strict and not items:
            return
        number = None
        title_cells = cells
        m = ITEM_NUMBER_RE.match(cells[0]) if cells else None
        if m and len(cells) >= 2:
            number = m.group(1)
            title_cells = cells[1:]
        elif not items:
            if self.mode == "items":
                self.rec.warn(f"item row not understood: {' | '.join(cells)[:80]}")
            return
        if items:
            _, ident, text, absolute = items[0]
            title = text or " ".join(title_cells)
        else:
            ident = absolute = None
            title = " ".join(title_cells)
        if number is None and items:
            number, title = split_numbered(title)
        if absolute:
            if absolute in self.item_urls:
                return
            self.item_urls.add(absolute)
        self.rec.items.append(MeetingItem(
            section=number, title=clean_text(title) or None, url=absolute, dynasty_id=ident,
            has_attachments=bool(absolute and absolute in self.page_attachment_rows())))

    def page_attachment_rows(self) -> set[str]:
        """Absolute item URLs whose table row shows Dynasty's attachment icon (read once)."""
        if self._attachment_rows is None:
            self._attachment_rows = attachment_item_urls(self.page)
        return self._attachment_rows

    def appeal_row(self, block: Block, cells: list[str]) -> None:
        links = [link for link in block_links(block, self.page) if link[2]]
        if block.kind == "row" and len(cells) >= 2:
            raw, title = cells[0], " ".join(cells[1:])
        elif links:
            raw, title = "", cells[0]
        else:
            self.rec.warn(f"appeal row not understood: {cells[0][:80]}")
            return
        if links:
            title = links[0][2]
        self.appeal_rows.append((raw, clean_text(title), links[0][3] if links else None))

    def attendee_row(self, block: Block, cells: list[str]) -> None:
        for line in attendee_lines(block):
            parsed = split_attendee(line)
            if parsed is None:
                self.rec.warn(f"attendee line not understood ({self.group})")
                continue
            name, role, note = parsed
            self.rec.attendees.append(Attendee(name=name, role=role, note=note,
                                               group=self.group))

    def fallback_items(self) -> None:
        """No item table: take every item-page link of the data area, in order."""
        if self.rec.items:
            return
        for block in self.page.data:
            for kind, ident, text, absolute in block_links(block, self.page):
                if kind != "item" or not absolute or absolute in self.item_urls:
                    continue
                self.item_urls.add(absolute)
                number, title = split_numbered(text)
                self.rec.items.append(MeetingItem(section=number, title=title or None,
                                                  url=absolute, dynasty_id=ident))
        if self.rec.items:
            self.rec.warn("no item table; items taken from links")



def _parse(rec: MeetingRecord, data, url: str | None, content_type: str | None) -> None:
    rec.dynasty_id = link_id(url, "meeting")
    page = read_dynasty_page(rec, data, url, content_type)
    if page is None:
        if rec.structure is PageStructure.UNKNOWN_TEMPLATE:
            rec.dynasty_id = None  # a number in another system's address is no Dynasty id
        return
    parser = _MeetingParser(rec, page)
    read_label(rec, page.label)
    parser.read_frame()
    parser.run()
    if rec.dynasty_id is None:
        # the whole document's PDF, or the items' ids, name the document
        if rec.pdf_url:
            rec.dynasty_id = classify_link(rec.pdf_url)[1]
        ids = {i.dynasty_id.rsplit("-", 1)[0] for i in rec.items if i.dynasty_id}
        if rec.dynasty_id is None and len(ids) == 1:
            rec.dynasty_id = ids.pop()
    if rec.meeting_date is None:
        m = DATE_RE.search(" ".join(page.label))
        rec.meeting_date = parse_fi_date(m.group(0)) if m else None
    for name in ("body", "meeting_date", "document_type"):
        if getattr(rec, name) is None:
            rec.warn(f"missing: {name}")
    if not rec.items:
        rec.warn("missing: items")
    prefixes = {i.dynasty_id.rsplit("-", 1)[0] for i in rec.items if i.dynasty_id}
    if rec.dynasty_id and prefixes and rec.dynasty_id not in prefixes:
        # Dynasty's sessions sometimes answer with another page than the one asked for.
        rec.other_document = ", ".join(sorted(prefixes))
        rec.warn(f"items belong to document {rec.other_document}, not {rec.dynasty_id}")
    numbers = [i.section for i in rec.items if i.section]
    if len(set(numbers)) != len(numbers):
        rec.warn("an item number appears twice")
    for item in rec.items:
        reason = not_a_title_reason(item.title) if item.title else None
        if reason:  # a link cut short ("14") or a label: no title rather than a wrong one
            rec.warn(f"item {item.dynasty_id or item.section or '?'}: {reason} "
                     f"{item.title!r} is no title")
            item.title = None


def parse(data: bytes, *, url: str | None = None,
          content_type: str | None = None) -> MeetingRecord:
    """Parse one Dynasty meeting page. Pure: no network, no globals.

    ``url`` is the page's address (links are resolved against it, and it gives the
    document's id); ``content_type`` the HTTP header, whose charset wins over the
    page's ``<meta>``.
    """
    rec = MeetingRecord()
    _parse(rec, data, url, content_type)
    return rec
