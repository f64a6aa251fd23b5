"""Rows and paragraphs of an item PDF: the layer between :mod:`parsers.pdf.layout`'s
lines and the item's fields.

A :class:`Row` is one content line split at the body column into its left-column
heading text and its body words; rows are grouped into paragraphs by vertical gaps,
page breaks, font size and weight, and :class:`TextContext` turns paragraphs into text the
way the HTML parser writes it (paragraphs, list items on lines of their own,
de-hyphenated with the document's own vocabulary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.pdf.layout import Layout, Line, Word
from parsers.text.dehyphenate import Vocabulary, dehyphenate_lines
from parsers.text.vocabulary import (
    clean_text,
)

#: ``§ 120`` / ``120 §`` at the start of a line (not ``§ 5 mom.`` inside a sentence).
SECTION_LINE_RE = re.compile(r"^\s*(?:§\s*(\d{1,4})|(\d{1,4})\s*§)(?![\d.])")
#: The agenda item number: ``Asia 12`` (but not ``Asianro 5123/02.05.00/2019``).
ITEM_LINE_RE = re.compile(r"^\s*(?:Asia|Asia\s*nro|Asianro|Pykälä)\s+(\d{1,4})\b(?![/.]\d)", re.I)
CASE_LABEL_RE = re.compile(
    r"^\s*(?:Asianro|Asia\s*nro|Asian\s+numero|Dno|Dnro|Diaarinumero|Diaarinro|Diaari)\b\.?:?",
    re.I,
)
SENTENCE_END_RE = re.compile(r"[.!?:]['\"”’)]*$")
#: A list item: ``1. hyväksyä …``, ``2) …``, ``- …``, ``• …``.
LIST_ITEM_RE = re.compile(r"^(?:\d{1,2}[.)]|(?P<bullet>[-–•▪◦·*]))\s+(?=\S)")
NONE_TEXTS = {"-", "–", "—", "ei", "ei liitteitä", "ei oheismateriaalia", "ei ole"}


# --- rows: one content line split into heading column and body --------------------------


@dataclass
class Row:
    """One content line split at the body column: its left-column heading text and
    its body words, with what the paragraph grouping needs (gap, page break, size)."""

    line: Line
    head: str  # text left of the body column ("" if none)
    words: list[Word]  # body words (all words when the row has no heading part)
    small: bool = False
    gap_before: float = 0.0  # vertical distance from the previous row's top (pitches)
    new_page: bool = False

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def full(self) -> str:
        return f"{self.head} {self.text}".strip()

    @property
    def bold(self) -> bool:
        letters = sum(len(w.text) for w in self.words)
        return bool(letters) and 2 * sum(len(w.text) for w in self.words if w.bold) > letters

    @property
    def x0(self) -> float:
        return self.words[0].x0 if self.words else self.line.x0


def is_meta(text: str) -> bool:
    """A ``§ 12``, ``Asianro …`` or ``Asia 12`` line: item metadata, never a heading."""
    return bool(
        SECTION_LINE_RE.match(text)
        or CASE_LABEL_RE.match(text)
        or (ITEM_LINE_RE.match(text) and len(text.split()) <= 4)
    )


def content_rows(layout: Layout) -> list[Row]:
    """The layout's content lines as rows; left-of-column text is a heading only at
    body size and when it does not flow on into the body column."""
    rows: list[Row] = []
    body_x = layout.body_x
    prev: Line | None = None
    for line in layout.lines:
        small = layout.is_small(line)
        head_words: list[Word] = []
        words = line.words
        if body_x is not None and not small:
            head_words = [w for w in line.words if w.x0 < body_x - 4]
            n = len(head_words)
            # text flowing on into the body column at word spacing is a full-width
            # line; a long heading word may overhang the column edge on its own
            flowing = 0 < n < len(line.words) and (
                line.words[n].x0 - line.words[n - 1].x1 < 0.5 * line.size
            )
            heading_size = abs(line.size - layout.body_size) <= 1.0
            head_text = " ".join(w.text for w in head_words)
            if head_words and (flowing or not heading_size) and not is_meta(head_text):
                head_words = []  # a full-width line, not a heading
            words = [w for w in line.words if w not in head_words] if head_words else line.words
        row = Row(line=line, head=" ".join(w.text for w in head_words), words=words, small=small)
        if prev is not None:
            if prev.page != line.page:
                row.new_page = True
            else:
                row.gap_before = (line.top - prev.top) / (layout.pitch or 12.0)
        rows.append(row)
        prev = line
    return rows


# --- paragraphs -------------------------------------------------------------------------


def _fits(prev: Row, row: Row, right: float) -> bool:
    """Would ``row``'s first word have fitted at the end of ``prev``? Then the line
    break before it was the author's, not a wrap."""
    if not prev.words or not row.words or prev.text.endswith(("-", "\u00ad")):
        return False
    first = row.words[0]
    return first.x1 - first.x0 < right - prev.line.x1 - 0.3 * row.line.size - 2.0


def group_paragraphs(rows: list[Row], right: float = 0.0) -> list[list[Row]]:
    """Group body rows into paragraphs by vertical gaps, page breaks and tables.

    At a page break the paragraph goes on unless the last line of the page ended a
    sentence early (``right``: where full lines end; 0 = only the punctuation counts).
    """
    out: list[list[Row]] = []
    for row in rows:
        if not row.words:
            continue
        if not out:
            out.append([row])
            continue
        last = out[-1][-1]
        if row.new_page:
            ended = bool(SENTENCE_END_RE.search(last.text))
            if ended and right:
                ended = _fits(last, row, right)
            broken = last.small or row.small or ended
        else:
            broken = row.gap_before > 1.45 or row.small or last.small
        broken = broken or (last.bold != row.bold and (len(out[-1]) == 1 or row.bold))
        if broken:
            out.append([row])
        else:
            out[-1].append(row)
    return out


@dataclass
class TextContext:
    """What turning rows into field text needs from the whole document: its layout,
    its vocabulary for de-hyphenation and where its full lines end."""

    layout: Layout
    vocab: Vocabulary

    right_edge: float = 0.0

    def para_text(self, rows: list[Row]) -> str:
        if all(r.small for r in rows):
            # tables and fine print: words as printed, no de-hyphenation
            return " ".join(r.text for r in rows)
        return dehyphenate_lines([r.text for r in rows], self.vocab)

    def hard_break(self, prev: Row, row: Row) -> bool:
        """The line before ``row`` ended early although the next word would have
        fitted: a line break typed by the author (a list, an address), not a wrap."""
        return _fits(prev, row, self.right_edge)

    def para_texts(self, rows: list[Row]) -> list[str]:
        """A paragraph's text, split further at the author's own line breaks and
        before list items."""
        parts: list[list[Row]] = []
        for row in rows:
            item = bool(LIST_ITEM_RE.match(row.text))
            if parts and not item and not self.hard_break(parts[-1][-1], row):
                parts[-1].append(row)
            else:
                parts.append([row])
        return [self.para_text(p) for p in parts]

    def text(self, rows: list[Row]) -> str | None:
        paras = group_paragraphs(rows, self.right_edge)
        text = join_texts([t for p in paras for t in self.para_texts(p)])
        if text is None or text.casefold().strip(" .") in NONE_TEXTS:
            return None
        return text


def join_texts(paragraphs: list[str]) -> str | None:
    """Paragraphs separated by a blank line, but consecutive list items (``1. …``,
    ``- …``) on lines of their own, as the HTML parser writes them."""
    out: list[str] = []
    prev_item = False
    for para in paragraphs:
        para = clean_text(para)
        if not para:
            continue
        m = LIST_ITEM_RE.match(para)
        if m and m.group("bullet"):
            para = "- " + para[m.end():]
        if m and prev_item:
            out[-1] += "\n" + para
        else:
            out.append(para)
        prev_item = bool(m)
    return "\n\n".join(out) if out else None


def _vocabulary(rows: list[Row], layout: Layout) -> Vocabulary:
    lines: list[str] = []
    for row in rows:
        if row.small:
            lines.append("")
            continue
        if row.head:
            lines.extend((row.head, ""))
        lines.append(row.text)
    return Vocabulary.from_lines(lines)



def text_context(layout: Layout, rows: list[Row]) -> TextContext:
    """The document's :class:`TextContext` (vocabulary from all its rows)."""
    return TextContext(layout=layout, vocab=_vocabulary(rows, layout), right_edge=layout.text_right)

