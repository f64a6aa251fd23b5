"""Heading blocks → the fields of one :class:`ItemRecord`.

The preamble (section, case number, title, unheaded preparers), then every block
by its field, with the decision-history rules described in
:mod:`parsers.item_pdf.parse`.
"""

from __future__ import annotations

import os
import re

from parsers.item_pdf.fields import (
    is_person_line,
    join_wrapped_people,
    parse_attachments,
    parse_history_rows,
    parse_preparers,
    proposer_from_line,
    strip_contact,
    whole_handling,
)
from parsers.item_pdf.headings import Block, classify, heading_blocks, parse_header
from parsers.item_pdf.rows import (
    ITEM_LINE_RE,
    SECTION_LINE_RE,
    Row,
    TextContext,
    group_paragraphs,
    is_meta,
    join_texts,
)
from parsers.pdf.layout import Layout
from parsers.records import Handling, ItemRecord, Proposer, add_handling
from parsers.text.vocabulary import (
    CASE_RE,
    TASK_CLASS_RE,
    clean_text,
    looks_like_official_title,
    merge_people,
    parse_case_number,
    parse_proposer,
)

#: Fields of the item's own handling that a decision history must never fill.
_OWN_ONLY = ("proposal", "decision", "discussion", "proposer")
#: Blocks that end a decision history: they belong to the item, not to a handling.
_NOT_HISTORY = ("preparers", "attachments", "for_information", "appeal", "supplementary")


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
    paras = group_paragraphs(rows)
    people: list[Row] = []
    for i, para in enumerate(paras):
        texts = [r.text for r in para]
        if i == 0 or all(is_person_line(t) or strip_contact(t) == ("", True) for t in texts):
            people.extend(para)
        else:
            return people, [r for p in paras[i:] for r in p]
    return people, []


def _preamble(block: Block, rec: ItemRecord, ctx: TextContext) -> list[str]:
    """Section, case number, title, unheaded preparers; returns background paragraphs."""
    rest: list[Row] = []
    top: list[Handling] = []  # handling lines above the title: earlier ones, or the item's own
    for row in block.rows:
        text = clean_text(row.full)
        if INITIALS_RE.fullmatch(text):
            continue  # the preparers' initials ("AB/CD/EF"): no title, no text
        if is_meta(text) or (not rest and not rec.title and is_meta(row.head or "")):
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
        handlings = whole_handling(text)
        if handlings:
            top.extend(handlings)
            continue
        rest.append(row)
    own = own_handling(top, rec)
    if own is not None:
        rec.section = rec.section or own.section
        rec.body = rec.body or own.body
        rec.meeting_date = rec.meeting_date or own.date
    for h in top:
        if h is not own:
            add_handling(rec.previous_handlings, h)
    paras = group_paragraphs(rest, ctx.right_edge)
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
        joined = join_wrapped_people(lines)  # "… Kaisa Kaava puh." / "044 765 0002"
        if i == 0 and not rec.preparers and len(lines) <= 6 and is_person_line(joined[0]) and all(
            not line.rstrip().endswith(".") or is_person_line(line) for line in joined
        ):
            rec.preparers, pattern = parse_preparers(lines)
            rec.contact_pattern = rec.contact_pattern or pattern
            if rec.preparers:
                continue
        out.extend(ctx.para_texts(para))
    return out


#: The preparers' initials under a title: ``AB/CD/EF``, ``ab/cd``.
INITIALS_RE = re.compile(r"[A-ZÅÄÖa-zåäö]{1,4}(?:\s?/\s?[A-ZÅÄÖa-zåäö]{1,4}){1,7}")


def is_own(h: Handling, rec: ItemRecord) -> bool:
    """Does ``h`` name the item's own handling (its §, and its date and body when known)?"""
    if not rec.section or h.section != rec.section:
        return False
    if rec.meeting_date and h.date != rec.meeting_date:
        return False
    return not (rec.body and h.body.casefold() != rec.body.casefold())


def own_handling(top: list[Handling], rec: ItemRecord) -> Handling | None:
    """Which handling line above the title is the item's own heading
    (``Kaupunginhallitus 20.3.2017 § 10``), if any.

    With a ``§`` line, the one naming that § (and the running header's date and body);
    without one, the one of the running header's date and body; without either, the
    newest, when it is the last line before the title and newer than every other.
    """
    if not top:
        return None
    if rec.section:
        found = [h for h in top if is_own(h, rec)]
        return found[0] if len(found) == 1 else None
    if rec.meeting_date or rec.body:
        found = [h for h in top if (not rec.meeting_date or h.date == rec.meeting_date)
                 and (not rec.body or h.body.casefold() == rec.body.casefold())]
        return found[0] if len(found) == 1 else None
    last = top[-1]
    if last.date and all(h.date and h.date < last.date for h in top[:-1]):
        return last
    return None


def genitive_proposer(heading: str) -> Proposer | None:
    """``Kaupunginjohtajan esitys`` → Proposer(title="Kaupunginjohtaja"): the official
    whose proposal the heading names (a body's genitive, ``Kaupunginhallituksen``, is
    no one)."""
    words = clean_text(heading).rstrip(" :").split()
    if len(words) != 2 or classify(words[-1]) != "proposal":
        return None
    genitive = words[0]
    for ending, base in (("jan", "ja"), ("jän", "jä"), ("kön", "kkö"), ("rin", "ri"),
                         ("ehen", "es"), ("ksen", "s")):
        if genitive.endswith(ending):
            title = genitive[: -len(ending)] + base
            if looks_like_official_title(title):
                return Proposer(name=None, title=title)
    return None


def _history_block(block: Block, ctx: TextContext, rec: ItemRecord) -> list[str]:
    """Background paragraphs inside a Tweb ``Kaupunginhallituksen käsittely`` block.

    The block holds an earlier handling with its own sub-headings on lines of their
    own (``Tiivistelmä``, ``Esittelyteksti``, ``Esittelijä``, ``Päätösesitys``,
    ``Päätös``). The background-like parts are returned; the proposer, proposal,
    discussion and decision go to the earlier handling of that body (the block's
    genitive, ``Kaupunginhallituksen``, names it) when exactly one body matches.
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
    handling = _handling_of_genitive(clean_text(block.heading or ""), rec.previous_handlings)
    for key, rows in segments:
        if key in (None, "background") and rows:
            out.extend(t for p in group_paragraphs(rows, ctx.right_edge) for t in ctx.para_texts(p))
        elif handling is not None and key in _OWN_ONLY and rows:
            if key == "proposer":
                proposer, _ = _split_proposer(rows)
                handling.proposer = handling.proposer or proposer
                continue
            text = ctx.text(rows)
            if text and getattr(handling, key) is None:
                setattr(handling, key, text)
    return out


def _handling_of_genitive(heading: str, handlings: list[Handling]) -> Handling | None:
    """``Kaupunginhallituksen käsittely`` → the newest earlier handling by
    ``Kaupunginhallitus`` (a genitive differs from its base form only in the last few
    letters: ``-uksen``/``-us``, ``-nnan``/``-nta``); ``None`` when no body matches."""
    words = heading.split()
    if len(words) < 2:
        return None
    genitive = " ".join(words[:-1]).casefold().replace("-", "").replace(" ", "")
    found = []
    for h in handlings:
        base = h.body.casefold().replace("-", "").replace(" ", "")
        common = len(os.path.commonprefix([base, genitive]))
        if len(base) >= 5 and common >= len(base) - 3 and len(genitive) - common <= 5:
            found.append(h)
    if not found or len({h.body for h in found}) > 1:
        return None
    return max(found, key=lambda h: h.date or "")


def _append(rec: ItemRecord, name: str, text: str | None) -> None:
    if not text:
        return
    old = getattr(rec, name)
    setattr(rec, name, f"{old}\n\n{text}" if old else text)


def build_item(rows: list[Row], ctx: TextContext, rec: ItemRecord) -> ItemRecord:
    """Fill ``rec`` from one item's rows: preamble, then every heading block by field."""
    blocks = heading_blocks(rows, ctx.layout)
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
    history = _History(rec, ctx)
    for i, block in enumerate(blocks[1:], start=1):
        name = block.field
        texts = [r.text for r in block.rows]
        if name == "history":
            nxt = blocks[i + 1].field if i + 1 < len(blocks) else None
            nxt_plain = nxt in _OWN_ONLY and len(blocks[i + 1].heading.split()) == 1
            mode = "dynasty" if own_seen or nxt_plain else "tweb"
            if mode == "dynasty":
                history.read(block, None)
            else:
                for h in parse_history_rows(texts, lists=True):
                    add_handling(rec.previous_handlings, h)
            continue
        heading_handlings = whole_handling(block.heading or "")
        if heading_handlings and name is None:
            mode = mode or "dynasty"
            for h in heading_handlings:
                history.current = add_handling(rec.previous_handlings, h)
            history.read(block, None)
            continue
        if mode == "dynasty" and name in _NOT_HISTORY:
            mode = None  # "Lisätiedot", "Liitteet", "Tiedoksi" after a history are the item's
        if mode == "dynasty":
            rest = history.read(block, name)
            if rest is None:
                continue
            mode = None  # the history reached this item's own handling line
            _append(rec, "background", ctx.text(rest))
            continue
        if mode == "tweb":
            if name == "discussion" and len((block.heading or "").split()) >= 2:
                history_background.extend(_history_block(block, ctx, rec))
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
            proposer = proposer or genitive_proposer(block.heading or "")
            if proposer and rec.proposer is None:
                rec.proposer = proposer
            _append(rec, "proposal", ctx.text(body))
        elif name == "proposer":
            paras = group_paragraphs(block.rows, ctx.right_edge)
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
    history.finish()
    return rec


class _History:
    """A Dynasty decision history: each ``Kaupunginhallitus 14.3.2022 § 88`` line opens
    an earlier handling, and the proposal, discussion and decision blocks after it are
    that handling's texts (never the item's)."""

    def __init__(self, rec: ItemRecord, ctx: TextContext) -> None:
        self.rec = rec
        self.ctx = ctx
        self.current: Handling | None = None
        self.rows: list[tuple[Handling, str, list[Row]]] = []

    def read(self, block: Block, name: str | None) -> list[Row] | None:
        """Rows of one block: handling lines switch the handling, the rest is text of
        the block's field for the handling in force. A line naming the item's own
        handling ends the history: the rows after it are returned."""
        for i, row in enumerate(block.rows):
            # "Päätöshistoria | Kaupunkisuunnittelulautakunta 13.3.2024 § 14": the
            # heading beside the line is no part of the body's name
            found = whole_handling(row.text if row.head and classify(row.head) else row.full)
            if len(found) == 1 and is_own(found[0], self.rec):
                self.current = None
                return block.rows[i + 1:]
            if found:
                for h in found:
                    self.current = add_handling(self.rec.previous_handlings, h)
                name = None  # text after a handling line but before a heading is no field
                continue
            if self.current is None or name not in _OWN_ONLY or not row.words:
                continue
            if self.rows and self.rows[-1][0] is self.current and self.rows[-1][1] == name:
                self.rows[-1][2].append(row)
            else:
                self.rows.append((self.current, name, [row]))
        return None

    def finish(self) -> None:
        texts: dict[tuple[int, str], list[str]] = {}
        for h, name, rows in self.rows:
            if name in ("proposal", "proposer"):
                proposer, rows = _split_proposer(rows)
                if proposer and h.proposer is None:
                    h.proposer = proposer
                if name == "proposer":
                    continue
            text = self.ctx.text(rows)
            if text:
                texts.setdefault((id(h), name), []).append(text)
        for h in self.rec.previous_handlings:
            for name in ("proposal", "decision", "discussion"):
                parts = texts.get((id(h), name))
                if parts and getattr(h, name) is None:
                    setattr(h, name, join_texts(parts))


def new_record(layout: Layout, url: str | None) -> ItemRecord:
    """An empty record with the layout's warnings and the running header's values."""
    rec = ItemRecord(source_format="pdf")
    for w in layout.warnings:
        rec.warn(w)
    rec.body, rec.meeting_date, rec.document_type = parse_header(layout.header)
    return rec


def finish_record(rec: ItemRecord) -> ItemRecord:
    """Merge duplicate preparers, infer minutes from a decision, list missing fields."""
    rec.preparers = merge_people(rec.preparers)
    if rec.document_type is None and rec.decision:
        rec.document_type = "minutes"
        rec.warn("document_type inferred from the decision")
    rec.warn_missing()
    return rec

