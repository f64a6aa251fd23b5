"""Attendee lines of a Dynasty meeting page: who was there, in which role, and when.

Under ``Saapuvilla olleet jäsenet``, ``Muut saapuvilla olleet`` (and ``Poissa``,
``varajäsenet``) each person is a line, ``Name, role, note`` in one cell or ``Name |
role, note`` in two; a cell may also hold several people, one per line. A comma part
that tells when someone came or left (``saapui klo 18.12 § 43 käsittelyn aikana``,
``poistui klo 19.05``) is the note; the others are the role. A name is recognised by
its capitals, which also tells an attendee line from a section heading.
"""

from __future__ import annotations

import re

from parsers.html.blocks import Block, cell_text
from parsers.text.vocabulary import clean_text

__all__ = ["NOTE_RE", "attendee_lines", "looks_like_name", "split_attendee"]

#: a comma part of an attendee line that says when the person came, left or was absent
NOTE_RE = re.compile(
    r"\b(?:saapui|saapuivat|poistui|poistuivat|palasi|palasivat|poissa|läsnä|esteellinen|"
    r"esteellisenä|jäävi|kello|klo|kl\.|ajalla|kohdissa|kohdassa|asiakohd\w*|pykäl\w*|"
    r"anlände|avlägsnade|avlägsnade sig|närvarande|frånvarande)\b|§|\d{1,2}[.:]\d{2}",
    re.I,
)
_NAME_WORD_RE = re.compile(r"^(?:[A-ZÅÄÖÜÉ][\w'´’-]*\.?|von|af|de|van|der)$")


def looks_like_name(text: str) -> bool:
    """A person's name rather than a heading: 2–6 words, no digits, (nearly) all capitals."""
    words = text.split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in text):
        return False
    capital = sum(1 for w in words if _NAME_WORD_RE.match(w))
    return capital >= 1 and capital >= len(words) - 1 and words[0][:1].isupper()


def split_attendee(cells: list[str]) -> tuple[str, str | None, str | None] | None:
    """``["Doris Testinen, saapui klo 18.12 § 43 käsittelyn aikana"]`` or
    ``["Gunnar Sepitetty", "sivistysjohtaja, poistui klo 19.05"]`` → ``(name, role, note)``.

    The comma parts after the name are the role until one of them reads as a note
    (arrival, departure, absence); it and everything after it are the note.
    """
    cells = [clean_text(c) for c in cells if clean_text(c)]
    if not cells:
        return None
    first, *more = cells
    name, _, rest = first.partition(",")
    name = name.strip()
    if not name or not looks_like_name(name):
        return None
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    for cell in more:
        parts.extend(p.strip() for p in cell.split(",") if p.strip())
    roles: list[str] = []
    notes: list[str] = []
    for part in parts:
        if notes or NOTE_RE.search(part):
            notes.append(part)
        else:
            roles.append(part)
    return name, ", ".join(roles) or None, ", ".join(notes) or None


def attendee_lines(block: Block) -> list[list[str]]:
    """A block's attendee lines, each as its cells: a row's columns are read line by line."""
    if block.kind == "row":
        columns = [cell_text(c).split("\n") for c in block.cells or []]
        columns = [[ln for ln in col if ln] for col in columns]
        columns = [col for col in columns if col]
        return [[col[i] if i < len(col) else "" for col in columns]
                for i in range(max((len(c) for c in columns), default=0))]
    return [[ln] for ln in block.lines]
