"""Parse Dynasty item PDFs (``/kokous/<M>-<k>.PDF``) into :class:`ItemRecord`.

Two page kinds (pure, bytes in), registered in :mod:`parsers.kinds`, whose guard
turns any exception into a warning:

``parse(data, *, url=None, content_type=None) -> ItemRecord`` (kind ``item_pdf``)
    one agenda item or minutes section; problems are listed in ``record.warnings``
    (``"not a PDF: starts with b'<html'"``, ``"missing: decision"``, ...).
``parse_minutes(data, *, url=None, content_type=None) -> MinutesRecord`` (``minutes_pdf``)
    a whole agenda/minutes PDF split into items at every ``§ N`` line; the cover
    pages before the first ``§`` are skipped. A PDF without any ``§`` line gives one
    item, a broken PDF one item that carries the warning.

Plain attachment text (for full-text search) is :mod:`parsers.pdf.text`.

The parser is split by layer: :mod:`parsers.pdf.layout` (words, lines, margins,
columns), :mod:`parsers.item_pdf.rows` (rows and paragraphs), :mod:`parsers.item_pdf.headings`
(heading → field, running header, heading blocks), :mod:`parsers.item_pdf.fields` (people,
attachments, handlings), :mod:`parsers.item_pdf.sections` (blocks → record fields) and
:mod:`parsers.pdf.text` (plain attachment text); this module splits documents into
items.

How the layout is read (see :mod:`parsers.pdf.layout`): words come from pdfplumber's
``extract_words`` with font name and size; running headers/footers are dropped (text
above a full-width rule at the top, text repeated at the same height on most pages,
page numbers like ``3 (6)``); the body column's left edge is measured per document.
Text left of it at body size is a heading (``Päätösehdotus``), wrapped heading lines
are joined (``Kaupungin-`` / ``hallituksen päätösehdotus``) and mapped with
:func:`parsers.text.vocabulary.classify_heading`. Single-column PDFs use headings that end with
a colon on their own line (``Päätös:``). Body lines are de-hyphenated with the
document's own vocabulary (:mod:`parsers.text.dehyphenate`); small-font table lines are
kept as printed.

Decisions shared with the HTML parser (``parsers.item_html.parse``), so that the
harvester's cross-check compares like with like:

* text fields keep paragraphs (blank line between); list items (``1. …``, ``- …``)
  stay on lines of their own; a line the author broke early (the next word would have
  fitted) starts a new paragraph;
* unheaded text after the title is the preparers when it looks like people (a unit
  line after a person is appended to that person's title), otherwise background;
* with both ``Esitys`` and ``Päätösehdotus``, the päätösehdotus is the proposal and
  the esitys goes to background under its heading; a proposer printed on the
  proposal's first line (``Päätösehdotus  Vs. kaupunginjohtaja X``) is the proposer;
* ``Päätöshistoria``: handling headers (``Kaupunginhallitus 14.3.2022 § 88``) become
  ``previous_handlings``; the earlier handlings' proposals, discussions and decisions
  never fill this item's fields. Dynasty prints the history last (everything after
  the heading is history); Tweb (Oulu) lists the handlings and then ``<Body>:n
  käsittely`` blocks, whose background-like parts (``Tiivistelmä``,
  ``Esittelyteksti``) become the item's background only when it has none of its own;
* ``Tiivistelmä`` is background and ``Täytäntöönpanotiedot`` (who gets an excerpt) is
  ``for_information`` (both in ``fields.HEADING_FIELDS``);
* a person listed twice (unheaded and again under ``Valmistelija``) is one preparer
  (:func:`parsers.text.vocabulary.merge_people`).

PDF-only decisions: a section whose text is just ``-`` is empty; an unknown
left-column heading goes to background with its heading and an ``unknown heading``
warning; without a running header, ``document_type`` is inferred as minutes from a
decision (with a warning).
"""

from __future__ import annotations

from collections import Counter

from parsers.item_pdf.fields import (
    whole_handling,
)
from parsers.item_pdf.headings import parse_header
from parsers.item_pdf.rows import (
    CASE_LABEL_RE,
    ITEM_LINE_RE,
    SECTION_LINE_RE,
    Row,
    content_rows,
    is_meta,
    text_context,
)
from parsers.item_pdf.sections import build_item, finish_record, new_record
from parsers.pdf.layout import Layout, read_layout
from parsers.records import Handling, ItemRecord, MinutesRecord
from parsers.text.vocabulary import (
    CASE_RE,
    DATE_RE,
    TASK_CLASS_RE,
    clean_text,
)


def parse(data: bytes, *, url: str | None = None, content_type: str | None = None) -> ItemRecord:
    """Parse one item PDF into an :class:`ItemRecord`; ``content_type`` is not needed
    (a PDF says what it is). Run through :func:`parsers.parse`, which never raises."""
    layout = read_layout(data)
    rec = new_record(layout, url)
    if not layout.lines:
        return finish_record(rec)
    rows = content_rows(layout)
    build_item(rows, text_context(layout, rows), rec)
    starts = _item_starts(rows)
    if len(starts) > 1:
        rec.warn(f"{len(starts)} sections in one item PDF; use the minutes_pdf kind")
    return finish_record(rec)


def _item_starts(rows: list[Row]) -> list[int]:
    """Indexes of the rows that open an item: ``§ 43`` alone or with its case number
    (``§ 312 Asianro 5123/02.05.00/2019``). ``§ 43 Title`` lines count only when there
    are no such rows and only outside a page listing several (a table of contents);
    ``14 § 13.3.2024`` is a handling, never an item."""
    strict: list[int] = []
    loose: list[int] = []
    for i, row in enumerate(rows):
        full = clean_text(row.full)
        m = SECTION_LINE_RE.match(full) or ITEM_LINE_RE.match(full)
        if not m:
            continue
        rest = full[m.end():].strip(" :")
        if DATE_RE.match(rest):
            continue
        if not rest or is_meta(rest) or CASE_RE.fullmatch(rest):
            strict.append(i)
        else:
            loose.append(i)
    if not strict:
        per_page: dict[int, int] = {}
        for i in loose:
            per_page[rows[i].line.page] = per_page.get(rows[i].line.page, 0) + 1
        strict = [i for i in loose if per_page[rows[i].line.page] < 3]
    # the case number and earlier handlings printed above the "§ 43" line belong to it
    out = []
    for i in strict:
        while i > 0 and rows[i - 1].line.page == rows[i].line.page and _item_header(rows[i - 1]):
            i -= 1
        out.append(i)
    return out


def _heading_line_starts(rows: list[Row], layout: Layout) -> list[int]:
    """Items that open with their own heading line instead of a ``§ N`` line
    (``Kaupunginhallitus 20.3.2017 § 10``): the handling lines of this meeting, known by
    the running header's body and date, else by being the (body, date) most lines name.
    Earlier handlings printed above such a line belong to its item."""
    found: list[tuple[int, Handling]] = []
    for i, row in enumerate(rows):
        hs = whole_handling(clean_text(row.full))
        if len(hs) == 1 and hs[0].section and hs[0].date:
            found.append((i, hs[0]))
    if not found:
        return []
    body, date, _ = parse_header(layout.header)
    if date:
        own = [i for i, h in found if h.date == date
               and (not body or h.body.casefold() == body.casefold())]
    else:
        pairs = Counter((h.body.casefold(), h.date) for _, h in found)
        (pair, count), = pairs.most_common(1)
        own = [i for i, h in found if (h.body.casefold(), h.date) == pair] if count >= 2 else []
    out = []
    for i in own:
        while i > 0 and rows[i - 1].line.page == rows[i].line.page and _item_header(rows[i - 1]):
            i -= 1
        out.append(i)
    return out


def _item_header(row: Row) -> bool:
    text = clean_text(row.full)
    return bool(CASE_RE.fullmatch(text) or whole_handling(text) or CASE_LABEL_RE.match(text)
                or (TASK_CLASS_RE.fullmatch(text) and text.count(".") >= 2))


def parse_minutes(data: bytes, *, url: str | None = None,
                  content_type: str | None = None) -> MinutesRecord:
    """Split a whole agenda/minutes PDF at its ``§ N`` lines and parse every item."""
    return MinutesRecord(items=_minutes_items(data, url))


def _minutes_items(data: bytes, url: str | None) -> list[ItemRecord]:
    layout = read_layout(data)
    if not layout.lines:
        return [finish_record(new_record(layout, url))]
    rows = content_rows(layout)
    ctx = text_context(layout, rows)
    starts = _item_starts(rows) or _heading_line_starts(rows, layout)
    if not starts:
        return [finish_record(build_item(rows, ctx, new_record(layout, url)))]
    out = []
    for a, b in zip(starts, [*starts[1:], len(rows)], strict=True):
        chunk = rows[a:b]
        first = chunk[0]
        chunk[0] = Row(first.line, first.head, first.words, first.small, 99.0, True)
        out.append(finish_record(build_item(chunk, ctx, new_record(layout, url))))
    return out
