"""Undo line-end hyphenation in Finnish text extracted from PDFs.

Word's automatic hyphenation splits Finnish words at syllable boundaries
(``Poh-`` / ``jois-Savon``, ``järjestö-`` / ``jen``), but the same line-end hyphen
is also the *real* hyphen of a compound that happened to break there
(``Ely-`` / ``keskus``, ``ESR-`` / ``linjausten``, ``taajama-`` / ``alue``,
``2018-`` / ``2020``) or of a suspended compound (``sosiaali-`` / ``ja terveys``).
This module decides, for one break at a time, which of the three it is:

``join``
    drop the hyphen and the line break: ``järjestö-`` + ``jen`` → ``järjestöjen``
``keep``
    keep the hyphen, drop the line break: ``Ely-`` + ``keskus`` → ``Ely-keskus``
``space``
    keep the hyphen *and* a space: ``sosiaali-`` + ``ja`` → ``sosiaali- ja``

The strongest evidence is the document itself (:class:`Vocabulary`): when the joined
word or the hyphenated form is written unbroken elsewhere in the same document, that
form wins. Without evidence, Finnish spelling rules decide (see :func:`decide`).

Everything here is pure text in, text out; no PDF knowledge. Table lines and other
text where hyphens must stay as printed should simply not be passed through.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

Decision = Literal["join", "keep", "space"]

#: Characters that can be a hyphenation hyphen at a line end. The en dash is *not*
#: one: ``2018 –`` / ``2020`` is a range written with spaces.
HYPHENS = "-\u2010\u2011"
SOFT_HYPHEN = "\u00ad"
EN_DASH = "\u2013"
#: Words after which a line-end hyphen is a suspended compound (``sosiaali- ja``).
CONJUNCTIONS = frozenset({"ja", "tai", "sekä", "eli", "tahi", "taikka", "ynnä", "och", "eller"})
VOWELS = frozenset("aeiouyäöå")
_SENTENCE_END = re.compile(r"[.!?:;]['\"”’)\]]*$")
_EDGE_PUNCT = "\"'”“’‘«»()[]{}<>.,;:!?…"


def _core(token: str) -> str:
    """The word inside a token: surrounding quotes, brackets and punctuation removed."""
    return token.strip(_EDGE_PUNCT)


def ends_with_hyphen(token: str) -> bool:
    """True when ``token`` ends with a hyphenation candidate (a word followed by ``-``),
    or with an en dash glued to a word (``2025–`` / ``2035``: a range broken after its
    dash, which is kept)."""
    if not token:
        return False
    if token.endswith(SOFT_HYPHEN):
        return True
    if len(token) < 2 or token[-1] not in HYPHENS + EN_DASH:
        return False
    # "sana-", and "1.1.-" (a date range broken after its first date)
    return token[-2].isalnum() or (token[-2] == "." and token[-3:-2].isdigit())


class Vocabulary:
    """Word counts of one document, the evidence for the hyphenation decisions.

    Words are compared case-insensitively with surrounding punctuation removed. Build
    it with :meth:`from_lines` so that the fragments around line-end hyphens (which
    are exactly what is being decided) are not counted as evidence.
    """

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.counts: Counter[str] = Counter()
        for word in words:
            key = _core(word).casefold()
            if key:
                self.counts[key] += 1
        self._sorted: list[str] | None = None

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Vocabulary:
        """Count every word of ``lines`` except the two halves of each line-end break."""
        words: list[str] = []
        skip_first = False
        for line in lines:
            tokens = line.split()
            if not tokens:
                skip_first = False
                continue
            last = len(tokens) - 1 if ends_with_hyphen(tokens[-1]) else len(tokens)
            start = 1 if skip_first else 0
            words.extend(tokens[start:last])
            skip_first = last < len(tokens)
        return cls(words)

    def __len__(self) -> int:
        return len(self.counts)

    def count(self, word: str) -> int:
        return self.counts.get(_core(word).casefold(), 0)

    def count_prefix(self, prefix: str) -> int:
        """How many distinct words start with ``prefix`` (case-insensitive)."""
        if self._sorted is None:
            self._sorted = sorted(self.counts)
        prefix = prefix.casefold()
        i = bisect.bisect_left(self._sorted, prefix)
        n = 0
        while i < len(self._sorted) and self._sorted[i].startswith(prefix):
            n += 1
            i += 1
        return n


_EMPTY = Vocabulary()


def _is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper() and any(c.islower() for c in word)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def decide(
    left: str,
    right: str,
    vocabulary: Vocabulary | None = None,
    *,
    sentence_start: bool = False,
) -> Decision:
    """Decide what a line-end ``left`` (ending with a hyphen) and the next line's first
    token ``right`` become.

    ``sentence_start`` says ``left`` begins a sentence (a capital letter then proves
    nothing). The rules, in order:

    1. a soft hyphen always joins;
    2. ``right`` is ``ja``/``tai``/``sekä``/``eli``/``tahi`` → suspended compound (space);
    3. a digit on either side (``2018-2020``, ``14-vuotias``) → keep;
    4. the document's own spelling: the joined or the hyphenated form written
       elsewhere (exactly, or as the start of an inflected form) wins;
    5. ``right`` capitalised (``Pohjois-`` / ``Savon``) → keep;
       both halves in capitals: long words join (``KAUPUNGIN-`` / ``HALLITUS``);
    6. an acronym prefix (``ESR-``, ``EU-``) → keep;
    7. same vowel on both sides of the break (``taajama-alue``) → keep: Finnish
       writes that hyphen, while hyphenation never splits a long vowel;
    8. a capitalised prefix in mid-sentence followed by a lower-case word of four or
       more letters (``Ely-`` / ``keskus``) → keep, unless ``right`` itself carries a
       hyphen (``Poh-`` / ``jois-Savon`` is one broken name);
    9. otherwise join (``järjestö-`` / ``jen``, ``Toiminta-`` / ``suunnitelman`` at a
       sentence start).
    """
    if left.endswith(SOFT_HYPHEN):
        return "join"
    if left.endswith(EN_DASH):
        # a dash is never a hyphenation mark: "2025–2035", "sosiaali– ja"
        return "space" if _core(right).casefold() in CONJUNCTIONS else "keep"
    vocab = vocabulary or _EMPTY
    prefix = left.lstrip(_EDGE_PUNCT)[:-1]
    rest = right.rstrip(_EDGE_PUNCT)
    if not prefix or not rest:
        return "space"
    if not rest[0].isalnum():
        return "space"
    if rest.casefold() in CONJUNCTIONS:
        return "space"
    if prefix[-1].isdigit() or rest[0].isdigit():
        return "keep"

    # 4. evidence from the document itself
    joined = prefix + rest
    hyphenated = prefix + "-" + rest
    keep_score = 3 * vocab.count(hyphenated)
    join_score = 3 * vocab.count(joined)
    if not keep_score and not join_score:
        keep_score += vocab.count_prefix(prefix + "-")
        stem = prefix + rest[:3]
        if len(stem) >= 5:
            join_score += vocab.count_prefix(stem)
        if _is_capitalised(prefix) and rest[0].islower() and len(rest) >= 4:
            # the second half used as a word of its own: a compound part, not a syllable
            keep_score += 1 if vocab.count(rest) or vocab.count_prefix(rest[:5]) else 0
    if keep_score != join_score:
        return "keep" if keep_score > join_score else "join"

    # 5.-9. spelling rules
    if _is_acronym(prefix) and _is_acronym(rest):
        return "join" if len(prefix) > 4 and "-" not in rest else "keep"
    if rest[0].isupper():
        return "keep"
    if _is_acronym(prefix):
        return "keep"
    if prefix[-1].casefold() in VOWELS and prefix[-1].casefold() == rest[0].casefold():
        return "keep"
    if _is_capitalised(prefix) and not sentence_start:
        if any(c in HYPHENS for c in rest):
            return "join"
        if len(rest) >= 4 and rest.isalpha():
            return "keep"
    return "join"


def join_pair(left: str, right: str, decision: Decision) -> str:
    """Glue ``left`` and ``right`` according to ``decision``."""
    if decision == "join":
        return left[:-1] + right
    if decision == "keep":
        return left + right
    return f"{left} {right}"


def dehyphenate_lines(lines: Sequence[str], vocabulary: Vocabulary | None = None) -> str:
    """Join the lines of one paragraph into one string, undoing line-end hyphenation.

    Without a ``vocabulary`` one is built from ``lines`` themselves; for a whole
    document build one :class:`Vocabulary` from all its lines and pass it to every
    paragraph.
    """
    if vocabulary is None:
        vocabulary = Vocabulary.from_lines(lines)
    tokens: list[str] = []
    pending: str | None = None  # last token of the previous line, ending with a hyphen
    for line in lines:
        words = line.split()
        if not words:
            continue
        if pending is not None:
            sentence_start = len(tokens) == 0 or bool(_SENTENCE_END.search(tokens[-1]))
            decision = decide(pending, words[0], vocabulary, sentence_start=sentence_start)
            merged = join_pair(pending, words[0], decision)
            tokens.extend(merged.split(" "))
            words = words[1:]
            pending = None
        if words and ends_with_hyphen(words[-1]):
            pending = words[-1]
            words = words[:-1]
        tokens.extend(words)
    if pending is not None:
        tokens.append(pending)
    return " ".join(tokens).replace(SOFT_HYPHEN, "")


def dehyphenate_keeping_lines(lines: Sequence[str], vocabulary: Vocabulary | None = None) -> str:
    """Undo line-end hyphenation but keep the other line breaks (for page text).

    A line ending in a hyphenation hyphen is glued to the next line's first word,
    which moves up; every other line break stays.
    """
    if vocabulary is None:
        vocabulary = Vocabulary.from_lines(lines)
    out: list[list[str]] = []
    for line in lines:
        words = line.split()
        last = out[-1] if out else None
        if words and last and ends_with_hyphen(last[-1]):
            sentence_start = len(last) == 1 or bool(_SENTENCE_END.search(last[-2]))
            decision = decide(last[-1], words[0], vocabulary, sentence_start=sentence_start)
            last[-1] = join_pair(last[-1], words[0], decision)
            words = words[1:]
            if not words:
                continue
        out.append(words)
    return "\n".join(" ".join(words) for words in out).replace(SOFT_HYPHEN, "")


def dehyphenate_text(text: str, vocabulary: Vocabulary | None = None) -> str:
    """De-hyphenate a text whose paragraphs are separated by blank lines.

    Lines inside a paragraph are joined with spaces (or glued at a hyphen); the
    paragraphs stay separated by one blank line.
    """
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    if vocabulary is None:
        vocabulary = Vocabulary.from_lines(text.splitlines())
    out = [dehyphenate_lines(p, vocabulary) for p in paragraphs if p]
    return "\n\n".join(p for p in out if p)
