"""Finnish text rules the fact extractors share: sentences, number words, names.

Kept small and pure: the texts arrive already cleaned by the page parsers
(:func:`parsers.fields.clean_text` rules), these helpers only cut and read them.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

from parsers.records import PersonRef

#: abbreviations after which a full stop does not end a sentence
_ABBREVIATIONS = frozenset(
    "v vs n noin esim mm ns ks ym yms jne tms milj mrd t kpl nro no klo os s puh ts em "
    "ao eli vrt huom ko ml yht dnro ed alv sis jäs pj vpj ltk kh kv kj tj prof".split())

#: the word before a full stop, as the sentence finders read it (see :func:`_abbreviation_at`)
_LAST_WORD_RE = re.compile(r"([\wåäöÅÄÖ]+)\.$")


def sentences(text: str | None) -> list[str]:
    """Split ``text`` into sentences (and lines: a paragraph break always ends one).

    A full stop after a known abbreviation (``milj.``, ``v.``, ``ym.``) or after a single
    letter (an initial) does not end a sentence. Cached: every extractor of a handling
    reads the same texts.
    """
    if not text:
        return []
    return list(_sentences(text))


@functools.lru_cache(maxsize=64)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(_iter_sentences(text))


def iter_sentences(text: str | None) -> Iterator[str]:
    """:func:`sentences`, read lazily (for a reader that may stop at the first)."""
    return _iter_sentences(text) if text else iter(())


#: a sentence's end inside a line, as _SPLIT_RE's first alternative reads it: a run of
#: spaces and tabs after ``.`` (or ``!``, ``?``) before a character of its lookahead
#: class. The mark is captured (split keeps it); ``.`` alone as the first item lets the
#: engine scan for that one character (``[.!?]`` is tried at every position, 3x slower)
_DOT_END_RE = re.compile(r"(\.)[ \t]+(?=[\"”'(\-–A-ZÅÄÖÜ0-9])")
_MARK_END_RE = re.compile(r"([.!?])[ \t]+(?=[\"”'(\-–A-ZÅÄÖÜ0-9])")


def _lines(text: str) -> Iterator[str]:
    r"""The parts of ``text`` between _SPLIT_RE's line breaks (its second alternative:
    every run of whitespace holding a ``\n``), blank ones left out.

    A part of ``text.split("\n")`` loses its leading and trailing whitespace (``\s`` is
    ``str.isspace``, as for ``str.strip``): that is the run around its line breaks. The
    first part keeps its leading whitespace (no line break before it: the sentence
    reader sees it as _SPLIT_RE's pieces give it)."""
    if "\n" not in text:
        if not text.isspace():
            yield text.rstrip()
        return
    parts = text.split("\n")
    first = parts[0].rstrip()
    if first:
        yield first
    for part in itertools.islice(parts, 1, None):
        part = part.strip()
        if part:
            yield part


def _iter_sentences(text: str) -> Iterator[str]:
    """The sentences of ``text`` in order, each final when yielded (so the first few cost
    only the text they span).

    The same sentences as joining the pieces of ``_SPLIT_RE.split(text)`` (the test
    suite checks it): a line break always ends a sentence, an end mark before a capital,
    a digit or a quote ends one unless it is an abbreviation's or an initial's. Read line
    by line with a pattern that starts with a literal, instead of trying _SPLIT_RE at
    every position of the text."""
    if not text:
        return
    for line in _lines(text):
        if "." not in line and "!" not in line and "?" not in line:
            yield line.strip()
            continue
        parts = (_MARK_END_RE if "!" in line or "?" in line else _DOT_END_RE).split(line)
        carry = ""
        for k in range(0, len(parts) - 1, 2):
            piece = parts[k] + parts[k + 1]  # the piece with its end mark
            carry = f"{carry} {piece}" if carry else piece
            if _is_abbreviation(carry):
                continue  # "v. 2018", "milj. euroa": the sentence goes on
            yield carry.strip()
            carry = ""
        last = parts[-1]
        carry = f"{carry} {last}" if carry else last
        if carry.strip():
            yield carry.strip()


#: characters whose lower case differs from what ``re.I`` matches them as (``İ`` lowers to
#: two characters, ``ı`` and ``ſ`` match ``i`` and ``s``); every other character lowers to
#: one character of the same class (word, digit, space)
_FOLD_EXCEPTIONS = ("\u0130", "\u0131", "\u017f")


def fold(text: str) -> str | None:
    """``text`` lower-cased index for index, or None when it holds a character of
    ``_FOLD_EXCEPTIONS``.

    Why: a case-insensitive alternation over a whole text is the extractors' main cost;
    over the folded text a literal test (``"äänin" in low``) or the same pattern without
    ``re.I`` answers exactly as the ``re.I`` pattern over ``text`` would, many times
    faster.
    """
    if any(c in text for c in _FOLD_EXCEPTIONS):
        return None
    return text.lower()


def fold_lowered(text: str, low: str) -> str | None:
    """:func:`fold` of ``text`` whose lower case ``low`` the caller has already."""
    return None if any(c in text for c in _FOLD_EXCEPTIONS) else low


#: :func:`fold`, cached: the extractors of one handling read the same texts
folded = functools.lru_cache(maxsize=64)(fold)


def folded_head(text: str, size: int) -> str | None:
    """:func:`fold` of ``text[:size]`` (for a test that reads only the start of a text,
    so the rest is not lower-cased)."""
    return fold(text[:size])


#: sentence ends (kept as separators: a space run after [.!?] before a capital or digit)
_SPLIT_RE = re.compile(r"(?<=[.!?])[ \t]+(?=[\"”'(\-–A-ZÅÄÖÜ0-9])|(\s*\n\s*)")


def _is_abbreviation(piece: str) -> bool:
    """Does ``piece`` end with an abbreviation's or an initial's full stop?"""
    if not piece.endswith("."):
        return False
    space = piece.rfind(" ")
    if len(piece) - space - 2 > _MAX_ABBREVIATION and piece[space + 1] not in _QUOTES:
        return False  # its last word is longer than every abbreviation (and no initial)
    last = piece[space + 1:-1].lstrip(_QUOTES)
    return last.lower() in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


#: what a sentence's last word may start with before its letters
_QUOTES = "(\"”'"


_NEXT_END_RE = re.compile(r"[.!?\n](?:(?<=\n)|(?=\s+[\"”'(\-–A-ZÅÄÖÜ0-9]))")
#: the longest abbreviation: a longer word before a full stop is none
_MAX_ABBREVIATION = max(map(len, _ABBREVIATIONS))


def _abbreviation_at(text: str, dot: int) -> bool:
    """Is the full stop ``text[dot]`` an abbreviation's (``milj.``) or an initial's?

    The same answer as testing the word of ``_LAST_WORD_RE.search(text, max(0, dot - 40),
    dot + 1)``, read back from the dot instead of trying the pattern at each of the 40
    positions before it; the word is read only as far back as the longest abbreviation
    (``\\w`` is ``str.isalnum`` or ``_``)."""
    low = max(0, dot - 40)
    stop = max(low, dot - _MAX_ABBREVIATION - 1)
    j = dot
    while j > stop and (text[j - 1].isalnum() or text[j - 1] == "_"):
        j -= 1
    if j == dot or (j == stop > low and (text[j - 1].isalnum() or text[j - 1] == "_")):
        return False  # no word, or one longer than every abbreviation
    word = text[j:dot]
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


#: what may start a sentence after ``. `` besides a capital or a digit
_OPENERS = frozenset("\"”'(-–")


def _sentence_start(text: str, start: int) -> int:
    """Where the sentence holding position ``start`` begins (searching backwards)."""
    low = max(0, start - 600)
    pos = start
    rfind = text.rfind
    while pos > low:
        # the last of "\n", ". ", "! ", "? ": each after the first read only after the
        # last one found so far (not the whole window again)
        cut = rfind(". ", low, pos)
        after = cut + 1 if cut >= low else low
        for mark in ("\n", "! ", "? "):
            found = rfind(mark, after, pos)
            if found >= 0:  # after the last one so far
                cut = found
                after = found + 1
        if cut < 0:
            return low
        mark = text[cut]
        if mark == "\n":
            return cut + 1
        if mark != ".":
            return cut + 2
        # the character after ". " (a space there starts nothing: not upper, digit, opener)
        first = text[cut + 2:cut + 3]
        if (first and (first.isupper() or first.isdigit() or first in _OPENERS)
                and not _abbreviation_at(text, cut)):
            return cut + 2
        pos = cut
    return low


def sentence_span(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """Where the sentence holding ``text[start:end]`` begins and ends, found by looking
    around it only (a long text is not split as a whole)."""
    end = start if end is None else end
    begin = _sentence_start(text, start)
    stop = len(text)
    pos = end
    limit = min(len(text), end + 600)
    while pos < limit:
        m = _NEXT_END_RE.search(text, pos, limit)
        if m is None:
            stop = limit if limit < len(text) else len(text)
            break
        if m.group(0) == "\n":
            stop = m.start()
            break
        if m.group(0) == "." and _abbreviation_at(text, m.start()):
            pos = m.end()
            continue
        stop = m.end()
        break
    return begin, stop


def sentence_at(text: str, start: int, end: int | None = None) -> str:
    begin, stop = sentence_span(text, start, end)
    return text[begin:stop].strip()


def first_sentences(text: str | None, count: int = 3, chars: int = 800) -> list[str]:
    """The first ``count`` sentences (of the first ``chars`` characters)."""
    return list(itertools.islice(_iter_sentences(text[:chars]), count)) if text else []


#: number words in the cases the minutes use (``yhden äänestäessä tyhjää``)
NUMBER_WORDS = {
    "yksi": 1, "yhden": 1, "yhdellä": 1, "yhtä": 1, "kaksi": 2, "kahden": 2, "kahdella": 2,
    "kahta": 2, "kolme": 3, "kolmen": 3, "kolmella": 3, "kolmea": 3, "neljä": 4, "neljän": 4,
    "neljällä": 4, "neljää": 4, "viisi": 5, "viiden": 5, "viidellä": 5, "viittä": 5,
    "kuusi": 6, "kuuden": 6, "kuudella": 6, "kuutta": 6, "seitsemän": 7, "seitsemällä": 7,
    "seitsemää": 7, "kahdeksan": 8, "kahdeksalla": 8, "kahdeksaa": 8, "yhdeksän": 9,
    "yhdeksällä": 9, "yhdeksää": 9, "kymmenen": 10, "kymmenellä": 10, "kymmentä": 10,
    "nolla": 0,
}
NUMBER = r"(?:\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"


def number(text: str | None) -> int | None:
    """``"8"`` → 8, ``"yhden"`` → 1; anything else → None."""
    if text is None:
        return None
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


# --- names ------------------------------------------------------------------------------

#: one word of a person's name (``Ahonen``, ``Yli-Koski``, ``Ahosen``, ``O'Neill``)
NAME_WORD = r"[A-ZÅÄÖÜÉ][a-zåäöüéë'´]+(?:-[A-ZÅÄÖÜÉ][a-zåäöüéë'´]+)?"
#: up to three name words
NAME = rf"{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}}"

#: capitalised words that start a sentence or name a role, never a person
_NOT_NAMES = frozenset(
    "puheenjohtaja varapuheenjohtaja jäsen varajäsen valtuutettu kaupunginjohtaja "
    "esittelijä sihteeri pöytäkirjanpitäjä asia keskustelun keskustelussa kokous "
    "kaupunginhallitus kaupunginvaltuusto valtuusto lautakunta kunnanhallitus "
    "kunnanvaltuusto hallitus jaosto johtokunta toimikunta äänestyksessä äänestys "
    "ehdotus ehdotusta esitys päätösehdotus muutosehdotus vastaehdotus eriävän eriävä "
    "esteellisenä esteellinen lisäksi tämän jälkeen koska kun sen hän he jaa ei tyhjä "
    "poissa merkittiin todettiin totesi kaupunki kunta kaupungin kunnan "
    "kokouksen pöytäkirjaan pöytäkirja vs khn kvn".split())

ROLE_WORDS = frozenset(
    "puheenjohtaja varapuheenjohtaja jäsen varajäsen valtuutettu esittelijä jäsenet "
    "varajäsenet valtuutetut kaupunginjohtaja kunnanjohtaja pormestari apulaispormestari sihteeri "
    "kaupunginhallituksen kunnanhallituksen lautakunnan jaoston valtuuston".split())


def person_words(raw: str) -> list[str] | None:
    """The name words of ``raw`` with leading role words dropped, or None when what
    remains is not a name (a body, a role alone, a common word)."""
    words = raw.split()
    while words and words[0].lower() in ROLE_WORDS:
        words = words[1:]
    if not words or len(words) > 3:
        return None
    if any(w.lower() in _NOT_NAMES for w in words):
        return None
    if not all(re.fullmatch(NAME_WORD, w) for w in words):
        return None
    return words


#: consonant gradation, weak → strong, for the genitive's stem (``Hyrkön`` → ``Hyrkkö``)
_GRADATION = (("nn", "nt"), ("ng", "nk"), ("mm", "mp"), ("ll", "lt"), ("rr", "rt"),
              ("k", "kk"), ("p", "pp"), ("t", "tt"), ("d", "t"), ("v", "p"))


def _genitive_bases(word: str) -> list[str]:
    """Possible nominatives of a genitive word, best guess first."""
    if word.endswith("sen") and len(word) > 4:
        return [word[:-3] + "nen"]  # Ahosen → Ahonen, Virtasen → Virtanen
    if word.endswith("ksen") and len(word) > 5:
        return [word[:-4] + "s"]
    if word.endswith("een") and len(word) > 4:
        return [word[:-2]]  # Laineen → Laine
    if re.search(r"[bcdfghjklmnpqrstvwxz]in$", word) and len(word) > 4:
        return [word[:-2], word[:-1]]  # Bymanin → Byman (a foreign name's -in)
    if not word.endswith("n") or len(word) < 3:
        return [word]
    stem = word[:-1]  # Elon → Elo, Lahden → Lahde (gradation: Lahti)
    out = [stem]
    if stem.endswith("e") and len(stem) > 2:
        out.append(stem[:-1] + "i")  # Lahden → Lahdi? → also Lahti below
    for weak, strong in _GRADATION:
        for base in list(out):
            body, vowel = base[:-1], base[-1:]
            if body.endswith(weak):
                out.append(body[: len(body) - len(weak)] + strong + vowel)
    seen: list[str] = []
    for b in out:
        if b not in seen:
            seen.append(b)
    return seen


def person_ref(raw: str, genitive: bool = False) -> PersonRef | None:
    """A :class:`PersonRef` for a name as printed; ``genitive`` when the grammar puts it
    in the genitive (``Noora Ahosen kannattamana``). In a genitive full name only the
    last word inflects in the usual way, but Finnish inflects every word; both are
    handled: each word's genitive ending is removed."""
    words = person_words(raw)
    if words is None:
        return None
    if not genitive:
        name = " ".join(words)
        return PersonRef(name=name, raw=raw.strip())
    # "Noora Ahosen": the first name stays in the nominative, the surname inflects
    bases = _genitive_bases(words[-1])
    first = words[:-1]
    return PersonRef(name=" ".join([*first, bases[0]]), raw=raw.strip(),
                     candidates=[" ".join([*first, b]) for b in bases[1:]])


def split_names(text: str, genitive: bool = False) -> list[PersonRef]:
    """``Aalto, Berg ja Cederberg`` → three people; parts that are not names are left out."""
    text = re.sub(r"\s+(?:ym|yms)\.?$", "", text.strip().rstrip(".,;"))
    parts = [p.strip() for p in re.split(r",\s*|\s+ja\s+|\s+sekä\s+", text) if p.strip()]
    out = []
    for part in parts:
        ref = person_ref(part, genitive=genitive)
        if ref is not None:
            out.append(ref)
    return out


def match_attendee(ref: PersonRef, attendees: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The one attendee ``(id, name)`` this name can be: the full name, or the surname (in
    any form the inflection allows) of exactly one attendee; None when none or several."""
    forms = [ref.name, *ref.candidates]
    exact = [a for a in attendees if a[1] in forms]
    if len(exact) == 1:
        return exact[0]
    found = [a for a in attendees
             if any(a[1].endswith(" " + f) or a[1].startswith(f + " ") for f in forms)]
    return found[0] if len(found) == 1 else None
