"""Write Dynasty-layout test PDFs with reportlab from a small spec.

The layout copies what Dynasty's item PDFs look like: a running header with the
municipality, the document type, the date and a page number ``1 (2)`` over a
full-width rule; headings in a left column at x≈57pt; a justified body column at
x≈184pt. Every printed line is given in the spec exactly as it should appear, so
the line-end hyphens are the spec's own: nothing here hyphenates or wraps.

Spec (a dict, usually loaded from YAML)::

    layout: two-column            # or single-column (body at the left margin)
    font_size: 11
    page: {bottom: 780}           # where a page ends (lower = earlier page breaks)
    header:
      rule: true
      first_page_lines: []        # optional: page 1's own header (no rule on page 1)
      lines:                      # cells at x = 57, 300, 480; {page} and {pages}
        - ["Kuopion kaupunki", "Pöytäkirja 14/2019", "{page} ({pages})"]
        - ["Kaupunginhallitus", "04.11.2019"]
    footer: {lines: [["Testikaupunki, PL 1", "", "Sivu {page}/{pages}"]]}
    blocks:
      - {section: "§ 312", text: "Asianro 5123/02.05.00/2019"}  # left + body cell, bold
      - {title: ["first title line", "second"]}                  # bold, body column
      - {para: ["line", "line"]}                                 # unheaded paragraph
      - heading: ["Kaupungin-", "hallituksen päätösehdotus"]     # left column, bold
        paras: [["line", "line"], ["next paragraph"]]            # body column
      - {heading: Liitteet, items: [["1", "title", "wrapped title line"]]}
      - {table: [["a", "b"], ["c", "d"]], cols: [0, 150], size: 8}
      - {bold: "Kaupunginhallitus 14.3.2022 § 88"}               # full width, bold
      - {line: "Päätös:", bold: false}                           # one line, margin
      - {gap: 1}                                                 # blank lines
      - {page_break: true}

Use :func:`build_pdf` (bytes) or run ``python tests/parsers/pdfgen.py spec.yaml out.pdf``.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

HEAD_X = 57.0
BODY_X = 184.0
RIGHT_X = 538.0
TOP = 100.0  # top of the first content line, from the top of the page
HEADER_CELLS = (HEAD_X, 300.0, 480.0)
REGULAR, BOLD = "Helvetica", "Helvetica-Bold"
#: the widest word gap a justified line may need; wider means the spec line is too short
MAX_JUSTIFY_GAP = 12.0


@dataclass
class Op:
    page: int
    y: float  # top of the line, from the top of the page
    x: float
    text: str
    font: str
    size: float
    justify_to: float | None = None  # right edge to justify to


class Layouter:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.size = float(spec.get("font_size", 11))
        self.pitch = self.size * 1.2
        self.single = spec.get("layout", "two-column") == "single-column"
        self.body_x = HEAD_X if self.single else BODY_X
        self.bottom = float(spec.get("page", {}).get("bottom", 780))
        self.page = 0
        self.y = TOP
        self.ops: list[Op] = []

    # -- cursor -------------------------------------------------------------------------

    def slot(self, pitch: float | None = None) -> tuple[int, float]:
        """Reserve one line; move to the next page when this one is full."""
        pitch = pitch or self.pitch
        if self.y + pitch > self.bottom:
            self.page += 1
            self.y = TOP
        at = (self.page, self.y)
        self.y += pitch
        return at

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            if self.y != TOP:
                self.y += self.pitch

    def put(self, at: tuple[int, float], x: float, text: str, font: str = REGULAR,
            size: float | None = None, justify_to: float | None = None) -> None:
        if text:
            self.ops.append(Op(at[0], at[1], x, text, font, size or self.size, justify_to))

    # -- blocks -------------------------------------------------------------------------

    def paragraph_slots(self, paras: list[list[str]]) -> list[tuple[str, bool] | None]:
        """Body lines of ``paras`` with a blank slot between paragraphs; the bool says
        whether the line is justified (all but a paragraph's last line)."""
        out: list[tuple[str, bool] | None] = []
        for i, para in enumerate(paras):
            if i:
                out.append(None)
            for j, line in enumerate(para):
                out.append((line, j < len(para) - 1))
        return out

    def block(self, b: dict[str, Any]) -> None:
        if "section" in b:
            at = self.slot()
            self.put(at, HEAD_X, b["section"], BOLD)
            x = HEAD_X + 60 if self.single else self.body_x
            self.put(at, x, b.get("text", ""), BOLD)
        elif "title" in b:
            for line in b["title"]:
                self.put(self.slot(), self.body_x, line, BOLD)
        elif "para" in b:
            lines = b["para"]
            for j, line in enumerate(lines):
                justify = RIGHT_X if j < len(lines) - 1 and b.get("justify", True) else None
                self.put(self.slot(), self.body_x, line, BOLD if b.get("bold") else REGULAR,
                         justify_to=justify)
        elif "heading" in b:
            heading = b["heading"] if isinstance(b["heading"], list) else [b["heading"]]
            if "items" in b:
                body = self.item_slots(b["items"])
            else:
                can_justify = b.get("justify", True)
                body = [
                    (self.body_x, line, RIGHT_X if justify and can_justify else None)
                    if line
                    else None
                    for line, justify in (
                        s if s else ("", False) for s in self.paragraph_slots(b.get("paras", []))
                    )
                ]
            n = max(len(heading), len(body))
            for i in range(n):
                at = self.slot()
                if i < len(heading):
                    self.put(at, HEAD_X, heading[i], BOLD)
                if i < len(body) and body[i]:
                    x, text, justify = body[i]
                    self.put(at, x, text, justify_to=justify)
        elif "table" in b:
            tsize = float(b.get("size", 8))
            cols = b.get("cols") or [i * 110 for i in range(len(b["table"][0]))]
            x0 = HEAD_X if b.get("full_width") else self.body_x
            for r, row in enumerate(b["table"]):
                at = self.slot(tsize * 1.25)
                for c, cell in enumerate(row):
                    font = BOLD if r == 0 and b.get("header_row", True) else REGULAR
                    self.put(at, x0 + cols[c], cell, font, tsize)
        elif "bold" in b and isinstance(b["bold"], str):
            self.put(self.slot(), HEAD_X, b["bold"], BOLD)
        elif "line" in b:
            font = BOLD if b.get("bold") else REGULAR
            self.put(self.slot(), float(b.get("x", self.body_x)), b["line"], font)
        elif "gap" in b:
            self.blank(int(b["gap"]))
            return
        elif b.get("page_break"):
            self.page += 1
            self.y = TOP
            return
        else:
            raise ValueError(f"unknown block: {b}")
        if b.get("gap_after", 1):
            self.blank(int(b.get("gap_after", 1)))

    def item_slots(self, items: list[list[str]]) -> list[tuple[float, str, None]]:
        """Attachment rows: number at the body edge, title (and its wrap) indented."""
        out: list[tuple[float, str, None]] = []
        for item in items:
            number, *lines = item
            for j, line in enumerate(lines):
                if j == 0 and number:
                    out.append((self.body_x, f"{number}\x00{line}", None))
                else:
                    out.append((self.body_x + 28, line, None))
        return out

    def run(self) -> list[Op]:
        for b in self.spec.get("blocks", []):
            self.block(b)
        return self.ops


def _draw_line(c: Canvas, page_h: float, op: Op) -> None:
    base = page_h - op.y - op.size
    c.setFont(op.font, op.size)
    if "\x00" in op.text:  # attachment number + title at a tab stop
        number, title = op.text.split("\x00", 1)
        c.drawString(op.x, base, number)
        c.drawString(op.x + 28, base, title)
        return
    if op.justify_to is None:
        c.drawString(op.x, base, op.text)
        return
    words = op.text.split()
    widths = [stringWidth(w, op.font, op.size) for w in words]
    space = stringWidth(" ", op.font, op.size)
    if len(words) < 2:
        c.drawString(op.x, base, op.text)
        return
    gap = (op.justify_to - op.x - sum(widths)) / (len(words) - 1)
    if gap < space:
        raise ValueError(f"line too long for the column: {op.text!r}")
    if gap > MAX_JUSTIFY_GAP:
        raise ValueError(f"line too short to justify ({gap:.1f}pt gaps): {op.text!r}")
    x = op.x
    for w, width in zip(words, widths, strict=True):
        c.drawString(x, base, w)
        x += width + gap


def _cells(c: Canvas, page_h: float, rows: list[list[str]], y0: float, size: float,
           page: int, pages: int, bold_first: bool) -> None:
    for r, row in enumerate(rows):
        for x, cell in zip(HEADER_CELLS, row, strict=False):
            if not cell:
                continue
            text = cell.replace("{page}", str(page)).replace("{pages}", str(pages))
            c.setFont(BOLD if (bold_first and r == 0 and x == HEAD_X) else REGULAR, size)
            c.drawString(x, page_h - (y0 + r * size * 1.3) - size, text)


def build_pdf(spec: dict[str, Any]) -> bytes:
    """Render ``spec`` into PDF bytes (deterministic: same spec, same bytes)."""
    ops = Layouter(spec).run()
    pages = max((op.page for op in ops), default=0) + 1
    width, height = A4
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(spec.get("title_meta", "Dynasty test document"))
    header = spec.get("header") or {}
    footer = spec.get("footer") or {}
    size = float(spec.get("font_size", 11))
    for page in range(pages):
        first = header.get("first_page_lines")
        if page == 0 and first is not None:
            # a cover-like first page with its own header (or none: [])
            _cells(c, height, first, 36.0, size, page + 1, pages, True)
        elif header.get("lines"):
            _cells(c, height, header["lines"], 36.0, size, page + 1, pages, True)
        if header.get("rule") and not (page == 0 and first is not None):
            rule_y = 36.0 + len(header.get("lines", [])) * size * 1.3 + 6
            c.setLineWidth(0.8)
            c.line(HEAD_X, height - rule_y, RIGHT_X, height - rule_y)
        if footer.get("lines"):
            fsize = float(footer.get("size", 8))
            _cells(c, height, footer["lines"], height - 50.0, fsize, page + 1, pages, False)
        for op in ops:
            if op.page == page:
                _draw_line(c, height, op)
        c.showPage()
    c.save()
    return buf.getvalue()


def load_spec(path: Path) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


if __name__ == "__main__":  # pragma: no cover - a developer convenience
    spec_path, out_path = Path(sys.argv[1]), Path(sys.argv[2])
    out_path.write_bytes(build_pdf(load_spec(spec_path)))
