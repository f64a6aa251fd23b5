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


def _leaves(parts: frozenset[str]) -> list[str]:
    """A compound's smallest parts (``asema``, ``kaava``, ``muutos``; not the runs)."""
    return sorted(p for p in parts if not any(q != p and q in p for q in parts))


def _word_expression(word: str, lemmatiser: Lemmatiser, split: bool = True
                     ) -> tuple[str | None, list[str]]:
    """One word's alternatives, with its compound's parts written apart as one more
    (``split``; not for an excluded word, which must not exclude more than itself)."""
    terms = fts.parse_query(word, lemmatiser).terms
    if not terms:
        return None, []
    expression = terms[0]
    marks = [word]
    leaves = _leaves(lemmatiser.word(word).parts) if split and "-" not in word else []
    if len(leaves) >= 2:
        expression = ("(" + expression + " OR ("
                      + " AND ".join(fts._quote(p) for p in leaves) + "))")
        marks += leaves
    return expression, marks


def _phrase(text: str) -> tuple[str | None, list[str]]:
    tokens = [t for w in WORD_RE.findall(text) for t in fts_tokens(w)]
    if not tokens:
        return None, []
    return fts._quote(" ".join(tokens)), WORD_RE.findall(text)


def parse(q: str, lemmatiser: Lemmatiser) -> ParsedQuery:
    """The MATCH expression and the words to highlight for what a reporter typed."""
    out = ParsedQuery()
    groups: list[tuple[list[str], list[str]]] = [([], [])]  # (positive, negative) per OR
    marks: list[str] = []
    count = 0
    for m in _TOKEN_RE.finditer(q or ""):
        negative = bool(m.group(1))
        if m.group(3) is not None:
            token = m.group(3)
            if token == "OR":
                groups.append(([], []))
                continue
            if token in ("AND", "NOT", "NEAR"):
                continue
            negative = token.startswith("-") and len(token) > 1
            words = WORD_RE.findall(token[1:] if negative else token)
            pieces = [_word_expression(w, lemmatiser, split=not negative) for w in words]
        else:
            pieces = [_phrase(m.group(2))]
        for expression, words in pieces:
            if expression is None:
                continue
            count += 1
            if count > MAX_WORDS:
                continue
            if negative:
                groups[-1][1].append(expression)
            else:
                groups[-1][0].append(expression)
                marks += words
    if count > MAX_WORDS:
        out.notes.append(f"Haussa käytettiin vain {MAX_WORDS} ensimmäistä sanaa.")
    parts = []
    for positive, negative in groups:
        if not positive:
            if negative:
                out.notes.append("Pelkkä pois jätettävä sana (-sana) ei riitä: lisää "
                                 "haettava sana sen rinnalle.")
            continue
        expression = " AND ".join(dict.fromkeys(positive))
        if negative:
            expression = f"({expression}) NOT ({' OR '.join(dict.fromkeys(negative))})"
        parts.append(f"({expression})")
    if parts:
        out.expression = " OR ".join(parts)
    out.highlight = " ".join(dict.fromkeys(marks))
    return out
