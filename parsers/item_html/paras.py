"""Paragraphs and section headings of a Dynasty item page (``parsers.item_html.parse``).

Turns ``parsers.html.blocks`` blocks into :class:`Para` (text with list items and links
kept) and decides which blocks open a section: a heading is looked for in the bold
lead-in, a first ``<span>``, the text before a tab or a run of ``&nbsp;``, a first table
cell or the whole short paragraph, and matched with ``fields.classify_heading_strict``
so that body text such as ``Lisäysehdotus:`` stays body text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.html.blocks import Block, cell_text
from parsers.records import Handling
from parsers.text.vocabulary import (
    PROPOSAL_VERB_RE,
    classify_heading_strict,
    clean_text,
    looks_like_official_title,
    looks_like_person,
)

_HEADING_GAP_RE = re.compile(r"\t+|[ \xa0]{2,}")
_COLON_HEAD_RE = re.compile(r"^\s*([^:\n]{2,40}):\s*(\S.*)$", re.S)
#: Words that open a section when they stand alone, but not as ``Ehdotus: …`` inside text.
_GENERIC_HEADINGS = {"ehdotus", "esitys", "förslag"}
LIST_TEXT_RE = re.compile(r"^(?:[-–•·▪*]|\d{1,3}[.)]|[a-zåäö]\))\s+\S")
_BULLETS = set("-–—•·▪■□○o§*>\uf0b7\uf0a7\uf0d8\uf076\uf0fc")
#: A list marker standing alone in a table cell: ``1.``, ``a)``, ``-``.
MARKER_CELL_RE = re.compile(r"^(?:\d{1,3}[.)]?|[a-zåäö][.)]|[-–•·])$")


# --- paragraphs -----------------------------------------------------------------------


@dataclass(slots=True)
class Para:
    """A paragraph of a section: cleaned text (lines kept), list flag, links, cells."""

    text: str
    is_list: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)
    cells: list[str] | None = None


def para(block: Block) -> Para:
    """One block as a paragraph: a table row's cells joined with ``|``, bullets as ``- ``."""
    if block.kind == "row":
        cells = [t for t in (cell_text(c, " ") for c in block.cells or []) if t]
        if len(cells) > 1 and MARKER_CELL_RE.match(cells[0]):
            text = f"{cells[0]} {' | '.join(cells[1:])}"
            return Para(text, True, block.all_links(), cells)
        return Para(" | ".join(cells), False, block.all_links(), cells)
    text = block.text
    marker = block.list_marker
    if marker and marker != "li":
        if marker in _BULLETS and text.startswith(marker):
            text = "- " + text[len(marker):].lstrip()
        return Para(text, True, list(block.links))
    return Para(text, bool(marker) or bool(LIST_TEXT_RE.match(text)), list(block.links))


def _text_para(raw: str) -> Para | None:
    lines = [ln for ln in (clean_text(x) for x in raw.split("\n")) if ln]
    return Para("\n".join(lines)) if lines else None


def join_paras(paras: list[Para]) -> str | None:
    """Paragraphs with a blank line between them; consecutive list items one per line."""
    out: list[str] = []
    prev_list = False
    for p in paras:
        if not p.text:
            continue
        if out:
            out.append("\n" if (p.is_list and prev_list) else "\n\n")
        out.append(p.text)
        prev_list = p.is_list
    return "".join(out) or None


# --- sections and their headings -----------------------------------------------------


@dataclass
class Section:
    """A run of paragraphs under one heading, in page order."""

    field: str  # a record field, "preamble" (unheaded text after the title) or "unheaded"
    heading: str
    paras: list[Para]
    history: bool
    #: in a decision history: the earlier handling whose header line came before it
    handling: Handling | None = None


def _heading_candidates(block: Block):
    """(heading text, rest of the paragraph) pairs, most specific first."""
    raw = block.raw
    if block.bold_prefix.strip():
        yield block.bold_prefix, raw[len(block.bold_prefix):] if raw.startswith(
            block.bold_prefix) else ""
    if block.first_run.strip() and raw.startswith(block.first_run):
        rest = raw[len(block.first_run):]
        if rest.strip():
            yield block.first_run, rest
    if block.label_end and block.label_end < len(raw):
        # Dynasty 10's label span inside another element: the first span's text
        yield raw[:block.label_end], raw[block.label_end:]
    first, _, more = raw.strip(" \t\n\xa0").partition("\n")
    parts = _HEADING_GAP_RE.split(first, maxsplit=1)
    if len(parts) == 2:
        yield parts[0], parts[1] + ("\n" + more if more else "")
    m = _COLON_HEAD_RE.match(raw)
    if m and clean_text(m.group(1)).lower() not in _GENERIC_HEADINGS:
        yield m.group(1), m.group(2)
    if len(first) <= 200 and len(clean_text(first)) <= 60:
        yield first, more


def detect_heading(block: Block) -> tuple[str, str, list[Para]] | None:
    """``(field, heading text, inline paragraphs)`` when the block opens a section."""
    if block.kind == "row":
        cells = block.cells or []
        head = cell_text(cells[0], " ")
        fieldname = classify_heading_strict(head)
        if not fieldname:
            # "Päätösehdotus Kaupunginjohtaja X" in one cell, the rest in the next
            first = cells[0][0] if cells[0] else None
            if first is not None and first.kind == "p":
                inner = detect_heading(first)
                if inner:
                    paras = inner[2] + [para(b) for b in cells[0][1:]]
                    paras += [para(b) for c in cells[1:] for b in c]
                    return inner[0], inner[1], [p for p in paras if p.text]
            return None
        paras = [para(b) for c in cells[1:] for b in c]
        return fieldname, clean_text(head).rstrip(":"), [p for p in paras if p.text]
    if block.kind != "p":
        return None
    proposer = _proposer_run(block)
    if proposer:
        return proposer
    for head, rest in _heading_candidates(block):
        if len(head) > 200:
            continue
        head_clean = clean_text(head).rstrip(":").strip()
        if not head_clean:
            continue
        fieldname = classify_heading_strict(head_clean)
        if fieldname:
            p = _text_para(rest)
            return fieldname, head_clean, [p] if p else []
    return None


def _proposer_run(block: Block) -> tuple[str, str, list[Para]] | None:
    """Dynasty 10's unlabelled proposal: the proposer's title (or title and name) in the
    first ``<span>``, the proposal in the next (``<span>Kaupunginjohtaja</span><span>
    Konserni- ja kaupunkikehitysjaosto päättää, että …</span>``).

    Returns ``("proposal", <the proposer's words>, [the proposal])``; the section
    reader turns a heading that is no section name into the proposer.
    """
    raw = block.raw
    if block.first_run and raw.startswith(block.first_run) and raw[len(block.first_run):].strip():
        head, rest = block.first_run, raw[len(block.first_run):]
    elif block.label_end:  # the spans sit inside another element
        head, rest = raw[:block.label_end], raw[block.label_end:]
    else:
        return None
    run = clean_text(head)
    if not run:
        return None
    rest_clean = clean_text(rest)
    if not rest_clean[:1].isupper() or not PROPOSAL_VERB_RE.search(rest_clean[:400]):
        return None
    if not (looks_like_official_title(run) or looks_like_person(run)):
        return None
    p = _text_para(rest)
    return "proposal", run.rstrip(" :"), [p] if p else []
