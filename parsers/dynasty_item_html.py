"""Parse one Dynasty agenda-item page (kokousasia, ``NNNN-N.HTM``) into an ``ItemRecord``.

Dynasty publishes every item of an agenda (esityslista) or minutes (pöytäkirja) as a
page whose frame is Dynasty's own (the header label ``Kaupunginhallitus`` /
``Pöytäkirja 14.03.2019 Pykälä 57``, the ``Edellinen asia | Seuraava asia``
navigation, an attachment list) and whose content is the municipality's Word document
exported to HTML, between ``<!--DATA_BEGIN-->`` and ``<!--DATA_END-->`` (older static
pages, windows-1252) or inside ``div.data-part-block-htm`` (newer UTF-8 pages).

How a page is read:

1. ``parsers.html_text`` decodes the bytes and turns the tree into a flat list of
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
   discussions and decisions found there are never this item's; only their handling
   headers (``Kaupunkisuunnittelulautakunta 26.4.2017 § 87``) are kept, as
   ``previous_handlings``. ``Tiedoksi`` and ``Muutoksenhaku`` end the history, and so
   does a handling header naming this very item (templates that print the history
   first).

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
* ``parse_item_html`` never raises: an unexpected error is a ``parser error: …``
  warning on whatever was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.fields import (
    EMAIL_RE,
    classify_heading_strict,
    clean_text,
    document_type_of,
    find_contact_pattern,
    looks_like_person,
    merge_people,
    parse_case_number,
    parse_fi_date,
    parse_handling_line,
    parse_people,
    parse_proposer,
)
from parsers.html_text import (
    Block,
    cell_text,
    decode_html,
    extract_blocks,
    parse_tree,
    resolve_url,
)
from parsers.records import Attachment, Handling, ItemRecord, Person

__all__ = ["parse_item_html"]

# --- patterns -----------------------------------------------------------------------

NAV_RE = re.compile(
    r"Edellinen asia|Seuraava asia|PDF-muodossa|Föregående ärende|Nästa ärende|"
    r"Avaa haku|\bToimielimet\s*\|",
    re.I,
)
#: ``Pöytäkirja 14.03.2019 Pykälä 57``, ``Pöytäkirja 23.09.2019/Pykälä 112``,
#: ``Esityslista 23.09.2019 Asianro 4``, ``Protokoll 14.03.2019 Paragraf 5``
LABEL_RE = re.compile(
    r"(?P<kind>Pöytäkirja|Esityslista|Protokoll|Föredragningslista)\s+"
    r"(?P<date>\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:\s*/?\s*(?P<unit>Pykälä|Asianro|Asia|Paragraf|Ärende|§)\s*(?P<num>\d+))?",
    re.I,
)
_BODY_WORD = (r"(?:lautakunta|hallitus|valtuusto|jaosto|toimikunta|johtokunta|neuvosto|"
              r"toimielin|styrelse|nämnd|fullmäktige|sektion|direktion)")
BODY_DATE_RE = re.compile(
    rf"^(?P<body>[A-ZÅÄÖ][\w\- ]{{2,80}}?{_BODY_WORD})\s+(?P<date>\d{{1,2}}\.\d{{1,2}}\.\d{{4}})$",
    re.I,
)

_SEP = r"[\s|,;]*"
SECTION_LINE_RE = re.compile(r"^(?:§\s*(\d+)|(\d+)\s*§|(?:Pykälä|Paragraf)\s+(\d+))(?![\d/.])")
ITEM_LINE_RE = re.compile(r"^(?:Asianro|Asia\s*nro|Asia|Ärende)\s*:?\s*(\d+)(?![\d/.])", re.I)
CASE_LINE_RE = re.compile(
    r"^(?:(?:Asianro|Asia\s*nro|Asianumero|Dnro|Dno|Diaarinro|Diaarinumero|Diaari|Dnr|"
    r"Ärendenr)\.?\s*:?\s*)?"
    r"(?:[A-ZÅÄÖ]{2,8}/)?\d{1,6}(?:/\d{2}(?:\.\d{2}){0,4})?/(?:19|20)\d{2}(?![\w/])",
    re.I,
)
TASK_LINE_RE = re.compile(r"^(?:Tehtäväluokka\s*:?\s*)?(\d{2}(?:\.\d{2}){1,4})(?![\d.])", re.I)
CASE_NO_YEAR_RE = re.compile(r"^(?:[A-ZÅÄÖ]{2,8}/)?\d{1,6}/\d{2}(?:\.\d{2}){0,4}/?$")
YEAR_ONLY_RE = re.compile(r"^/\s*((?:19|20)\d{2})$")

_HEADING_GAP_RE = re.compile(r"\t+|[ \xa0]{2,}")
_COLON_HEAD_RE = re.compile(r"^\s*([^:\n]{2,40}):\s*(\S.*)$", re.S)
#: Words that open a section when they stand alone, but not as ``Ehdotus: …`` inside text.
_GENERIC_HEADINGS = {"ehdotus", "esitys", "förslag"}
LIST_TEXT_RE = re.compile(r"^(?:[-–•·▪*]|\d{1,3}[.)]|[a-zåäö]\))\s+\S")
_BULLETS = set("-–—•·▪■□○o§*>\uf0b7\uf0a7\uf0d8\uf076\uf0fc")
_MARKER_CELL_RE = re.compile(r"^(?:\d{1,3}[.)]?|[a-zåäö][.)]|[-–•·])$")
_LEADING_NUMBER_RE = re.compile(r"^\d{1,3}[.)]?\s+(?=\S)")
ATTENDANCE_RE = re.compile(
    r"\b(?:palasi|palasivat|saapui|saapuivat|poistui|poistuivat|liittyi|liittyivät)\b"
    r"[^.]{0,100}\b(?:kokoukseen|kokouksesta|kokoushuoneesta|kokoustilasta|kokoukseen)\b|"
    r"\besteellis(?:enä|inä)\b|\bjäävi(?:nä|ksi)\b",
    re.I,
)
_UNIT_LINE_RE = re.compile(r"^[A-ZÅÄÖ][^\d:;!?]{2,80}$")
_NOT_TEXT_FIELDS = ("preparers", "proposer", "attachments", "history")


# --- paragraphs -----------------------------------------------------------------------


@dataclass(slots=True)
class Para:
    """A paragraph of a section: cleaned text (lines kept), list flag, links, cells."""

    text: str
    is_list: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)
    cells: list[str] | None = None


def _para(block: Block) -> Para:
    if block.kind == "row":
        cells = [t for t in (cell_text(c, " ") for c in block.cells or []) if t]
        if len(cells) > 1 and _MARKER_CELL_RE.match(cells[0]):
            text = f"{cells[0]} {' | '.join(cells[1:])}"
            return Para(text, True, block.all_links(), cells)
        return Para(" | ".join(cells), False, block.all_links(), cells)
    text = block.text
    marker = block.list_marker
    if marker and marker != "li":
        if marker in _BULLETS and text.startswith(marker):
            text = "- " + text[len(marker):].lstrip()
        return Para(text, True, list(block.links))
    return Para(text, bool(marker) or bool(LIST_TEXT_RE.match(text)), list(block.links))


def _text_para(raw: str) -> Para | None:
    lines = [ln for ln in (clean_text(x) for x in raw.split("\n")) if ln]
    return Para("\n".join(lines)) if lines else None


def join_paras(paras: list[Para]) -> str | None:
    """Paragraphs with a blank line between them; consecutive list items one per line."""
    out: list[str] = []
    prev_list = False
    for p in paras:
        if not p.text:
            continue
        if out:
            out.append("\n" if (p.is_list and prev_list) else "\n\n")
        out.append(p.text)
        prev_list = p.is_list
    return "".join(out) or None


# --- sections -------------------------------------------------------------------------


@dataclass
class Section:
    field: str  # a record field, "preamble" (unheaded text after the title) or "unheaded"
    heading: str
    paras: list[Para]
    history: bool


def _heading_candidates(block: Block):
    """(heading text, rest of the paragraph) pairs, most specific first."""
    raw = block.raw
    if block.bold_prefix.strip():
        yield block.bold_prefix, raw[len(block.bold_prefix):] if raw.startswith(
            block.bold_prefix) else ""
    if block.first_run.strip() and raw.startswith(block.first_run):
        rest = raw[len(block.first_run):]
        if rest.strip():
            yield block.first_run, rest
    first, _, more = raw.strip(" \t\n\xa0").partition("\n")
    parts = _HEADING_GAP_RE.split(first, maxsplit=1)
    if len(parts) == 2:
        yield parts[0], parts[1] + ("\n" + more if more else "")
    m = _COLON_HEAD_RE.match(raw)
    if m and clean_text(m.group(1)).lower() not in _GENERIC_HEADINGS:
        yield m.group(1), m.group(2)
    if len(first) <= 200 and len(clean_text(first)) <= 60:
        yield first, more


def detect_heading(block: Block) -> tuple[str, str, list[Para]] | None:
    """``(field, heading text, inline paragraphs)`` when the block opens a section."""
    if block.kind == "row":
        cells = block.cells or []
        head = cell_text(cells[0], " ")
        fieldname = classify_heading_strict(head)
        if not fieldname:
            # "Päätösehdotus Kaupunginjohtaja X" in one cell, the rest in the next
            first = cells[0][0] if cells[0] else None
            if first is not None and first.kind == "p":
                inner = detect_heading(first)
                if inner:
                    paras = inner[2] + [_para(b) for b in cells[0][1:]]
                    paras += [_para(b) for c in cells[1:] for b in c]
                    return inner[0], inner[1], [p for p in paras if p.text]
            return None
        paras = [_para(b) for c in cells[1:] for b in c]
        return fieldname, clean_text(head).rstrip(":"), [p for p in paras if p.text]
    if block.kind != "p":
        return None
    for head, rest in _heading_candidates(block):
        if len(head) > 200:
            continue
        head_clean = clean_text(head).rstrip(":").strip()
        if not head_clean:
            continue
        fieldname = classify_heading_strict(head_clean)
        if fieldname:
            p = _text_para(rest)
            return fieldname, head_clean, [p] if p else []
    return None


# --- the parser -----------------------------------------------------------------------


class _ItemParser:
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
        self.seen_heading = False
        self.whole_page = False  # no data area markers: the page's chrome is in the stream

    # -- header label (outside the data area) --

    def read_label(self, blocks: list[Block]) -> int | None:
        """Find the header label; return the index of its block."""
        best = None
        prev_lines: list[str] = []
        for i, b in enumerate(blocks):
            if b.kind == "row":  # "Kaupunginhallitus | Pöytäkirja 14.03.2019 Pykälä 57"
                lines = [ln for c in b.cells or [] for cb in c for ln in cb.lines]
            elif b.kind == "p":
                lines = b.lines
            else:
                continue
            for li, line in enumerate(lines):
                segments = [s.strip() for s in line.split("|")]
                for si, seg in enumerate(segments):
                    m = LABEL_RE.search(seg)
                    if not m:
                        continue
                    body = seg[: m.start()].strip(" /-–,")
                    if not body:
                        if si > 0:
                            body = segments[si - 1]
                        elif li > 0:
                            body = lines[li - 1].split("|")[-1].strip()
                        elif prev_lines:
                            body = prev_lines[-1].split("|")[-1].strip()
                    cand = (m["num"] is not None, i, m, body)
                    if best is None or (cand[0] and not best[0]):
                        best = cand
            prev_lines = lines or prev_lines
        if best is None:
            return None
        _, index, m, body = best
        rec = self.rec
        rec.document_type = document_type_of(m["kind"])
        rec.meeting_date = parse_fi_date(m["date"])
        if m["num"]:
            self.label_section = m["num"]
        if body and 2 <= len(body) <= 80 and not re.search(r"\d{1,2}\.\d{1,2}\.\d{4}", body) \
                and not NAV_RE.search(body) and body.lower() not in ("toimielimet", "etusivu"):
            rec.body = body
        return index

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
                    self.current.paras.append(_para(b))
                    continue
                if self.consume_header(b):
                    continue
                if self.whole_page and _is_link_only(b):  # a menu outside any data area
                    continue
                if self.rec.title is None:
                    self.rec.title = text
                    continue
                self.zone = "body"
                self.current = self.new_section("preamble", "")
            if self.in_history:
                h = parse_handling_line(text)
                if h:
                    if self.is_this_item(h):
                        self.in_history = False
                        self.current = self.new_section("unheaded", "")
                    else:
                        self.handlings.append(h)
                    continue
            if self.current is None:
                self.current = self.new_section("unheaded", "")
            self.current.paras.append(_para(b))

    def new_section(self, fieldname: str, heading: str) -> Section:
        sec = Section(fieldname, heading, [], self.in_history)
        self.sections.append(sec)
        return sec

    def open_section(self, fieldname: str, heading: str, inline: list[Para]) -> None:
        if fieldname == "history":
            self.in_history = True
        elif self.in_history and fieldname in ("for_information", "appeal"):
            self.in_history = False
        if not (self.zone == "header" and fieldname == "attachments" and self.rec.title is None):
            self.zone = "body"
        self.seen_heading = True
        self.current = self.new_section(fieldname, heading)
        self.current.paras.extend(inline)

    def is_this_item(self, h: Handling) -> bool:
        section = self.label_section or self.content_section
        if not section or h.section != section:
            return False
        if self.rec.meeting_date and h.date and h.date != self.rec.meeting_date:
            return False
        return not (self.rec.body and h.body.casefold() != self.rec.body.casefold())

    def consume_header(self, b: Block) -> bool:
        """Take case number, task class, § and handlings from a header paragraph.

        Returns True when the paragraph was used up; a remainder becomes the title.
        """
        rec = self.rec
        s = b.flat
        h = parse_handling_line(s)
        if h:
            self.handlings.append(h)
            return True
        if self.pending_case:
            m = YEAR_ONLY_RE.match(s.replace(" ", ""))
            if m:
                self.set_case(self.pending_case.rstrip("/") + "/" + m.group(1))
                self.pending_case = None
                return True
        s = s.strip(" |,;")
        used = False
        while s:
            m = SECTION_LINE_RE.match(s)
            if m:
                self.content_section = self.content_section or next(g for g in m.groups() if g)
            else:
                m = ITEM_LINE_RE.match(s)
                if m:
                    self.content_item = self.content_item or m.group(1)
                else:
                    m = CASE_LINE_RE.match(s)
                    if m:
                        self.set_case(m.group(0))
                    else:
                        m = TASK_LINE_RE.match(s)
                        if m and (rec.case_number or len(s) == len(m.group(0))):
                            rec.task_class = rec.task_class or m.group(1)
                        else:
                            compact = re.sub(r"\s*/\s*", "/", s)
                            if CASE_NO_YEAR_RE.match(compact) and rec.case_number is None:
                                self.pending_case = compact
                                return True
                            break
            used = True
            s = s[m.end():].strip(" |,;:")
        if not s:
            return used
        if rec.body is None or rec.meeting_date is None:
            m = BODY_DATE_RE.match(s)
            if m and rec.title is not None:
                rec.body = rec.body or m["body"]
                rec.meeting_date = rec.meeting_date or parse_fi_date(m["date"])
                return True
        if used and rec.title is None:
            rec.title = s
            return True
        return False

    def set_case(self, printed: str) -> None:
        rec = self.rec
        if rec.case_number:
            return
        number, raw, task = parse_case_number(printed)
        if number:
            rec.case_number, rec.case_number_raw = number, raw
            rec.task_class = rec.task_class or task

    # -- sections → fields --

    def finish(self) -> None:
        rec = self.rec
        rec.section = self.label_section or self.content_section or self.content_item
        if self.label_section and self.content_section and \
                self.label_section != self.content_section:
            rec.warn(f"section mismatch: label {self.label_section}, page § {self.content_section}")
        if self.pending_case and not rec.case_number:
            self.set_case(self.pending_case.rstrip("/"))
            if not rec.case_number:
                rec.case_number_raw = self.pending_case
                rec.warn("case number without year")

        own = [s for s in self.sections if not s.history]
        background: list[Para] = []
        fields_paras: dict[str, list[Para]] = {}
        attachments: list[Attachment] = []
        notes: list[Para] = []
        has_real_proposal = any(
            s.field == "proposal" and s.heading.lower() not in ("esitys",) for s in own)

        for sec in own:
            paras = [p for p in sec.paras if p.text]
            f = sec.field
            if f == "preamble":
                rest = self.read_people(paras, require_first=True)
                background.extend(rest)
            elif f == "unheaded":
                background.extend(paras)
            elif f == "preparers":
                background.extend(self.read_people(paras, require_first=False))
            elif f == "proposer":
                if paras and rec.proposer is None:
                    first = paras[0].text.split("\n")[0]
                    if looks_like_person(first):
                        rec.proposer = parse_proposer(first)
                        rest_lines = paras[0].text.split("\n")[1:]
                        paras = ([Para("\n".join(rest_lines))] if rest_lines else []) + paras[1:]
                background.extend(paras)
            elif f == "attachments":
                attachments.extend(self.read_attachments(paras))
            elif f == "proposal" and has_real_proposal and sec.heading.lower() == "esitys":
                if paras:
                    background.append(Para(sec.heading))
                    background.extend(paras)
            elif f == "proposal":
                if paras and not paras[0].cells:
                    first, _, more = paras[0].text.partition("\n")
                    if looks_like_person(first):  # the proposer's line
                        if rec.proposer is None:
                            rec.proposer = parse_proposer(first)
                        paras = ([Para(more)] if more else []) + paras[1:]
                fields_paras.setdefault("proposal", []).extend(paras)
            elif f == "decision":
                kept = []
                for p in paras:
                    if len(p.text) < 300 and ATTENDANCE_RE.search(p.text):
                        notes.append(p)
                    else:
                        kept.append(p)
                if not kept:
                    kept, notes = notes, []
                fields_paras.setdefault("decision", []).extend(kept)
            elif f == "background":
                background.extend(paras)
            elif f not in _NOT_TEXT_FIELDS:
                fields_paras.setdefault(f, []).extend(paras)

        if notes:
            fields_paras.setdefault("discussion", []).extend(notes)
        for name in ("proposal", "decision", "discussion", "for_information", "supplementary",
                     "appeal"):
            if name in fields_paras:
                setattr(rec, name, join_paras(fields_paras[name]))
        rec.background = join_paras(background)
        rec.preparers = merge_people(rec.preparers)
        if rec.document_type == "agenda" and rec.decision:
            rec.warn("agenda page has a decision section; ignored")
            rec.decision = None
        rec.attachments = _merge_attachments(attachments)
        out: list[Handling] = []
        for h in self.handlings:
            if h not in out:
                out.append(h)
        rec.previous_handlings = out
        if not self.seen_heading and rec.title is None:
            rec.warn("unknown template: no title and no section headings found")

    def read_people(self, paras: list[Para], require_first: bool) -> list[Para]:
        """Take preparer lines from the start of ``paras``; return what is left."""
        rec = self.rec
        people: list[Person] = []
        i = 0
        while i < len(paras):
            lines = paras[i].text.split("\n")
            if paras[i].cells:
                lines = paras[i].cells
            took = False
            for line in lines:
                pattern = find_contact_pattern(line)
                if pattern:
                    rec.contact_pattern = rec.contact_pattern or pattern
                    took = True
                    continue
                found = parse_people(line)
                if found and not (require_first and i == 0 and not took and len(line) > 100):
                    people.extend(found)
                    took = True
                    continue
                m = EMAIL_RE.fullmatch(line.strip())
                if m and people:
                    if people[-1].email is None:
                        people[-1].email = m.group(0)
                    took = True
                    continue
                if people and _is_unit_line(line):
                    last = people[-1]
                    last.title = f"{last.title}, {line}" if last.title else line
                    took = True
                    continue
                took = False
                break
            if not took:
                break
            i += 1
        if require_first and not people:
            return paras
        rec.preparers.extend(people)
        return paras[i:]

    def read_attachments(self, paras: list[Para]) -> list[Attachment]:
        found: list[Attachment] = []
        for p in paras:
            links = [(h, t) for h, t in p.links if _is_document_link(h)]
            if links:
                for href, text in links:
                    title = text or _strip_number(p.text)
                    if title:
                        found.append(Attachment(title=title, url=self.resolve(href)))
                continue
            if p.cells:
                rest = [c for c in p.cells if not _MARKER_CELL_RE.match(c)]
                if rest:
                    found.append(Attachment(title=" ".join(rest)))
                continue
            for line in p.text.split("\n"):
                if _MARKER_CELL_RE.match(line):
                    continue
                title = _strip_number(line)
                if title:
                    found.append(Attachment(title=title))
        return found

    def resolve(self, href: str) -> str:
        return resolve_url(self.url, href)


def _is_unit_line(line: str) -> bool:
    line = clean_text(line)
    return bool(_UNIT_LINE_RE.match(line)) and len(line.split()) <= 6 and \
        not line.endswith(".") and not looks_like_person(line)


def _is_link_only(block: Block) -> bool:
    links = block.all_links()
    if not links:
        return False
    rest = block.flat
    for _, text in links:
        rest = rest.replace(text, "", 1)
    return not rest.strip(" |/>»-–")


def _is_document_link(href: str) -> bool:
    href = href.strip().lower()
    return bool(href) and not href.startswith(("mailto:", "javascript:", "#", "tel:"))


def _strip_number(text: str) -> str:
    return _LEADING_NUMBER_RE.sub("", clean_text(text)).strip()


def _norm_title(title: str) -> str:
    return re.sub(r"\W+", " ", title).strip().casefold()


def _merge_attachments(items: list[Attachment]) -> list[Attachment]:
    """Keep each attachment once; a linked entry absorbs the same title without a link."""
    out: list[Attachment] = []
    for a in items:
        key = _norm_title(a.title)
        match = next((o for o in out if _norm_title(o.title) == key), None)
        if match is None:
            out.append(a)
        elif match.url is None and a.url:
            match.url = a.url
    return out


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
        rec.warn("empty document")
        return
    extracted = extract_blocks(root)
    blocks = extracted.blocks
    parser = _ItemParser(rec, url)
    index = None
    if extracted.markers_seen:
        parser.read_label([b for b in blocks if not b.in_data])
        data_blocks = [b for b in blocks if b.in_data]
    else:
        rec.warn("no data area markers; reading the whole page")
        parser.whole_page = True
        index = parser.read_label(blocks)
        data_blocks = blocks[index + 1:] if index is not None else blocks
    if not data_blocks:
        rec.warn("empty data area")
    parser.run(data_blocks)
    parser.finish()
    if parser.whole_page and not (index is not None or parser.seen_heading or rec.case_number
                                  or parser.content_section or parser.content_item):
        # Nothing says this is an item page: its first line is no title and its text no
        # background.
        rec.title = rec.background = None
        rec.preparers = []
        rec.warn("unknown template: no Dynasty item structure found")


def parse_item_html(data: bytes, url: str | None = None,
                    content_type: str | None = None) -> ItemRecord:
    """Parse one Dynasty item page. Pure: no network, no globals; never raises.

    ``url`` is the page's address (attachment links are resolved against it);
    ``content_type`` the HTTP header, whose charset wins over the page's ``<meta>``.
    """
    rec = ItemRecord(source_format="html")
    try:
        _parse(rec, data, url, content_type)
    except Exception as exc:  # a parser records problems, it does not raise
        rec.warn(f"parser error: {type(exc).__name__}: {exc}")
    try:
        rec.warn_missing()
    except Exception as exc:  # pragma: no cover - defensive
        rec.warn(f"parser error: {type(exc).__name__}: {exc}")
    return rec
