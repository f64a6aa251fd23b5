"""Headings of an item PDF: which field a heading names, the running header
(body, date, agenda or minutes), and the rows cut into heading blocks.

Two-column PDFs put headings left of the body column (wrapped ones are joined);
one-column PDFs use ``Heading:`` lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.item_pdf.fields import (
    whole_handling,
)
from parsers.item_pdf.rows import (
    Row,
    is_meta,
)
from parsers.pdf.layout import PAGE_NUMBER_TAIL_RE, Layout, Line, Word
from parsers.text.vocabulary import (
    DATE_RE,
    HEADING_FIELDS,
    classify_heading,
    classify_heading_strict,
    clean_text,
    parse_fi_date,
)

DOC_TYPES = (
    (re.compile(r"\b(?:esityslista|föredragningslista)\b", re.I), "agenda"),
    (re.compile(r"\b(?:pöytäkirja\w*|pöytäkirjanote|protokoll\w*)\b", re.I), "minutes"),
)
BODY_NAME_RE = re.compile(
    r"(?:hallitus|valtuusto|lautakunta|jaosto|jaos|johtokunta|toimikunta|neuvosto|"
    r"valiokunta|toimielin|johtoryhmä|kokous|styrelse|fullmäktige|nämnd|sektion|direktion)$",
    re.I,
)
MUNICIPALITY_RE = re.compile(r"\b(?:kaupunki|kunta|kuntayhtymä|stad|kommun)$", re.I)
_HEADING_NAMES = {name for name, _ in HEADING_FIELDS} | {
    name.replace(" / ", "/") for name, _ in HEADING_FIELDS
}
#: Prefixes (lower case) for left-column heading texts that ``classify_heading`` cannot
#: know: the first line of a wrapped heading (``Valmistelijat /``, ``Täytäntöönpano-``
#: before ``tiedot``) and longer variants (``Valmistelijan yhteystiedot``,
#: ``Lisätietoja antaa``, ``Täytäntöönpano-ohje``, ``Tiivistelmä asiasta``). The whole
#: names (``Valmistelijat/ Lisätietojen antaja``, ``Tiivistelmä``,
#: ``Täytäntöönpanotiedot``, ``Täytäntöönpano``) are in ``fields.HEADING_FIELDS``.
EXTRA_HEADINGS = (
    ("valmistelija", "preparers"),
    ("lisätietojen antaja", "preparers"),
    ("lisätietoja", "preparers"),
    ("tiivistelmä", "background"),
    ("täytäntöönpano", "for_information"),
)


def classify(heading: str) -> str | None:
    """:func:`classify_heading` plus the Tweb/Dynasty PDF headings it lacks."""
    fieldname = classify_heading(heading) or classify_heading_strict(heading)
    if fieldname:
        return fieldname
    key = re.sub(r"[\s/]+", " ", clean_text(heading).lower().rstrip(":")).strip()
    for prefix, name in EXTRA_HEADINGS:
        if key.startswith(prefix):
            return name
    return None



# --- header ---------------------------------------------------------------------------


def parse_header(lines: list[Line]) -> tuple[str | None, str | None, str | None]:
    """``(body, meeting_date, document_type)`` from the running header lines."""
    if not lines:
        return None, None, None
    first = [ln for ln in lines if ln.page == lines[0].page]
    text = " ".join(ln.text for ln in first)
    doc_type = None
    for rx, name in DOC_TYPES:
        if rx.search(text):
            doc_type = name
            break
    date = parse_fi_date(text)
    body = None
    for line in first:
        for seg in line.segments(max(line.size * 1.2, 8.0)):
            s = " ".join(w.text for w in seg)
            s = PAGE_NUMBER_TAIL_RE.sub(" ", s)
            s = DATE_RE.sub(" ", s)
            s = re.sub(r"\b\d{1,3}/\d{4}\b", " ", s)
            for rx, _ in DOC_TYPES:
                s = rx.sub(" ", s)
            s = clean_text(re.sub(r"\b(?:päivämäärä|sivu|nro|kokous\s*nro)\b", " ", s, flags=re.I))
            s = s.strip(" /|-–,")
            if not s or MUNICIPALITY_RE.search(s) or not BODY_NAME_RE.search(s):
                continue
            body = s.capitalize() if s.isupper() else s
            break
        if body:
            break
    return body, date, doc_type


# --- the item ---------------------------------------------------------------------------


@dataclass
class Block:
    """A heading and the rows under it, up to the next heading."""

    heading: str | None
    rows: list[Row] = field(default_factory=list)
    last_head_row: Row | None = None

    @property
    def field(self) -> str | None:
        return classify(self.heading) if self.heading else None


def _colon_heading(row: Row, two_column: bool) -> tuple[str, list[Word]] | None:
    """``Päätös:`` (own line) or ``Esittelijä: Kaupunginjohtaja X`` in one-column PDFs."""
    text = clean_text(row.text)
    if two_column or row.small or ":" not in text or len(text) > 120:
        return None
    label, _, rest = text.partition(":")
    key = clean_text(label).lower()
    if not key or len(key) > 60:
        return None
    if rest.strip():
        # inline "Päätös: Hyväksyttiin." only for exact heading names
        if key not in _HEADING_NAMES:
            return None
        n = next((i for i, w in enumerate(row.words) if ":" in w.text), None)
        if n is None or not row.words[n].text.endswith(":"):
            return None
        return label, row.words[n + 1 :]
    if not classify(key):
        return None
    last = key.split()[-1]
    if row.bold or key in _HEADING_NAMES or last in _HEADING_NAMES:
        return label, []
    return None


def _join_heading(a: str, b: str) -> str:
    if a.endswith("-") and b[:1].islower():
        return a[:-1] + b
    return f"{a} {b}"


def _title_continues(cur: Block, row: Row, layout: Layout) -> bool:
    """A bold line at the margin right under a full-width bold title line."""
    if cur.heading is not None or not cur.rows or classify(row.head):
        return False
    prev = cur.rows[-1]
    return (
        prev.bold
        and row.line.bold
        and not prev.head
        and prev.line.x0 < (layout.body_x or 0) - 4
        and row.line.page == prev.line.page
        and 0 < row.line.top - prev.line.top <= layout.pitch * 1.6
    )


def heading_blocks(rows: list[Row], layout: Layout) -> list[Block]:
    """Cut rows into blocks at left-column and ``Heading:`` headings; the first
    block (heading ``None``) is the preamble. Wrapped headings are joined."""
    blocks: list[Block] = [Block(None)]
    for row in rows:
        cur = blocks[-1]
        if row.head and not classify(row.head) and (
            whole_handling(row.full) or _title_continues(cur, row, layout)
        ):
            # "Kaupunkisuunnittelulautakunta   14 § 13.3.2024" (an earlier handling
            # listed at the top), or the second line of a title set at the margin
            row = Row(row.line, "", row.line.words, row.small, row.gap_before, row.new_page)
        if row.head and not is_meta(row.head):
            prev = cur.last_head_row
            joinable = (
                cur.heading is not None
                and prev is not None
                and (not cur.rows or cur.rows[-1] is prev or prev.words)
                and row.line.page == prev.line.page
                and 0 < row.line.top - prev.line.top <= layout.pitch * 1.6
                and (
                    cur.heading.endswith(("-", "/"))
                    or not classify(cur.heading)
                    or not classify(row.head)
                )
                and not whole_handling(row.head)
            )
            if joinable:
                cur.heading = _join_heading(cur.heading, row.head)
                cur.last_head_row = row
                if row.words:
                    cur.rows.append(row)
                continue
            blocks.append(Block(row.head, [row] if row.words else [], row))
            continue
        colon = _colon_heading(row, layout.two_column) if not row.head else None
        if colon is not None:
            label, rest_words = colon
            block = Block(label, [], row)
            if rest_words:
                block.rows.append(Row(row.line, "", rest_words, row.small))
            blocks.append(block)
            continue
        cur.rows.append(row)
    return blocks

