"""Word-level difference between a handling's proposal and its decision.

Whitespace and a leading body label (``Kaupunginhallitus:``) are not differences; the
ops keep the decision's own spacing of words, so an item page can render them as they
read.
"""

from __future__ import annotations

import difflib
import re

from parsers.records import DiffOp

VERSION = 1

#: above this many word pairs a word diff costs more than it tells (two different texts)
MAX_PRODUCT = 400_000

_LABEL_RE = re.compile(r"^\s*[A-ZÅÄÖ][\wåäö -]{2,60}:\s*\n")


def strip_label(text: str) -> str:
    """Drop a leading body label: ``Kaupunginhallitus:\\n\\nKaupunginhallitus ehdottaa …``
    → ``Kaupunginhallitus ehdottaa …``."""
    return _LABEL_RE.sub("", text, count=1).strip()


def words(text: str) -> list[str]:
    return text.split()


def same_text(a: str | None, b: str | None) -> bool:
    """Equal apart from spacing, a body label and a final full stop."""
    if a is None or b is None:
        return False
    a, b = strip_label(a).rstrip("."), strip_label(b).rstrip(".")
    if a.split(None, 1)[:1] != b.split(None, 1)[:1]:
        return False  # a different first word: not the same words (both not split whole)
    return words(a) == words(b)


def word_diff(proposal: str, decision: str) -> list[DiffOp]:
    """The ops that turn the proposal's words into the decision's (``equal``, ``insert``,
    ``delete``; a replacement is a delete followed by an insert)."""
    old, new = words(strip_label(proposal)), words(strip_label(decision))
    ops: list[DiffOp] = []
    if len(old) * len(new) > MAX_PRODUCT:  # two long, different texts: whole-text ops
        return [DiffOp("delete", " ".join(old)), DiffOp("insert", " ".join(new))]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(DiffOp("equal", " ".join(new[j1:j2])))
            continue
        if i2 > i1:
            ops.append(DiffOp("delete", " ".join(old[i1:i2])))
        if j2 > j1:
            ops.append(DiffOp("insert", " ".join(new[j1:j2])))
    return ops


def similarity(proposal: str, decision: str) -> float:
    """Share of words the two texts have in common, in order (0..1)."""
    old, new = words(strip_label(proposal)), words(strip_label(decision))
    if not old and not new:
        return 1.0
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()
