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
row still yields its items. :func:`parse_meeting_html` never raises.
"""

from __future__ import annotations

import re

from parsers.dynasty_lists_html import (
    Page,
    block_cells,
    block_links,
    classify_link,
    document_type_of,
    read_page,
)
from parsers.fields import DATE_RE, clean_text, parse_fi_date
from parsers.html_text import Block, cell_text
from parsers.records import AppealInstruction, Attendee, ItemAppeal, MeetingItem, MeetingRecord

__all__ = ["parse_meeting_html", "parse_section_list", "split_attendee"]

# --- patterns -------------------------------------------------------------------------

_TIME = r"\d{1,2}[:.]\d{2}"
#: ``Pöytäkirja 14.06.2023 klo 18:00 / Tarkastettu``, ``Esityslista 03.02.2025 klo 16:00``
LABEL_RE = re.compile(
    r"(?P<kind>Pöytäkirja|Esityslista|Kokouskutsu|Protokoll|Föredragningslista)\s+"
    r"(?P<date>\d{1,2}\.\d{1,2}\.\d{4})"
    rf"(?:\s*(?:klo|kl\.?|kello)?\s*(?P<time>{_TIME})(?:\s*[-–]\s*(?P<end>{_TIME}))?)?"
    r"(?:\s*/\s*(?P<status>[^/]{2,60}))?\s*$",
    re.I,
)
WHEN_RE = re.compile(
    rf"(?:(?P<date>\d{{1,2}}\.\d{{1,2}}\.\d{{4}})\s*)?(?:klo|kl\.?|kello)?\s*(?P<time>{_TIME})"
    rf"(?:\s*[-–]\s*(?:klo\s*)?(?P<end>{_TIME}))?",
    re.I,
)
_NUMBER_HEADS = {"pykälä", "§", "asianro", "asia", "asianumero", "nro", "paragraf", "ärende",
                 "kohta"}
_APPEAL_HEADS = ("muutoksenhaku", "oikaisuvaatimus", "besvärsanvisning", "ändringssökande")
_TITLE_HEADS = {"otsikko", "asia", "rubrik", "ärende"}
_ITEM_NUMBER_RE = re.compile(r"^(?:§\s*)?(\d{1,4})(?:\s*§)?\.?$")
#: a link text that starts with its number: ``§ 12 Otsikko``, ``12 § Otsikko``, ``12. Otsikko``
_NUMBERED_TITLE_RE = re.compile(r"^(?:§\s*(\d{1,4})|(\d{1,4})\s*§|(\d{1,4})\.)\s+(\S.*)$")
_ATTENDEE_GROUPS = (
    # (words in the heading, group); first match wins
    (("poissa", "frånvarande"), "absent"),
    (("varajäsen", "ersättare"), "deputies"),
    (("muut", "övriga"), "others"),
    (("jäsenet", "saapuvilla", "läsnä", "närvarande", "ledamöter"), "members"),
)
_DETAIL_HEADS = {"kokoustiedot", "mötesuppgifter", "kokouksen tiedot"}
_TIME_LABELS = ("kokousaika", "aika", "tid", "sammanträdestid", "mötestid")
_PLACE_LABELS = ("kokouspaikka", "paikka", "plats", "sammanträdesplats", "mötesplats")
#: a comma part of an attendee line that says when the person came, left or was absent
NOTE_RE = re.compile(
    r"\b(?:saapui|saapuivat|poistui|poistuivat|palasi|palasivat|poissa|läsnä|esteellinen|"
    r"esteellisenä|jäävi|kello|klo|kl\.|ajalla|kohdissa|kohdassa|asiakohd\w*|pykäl\w*|"
    r"anlände|avlägsnade|avlägsnade sig|närvarande|frånvarande)\b|§|\d{1,2}[.:]\d{2}",
    re.I,
)
_NAME_WORD_RE = re.compile(r"^(?:[A-ZÅÄÖÜÉ][\w'´’-]*\.?|von|af|de|van|der)$")


# --- section lists (appeal instructions) ----------------------------------------------

_SECTION_TOKEN_RE = re.compile(r"\d+|kohdat|kohdan|kohta|kohd|k(?=\s*\d)|[-–]|[,;]|\bja\b",
                               re.I)


def _split_run(run: str, known: set[str], part_prefix: bool) -> tuple[str | None, list[str]]:
    """Split a digit run into known § numbers, optionally after a part number.

    ``131133134136`` with 131…136 known → ``(None, ["131", "133", "134", "136"])``;
    ``3138140`` after ``k`` (a part) → ``("3", ["138", "140"])``.
    """
    if not known:
        return (run, []) if part_prefix else (None, [run])
    if run in known and not part_prefix:
        return None, [run]

    def segment(s: str) -> list[str] | None:
        # fewest pieces, every piece a known § number
        best: list[list[str] | None] = [None] * (len(s) + 1)
        best[0] = []
        for end in range(1, len(s) + 1):
            for start in range(max(0, end - 4), end):
                piece = s[start:end]
                if best[start] is not None and piece in known and not piece.startswith("0"):
                    cand = best[start] + [piece]
                    if best[end] is None or len(cand) < len(best[end]):
                        best[end] = cand
        return best[len(s)]

    if part_prefix:
        for cut in (1, 2):
            if len(run) > cut:
                rest = segment(run[cut:])
                if rest:
                    return run[:cut], rest
        if run in known:
            return None, [run]
        return run, []
    pieces = segment(run)
    return (None, pieces) if pieces else (None, [run])


def parse_section_list(raw: str, known: list[str] | None = None
                       ) -> tuple[list[str], dict[str, str], list[str]]:
    """``43, 44 kohdat 1-3, 47-48, 50`` → § numbers, parts, problems.

    ``known`` are the meeting's own § numbers: ranges cover the known numbers between
    their ends, and runs of digits that lost their separators (``131133134``) are split
    into known numbers. Returns ``(sections, {section: "kohdat 1-2"}, problems)``.
    """
    known_set = {k for k in (known or []) if k and k.isdigit()}
    tokens = _SECTION_TOKEN_RE.findall(clean_text(raw))
    sections: list[str] = []
    parts: dict[str, str] = {}
    problems: list[str] = []
    last: str | None = None
    range_from: str | None = None
    part_of: str | None = None  # the section whose parts are being read
    part_tokens: list[str] = []
    part_word = "kohta"

    def close_part() -> None:
        nonlocal part_of, part_tokens
        if part_of and part_tokens:
            spec = "".join(part_tokens).strip("-–")
            word = "kohdat" if re.search(r"[-–,]", spec) or part_word == "kohdat" else "kohta"
            parts[part_of] = f"{word} {spec}"
        part_of, part_tokens = None, []

    def add(number: str) -> None:
        nonlocal last, range_from
        if range_from is not None:
            lo, hi = int(range_from), int(number)
            if hi < lo or hi - lo > 500:
                problems.append(f"bad range {range_from}-{number}")
            elif known_set:
                inside = sorted((k for k in known_set if lo < int(k) <= hi), key=int)
                for k in inside:
                    if k not in sections:
                        sections.append(k)
                if number not in known_set:
                    problems.append(f"range end {number} is not an item of this meeting")
            else:
                for n in range(lo + 1, hi + 1):
                    if str(n) not in sections:
                        sections.append(str(n))
            range_from = None
        elif number not in sections:
            sections.append(number)
        if known_set and number not in known_set:
            problems.append(f"{number} is not an item of this meeting")
        last = number

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        low = tok.lower()
        if low.startswith("k") and not tok.isdigit():
            if last is None:
                problems.append("part without a section")
            close_part()
            part_of = last
            part_word = "kohdat" if low == "kohdat" else "kohta"
        elif tok.isdigit():
            if part_of is not None:
                part, rest = _split_run(tok, known_set, part_prefix=True)
                if part is not None:
                    part_tokens.append(part)
                if rest:
                    close_part()
                    for number in rest:
                        add(number)
            else:
                _, pieces = _split_run(tok, known_set, part_prefix=False)
                for j, number in enumerate(pieces):
                    if j and range_from is not None:
                        problems.append(f"unclear range end in {tok}")
                    add(number)
        elif tok in "-–":
            if part_of is not None:
                part_tokens.append("-")
            elif last is not None:
                range_from = last
                # the range's start is already listed; its end comes next
            else:
                problems.append("range without a start")
        else:  # "," ";" "ja"
            if part_of is not None:
                # "kohdat 1, 2" goes on when the next number is not a known section
                nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
                if nxt.isdigit() and known_set and nxt not in known_set and len(nxt) <= 2:
                    part_tokens.append(", ")
                else:
                    close_part()
        i += 1
    close_part()
    if range_from is not None:
        problems.append(f"range from {range_from} has no end")
    return sections, parts, problems


# --- attendees ------------------------------------------------------------------------


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in text):
        return False
    capital = sum(1 for w in words if _NAME_WORD_RE.match(w))
    return capital >= 1 and capital >= len(words) - 1 and words[0][:1].isupper()


def split_attendee(cells: list[str]) -> tuple[str, str | None, str | None] | None:
    """``["Doris Testinen, saapui klo 18.12 § 43 käsittelyn aikana"]`` or
    ``["Gunnar Sepitetty", "sivistysjohtaja, poistui klo 19.05"]`` → ``(name, role, note)``.

    The comma parts after the name are the role until one of them reads as a note
    (arrival, departure, absence); it and everything after it are the note.
    """
    cells = [clean_text(c) for c in cells if clean_text(c)]
    if not cells:
        return None
    first, *more = cells
    name, _, rest = first.partition(",")
    name = name.strip()
    if not name or not _looks_like_name(name):
        return None
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    for cell in more:
        parts.extend(p.strip() for p in cell.split(",") if p.strip())
    roles: list[str] = []
    notes: list[str] = []
    for part in parts:
        if notes or NOTE_RE.search(part):
            notes.append(part)
        else:
            roles.append(part)
    return name, ", ".join(roles) or None, ", ".join(notes) or None


# --- the parser -----------------------------------------------------------------------


def _norm_head(text: str) -> str:
    return clean_text(text).strip(" :").casefold()


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

    # -- label and frame --

    def read_label(self) -> None:
        rec = self.rec
        lines = self.page.label
        for i, line in enumerate(lines):
            m = LABEL_RE.search(line)
            if not m:
                continue
            rec.document_type = document_type_of(m["kind"])
            rec.meeting_date = parse_fi_date(m["date"])
            rec.time = _hhmm(m["time"])
            rec.end_time = _hhmm(m["end"])
            status = clean_text(m["status"] or "")
            rec.status = status or None
            before = clean_text(line[: m.start()]).strip(" /-–|")
            if before:
                rec.body = before
            elif i > 0:
                rec.body = lines[i - 1]
            return
        rec.warn("no meeting label (document type and date) found")
        if lines:
            rec.body = lines[0]

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
                self.detail_row(cells)
            elif self.mode is None:
                if not self.detail_row(cells):
                    self.item_row(block, cells, strict=True)
        self.finish_appeals()
        self.fallback_items()

    def heading(self, block: Block, cells: list[str]) -> bool:
        """Switch mode on a section's header row; True when the block was one."""
        first = _norm_head(cells[0])
        heads = [_norm_head(c) for c in cells]
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
                        "," not in first and not _looks_like_name(cells[0]))):
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
        m = _ITEM_NUMBER_RE.match(cells[0]) if cells else None
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
            number, title = _split_numbered(title)
        if absolute:
            if absolute in self.item_urls:
                return
            self.item_urls.add(absolute)
        self.rec.items.append(MeetingItem(
            section=number, title=clean_text(title) or None, url=absolute, dynasty_id=ident,
            has_attachments=bool(absolute and absolute in self.page_attachment_rows())))

    def page_attachment_rows(self) -> set[str]:
        """Absolute item URLs whose table row shows Dynasty's attachment icon."""
        if self._attachment_rows is None:
            found: set[str] = set()
            root = self.page.root
            if root is not None:
                for tr in root.iter("tr"):
                    if any(inner is not tr for inner in tr.iter("tr")):
                        continue  # only rows without rows inside
                    icons = [img.get("src") or "" for img in tr.iter("img")]
                    if not any("ATTACH" in src.upper() or "LIITE" in src.upper()
                               for src in icons):
                        continue
                    for a in tr.iter("a"):
                        kind, _ = classify_link(a.get("href"))
                        if kind == "item":
                            found.add(self.page.resolve(a.get("href")) or "")
            self._attachment_rows = found
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

    def finish_appeals(self) -> None:
        known = [i.section for i in self.rec.items if i.section]
        by_section: dict[str, MeetingItem] = {}
        for item in self.rec.items:
            if item.section:
                by_section.setdefault(item.section, item)
        for raw, title, url in self.appeal_rows:
            sections, parts, problems = parse_section_list(raw, known)
            for problem in problems:
                self.rec.warn(f"appeal sections {raw!r}: {problem}")
            self.rec.appeals.append(AppealInstruction(
                title=title, url=url, sections_raw=clean_text(raw), sections=sections,
                parts=parts))
            for section in sections:
                item = by_section.get(section)
                if item is not None:
                    item.appeals.append(ItemAppeal(title=title, url=url, part=parts.get(section)))

    def attendee_row(self, block: Block, cells: list[str]) -> None:
        if block.kind == "row":
            columns = [cell_text(c).split("\n") for c in block.cells or []]
            columns = [[ln for ln in col if ln] for col in columns]
            columns = [col for col in columns if col]
            lines = [[col[i] if i < len(col) else "" for col in columns]
                     for i in range(max((len(c) for c in columns), default=0))]
        else:
            lines = [[ln] for ln in block.lines]
        for line in lines:
            parsed = split_attendee(line)
            if parsed is None:
                self.rec.warn(f"attendee line not understood ({self.group})")
                continue
            name, role, note = parsed
            self.rec.attendees.append(Attendee(name=name, role=role, note=note,
                                               group=self.group))

    def detail_row(self, cells: list[str]) -> bool:
        """``Kokousaika | 03.02.2025 klo 16:00–17:48`` and ``Kokouspaikka | …``."""
        if len(cells) == 1:
            head, sep, value = cells[0].partition(":")
            if not sep:
                return False
            cells = [head, value]
        head = _norm_head(cells[0])
        value = clean_text(" ".join(cells[1:]))
        if not value:
            return False
        rec = self.rec
        if head in _TIME_LABELS:
            m = WHEN_RE.search(value)
            if m:
                if m["date"]:
                    date = parse_fi_date(m["date"])
                    if rec.meeting_date and date and date != rec.meeting_date:
                        rec.warn(f"meeting time's date {date} differs from the label's")
                    rec.meeting_date = rec.meeting_date or date
                rec.time = rec.time or _hhmm(m["time"])
                rec.end_time = _hhmm(m["end"]) or rec.end_time
            else:
                rec.warn("meeting time not understood")
            return True
        if head in _PLACE_LABELS:
            rec.place = value
            return True
        return False

    def fallback_items(self) -> None:
        """No item table: take every item-page link of the data area, in order."""
        if self.rec.items:
            return
        for block in self.page.data:
            for kind, ident, text, absolute in block_links(block, self.page):
                if kind != "item" or not absolute or absolute in self.item_urls:
                    continue
                self.item_urls.add(absolute)
                number, title = _split_numbered(text)
                self.rec.items.append(MeetingItem(section=number, title=title or None,
                                                  url=absolute, dynasty_id=ident))
        if self.rec.items:
            self.rec.warn("no item table; items taken from links")


def _split_numbered(title: str) -> tuple[str | None, str]:
    m = _NUMBERED_TITLE_RE.match(title)
    if not m:
        return None, title
    return m.group(1) or m.group(2) or m.group(3), m.group(4)


def _hhmm(text: str | None) -> str | None:
    if not text:
        return None
    hours, minutes = re.split(r"[:.]", text)
    if int(hours) > 24 or int(minutes) > 59:
        return None
    return f"{int(hours):02d}:{minutes}"


def _dynasty_id(url: str | None) -> str | None:
    kind, ident = classify_link(url)
    return ident if kind == "meeting" else None


def _parse(rec: MeetingRecord, data, url: str | None, content_type: str | None) -> None:
    warnings: list[str] = []
    page = read_page(data, url, content_type, warnings)
    for w in warnings:
        rec.warn(w)
    rec.dynasty_id = _dynasty_id(url)
    if page.root is None:
        return
    parser = _MeetingParser(rec, page)
    parser.read_label()
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
        rec.warn(f"items belong to document {', '.join(sorted(prefixes))}, "
                 f"not {rec.dynasty_id}")
    numbers = [i.section for i in rec.items if i.section]
    if len(set(numbers)) != len(numbers):
        rec.warn("an item number appears twice")


def parse_meeting_html(data: bytes, url: str | None = None,
                       content_type: str | None = None) -> MeetingRecord:
    """Parse one Dynasty meeting page. Pure: no network, no globals; never raises.

    ``url`` is the page's address (links are resolved against it, and it gives the
    document's id); ``content_type`` the HTTP header, whose charset wins over the
    page's ``<meta>``.
    """
    rec = MeetingRecord()
    try:
        _parse(rec, data, url, content_type)
    except Exception as exc:  # a parser records problems, it does not raise
        rec.warn(f"parser error: {type(exc).__name__}: {exc}")
    return rec
