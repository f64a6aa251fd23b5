"""A small Finnish syllable hyphenator for the demo PDFs.

Real Dynasty PDFs come out of Word with automatic hyphenation, so their text has
line-end hyphens (``Poh-`` / ``jois-Savon``, ``järjestö-`` / ``jen``) that a parser
must undo. To give parsers the same problem, the demo PDFs break words with these
rules, which are the core of Finnish syllabification and need no dictionary:

* break before a consonant that is followed by a vowel (``kau-pun-gin-hal-li-tus``);
* break between two vowels that form neither a long vowel nor a diphthong
  (``ta-lous`` has no break inside the diphthong ``ou``; ``ra-dio`` keeps
  ``io`` only because of the two-letter minimum at the end);
* keep at least two letters on each side;
* a word that already contains a hyphen or dash (``Ely-keskus``, ``2025–2027``)
  is only broken right after that hyphen and no extra hyphen is added;
* words with digits, acronyms (``ESR``), addresses and similar are never broken.

Compound boundaries are deliberately ignored, as Word ignores them
(``talo-usarvion``).
"""

from __future__ import annotations

import re

VOWELS = frozenset("aeiouyäöåAEIOUYÄÖÅ")
DIPHTHONGS = frozenset("ai ei oi ui yi äi öi au eu iu ou ey iy äy öy ie uo yö".split())
DASHES = "-–"
_CORE = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.UNICODE)
MIN_LEFT = 2
MIN_RIGHT = 2


def _is_vowel(ch: str) -> bool:
    return ch in VOWELS


def _is_consonant(ch: str) -> bool:
    return ch.isalpha() and ch not in VOWELS


def syllable_breaks(word: str) -> list[int]:
    """Positions ``i`` (0 < i < len) where ``word`` may be split as ``word[:i]-``.

    ``word`` must be letters only; callers strip punctuation first.
    """
    if len(word) < MIN_LEFT + MIN_RIGHT or not word.isalpha():
        return []
    if word.isupper() and len(word) > 1:
        return []  # acronym
    lower = word.lower()
    breaks: list[int] = []
    for i in range(1, len(lower)):
        prev, cur = lower[i - 1], lower[i]
        nxt = lower[i + 1] if i + 1 < len(lower) else ""
        ok = False
        if _is_consonant(cur) and nxt and _is_vowel(nxt):
            # the consonant starts a new syllable, if a vowel came before it
            ok = any(_is_vowel(c) for c in lower[:i])
        elif _is_vowel(prev) and _is_vowel(cur):
            ok = prev != cur and prev + cur not in DIPHTHONGS
        if ok and i >= MIN_LEFT and len(lower) - i >= MIN_RIGHT:
            breaks.append(i)
    return breaks


def break_points(token: str) -> list[tuple[int, bool]]:
    """Where a whitespace-free ``token`` may be broken at a line end.

    Returns ``(position, add_hyphen)`` pairs: the line gets ``token[:position]``
    plus ``-`` when ``add_hyphen`` is true, and the next line starts with
    ``token[position:]``. Tokens with an existing hyphen or en dash are only
    broken right after it, without adding anything.
    """
    if any(d in token for d in DASHES):
        return [
            (i + 1, False)
            for i, ch in enumerate(token)
            if ch in DASHES and MIN_LEFT <= i and len(token) - i - 1 >= MIN_RIGHT
        ]
    m = _CORE.match(token)
    if not m:
        return []
    lead, core, _trail = m.groups()
    if not core.isalpha():
        return []  # digits, e-mail addresses, "ry:n", "EU:n", URLs ...
    return [(len(lead) + i, True) for i in syllable_breaks(core)]


def hyphenate(word: str, hyphen: str = "-") -> str:
    """Show the added break points of ``word``, e.g. ``jär-jes-tö-jen``.

    For tests and debugging; breaks at an existing hyphen add nothing and so are
    not visible in the result.
    """
    out, last = [], 0
    for pos, add in break_points(word):
        if add:
            out.append(word[last:pos] + hyphen)
            last = pos
    out.append(word[last:])
    return "".join(out)
