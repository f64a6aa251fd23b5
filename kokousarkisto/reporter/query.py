"""A reporter's query → an FTS5 MATCH expression, with the index's own Finnish analysis.

What is understood (and said on the search page):

* words: every word must match, in any inflected form (``avustus`` finds
  *avustuksen*), as a compound part (``kaava`` finds *asemakaavamuutos*) — both as
  :func:`db.fts.parse_query` does for the canned search;
* compounds split like the index: a compound query word also matches its parts written
  apart (``tontinmyynti`` finds *tontin myynti*, ``kaavamuutos`` *yleiskaavan muutos*);
  the whole word ranks above the parts (it is rarer, so bm25 weighs it more);
* ``OR`` between words or groups: either side (``koulu OR päiväkoti``);
* ``-sana``: leave out items with that word (in any form);
* ``"lainausmerkit"``: the words next to each other, as written.

Every token is quoted, so nothing a person types is an FTS5 syntax error; an empty
query (or one of exclusions only) matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from db import fts
from db.lemmas import WORD_RE, Lemmatiser, fts_tokens

_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
#: at most this many words are used (the rest are dropped, said on the page)
MAX_WORDS = 32


@dataclass
class ParsedQuery:
    expression: str = '""'  # FTS5 MATCH expression ('""' matches nothing)
    highlight: str = ""  # words to mark in titles and snippets (positive ones)
    notes: list[str] = field(default_factory=list)
    #: the same query without the compound words' parts written apart: what matches
    #: the words themselves (in any form, or inside a longer compound), and the words
    #: to look for in a title that has them
    whole: str = '""'
    whole_highlight: str = ""

    @property
    def parts_only(self) -> str | None:
        """What matches only through a compound's parts written apart (``tontin
        myynti`` for ``tontinmyynti``), ``None`` when no query word was split."""
        if self.whole == self.expression:
            return None
        return f"({self.expression}) NOT ({self.whole})"


def _leaves(parts: frozenset[str]) -> list[str]:
    """A compound's smallest parts (``asema``, ``kaava``, ``muutos``; not the runs)."""
    return sorted(p for p in parts if not any(q != p and q in p for q in parts))


def _word_expression(word: str, lemmatiser: Lemmatiser, split: bool = True
                     ) -> tuple[str | None, str | None, list[str]]:
    """One word's alternatives without and with its compound's parts written apart as
    one more (``split``; not for an excluded word, which must not exclude more than
    itself), and the words to mark."""
    terms = fts.parse_query(word, lemmatiser).terms
    if not terms:
        return None, None, []
    whole = expression = terms[0]
    marks = [word]
    leaves = _leaves(lemmatiser.word(word).parts) if split and "-" not in word else []
    if len(leaves) >= 2:
        expression = ("(" + expression + " OR ("
                      + " AND ".join(fts._quote(p) for p in leaves) + "))")
        marks += leaves
    return whole, expression, marks


def _phrase(text: str) -> tuple[str | None, str | None, list[str]]:
    tokens = [t for w in WORD_RE.findall(text) for t in fts_tokens(w)]
    if not tokens:
        return None, None, []
    phrase = fts._quote(" ".join(tokens))
    return phrase, phrase, WORD_RE.findall(text)


def _join(groups: list[tuple[list[str], list[str]]]) -> str:
    """``(a AND b) NOT (c OR d)`` per OR group, the groups OR'ed; ``""`` for none."""
    parts = []
    for positive, negative in groups:
        if not positive:
            continue
        expression = " AND ".join(dict.fromkeys(positive))
        if negative:
            expression = f"({expression}) NOT ({' OR '.join(dict.fromkeys(negative))})"
        parts.append(f"({expression})")
    return " OR ".join(parts) if parts else '""'


def parse(q: str, lemmatiser: Lemmatiser) -> ParsedQuery:
    """The MATCH expressions and the words to highlight for what a reporter typed."""
    out = ParsedQuery()
    # (positive, negative) per OR group: with compounds' parts and without them
    groups: list[tuple[list[str], list[str]]] = [([], [])]
    wholes: list[tuple[list[str], list[str]]] = [([], [])]
    marks: list[str] = []
    whole_marks: list[str] = []
    count = 0
    for m in _TOKEN_RE.finditer(q or ""):
        negative = bool(m.group(1))
        if m.group(3) is not None:
            token = m.group(3)
            if token == "OR":
                groups.append(([], []))
                wholes.append(([], []))
                continue
            if token in ("AND", "NOT", "NEAR"):
                continue
            negative = token.startswith("-") and len(token) > 1
            words = WORD_RE.findall(token[1:] if negative else token)
            pieces = [_word_expression(w, lemmatiser, split=not negative) for w in words]
        else:
            pieces = [_phrase(m.group(2))]
        for whole, expression, words in pieces:
            if expression is None or whole is None:
                continue
            count += 1
            if count > MAX_WORDS:
                continue
            side = 1 if negative else 0
            groups[-1][side].append(expression)
            wholes[-1][side].append(whole)
            if not negative:
                marks += words
                whole_marks += words if whole == expression else words[:1]
    if count > MAX_WORDS:
        out.notes.append(f"Haussa käytettiin vain {MAX_WORDS} ensimmäistä sanaa.")
    if any(negative and not positive for positive, negative in groups):
        out.notes.append("Pelkkä pois jätettävä sana (-sana) ei riitä: lisää "
                         "haettava sana sen rinnalle.")
    out.expression = _join(groups)
    out.whole = _join(wholes)
    out.highlight = " ".join(dict.fromkeys(marks))
    out.whole_highlight = " ".join(dict.fromkeys(whole_marks))
    return out
