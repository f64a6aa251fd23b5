"""Word-level difference between a handling's proposal and its decision.

Whitespace and a leading body label (``Kaupunginhallitus:``) are not differences; the
ops keep the decision's own spacing of words, so an item page can render them as they
read.
"""

from __future__ import annotations

import bisect
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
    i = j = 0
    for ai, bj, size in matching_blocks(old, new):  # what get_opcodes reads
        if i < ai:
            ops.append(DiffOp("delete", " ".join(old[i:ai])))
        if j < bj:
            ops.append(DiffOp("insert", " ".join(new[j:bj])))
        i, j = ai + size, bj + size
        if size:
            ops.append(DiffOp("equal", " ".join(new[bj:j])))
    return ops


#: the run lengths of a row without runs (never written)
_NO_RUNS: dict[int, int] = {}


def matching_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """``difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()``, as
    tuples, found the same way in less time.

    The same recursion (the longest matching block of a range, earliest in ``a`` then in
    ``b``, then the ranges before and after it), with two shortcuts that change no
    answer: a word of ``a`` looks up its list of positions in ``b`` once (not in every
    range), and a range that starts later in ``b`` bisects to its first position there
    instead of skipping the earlier ones one by one. Without junk, difflib's extension
    of the block found cannot extend it (a longer block would have been found), so it is
    left out."""
    b2j: dict[str, list[int]] = {}
    for j, word in enumerate(b):
        b2j.setdefault(word, []).append(j)
    where = [b2j.get(word) for word in a]
    queue = [(0, len(a), 0, len(b))]
    found: list[tuple[int, int, int]] = []
    left = bisect.bisect_left
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        besti, bestj, bestsize = alo, blo, 0
        j2len: dict[int, int] = _NO_RUNS  # only ever read: shared while empty
        for i in range(alo, ahi):
            positions = where[i]
            if positions is None:
                j2len = _NO_RUNS  # a word not in b: no run goes on
                continue
            newj2len: dict[int, int] = {}
            get = j2len.get
            for at in range(left(positions, blo) if blo else 0, len(positions)):
                j = positions[at]
                if j >= bhi:
                    break
                k = newj2len[j] = get(j - 1, 0) + 1
                if k > bestsize:
                    besti, bestj, bestsize = i - k + 1, j - k + 1, k
            j2len = newj2len
        if bestsize:
            found.append((besti, bestj, bestsize))
            if alo < besti and blo < bestj:
                queue.append((alo, besti, blo, bestj))
            if besti + bestsize < ahi and bestj + bestsize < bhi:
                queue.append((besti + bestsize, ahi, bestj + bestsize, bhi))
    found.sort()
    i1 = j1 = k1 = 0
    blocks = []
    for i2, j2, k2 in found:  # adjacent blocks joined, as difflib does
        if i1 + k1 == i2 and j1 + k1 == j2:
            k1 += k2
        else:
            if k1:
                blocks.append((i1, j1, k1))
            i1, j1, k1 = i2, j2, k2
    if k1:
        blocks.append((i1, j1, k1))
    blocks.append((len(a), len(b), 0))
    return blocks


def similarity(proposal: str, decision: str) -> float:
    """Share of words the two texts have in common, in order (0..1)."""
    old, new = words(strip_label(proposal)), words(strip_label(decision))
    if not old and not new:
        return 1.0
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()
