"""Page layout of a text PDF as lines of positioned words.

This is the PDF half of the item parser, with no knowledge of Finnish meeting
documents: it reads the words of every page with pdfplumber (one pass over the
characters, through ``extract_words``), groups them into lines, drops running
headers and footers, and measures the document's columns so that the item parser
can tell a left-column heading from body text.

Entry point: :func:`read_layout`. It never raises; problems end up in
``Layout.warnings``.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

#: pdfminer logs every oddity of a broken file at WARNING; we report those ourselves.
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)

PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:sivu|s\.|page)\s*)?\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|/\s*\d{1,4})?$", re.I
)
#: A page number inside a longer header line: "... 3 (6)"
PAGE_NUMBER_TAIL_RE = re.compile(r"\b(\d{1,4})\s*\(\s*(\d{1,4})\s*\)\s*$")
_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi|,b\b", re.I)

#: Share of the page height that counts as the top / bottom margin zone.
TOP_ZONE = 0.16
BOTTOM_ZONE = 0.10
#: Without a rule or repetition, text this near the top of a single page is a header.
SINGLE_PAGE_HEADER = 0.095


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(slots=True)
class Line:
    """Words sharing a baseline on one page, left to right."""

    page: int  # 1-based
    words: list[Word]
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0  # dominant font size of the line
    bold: bool = False  # most of the line's letters are bold

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.x0)
        self.top = min(w.top for w in self.words)
        self.bottom = max(w.bottom for w in self.words)
        sizes: Counter[float] = Counter()
        bold = 0
        for w in self.words:
            sizes[round(w.size, 1)] += len(w.text)
            bold += len(w.text) if w.bold else 0
        self.size = sizes.most_common(1)[0][0]
        self.bold = bold * 2 > sum(sizes.values())

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def segments(self, gap: float) -> list[list[Word]]:
        """Split the line where the space between two words is wider than ``gap``."""
        out: list[list[Word]] = [[self.words[0]]]
        for prev, w in zip(self.words, self.words[1:], strict=False):
            if w.x0 - prev.x1 > gap:
                out.append([w])
            else:
                out[-1].append(w)
        return out


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    rule: float | None = None  # y of a full-width horizontal rule near the top


@dataclass
class Layout:
    """The measured text of one PDF."""

    lines: list[Line] = field(default_factory=list)  # content, reading order
    header: list[Line] = field(default_factory=list)  # running header lines, page order
    footer: list[Line] = field(default_factory=list)
    page_count: int = 0
    page_width: float = 595.0
    body_size: float = 0.0  # dominant font size of the text
    left_x: float = 0.0  # left margin of the text
    body_x: float | None = None  # left edge of the body column; None = one column
    pitch: float = 0.0  # usual distance between two lines of a paragraph
    right_x: float = 0.0  # right edge of the text (the widest line)
    text_right: float = 0.0  # where full lines end (90th percentile of line ends)
    warnings: list[str] = field(default_factory=list)

    @property
    def two_column(self) -> bool:
        return self.body_x is not None

    def is_small(self, line: Line) -> bool:
        """A line set in a smaller font than the body text (tables, footnotes)."""
        return bool(self.body_size) and line.size < self.body_size * 0.9


def sniff(data: bytes) -> str | None:
    """A warning when ``data`` is obviously not a PDF, else ``None``."""
    if not data:
        return "not a PDF: empty input"
    if b"%PDF-" not in data[:1024]:
        return f"not a PDF: starts with {data[:5]!r}"
    return None


def _is_bold(fontname: str | None) -> bool:
    return bool(fontname) and bool(_BOLD_RE.search(fontname.split("+")[-1]))


def _group_lines(words: list[Word], page: int) -> list[Line]:
    """Cluster words into lines by baseline (``bottom``), tolerant to small jitter."""
    if not words:
        return []
    words = sorted(words, key=lambda w: (w.bottom, w.x0))
    lines: list[list[Word]] = [[words[0]]]
    base = words[0].bottom
    for w in words[1:]:
        tolerance = max(2.0, min(w.size, lines[-1][0].size) * 0.3)
        if abs(w.bottom - base) <= tolerance:
            lines[-1].append(w)
        else:
            lines.append([w])
            base = w.bottom
    return [Line(page=page, words=ws) for ws in lines]


def _top_rule(page_obj, width: float, height: float) -> float | None:
    """The y of the lowest full-width horizontal rule in the top zone, if any."""
    best = None
    objects = page_obj.objects
    for kind in ("rect", "line"):
        for obj in objects.get(kind, ()):
            try:
                w = obj["x1"] - obj["x0"]
                h = obj["bottom"] - obj["top"]
                top = obj["top"]
            except (KeyError, TypeError):
                continue
            if h <= 2.5 and w >= 0.6 * width and 0 < top < height * 0.2:
                if best is None or top > best:
                    best = top
    return best


def _describe(exc: BaseException) -> str:
    """``encrypted PDF: …`` or ``unreadable PDF: …`` for an exception from pdfplumber,
    which wraps pdfminer's own exceptions (``PdfminerException(PDFPasswordIncorrect())``)."""
    chain = [exc, *[a for a in exc.args if isinstance(a, BaseException)]]
    chain += [e for e in (exc.__cause__, exc.__context__) if e is not None]
    names = " ".join(type(e).__name__ for e in chain)
    if "password" in names.lower() or "encrypt" in names.lower():
        return f"encrypted PDF: {type(chain[-1]).__name__}"
    detail = "; ".join(str(e) for e in chain if str(e))[:120]
    return f"unreadable PDF: {type(exc).__name__}" + (f": {detail}" if detail else "")


def read_pages(data: bytes, warnings: list[str], *,
               stop: Callable[[int, int], bool] | None = None) -> list[Page]:
    """Words of every page grouped into lines; each page is closed after use.

    ``stop(number, total)`` is asked before page ``number`` (1-based) of ``total``;
    ``True`` ends the reading there (a caller's page or time limit).
    """
    import pdfplumber  # imported here: a slow import that non-PDF callers don't pay

    pages: list[Page] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any failure is a warning, never a raise
        warnings.append(_describe(exc))
        return pages
    try:
        try:
            page_list = pdf.pages
        except Exception as exc:  # noqa: BLE001
            warnings.append(_describe(exc))
            return pages
        for number, page_obj in enumerate(page_list, start=1):
            if stop is not None and stop(number, len(page_list)):
                break
            try:
                raw = page_obj.extract_words(
                    extra_attrs=["fontname", "size"],
                    keep_blank_chars=False,
                    use_text_flow=False,
                )
                width, height = float(page_obj.width), float(page_obj.height)
                rule = _top_rule(page_obj, width, height)
            except Exception as exc:  # noqa: BLE001
                problem = _describe(exc)
                if problem.startswith("encrypted"):
                    warnings.append(problem)
                    break
                warnings.append(f"page {number} {problem}")
                continue
            finally:
                try:
                    page_obj.close()
                except Exception:  # noqa: BLE001
                    pass
            words = [
                Word(
                    text=w["text"],
                    x0=float(w["x0"]),
                    x1=float(w["x1"]),
                    top=float(w["top"]),
                    bottom=float(w["bottom"]),
                    size=float(w.get("size") or 0.0),
                    bold=_is_bold(w.get("fontname")),
                )
                for w in raw
                if w.get("upright", True) and w["text"].strip()
            ]
            pages.append(Page(number, width, height, _group_lines(words, number), rule))
    finally:
        try:
            pdf.close()
        except Exception:  # noqa: BLE001
            pass
    return pages


def _repeat_key(line: Line) -> tuple[int, str]:
    return round(line.top / 4), re.sub(r"\d+", "#", line.text.casefold())


def _split_margins(pages: list[Page], layout: Layout) -> None:
    """Move running headers and footers of every page out of the content lines."""
    n = len(pages)
    seen: Counter[tuple[int, str]] = Counter()
    for page in pages:
        for key in {_repeat_key(line) for line in page.lines}:
            seen[key] += 1
    need = max(2, (n + 1) // 2)
    header_bottom: float | None = None
    footer_top: float | None = None
    headed: set[int] = set()  # pages whose running header was found
    for page in pages:
        top_zone, bottom_zone = page.height * TOP_ZONE, page.height * (1 - BOTTOM_ZONE)
        for line in page.lines:
            marginal = line.bottom <= top_zone or line.top >= bottom_zone
            repeated = n >= 2 and seen[_repeat_key(line)] >= need
            # a page number alone, or ending a top line ("Kaupunginhallitus 20.03.2017
            # 2 (3)"): a running header even where it is not repeated (2 pages)
            number = bool(PAGE_NUMBER_RE.match(line.text)) or (
                line.bottom <= top_zone and bool(PAGE_NUMBER_TAIL_RE.search(line.text)))
            if not marginal or not (repeated or number):
                continue
            if line.bottom <= top_zone:
                header_bottom = max(header_bottom or 0.0, line.bottom)
                headed.add(page.number)
            else:
                footer_top = min(footer_top or page.height, line.top)
    if n == 1 and footer_top is None and pages[0].lines:
        # one page: fine print alone at the bottom is a footer (address, web site)
        page = pages[0]
        sizes: Counter[float] = Counter()
        for line in page.lines:
            sizes[line.size] += len(line.text)
        main = sizes.most_common(1)[0][0]
        bottom_zone = page.height * (1 - BOTTOM_ZONE)
        tail = [ln for ln in page.lines if ln.top >= bottom_zone]
        if tail and all(ln.size < main * 0.9 for ln in tail):
            footer_top = min(ln.top for ln in tail)
    for page in pages:
        limit = page.rule if page.rule is not None else header_bottom
        if limit is None and n == 1 and not header_bottom:
            limit = page.height * SINGLE_PAGE_HEADER
        if page is pages[0] and n >= 2 and header_bottom is not None and page.rule is None \
                and page.number not in headed:
            limit = max(limit or 0.0, _cover_header_bottom(page, header_bottom))
        content = []
        for line in page.lines:
            if limit is not None and line.bottom <= limit + 1.5:
                layout.header.append(line)
            elif footer_top is not None and line.top >= footer_top - 1.5:
                layout.footer.append(line)
            elif line.top >= page.height * (1 - BOTTOM_ZONE) and PAGE_NUMBER_RE.match(line.text):
                layout.footer.append(line)
            else:
                content.append(line)
        page.lines = content


def _cover_header_bottom(page: Page, running_bottom: float) -> float:
    """The first page's own header (a cover block: ``Testilän kaupunki`` /
    ``Kaupunginhallitus  Pöytäkirja  20.03.2017``) when the later pages carry a
    running header: the top lines down to a gap of two line heights, if they end in
    the top zone; else ``running_bottom``."""
    lines = sorted(page.lines, key=lambda ln: ln.top)
    top_zone = page.height * TOP_ZONE
    bottom = running_bottom
    for a, b in zip(lines, lines[1:], strict=False):
        if a.bottom > top_zone:
            break
        if b.top - a.bottom >= 2 * (a.bottom - a.top):
            return max(bottom, a.bottom)
    return bottom


def _clusters(values: Counter[float], width: float) -> list[tuple[float, int]]:
    """Merge sorted x positions closer than ``width`` into ``(min x, count)`` clusters."""
    out: list[tuple[float, int]] = []
    last = None
    for x in sorted(values):
        if last is not None and x - last <= width:
            start, count = out[-1]
            out[-1] = (start, count + values[x])
        else:
            out.append((x, values[x]))
        last = x
    return out


def _measure(layout: Layout) -> None:
    lines = layout.lines
    if not lines:
        return
    sizes: Counter[float] = Counter()
    for line in lines:
        for w in line.words:
            sizes[round(w.size * 2) / 2] += len(w.text)
    layout.body_size = sizes.most_common(1)[0][0] or 10.0
    body = [ln for ln in lines if not layout.is_small(ln)] or lines
    starts = Counter(round(ln.x0) for ln in body)
    common = [x for x, c in starts.items() if c >= 2] or list(starts)
    layout.left_x = float(min(common))
    layout.right_x = max(ln.x1 for ln in body)
    ends = sorted(ln.x1 for ln in body)
    layout.text_right = ends[int(len(ends) * 0.9)]

    # line pitch: the usual distance between consecutive lines of one page
    gaps = [
        b.top - a.top
        for a, b in zip(body, body[1:], strict=False)
        if a.page == b.page and 0.9 * layout.body_size < b.top - a.top < 2.2 * layout.body_size
    ]
    layout.pitch = statistics.median(gaps) if gaps else layout.body_size * 1.2

    # candidate column starts: first word of a line, or a word after a wide gap
    gap = max(layout.body_size * 1.2, 8.0)
    starts = Counter()
    for line in body:
        for seg in line.segments(gap):
            starts[round(seg[0].x0)] += 1
    candidates = [
        (x, c)
        for x, c in _clusters(starts, 6.0)
        if layout.left_x + 40 < x < layout.page_width * 0.6
    ]
    if not candidates:
        return
    body_x, count = max(candidates, key=lambda xc: (xc[1], -xc[0]))
    if count < 3 or count < 0.2 * len(body):
        return
    # a real gutter: lines starting at the left margin rarely run across it (bold
    # full-width lines are headings that may: "Kaupunginhallitus 20.3.2017 § 10")
    left_lines = [ln for ln in body if ln.x0 < body_x - 20 and not ln.bold]
    crossing = sum(
        1 for ln in left_lines if any(w.x0 < body_x - 3 < w.x1 for w in ln.words)
    )
    if left_lines and crossing > 0.3 * len(left_lines):
        return
    layout.body_x = float(body_x)


def read_layout(data: bytes) -> Layout:
    """Read ``data`` into a :class:`Layout`; never raises."""
    layout = Layout()
    problem = sniff(data)
    if problem:
        layout.warnings.append(problem)
        return layout
    try:
        pages = read_pages(data, layout.warnings)
        layout.page_count = len(pages)
        if pages:
            layout.page_width = pages[0].width
        _split_margins(pages, layout)
        layout.lines = [line for page in pages for line in page.lines]
        _measure(layout)
    except Exception as exc:  # noqa: BLE001 - never raise on bad input
        layout.warnings.append(f"layout failed: {type(exc).__name__}: {str(exc)[:120]}")
    if not layout.lines and not any(w.startswith(("not a PDF", "unreadable", "encrypted"))
                                    for w in layout.warnings):
        layout.warnings.append("no text in PDF (scanned image?)")
    return layout


def page_texts(data: bytes, *,
               stop: Callable[[int, int], bool] | None = None) -> tuple[list[str], list[str]]:
    """Plain text per page (header and footer included), and warnings.

    Lines are the word lines of :func:`read_pages` in top-to-bottom order, so the left
    heading column and the body of one baseline share a line.
    """
    warnings: list[str] = []
    problem = sniff(data)
    if problem:
        return [], [problem]
    try:
        pages = read_pages(data, warnings, stop=stop)
    except Exception as exc:  # noqa: BLE001
        return [], [f"unreadable PDF: {type(exc).__name__}"]
    return ["\n".join(line.text for line in page.lines) for page in pages], warnings
