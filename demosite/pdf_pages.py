"""Dynasty-like PDFs: item PDFs, whole-meeting PDFs and attachment PDFs.

A meeting document is laid out once (cover page, then every item starting on a
new page); the whole-meeting PDF is all of its pages and an item PDF is that
item's pages. Page numbers are those of the whole document, ``3 (14)``, as in
Dynasty where an item PDF is a cut of the meeting PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from .common import dyn_date, text_date
from .model import (
    AttachmentSpec,
    Block,
    Document,
    Heading,
    Item,
    ListBlock,
    Meeting,
    Paragraph,
    SiteData,
)
from .pdf_layout import (
    BOLD,
    FONT,
    LANDSCAPE,
    LEADING,
    LEFT_X,
    PAGE_H,
    RIGHT_EDGE,
    RIGHT_X,
    SIZE,
    Group,
    Row,
    Span,
    blank,
    label_rows,
    line_spans,
    merge_left,
    paginate,
    render,
    text_rows,
    wrap,
)

LIST_INDENT = 16.0


# --------------------------------------------------------------------------- blocks
def block_rows(blocks: list[Block], x: float = RIGHT_X, right: float = RIGHT_EDGE) -> list[Row]:
    """Right-column rows for text blocks, a blank row between blocks."""
    rows: list[Row] = []
    for i, block in enumerate(blocks):
        if i:
            rows.append(blank())
        if isinstance(block, Paragraph):
            rows += text_rows(block.text, x, right)
        elif isinstance(block, Heading):
            rows += text_rows(block.text, x, right, font=BOLD, justify=False, hyphenate=False)
        elif isinstance(block, ListBlock):
            for j, text in enumerate(block.items):
                item_rows = text_rows(text, x + LIST_INDENT, right)
                item_rows[0].spans.insert(0, Span(x, block.marker(j)))
                rows += item_rows
    return rows


def section(
    label: str, blocks: list[Block], inline: str | None = None, tag: object = None
) -> Group:
    """A left-column heading with its right-column text (``inline`` on the first line)."""
    rows: list[Row] = []
    if inline is not None:
        rows += text_rows(inline, RIGHT_X, RIGHT_EDGE, justify=False, hyphenate=False)
        if blocks:
            rows.append(blank())
    rows += block_rows(blocks)
    return Group([blank(), *merge_left(rows, label_rows(label))], keep=3, tag=tag)


def plain_lines(lines: list[str]) -> list[Row]:
    return [Row(LEADING, [Span(RIGHT_X, line)]) for line in lines]


# --------------------------------------------------------------------------- items
def _title_rows(doc: Document, item: Item) -> list[Row]:
    return text_rows(item.title, LEFT_X, RIGHT_EDGE, font=BOLD, justify=False, hyphenate=False)


def espoo_groups(doc: Document, item: Item, data: SiteData) -> list[Group]:
    rows: list[Row] = []
    if item.case_number_raw:
        rows.append(Row(LEADING, [Span(RIGHT_EDGE, item.case_number_raw, align="right")]))
        if item.case_style == "separate" and item.task_class:
            rows.append(Row(LEADING, [Span(RIGHT_EDGE, item.task_class, align="right")]))
        rows.append(blank())
    for h in item.previous_handlings:
        rows.append(
            Row(
                LEADING,
                [Span(LEFT_X, h.body), Span(330, f"{h.section} §"), Span(400, text_date(h.date))],
            )
        )
    if item.previous_handlings:
        rows.append(blank())
    rows.append(Row(LEADING, [Span(LEFT_X, doc.section_label(item))]))
    rows.append(blank())
    rows += _title_rows(doc, item)
    groups = [Group(rows, keep=len(rows), page_break_before=True, tag=item)]
    w = doc.words
    if item.preparers:
        lines = [
            p.name + (f", {w.phone} {p.phone}" if p.phone else "")
            + (f", {p.email}" if p.email else "")
            for p in item.preparers
        ]
        lines.append(data.municipality.contact_pattern)
        rows = merge_left(plain_lines(lines), label_rows(w.preparers))
        groups.append(Group([blank(), *rows], keep=3, tag=item))
    proposer = item.proposer.display if item.proposer else ""
    groups.append(section(w.proposal, item.proposal, proposer, item))
    if doc.is_minutes and item.discussion:
        groups.append(section(w.discussion, item.discussion, tag=item))
    if doc.is_minutes:
        groups.append(section(w.decision, item.decision, tag=item))
    if item.background:
        groups.append(section(w.background, item.background, tag=item))
    for h in item.history:
        groups.append(
            section(
                w.history,
                [Paragraph(f"{h.body} {text_date(h.date)} § {h.section}")],
                tag=item,
            )
        )
        groups.append(
            section(w.proposal, h.proposal, h.proposer.display if h.proposer else "", item)
        )
        if h.discussion:
            groups.append(section(w.discussion, h.discussion, tag=item))
        if h.decision:
            groups.append(section(w.decision, h.decision, tag=item))
    if item.attachments:
        lines = [f"{a.number}   {a.title}" for a in item.attachments]
        groups.append(
            Group(
                [blank(), *merge_left(plain_lines(lines), label_rows(w.attachments))], keep=2,
                tag=item,
            )
        )
    return groups


def kuopio_groups(doc: Document, item: Item, data: SiteData) -> list[Group]:
    top = [Span(LEFT_X, doc.section_label(item))]
    if item.case_number_raw:
        top.append(Span(RIGHT_X, f"Asianro {item.case_number_raw}"))
    rows = [Row(LEADING, top), blank(), blank()]
    rows += _title_rows(doc, item)
    rows.append(blank())
    if item.preparers:
        first = item.preparers[0]
        lines = [f"{first.title} {first.name}" if first.title else first.name]
        if first.unit:
            lines.append(first.unit)
        rows += plain_lines(lines)
    groups = [Group(rows, keep=len(rows), page_break_before=True, tag=item)]
    if item.background:
        groups.append(Group([blank(), *block_rows(item.background)], keep=3, tag=item))
    if item.presentation:
        groups.append(section("Esitys", item.presentation, tag=item))
    if item.attachments:
        lines = [f"{a.number}   {a.title}" for a in item.attachments]
        groups.append(
            Group(
                [blank(), *merge_left(plain_lines(lines), label_rows("Liitteet"))], keep=2, tag=item
            )
        )
    if item.preparers:
        lines = [p.name + (f" puh. {p.phone}" if p.phone else "") for p in item.preparers]
        lines.append(data.municipality.contact_pattern.replace("@", "(at)"))
        groups.append(
            Group(
                [blank(), *merge_left(plain_lines(lines), label_rows("Valmistelija"))],
                keep=2,
                tag=item,
            )
        )
    proposer = item.proposer.display if item.proposer else ""
    groups.append(section("Päätösehdotus", item.proposal, proposer, item))
    if doc.is_minutes and item.discussion:
        groups.append(section("Käsittely", item.discussion, tag=item))
    if doc.is_minutes:
        groups.append(section("Päätös", item.decision, tag=item))
    return groups


TEMPLATES: dict[str, Callable[[Document, Item, SiteData], list[Group]]] = {
    "espoo": espoo_groups,
    "kuopio": kuopio_groups,
}


def cover_groups(doc: Document) -> list[Group]:
    meeting = doc.meeting
    w = doc.words
    when = f"{dyn_date(meeting.date)} {w.at} {meeting.time}"
    if doc.is_minutes and meeting.end_time:
        when += f"–{meeting.end_time}"
    groups = [
        Group([Row(20, [Span(LEFT_X, doc.label.upper(), BOLD, 14)]), blank()], tag="cover"),
        section(w.meeting_time, [], when, "cover"),
        section(w.meeting_place, [], meeting.place, "cover"),
    ]
    if doc.is_minutes:
        members = [a.display for a in meeting.attendees if a.group == "members"]
        others = [a.display for a in meeting.attendees if a.group == "others"]
        for label, lines in (
            (w.members, members),
            (w.others, others),
        ):
            if lines:
                rows = [
                    r for line in lines for r in text_rows(line, RIGHT_X, RIGHT_EDGE, justify=False)
                ]
                groups.append(
                    Group([blank(), *merge_left(rows, label_rows(label))], keep=3, tag="cover")
                )
    label = w.handled if doc.is_minutes else w.to_handle
    rows = []
    for item in meeting.items:
        rows += text_rows(
            f"{doc.section_label(item)}  {item.title}",
            RIGHT_X,
            RIGHT_EDGE,
            justify=False,
            hyphenate=False,
        )
    groups.append(Group([blank(), *merge_left(rows, label_rows(label))], keep=3, tag="cover"))
    if doc.is_minutes:
        chair = next((a.name for a in meeting.attendees if a.role == "puheenjohtaja"), "")
        clerk = next(
            (a.name for a in meeting.attendees if a.role and "pöytäkirjanpitäjä" in a.role), ""
        )
        lines = [f"{chair}, puheenjohtaja", f"{clerk}, pöytäkirjanpitäjä"]
        groups.append(
            Group(
                [blank(), *merge_left(plain_lines(lines), label_rows(w.signatures))],
                tag="cover",
            )
        )
    return groups


# --------------------------------------------------------------------------- documents
@dataclass
class DocLayout:
    pages: list[list[tuple[float, Row, object]]]
    item_pages: dict[int, tuple[int, int]]  # ordinal -> [start, end) page indexes


def layout_document(doc: Document, data: SiteData) -> DocLayout:
    groups = cover_groups(doc)
    for item in doc.meeting.items:
        groups += TEMPLATES[doc.meeting.body.template](doc, item, data)
    pages = paginate(groups)
    spans: dict[int, tuple[int, int]] = {}
    for index, placed in enumerate(pages):
        for _y, _row, tag in placed:
            if isinstance(tag, Item):
                start, _end = spans.get(tag.ordinal, (index, index + 1))
                spans[tag.ordinal] = (start, index + 1)
    return DocLayout(pages, spans)


def _header(doc: Document, data: SiteData, total: int) -> Callable[[Canvas, int], None]:
    meeting: Meeting = doc.meeting

    def draw(c: Canvas, number: int) -> None:
        top = PAGE_H - 42
        c.setFont(BOLD, SIZE)
        c.drawString(LEFT_X, top, data.municipality.name)
        c.drawString(300, top, doc.label)
        c.drawRightString(RIGHT_EDGE, top, f"{number} ({total})")
        c.setFont(FONT, SIZE)
        c.drawString(LEFT_X, top - LEADING, meeting.body.name)
        c.drawString(300, top - LEADING, f"{meeting.number}/{meeting.date.year}")
        c.drawString(300, top - 2 * LEADING, dyn_date(meeting.date))
        c.setLineWidth(0.5)
        c.line(LEFT_X, top - 2 * LEADING - 10, RIGHT_EDGE, top - 2 * LEADING - 10)

    return draw


def meeting_pdf(doc: Document, data: SiteData, lay: DocLayout | None = None) -> bytes:
    """``/kokous/<docid>.PDF``: the whole document."""
    lay = lay or layout_document(doc, data)
    total = len(lay.pages)
    return render(
        lay.pages,
        title=f"{doc.meeting.body.name} {doc.label} {dyn_date(doc.meeting.date)}",
        author=data.municipality.name,
        decorate=_header(doc, data, total),
    )


def item_pdf(doc: Document, item: Item, data: SiteData, lay: DocLayout | None = None) -> bytes:
    """``/kokous/<docid>-<n>.PDF``: the item's pages, numbered as in the whole document.

    Pass the document's ``DocLayout`` to avoid laying the meeting out again.
    """
    lay = lay or layout_document(doc, data)
    start, end = lay.item_pages[item.ordinal]
    return render(
        lay.pages[start:end],
        title=f"{doc.section_label(item)} {item.title}",
        author=data.municipality.name,
        decorate=_header(doc, data, len(lay.pages)),
        numbers=list(range(start + 1, end + 1)),
    )


# --------------------------------------------------------------------------- attachments
def _footer(name: str, total: int) -> Callable[[Canvas, int], None]:
    def draw(c: Canvas, number: int) -> None:
        c.setFont(FONT, 9)
        c.drawString(LEFT_X, 40, name)
        c.drawRightString(RIGHT_EDGE, 40, f"{number} ({total})")

    return draw


def _full(text: str, **kw: object) -> list[Row]:
    return text_rows(text, LEFT_X, RIGHT_EDGE, **kw)  # type: ignore[arg-type]


def report_pdf(att: AttachmentSpec, doc: Document, data: SiteData) -> bytes:
    content = att.content
    rows: list[Row] = [
        *_full(
            content.get("heading", att.title),
            font=BOLD,
            size=16,
            leading=20,
            justify=False,
            hyphenate=False,
        ),
        blank(),
        Row(LEADING, [Span(LEFT_X, f"{data.municipality.name}, {text_date(doc.meeting.date)}")]),
    ]
    groups = [Group(rows, keep=len(rows))]
    for sec in content.get("sections", []):
        rows = [
            blank(),
            *_full(sec["title"], font=BOLD, size=12, leading=16, justify=False, hyphenate=False),
            blank(4),
        ]
        for i, para in enumerate(sec.get("paragraphs", [])):
            if i:
                rows.append(blank(6))
            rows += _full(" ".join(para.split()))
        table = sec.get("table")
        if table:
            rows.append(blank(8))
            for r, cells in enumerate(table):
                font = BOLD if r == 0 else FONT
                spans = [Span(LEFT_X, str(cells[0]), font, 10)]
                spans += [
                    Span(x, str(cell), font, 10, align="right")
                    for x, cell in zip((330, 460, RIGHT_EDGE), cells[1:], strict=False)
                ]
                rows.append(Row(14, spans))
        groups.append(Group(rows, keep=4))
    pages = paginate(groups, top=PAGE_H - 70, bottom=70)
    return render(
        pages,
        title=att.title,
        author=data.municipality.name,
        decorate=_footer(att.title, len(pages)),
    )


def letter_pdf(att: AttachmentSpec, doc: Document, data: SiteData) -> bytes:
    c = att.content
    head = [
        Row(LEADING, [Span(LEFT_X, data.municipality.name, BOLD), Span(330, "LAUSUNTO", BOLD)]),
        Row(
            LEADING,
            [
                Span(LEFT_X, doc.meeting.body.name),
                Span(330, "LUONNOS " + text_date(doc.meeting.date)),
            ],
        ),
        blank(),
        blank(),
        *[Row(LEADING, [Span(LEFT_X, line)]) for line in str(c.get("recipient", "")).split("\n")],
        blank(),
        blank(),
        *_full(c.get("subject", att.title), font=BOLD, justify=False, hyphenate=False),
        blank(),
    ]
    groups = [Group(head, keep=len(head))]
    for para in c.get("paragraphs", []):
        groups.append(Group([*_full(" ".join(para.split())), blank()], keep=2))
    if c.get("signature"):
        groups.append(Group([blank(), blank(), Row(LEADING, [Span(LEFT_X, c["signature"])])]))
    pages = paginate(groups, top=PAGE_H - 60, bottom=70)
    return render(
        pages,
        title=att.title,
        author=data.municipality.name,
        decorate=_footer(att.title, len(pages)),
    )


def slides_pdf(att: AttachmentSpec, doc: Document, data: SiteData) -> bytes:
    """A slide deck: landscape pages, big titles, bullet lists."""
    width, height = LANDSCAPE
    pages: list[list[tuple[float, Row, object]]] = []
    for slide in att.content.get("slides", []):
        placed: list[tuple[float, Row, object]] = []
        if "bullets" not in slide:
            placed.append(
                (
                    height / 2 + 20,
                    Row(0, [Span(width / 2, slide["title"], BOLD, 32, align="center")]),
                    None,
                )
            )
            if slide.get("subtitle"):
                placed.append(
                    (
                        height / 2 - 24,
                        Row(0, [Span(width / 2, slide["subtitle"], FONT, 18, align="center")]),
                        None,
                    )
                )
        else:
            placed.append((height - 90, Row(0, [Span(60, slide["title"], BOLD, 28)]), None))
            y = height - 160
            for bullet in slide["bullets"]:
                lines = wrap(bullet, width - 100 - 60, FONT, 20, hyphenate=False)
                spans = line_spans(lines, 100, width - 160, FONT, 20, justify=False)
                for i, span in enumerate(spans):
                    row_spans = [Span(72, "•", FONT, 20)] if i == 0 else []
                    placed.append((y, Row(0, [*row_spans, span]), None))
                    y -= 28
                y -= 10
        pages.append(placed)
    total = len(pages)

    def footer(c: Canvas, number: int) -> None:
        c.setFont(FONT, 10)
        c.drawString(60, 30, data.municipality.name)
        c.drawRightString(width - 60, 30, f"{number} / {total}")

    return render(
        pages, title=att.title, author=data.municipality.name, decorate=footer, pagesize=LANDSCAPE
    )


ATTACHMENT_KINDS: dict[str, Callable[[AttachmentSpec, Document, SiteData], bytes]] = {
    "report": report_pdf,
    "letter": letter_pdf,
    "slides": slides_pdf,
}


def attachment_pdf(att: AttachmentSpec, doc: Document, data: SiteData) -> bytes:
    return ATTACHMENT_KINDS[att.kind](att, doc, data)
