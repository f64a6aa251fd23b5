"""A minimal two-column text layout engine on top of the reportlab canvas.

Dynasty PDFs put section headings in a left column (x ≈ 57 pt) and justified,
hyphenated body text in a right column (x ≈ 184 pt). Platypus can justify but not
hyphenate Finnish, and hides the exact positions the parser tests care about, so
the demo lays out lines itself: text is wrapped greedily, words that do not fit
are broken with :mod:`demosite.hyphenate`, and full lines are justified with the
PDF word-spacing operator so that extracted text keeps real space characters.

Output is deterministic: reportlab's ``invariant`` mode fixes dates and ids.
"""

from __future__ import annotations

import io
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .hyphenate import break_points

PAGE_W, PAGE_H = A4
LEFT_X = 57.0
RIGHT_X = 184.0
RIGHT_EDGE = 538.0
FONT = "Helvetica"
BOLD = "Helvetica-Bold"
SIZE = 11.0
LEADING = 13.4
TOP_Y = 722.0
NBSP = "\u00a0"
_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}\b)")
BOTTOM_Y = 64.0


@dataclass
class Span:
    """One run of text on a line; ``align`` is ``left`` or ``right`` (at ``x``)."""

    x: float
    text: str
    font: str = FONT
    size: float = SIZE
    word_space: float = 0.0
    align: str = "left"


@dataclass
class Row:
    height: float
    spans: list[Span] = field(default_factory=list)


@dataclass
class Group:
    """Rows that should not be split before their ``keep`` first rows."""

    rows: list[Row]
    keep: int = 2
    page_break_before: bool = False
    tag: object = None  # e.g. the item a group belongs to


def blank(height: float = LEADING) -> Row:
    return Row(height)


# --------------------------------------------------------------------------- wrapping
def wrap(
    text: str,
    width: float,
    font: str = FONT,
    size: float = SIZE,
    hyphenate: bool = True,
) -> list[list[str]]:
    """Greedy line breaking with Finnish hyphenation; returns the words of each line."""
    text = _THOUSANDS.sub(NBSP, text)  # "12 400 euroa" never breaks between digits
    space = stringWidth(" ", font, size)
    lines: list[list[str]] = []
    cur: list[str] = []
    cur_w = 0.0
    queue = deque(w for w in text.split(" ") if w)
    while queue:
        word = queue.popleft()
        ww = stringWidth(word, font, size)
        need = ww if not cur else cur_w + space + ww
        if need <= width:
            cur.append(word)
            cur_w = need
            continue
        if hyphenate:
            avail = width - (cur_w + space if cur else 0.0)
            for pos, add in reversed(break_points(word)):
                head = word[:pos] + ("-" if add else "")
                if stringWidth(head, font, size) <= avail:
                    lines.append([*cur, head])
                    cur, cur_w = [], 0.0
                    queue.appendleft(word[pos:])
                    break
            else:
                pos = -1
            if pos != -1:
                continue
        if cur:
            lines.append(cur)
            cur, cur_w = [], 0.0
            queue.appendleft(word)
        else:  # a single word wider than the column: let it overflow
            cur, cur_w = [word], ww
    if cur:
        lines.append(cur)
    return lines


def line_spans(
    lines: list[list[str]],
    x: float,
    width: float,
    font: str = FONT,
    size: float = SIZE,
    justify: bool = True,
) -> list[Span]:
    """Spans for wrapped lines; all but the last are justified when ``justify``."""
    space = stringWidth(" ", font, size)
    out = []
    for i, words in enumerate(lines):
        text = " ".join(words)
        ws = 0.0
        if justify and i < len(lines) - 1 and len(words) > 1:
            natural = stringWidth(text, font, size)
            ws = max(0.0, (width - natural) / (len(words) - 1))
            ws = min(ws, space * 3)
        out.append(Span(x, text, font, size, ws))
    return out


def text_rows(
    text: str,
    x: float,
    right: float,
    *,
    font: str = FONT,
    size: float = SIZE,
    leading: float = LEADING,
    justify: bool = True,
    hyphenate: bool = True,
) -> list[Row]:
    lines = wrap(text, right - x, font, size, hyphenate)
    spans = line_spans(lines, x, right - x, font, size, justify)
    return [Row(leading, [s]) for s in spans]


def merge_left(rows: list[Row], label_rows: list[Row]) -> list[Row]:
    """Put left-column label lines beside the first rows of ``rows``."""
    out = [Row(r.height, list(r.spans)) for r in rows]
    while len(out) < len(label_rows):
        out.append(Row(LEADING))
    for row, label in zip(out, label_rows, strict=False):
        row.spans = label.spans + row.spans
    return out


def label_rows(label: str) -> list[Row]:
    """A left-column heading, bold at body size, wrapped inside the column."""
    return text_rows(label, LEFT_X, RIGHT_X - 8, font=BOLD, justify=False, hyphenate=False)


# --------------------------------------------------------------------------- paging
def paginate(
    groups: list[Group], top: float = TOP_Y, bottom: float = BOTTOM_Y
) -> list[list[tuple[float, Row, object]]]:
    """Place groups on pages; returns per page ``(baseline y, row, group tag)``."""
    pages: list[list[tuple[float, Row, object]]] = [[]]
    y = top
    for group in groups:
        if group.page_break_before and pages[-1]:
            pages.append([])
            y = top
        need = sum(r.height for r in group.rows[: group.keep])
        if pages[-1] and y - need < bottom:
            pages.append([])
            y = top
        for row in group.rows:
            if y - row.height < bottom and pages[-1]:
                pages.append([])
                y = top
            if not pages[-1] and not row.spans:
                continue  # no blank rows at the top of a page
            y -= row.height
            pages[-1].append((y, row, group.tag))
    return pages


# --------------------------------------------------------------------------- drawing
def draw_span(c: Canvas, y: float, span: Span) -> None:
    """Draw one span; word spacing is always set, because the PDF ``Tw`` operator
    belongs to the graphics state and would otherwise leak into later lines."""
    x = span.x
    if span.align != "left":
        width = stringWidth(span.text, span.font, span.size)
        x -= width if span.align == "right" else width / 2
    t = c.beginText(x, y)
    t.setFont(span.font, span.size)
    t.setWordSpace(round(span.word_space, 3))
    t.textOut(span.text)
    c.drawText(t)


def render(
    pages: list[list[tuple[float, Row, object]]],
    *,
    title: str,
    author: str,
    decorate: Callable[[Canvas, int], None] | None = None,
    numbers: list[int] | None = None,
    pagesize: tuple[float, float] = A4,
) -> bytes:
    """Draw placed rows; ``decorate(canvas, page_number)`` adds headers/footers."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=pagesize, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("Dynasty")
    for idx, placed in enumerate(pages):
        number = numbers[idx] if numbers else idx + 1
        if decorate:
            decorate(c, number)
        for y, row, _tag in placed:
            for span in row.spans:
                draw_span(c, y, span)
        c.showPage()
    c.save()
    return buf.getvalue()


LANDSCAPE = landscape(A4)
