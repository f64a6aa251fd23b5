"""Parse Dynasty item PDFs (``/kokous/<M>-<k>.PDF``) into :class:`ItemRecord`.

Public API (all pure, bytes in, never raising):

``parse_item_pdf(data, url=None) -> ItemRecord``
    one agenda item or minutes section; problems are listed in ``record.warnings``
    (``"not a PDF: starts with b'<html'"``, ``"missing: decision"``, ...).
``parse_minutes_pdf(data, url=None) -> list[ItemRecord]``
    a whole agenda/minutes PDF split into items at every ``§ N`` line; the cover
    pages before the first ``§`` are skipped. A PDF without any ``§`` line gives one
    record, a broken PDF one record that carries the warning.
``extract_pdf_text(data) -> list[str]``
    plain text per page for full-text search of attachments, line-end hyphenation
    undone; ``[]`` for anything unreadable. ``extract_pdf_text_with_warnings`` also
    returns the reasons.

How the layout is read (see :mod:`parsers.pdf_layout`): words come from pdfplumber's
``extract_words`` with font name and size; running headers/footers are dropped (text
above a full-width rule at the top, text repeated at the same height on most pages,
page numbers like ``3 (6)``); the body column's left edge is measured per document.
Text left of it at body size is a heading (``Päätösehdotus``), wrapped heading lines
are joined (``Kaupungin-`` / ``hallituksen päätösehdotus``) and mapped with
:func:`parsers.fields.classify_heading`. Single-column PDFs use headings that end with
a colon on their own line (``Päätös:``). Body lines are de-hyphenated with the
document's own vocabulary (:mod:`parsers.dehyphenate`); small-font table lines are
kept as printed.

Decisions shared with the HTML parser (``parsers.dynasty_item_html``), so that the
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
  (:func:`parsers.fields.merge_people`).

PDF-only decisions: a section whose text is just ``-`` is empty; an unknown
left-column heading goes to background with its heading and an ``unknown heading``
warning; without a running header, ``document_type`` is inferred as minutes from a
decision (with a warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.dehyphenate import Vocabulary, dehyphenate_keeping_lines, dehyphenate_lines
from parsers.fields import (
    CASE_RE,
    DATE_RE,
    EMAIL_RE,
    HEADING_FIELDS,
    TASK_CLASS_RE,
    classify_heading,
    classify_heading_strict,
    clean_text,
    find_contact_pattern,
    merge_people,
    parse_case_number,
    parse_fi_date,
    parse_handlings,
    parse_person,
    parse_proposer,
    split_title_name,
)
from parsers.pdf_layout import (
    PAGE_NUMBER_TAIL_RE,
    Layout,
    Line,
    Word,
    page_texts,
    read_layout,
)
from parsers.records import Attachment, Handling, ItemRecord, Person, Proposer

__all__ = [
    "extract_pdf_text",
    "extract_pdf_text_with_warnings",
    "parse_item_pdf",
    "parse_minutes_pdf",
]

# --- patterns -------------------------------------------------------------------------

#: ``§ 120`` / ``120 §`` at the start of a line (not ``§ 5 mom.`` inside a sentence).
SECTION_LINE_RE = re.compile(r"^\s*(?:§\s*(\d{1,4})|(\d{1,4})\s*§)(?![\d.])")
#: The agenda item number: ``Asia 12`` (but not ``Asianro 5123/02.05.00/2019``).
ITEM_LINE_RE = re.compile(r"^\s*(?:Asia|Asia\s*nro|Asianro|Pykälä)\s+(\d{1,4})\b(?![/.]\d)", re.I)
CASE_LABEL_RE = re.compile(
    r"^\s*(?:Asianro|Asia\s*nro|Asian\s+numero|Dno|Dnro|Diaarinumero|Diaarinro|Diaari)\b\.?:?",
    re.I,
)
_NAME_WORD_RE = re.compile(r"^[A-ZÅÄÖ][\wåäöéü'’-]*$")
_SENTENCE_END_RE = re.compile(r"[.!?:]['\"”’)]*$")
#: A list item: ``1. hyväksyä …``, ``2) …``, ``- …``, ``• …``.
LIST_ITEM_RE = re.compile(r"^(?:\d{1,2}[.)]|(?P<bullet>[-–•▪◦·*]))\s+(?=\S)")
_NONE_TEXT = {"-", "–", "—", "ei", "ei liitteitä", "ei oheismateriaalia", "ei ole"}
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
#: ``Juhlatoimikunta 3.5.2019, 7.11.2019`` (a handling without a §)
_HANDLING_DATES_RE = re.compile(
    r"^(?P<body>[A-ZÅÄÖ][^§]*?)\s+(?P<dates>\d{1,2}\.\d{1,2}\.\d{4}(?:\s*,\s*\d{1,2}\.\d{1,2}\.\d{4})*)"
    r"\s*$"
)
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
#: Fields of the item's own handling that a decision history must never fill.
_OWN_ONLY = ("proposal", "decision", "discussion", "proposer")


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


# --- rows: one content line split into heading column and body --------------------------


@dataclass
class Row:
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


def _is_meta(text: str) -> bool:
    return bool(
        SECTION_LINE_RE.match(text)
        or CASE_LABEL_RE.match(text)
        or (ITEM_LINE_RE.match(text) and len(text.split()) <= 4)
    )


def _rows(layout: Layout) -> list[Row]:
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
            if head_words and (flowing or not heading_size) and not _is_meta(head_text):
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


def _paragraphs(rows: list[Row], right: float = 0.0) -> list[list[Row]]:
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
            ended = bool(_SENTENCE_END_RE.search(last.text))
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
class _Ctx:
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
        paras = _paragraphs(rows, self.right_edge)
        text = join_texts([t for p in paras for t in self.para_texts(p)])
        if text is None or text.casefold().strip(" .") in _NONE_TEXT:
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


# --- field helpers ----------------------------------------------------------------------


def _name_ok(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and all(_NAME_WORD_RE.match(w) for w in words)


def proposer_from_line(text: str) -> Proposer | None:
    """``Vs. kaupunginjohtaja Matti Malli`` → Proposer; a sentence → ``None``."""
    text = clean_text(text)
    if not text or len(text.split()) > 8 or text[-1] in ".,;:!?" or any(c.isdigit() for c in text):
        return None
    title, name = split_title_name(text)
    if not _name_ok(name):
        return None
    return Proposer(name=name, title=title)


def _strip_contact(text: str) -> tuple[str, bool]:
    found = False
    if EMAIL_RE.search(text):
        text, found = EMAIL_RE.sub(" ", text), True
    m = re.search(r"(?:puh\.?|p\.|tel\.?)?\s*\+?\(?\d[\d ()-]{5,}\d", text, re.I)
    if m:
        text, found = text[: m.start()], True
    return clean_text(re.sub(r"\s(?:ja|sekä)$", "", text.strip(" ,;"))).strip(" ,;"), found


def _person_line(text: str) -> bool:
    """A line naming one person: ``Liikuntapalvelujen päällikkö Satu Esimerkki``."""
    rest, contact = _strip_contact(text)
    if not rest or (_SENTENCE_END_RE.search(rest) and not rest.endswith(".")):
        return False
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    for part in parts:
        title, name = split_title_name(part)
        if _name_ok(name) and (title or contact or len(parts) > 1 or len(name.split()) <= 3):
            return True
    return False


def parse_preparers(lines: list[str]) -> tuple[list[Person], str | None]:
    """Preparer lines → persons and the ``etunimi.sukunimi@…`` contact pattern.

    Several persons on one line are split after their phone numbers; a title on its
    own line is carried to the name on the next line; a unit line after a person
    (``Liikuntapalvelut``) is appended to that person's title, as
    the HTML parser does; an organisation line before anyone (``Talousyksikkö,``)
    is skipped.
    """
    pattern = None
    chunks: list[str] = []
    for line in lines:
        line = clean_text(line)
        found = find_contact_pattern(line)
        if found:
            pattern = pattern or found
            continue
        # "… puh. 044 123 4567, suunnittelija Liisa Koe puh. …"
        chunks.extend(p for p in re.split(r"(?<=\d)\s*(?:,|;|\bja\b)\s+(?=\D)", line) if p.strip())
    people: list[Person] = []
    carry = ""
    for i, raw in enumerate(chunks):
        chunk = raw.strip(" ,;")
        if not chunk:
            continue
        if _person_line(f"{carry} {chunk}".strip()):
            person = parse_person(f"{carry} {chunk}".strip())
            carry = ""
            if person and _name_ok(person.name):
                people.append(person)
            continue
        rest, contact = _strip_contact(chunk)
        if contact and people and not rest:
            # a phone number or e-mail on a line of its own: the previous person's
            last = people[-1]
            extra = parse_person(f"X Y {chunk}")
            if extra:
                last.phone = last.phone or extra.phone
                last.email = last.email or extra.email
            continue
        nxt = chunks[i + 1].strip(" ,;") if i + 1 < len(chunks) else ""
        name_next = bool(nxt) and split_title_name(_strip_contact(nxt)[0])[0] is None \
            and _person_line(nxt)
        if rest and not carry and name_next and not raw.rstrip().endswith(","):
            carry = rest  # a title waiting for its name on the next line
        elif rest and people and not contact:
            last = people[-1]  # a unit line
            last.title = f"{last.title}, {rest}" if last.title else rest
            carry = ""
        else:
            carry = ""  # an organisation line before anyone
    return people, pattern


def parse_attachments(rows: list[Row], ctx: _Ctx) -> list[Attachment]:
    """Liitteet rows → attachments (titles; a leading ``7`` or ``Liite 3`` dropped)."""
    items: list[list[str]] = []
    numbered = False
    gap = max(ctx.layout.body_size * 1.2, 8.0)
    for para in _paragraphs(rows, ctx.right_edge):
        first_in_para = True
        for row in para:
            text = clean_text(row.text)
            if not text or text.casefold().strip(" .") in _NONE_TEXT:
                continue
            segs = row.line.segments(gap)
            segs = [[w for w in s if w in row.words] for s in segs]
            segs = [s for s in segs if s]
            m = re.match(r"^(?:Liite\s+)?(\d{1,3})[.):]?\s+(\S.*)$", text, re.I)
            lead_alone = len(segs) > 1 and re.fullmatch(r"(?:Liite\s+)?\d{1,3}[.):]?",
                                                        " ".join(w.text for w in segs[0]), re.I)
            numbered_text = re.match(
                r"^(?:Liite\s+\d{1,3}|\d{1,3}[.):]|\d{1,2}(?=\s+[A-ZÅÄÖ\d]))\s", text, re.I
            )
            if m and (lead_alone or numbered_text):
                numbered = True
                items.append([m.group(2)])
            elif text[0] in "-–•" and len(text) > 2:
                items.append([text[1:].strip()])
            elif items and not first_in_para and (
                numbered or text[0].islower() or items[-1][-1].endswith(("-", ","))
            ):
                items[-1].append(text)
            elif items and numbered and row.x0 > (ctx.layout.body_x or ctx.layout.left_x) + 8:
                items[-1].append(text)
            else:
                items.append([text])
            first_in_para = False
    out = []
    for lines in items:
        title = clean_text(dehyphenate_lines(lines, ctx.vocab))
        if title:
            out.append(Attachment(title=title))
    return out


def parse_history_rows(texts: list[str], *, lists: bool) -> list[Handling]:
    """Handlings named in history rows: ``Kaupunginhallitus 88 § 14.3.2022`` per row;
    with ``lists`` also ``Body 3.5.2019, 7.11.2019`` rows without a section."""
    found: list[Handling] = []
    for text in texts:
        text = clean_text(text)
        handlings = parse_handlings(text)
        if not handlings and lists:
            m = _HANDLING_DATES_RE.match(text)
            if m:
                body = m["body"].strip(" ,")
                for date in DATE_RE.finditer(m["dates"]):
                    handlings.append(Handling(body=body, date=parse_fi_date(date.group(0))))
        for h in handlings:
            if h not in found:
                found.append(h)
    return found


def _whole_handling(text: str) -> list[Handling]:
    """Handlings when ``text`` is nothing but handling references (a header row)."""
    text = clean_text(text)
    hs = parse_handlings(text)
    if not hs:
        return []
    rest = text
    for rx in (r"\d{1,2}\.\d{1,2}\.\d{4}", r"§\s*\d+|\d+\s*§"):
        rest = re.sub(rx, " ", rest)
    for h in hs:
        rest = rest.replace(h.body, " ", 1)
    return hs if not re.search(r"\w{3,}", rest) else []


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
class _Block:
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


def _title_continues(cur: _Block, row: Row, layout: Layout) -> bool:
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


def _blocks(rows: list[Row], layout: Layout) -> list[_Block]:
    blocks: list[_Block] = [_Block(None)]
    for row in rows:
        cur = blocks[-1]
        if row.head and not classify(row.head) and (
            _whole_handling(row.full) or _title_continues(cur, row, layout)
        ):
            # "Kaupunkisuunnittelulautakunta   14 § 13.3.2024" (an earlier handling
            # listed at the top), or the second line of a title set at the margin
            row = Row(row.line, "", row.line.words, row.small, row.gap_before, row.new_page)
        if row.head and not _is_meta(row.head):
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
                and not _whole_handling(row.head)
            )
            if joinable:
                cur.heading = _join_heading(cur.heading, row.head)
                cur.last_head_row = row
                if row.words:
                    cur.rows.append(row)
                continue
            blocks.append(_Block(row.head, [row] if row.words else [], row))
            continue
        colon = _colon_heading(row, layout.two_column) if not row.head else None
        if colon is not None:
            label, rest_words = colon
            block = _Block(label, [], row)
            if rest_words:
                block.rows.append(Row(row.line, "", rest_words, row.small))
            blocks.append(block)
            continue
        cur.rows.append(row)
    return blocks


def _split_proposer(rows: list[Row]) -> tuple[Proposer | None, list[Row]]:
    body = [r for r in rows if r.words]
    if not body:
        return None, rows
    proposer = proposer_from_line(body[0].text)
    if proposer:
        return proposer, body[1:]
    # "Ympäristönsuojelupäällikkö" / "Tuula Testi-Tyynilä" on two lines
    if len(body) >= 2 and len(body[0].words) == 1 and body[0].text[:1].isupper():
        proposer = proposer_from_line(f"{body[0].text} {body[1].text}")
        if proposer and proposer.title:
            return proposer, body[2:]
    return None, rows


def _split_people(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """Preparer rows, and the text paragraphs that follow them without a heading."""
    paras = _paragraphs(rows)
    people: list[Row] = []
    for i, para in enumerate(paras):
        texts = [r.text for r in para]
        if i == 0 or all(_person_line(t) or _strip_contact(t) == ("", True) for t in texts):
            people.extend(para)
        else:
            return people, [r for p in paras[i:] for r in p]
    return people, []


def _preamble(block: _Block, rec: ItemRecord, ctx: _Ctx) -> list[str]:
    """Section, case number, title, unheaded preparers; returns background paragraphs."""
    rest: list[Row] = []
    for row in block.rows:
        text = clean_text(row.full)
        if _is_meta(text) or (not rest and not rec.title and _is_meta(row.head or "")):
            m = SECTION_LINE_RE.match(text)
            if m and rec.section is None:
                rec.section = m.group(1) or m.group(2)
            m = ITEM_LINE_RE.match(text)
            if m and rec.section is None:
                rec.section = m.group(1)
            if rec.case_number is None:
                rec.case_number, rec.case_number_raw, rec.task_class = parse_case_number(text)
            continue
        if rec.case_number is None and CASE_RE.fullmatch(text):
            rec.case_number, rec.case_number_raw, rec.task_class = parse_case_number(text)
            continue
        if rec.task_class is None and TASK_CLASS_RE.fullmatch(text) and text.count(".") >= 2:
            rec.task_class = text
            continue
        handlings = _whole_handling(text)
        if handlings:
            for h in handlings:
                if h not in rec.previous_handlings:
                    rec.previous_handlings.append(h)
            continue
        rest.append(row)
    paras = _paragraphs(rest, ctx.right_edge)
    if not paras:
        return []
    # the title: the first bold paragraph, else the first paragraph
    idx = next((i for i, p in enumerate(paras) if all(r.bold for r in p)), 0)
    if any(r.bold for p in paras for r in p) and not all(r.bold for r in paras[idx]):
        idx = 0
    title_para = paras.pop(idx)
    rec.title = clean_text(ctx.para_text(title_para)) or None
    out = []
    for i, para in enumerate(paras):
        lines = [r.text for r in para]
        if i == 0 and not rec.preparers and len(lines) <= 6 and _person_line(lines[0]) and all(
            not line.rstrip().endswith(".") or _person_line(line) for line in lines
        ):
            rec.preparers, pattern = parse_preparers(lines)
            rec.contact_pattern = rec.contact_pattern or pattern
            if rec.preparers:
                continue
        out.extend(ctx.para_texts(para))
    return out


def _history_block(block: _Block, ctx: _Ctx) -> list[str]:
    """Background paragraphs inside a Tweb ``Kaupunginhallituksen käsittely`` block.

    The block holds an earlier handling with its own sub-headings on lines of their
    own (``Tiivistelmä``, ``Esittelyteksti``, ``Esittelijä``, ``Päätösesitys``,
    ``Päätös``); only the background-like parts are returned.
    """
    segments: list[tuple[str | None, list[Row]]] = [(None, [])]
    for row in block.rows:
        text = clean_text(row.text)
        key = classify(text) if len(text) <= 40 and not text.endswith(".") else None
        if key:
            segments.append((key, []))
        else:
            segments[-1][1].append(row)
    out: list[str] = []
    for key, rows in segments:
        if key in (None, "background") and rows:
            out.extend(t for p in _paragraphs(rows, ctx.right_edge) for t in ctx.para_texts(p))
    return out


def _append(rec: ItemRecord, name: str, text: str | None) -> None:
    if not text:
        return
    old = getattr(rec, name)
    setattr(rec, name, f"{old}\n\n{text}" if old else text)


def _build_item(rows: list[Row], ctx: _Ctx, rec: ItemRecord) -> ItemRecord:
    blocks = _blocks(rows, ctx.layout)
    _append(rec, "background", join_texts(_preamble(blocks[0], rec, ctx)))
    history_background: list[str] = []
    # with both "Esitys" (the preparer's) and a "Päätösehdotus", the latter is the
    # proposal and the esitys is background under its heading (as in the HTML parser)
    real_proposal = any(
        b.field == "proposal" and clean_text(b.heading or "").lower().rstrip(":") != "esitys"
        for b in blocks[1:]
    )
    mode: str | None = None  # None, "dynasty" (to the end) or "tweb" (käsittely blocks)
    own_seen = False
    for i, block in enumerate(blocks[1:], start=1):
        name = block.field
        texts = [r.text for r in block.rows]
        if name == "history":
            nxt = blocks[i + 1].field if i + 1 < len(blocks) else None
            nxt_plain = nxt in _OWN_ONLY and len(blocks[i + 1].heading.split()) == 1
            mode = "dynasty" if own_seen or nxt_plain else "tweb"
            for h in parse_history_rows(texts, lists=True):
                if h not in rec.previous_handlings:
                    rec.previous_handlings.append(h)
            continue
        heading_handlings = _whole_handling(block.heading or "")
        if heading_handlings and name is None:
            mode = mode or "dynasty"
            for h in heading_handlings:
                if h not in rec.previous_handlings:
                    rec.previous_handlings.append(h)
            continue
        if mode == "dynasty":
            for text in [r.full for r in block.rows]:
                for h in _whole_handling(text):
                    if h not in rec.previous_handlings:
                        rec.previous_handlings.append(h)
            continue
        if mode == "tweb":
            if name == "discussion" and len((block.heading or "").split()) >= 2:
                history_background.extend(_history_block(block, ctx))
                continue
            mode = None
        if name is None:
            rec.warn(f"unknown heading: {clean_text(block.heading or '')[:60]}")
            text = join_texts([block.heading or "", ctx.text(block.rows) or ""])
            _append(rec, "background", text)
            continue
        if name in ("proposal", "decision"):
            own_seen = True
        if name == "proposal" and real_proposal and \
                clean_text(block.heading or "").lower().rstrip(":") == "esitys":
            esitys = join_texts([block.heading or "", ctx.text(block.rows) or ""])
            _append(rec, "background", esitys)
        elif name == "proposal":
            proposer, body = _split_proposer(block.rows)
            if proposer and rec.proposer is None:
                rec.proposer = proposer
            _append(rec, "proposal", ctx.text(body))
        elif name == "proposer":
            paras = _paragraphs(block.rows, ctx.right_edge)
            if paras and rec.proposer is None:
                proposer, _ = _split_proposer(paras[0])
                rec.proposer = proposer or parse_proposer(paras[0][0].text)
            # text after the proposer's line (one-column "Esittelijä: ..." lines)
            _append(rec, "background", ctx.text([r for p in paras[1:] for r in p]))
        elif name == "preparers":
            people_rows, rest = _split_people(block.rows)
            people, pattern = parse_preparers([r.text for r in people_rows])
            rec.preparers.extend(people)
            rec.contact_pattern = rec.contact_pattern or pattern
            _append(rec, "background", ctx.text(rest))
        elif name == "attachments":
            rec.attachments.extend(parse_attachments(block.rows, ctx))
        else:
            _append(rec, name, ctx.text(block.rows))
    if rec.background is None and history_background:
        rec.background = join_texts(history_background)
    return rec


def _new_record(layout: Layout, url: str | None) -> ItemRecord:
    rec = ItemRecord(source_format="pdf")
    for w in layout.warnings:
        rec.warn(w)
    rec.body, rec.meeting_date, rec.document_type = parse_header(layout.header)
    return rec


def _finish(rec: ItemRecord) -> ItemRecord:
    rec.preparers = merge_people(rec.preparers)
    if rec.document_type is None and rec.decision:
        rec.document_type = "minutes"
        rec.warn("document_type inferred from the decision")
    rec.warn_missing()
    return rec


def _context(layout: Layout, rows: list[Row]) -> _Ctx:
    return _Ctx(layout=layout, vocab=_vocabulary(rows, layout), right_edge=layout.text_right)


def parse_item_pdf(data: bytes, url: str | None = None) -> ItemRecord:
    """Parse one item PDF into an :class:`ItemRecord` (never raises)."""
    try:
        layout = read_layout(data)
        rec = _new_record(layout, url)
        if not layout.lines:
            return _finish(rec)
        rows = _rows(layout)
        _build_item(rows, _context(layout, rows), rec)
        starts = _item_starts(rows)
        if len(starts) > 1:
            rec.warn(f"{len(starts)} sections in one item PDF; use parse_minutes_pdf")
        return _finish(rec)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop a harvest
        rec = ItemRecord(source_format="pdf")
        rec.warn(f"parse error: {type(exc).__name__}: {str(exc)[:120]}")
        return _finish(rec)


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
        if not rest or _is_meta(rest) or CASE_RE.fullmatch(rest):
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


def _item_header(row: Row) -> bool:
    text = clean_text(row.full)
    return bool(CASE_RE.fullmatch(text) or _whole_handling(text) or CASE_LABEL_RE.match(text)
                or (TASK_CLASS_RE.fullmatch(text) and text.count(".") >= 2))


def parse_minutes_pdf(data: bytes, url: str | None = None) -> list[ItemRecord]:
    """Split a whole agenda/minutes PDF at its ``§ N`` lines and parse every item."""
    try:
        layout = read_layout(data)
        if not layout.lines:
            return [_finish(_new_record(layout, url))]
        rows = _rows(layout)
        ctx = _context(layout, rows)
        starts = _item_starts(rows)
        if not starts:
            return [_finish(_build_item(rows, ctx, _new_record(layout, url)))]
        out = []
        for a, b in zip(starts, [*starts[1:], len(rows)], strict=True):
            chunk = rows[a:b]
            first = chunk[0]
            chunk[0] = Row(first.line, first.head, first.words, first.small, 99.0, True)
            out.append(_finish(_build_item(chunk, ctx, _new_record(layout, url))))
        return out
    except Exception as exc:  # noqa: BLE001
        rec = ItemRecord(source_format="pdf")
        rec.warn(f"parse error: {type(exc).__name__}: {str(exc)[:120]}")
        return [_finish(rec)]


#: glyphs the PDF has no characters for (``(cid:127)``, a slide bullet) carry no text
_CID_RE = re.compile(r"\(cid:\d+\)")


def extract_pdf_text_with_warnings(data: bytes) -> tuple[list[str], list[str]]:
    """Plain text per page and the reasons when there is none (never raises)."""
    try:
        pages, warnings = page_texts(data)
        vocab = Vocabulary.from_lines(line for page in pages for line in page.splitlines())
        return [_CID_RE.sub("", dehyphenate_keeping_lines(page.splitlines(), vocab))
                for page in pages], warnings
    except Exception as exc:  # noqa: BLE001
        return [], [f"parse error: {type(exc).__name__}"]


def attachment_text(data: bytes) -> tuple[str, str | None, list[str]]:
    """``(status, error, text of each page)`` of an attachment PDF; never raises.

    ``status`` is ``"ok"`` when some page has text, else ``"no_text"`` (a scan, an
    encrypted or broken file) with the reason in ``error``.
    """
    texts, warnings = extract_pdf_text_with_warnings(data)
    if any(t.strip() for t in texts):
        return "ok", None, texts
    warnings = list(dict.fromkeys(warnings))
    reason = "no text in PDF" + (f": {'; '.join(warnings)}" if warnings else "")
    return "no_text", reason, []


def extract_pdf_text(data: bytes) -> list[str]:
    """Plain text per page for full-text search; ``[]`` when unreadable."""
    return extract_pdf_text_with_warnings(data)[0]
