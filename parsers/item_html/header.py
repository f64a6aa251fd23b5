"""The header zone of a Dynasty item page (``parsers.item_html.parse``).

Dynasty's header label outside the data area (``Kaupunginhallitus`` / ``Pöytäkirja
14.03.2019 Pykälä 57``) gives body, document type, meeting date and section; the data
area's lines before the title give the case number (also split over two elements:
``2751/10.02.03`` + ``/2015``), task class, ``§ N`` and earlier handlings.
"""

from __future__ import annotations

import re

from parsers.html.blocks import Block
from parsers.records import Handling, ItemRecord
from parsers.text.vocabulary import (
    BARE_NUMBER_RE,
    document_type_of,
    parse_case_number,
    parse_fi_date,
    parse_handling_line,
)

#: Dynasty's navigation and menus: never the label or content.
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
              r"toimielin|styrelsen?|nämnden?|fullmäktige|sektionen?|direktionen?)")
#: A body's name alone: ``Kaupunginhallitus``, ``Konserni- ja kaupunkikehitysjaosto``.
BODY_NAME_RE = re.compile(rf"^[A-ZÅÄÖ][\w\- ]{{0,80}}?{_BODY_WORD}$", re.I)
BODY_DATE_RE = re.compile(
    rf"^(?P<body>[A-ZÅÄÖ][\w\- ]{{2,80}}?{_BODY_WORD})\s+(?P<date>\d{{1,2}}\.\d{{1,2}}\.\d{{4}})$",
    re.I,
)

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


class HeaderReader:
    """The item parser's header reading; a base class of ``item_html._ItemParser``.

    The attributes are set by ``_ItemParser.__init__``.
    """

    rec: ItemRecord
    pending_case: str | None
    label_section: str | None
    content_section: str | None
    content_item: str | None
    handlings: list[Handling]
    seen_body_date: bool

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

    # -- header lines of the data area --

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
        m = BARE_NUMBER_RE.match(s)
        if m and rec.title is None:
            # 2017 agendas print the item number alone above the title: it is the
            # item's number, never its title.
            self.content_item = self.content_item or m.group(1)
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
        m = BODY_DATE_RE.match(s)
        if m and not self.seen_body_date:
            # This handling's own line under the title (Dynasty 10: ``<span>Tekninen
            # lautakunta</span> <span>23.09.2026</span>``).
            self.seen_body_date = True
            date = parse_fi_date(m["date"])
            if rec.meeting_date and date and date != rec.meeting_date:
                rec.warn(f"date under the title {date} differs from the heading's")
            rec.body = rec.body or m["body"]
            rec.meeting_date = rec.meeting_date or date
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
