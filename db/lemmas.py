"""Finnish lemmatisation for full-text search.

SQLite's FTS5 matches words as written, and a Finnish noun has dozens of forms
(*avustus, avustuksen, avustukseen, avustuksista* …) and lives inside compounds
(*asemakaavamuutos*). So every item also gets a ``lemmas`` text at ingest: for each
word of its text fields

* its **Voikko** base forms (all readings: *tuli* → *tuli*, *tulla*),
* the base forms of its compound parts and of every run of neighbouring parts, from
  Voikko's ``WORDBASES`` (*asemakaavamuutoksen* → *asema*, *kaava*, *muutos*,
  *asemakaava*, *kaavamuutos*), so a search for *asemakaava* or *kaava* finds it,
* a **Snowball** Finnish stem for words Voikko does not know (names, new words),
* abbreviations and numbers without their case endings (``Oy:n`` → ``oy``,
  ``EU:n`` → ``eu``); hyphenated words as a whole (``Ely-keskuksen`` → ``elykeskus``)
  and part by part.

Queries are lemmatised by the same :class:`Lemmatiser` (see :mod:`db.fts`), so both
sides meet in base forms. Without libvoikko every word is stemmed with Snowball,
which is weaker; :func:`load_analyser` warns once when that happens and the analyser's
name is recorded with the index (``search_meta``).

Voikko's analyses are cached per distinct word (an LRU cache), so a word is analysed
once however often it occurs; that keeps loading at thousands of items per second.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)

#: bumped whenever the tokens produced for a word change: stored indexes are rebuilt
LEMMAS_VERSION = "2"
#: distinct word forms whose analysis is kept
CACHE_SIZE = 500_000

SOFT_HYPHEN = "\u00ad"
_WORD = r"{c}+(?:(?:-|(?<=\d)[.,:/\u2013\u2014](?=\d)){c}+)*(?::[^\W\d_]+)?"
#: a word: letters/digits, joined by inner hyphens; digits also by . , : / and dashes
#: (``12.3.2025``, ``123/2024``, ``2018–2020``); an optional ``:case`` ending (``EU:n``).
#: Soft hyphens inside a word belong to it (for highlighting the original text).
WORD_RE = re.compile(_WORD.format(c=r"(?:[^\W_]|\u00ad)"))
#: the same on text whose soft hyphens are gone (faster: one character class)
_PLAIN_WORD_RE = re.compile(_WORD.format(c=r"[^\W_]"))
#: what FTS5's unicode61 tokenizer keeps together: runs of letters and digits
_FTS_TOKEN_RE = re.compile(r"[^\W_]+")
_NUMERIC_RE = re.compile(r"\d+(?:[^\w]\d+)*")
_MORPHEME_RE = re.compile(r"\+([^+(]*)(?:\(([^)]*)\))?")


def fold(text: str) -> str:
    """Lower-case and strip diacritics, as FTS5's ``remove_diacritics 2`` does."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fts_tokens(text: str) -> list[str]:
    """The tokens FTS5 (unicode61) makes of ``text``, lower-cased."""
    return [t.lower() for t in _FTS_TOKEN_RE.findall(text.replace(SOFT_HYPHEN, ""))]


def words(text: str) -> list[str]:
    """The words of ``text`` as the lemmatiser sees them (soft hyphens removed)."""
    return [w.replace(SOFT_HYPHEN, "") for w in WORD_RE.findall(text)]


def is_numeric(word: str) -> bool:
    return bool(_NUMERIC_RE.fullmatch(word))


def _token(text: str) -> str:
    """One FTS token: lower-case letters and digits only (``ELY-keskus`` → ``elykeskus``)."""
    low = text.lower()
    if low.isalnum():  # the usual case: nothing to drop (isalnum is [^\W_], char by char)
        return low
    return "".join(_FTS_TOKEN_RE.findall(low))


@dataclass(frozen=True)
class Reading:
    """One analysis of a word: its base forms and the base forms of its parts."""

    lemmas: frozenset[str]  # base forms of the whole word: what a query word stands for
    parts: frozenset[str]  # compound parts and runs of parts: what else it can be found by


class Analyser(Protocol):
    """A morphological analyser: ``None`` for a word it does not know."""

    name: str
    detail: str

    def analyse(self, word: str) -> Reading | None: ...


class SnowballAnalyser:
    """No dictionary: every word is unknown, so the lemmatiser stems it with Snowball."""

    name = "snowball"
    detail = "snowball finnish stemmer (no Voikko)"

    def analyse(self, word: str) -> Reading | None:
        return None


class VoikkoAnalyser:
    """Voikko (libvoikko + the Finnish dictionary ``voikko-fi``) through its Python binding.

    A Voikko handle is not thread-safe and Datasette calls SQL functions from several
    threads, so calls are serialised; the lemmatiser's cache keeps them rare.
    """

    name = "voikko"

    def __init__(self, voikko: Any, detail: str = "voikko") -> None:
        self._voikko = voikko
        self._lock = threading.Lock()
        self.detail = detail

    @classmethod
    def load(cls) -> VoikkoAnalyser:
        """Open Voikko's Finnish dictionary; raises ``ImportError``/``OSError`` without it."""
        import libvoikko

        voikko = libvoikko.Voikko("fi")
        try:
            version = libvoikko.Voikko.getVersion()
            dicts = ", ".join(d.description for d in libvoikko.Voikko.listDicts())
            detail = f"libvoikko {version}; {dicts}"
        except Exception:  # pragma: no cover - cosmetic only
            detail = "libvoikko"
        return cls(voikko, detail)

    def analyse(self, word: str) -> Reading | None:
        with self._lock:
            analyses = self._voikko.analyze(word)
            if not analyses and word.isupper() and len(word) > 1:
                analyses = self._voikko.analyze(word.capitalize())
        if not analyses:
            return None
        lemmas: set[str] = set()
        parts: set[str] = set()
        for analysis in analyses:
            baseform = analysis.get("BASEFORM")
            if not baseform:
                continue
            lemmas.add(_token(baseform))
            parts.update(compound_parts(baseform, analysis.get("WORDBASES"),
                                        analysis.get("STRUCTURE")))
        lemmas.discard("")
        if not lemmas:
            return None
        return Reading(frozenset(lemmas), frozenset(parts - lemmas - {""}))


def _part_starts(structure: str) -> set[int]:
    """Where the parts of a compound start in the word, from Voikko's ``STRUCTURE``."""
    starts, pos = set(), 0
    for ch in structure:
        if ch == "=":
            starts.add(pos)
        else:
            pos += 1
    return starts


#: neighbouring compound parts that only mean something together: a search for *kunta*
#: should not find every *lautakunta*
LEXICALISED = frozenset({("lauta", "kunta"), ("toimi", "elin")})


def compound_parts(baseform: str, wordbases: str | None, structure: str | None = None
                   ) -> set[str]:
    """Base forms of a compound's parts and of each run of neighbouring parts.

    ``WORDBASES`` lists morphemes as ``+surface(base)``: ``+asema(asema)+kaava(kaava)
    +muutos(muutos)``; ``STRUCTURE`` (``=ppppp=ppppp=pppppp``) says where the parts
    start, so derivational pieces (``+kuljet(kuljettaa)+us(+us)``, ``+paika(paikka)+lli
    +nen(+nen)``) stay inside their part; ``+-`` is a hyphen. A run ending in the last
    part takes its base from the word's base form (``kaupungin`` + ``hallitus``), inner
    runs end in their last part's base (``asema`` + ``kaava``).
    """
    if not wordbases:
        return set()
    morphemes = _MORPHEME_RE.findall(wordbases)
    if len(morphemes) == 1:
        # a proper noun's inner structure: +Leppävaara(Leppä=vaara)
        pieces = [p for p in morphemes[0][1].split("=") if p]
        return {_token(p) for p in pieces} if len(pieces) > 1 else set()
    starts = _part_starts(structure) if structure else None
    # each part: [surface, base (None: derived or bare: use the surface), start in text,
    # whether it is a word of its own (not a bare stem like yhteis-, varhais-)]
    parts: list[list[Any]] = []
    text = ""  # the surfaces so far, hyphens included
    for surface, base in morphemes:
        if not surface:
            continue
        if surface == "-":
            text += surface
            continue
        derived = base.startswith("+")
        if starts is not None:
            new_part = not parts or len(text) in starts
        else:
            new_part = not parts or not derived
        if new_part:
            parts.append([surface, None if derived else (base or None), len(text), bool(base)])
        else:
            parts[-1][0] += surface
            parts[-1][1] = None
        text += surface
    parts = _merge_lexicalised(parts)
    if len(parts) < 2:
        return set()
    surfaces = [p[0] for p in parts]
    bases = [p[1] or p[0] for p in parts]
    prefix = text[: parts[-1][2]].lower()
    if baseform.lower().startswith(prefix) and len(baseform) > len(prefix):
        bases[-1] = baseform[len(prefix):]
    out: set[str] = {_token(b) for b, p in zip(bases, parts, strict=True) if p[3]}
    n = len(parts)
    for i in range(n):
        for j in range(i + 1, n):
            if (i, j) == (0, n - 1):
                continue  # the whole word: its base form is a lemma already
            out.add(_token("".join(surfaces[i:j]) + bases[j]))
    return {t for t in out if len(t) > 1}


def _merge_lexicalised(parts: list[list[Any]]) -> list[list[Any]]:
    merged: list[list[Any]] = []
    for part in parts:
        if merged and (_token(merged[-1][1] or merged[-1][0]), _token(part[1] or part[0])) \
                in LEXICALISED:
            last = merged[-1]
            merged[-1] = [last[0] + part[0], last[0] + (part[1] or part[0]), last[2], True]
            continue
        merged.append(list(part))
    return merged


@dataclass(frozen=True)
class WordTokens:
    """What the index stores for a word, and what a query word stands for."""

    lemmas: frozenset[str]  # whole-word base forms (or stems)
    parts: frozenset[str]  # compound parts, hyphen parts and their base forms
    known: bool  # the analyser knew the word (or it needs no analysis)
    index_tokens: frozenset[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index_tokens", self.lemmas | self.parts)


_EMPTY = WordTokens(frozenset(), frozenset(), True)


class Lemmatiser:
    """Turns words and texts into base-form tokens with one analyser, caching each word."""

    def __init__(self, analyser: Analyser, cache_size: int = CACHE_SIZE) -> None:
        import snowballstemmer

        self.analyser = analyser
        self._stemmer = snowballstemmer.stemmer("finnish")
        self._stem_lock = threading.Lock()
        self.word = functools.lru_cache(maxsize=cache_size)(self._word)
        #: word -> its index tokens: the texts' hot path looks words up here directly,
        #: which costs a third of going through :attr:`word` and ``.index_tokens``
        self._index: dict[str, frozenset[str]] = {}
        #: a whitespace-separated chunk of text (``kaupunginhallitukselle,``) -> the index
        #: tokens of its words, and the words themselves lower-cased. No word spans
        #: whitespace, so a text's words are its chunks' words; chunks repeat from item
        #: to item, so most of a text is looked up here without running the word pattern.
        self._chunk_tokens: dict[str, frozenset[str]] = {}
        self._chunk_written: dict[str, frozenset[str]] = {}
        self._cache_size = cache_size

    @property
    def name(self) -> str:
        return self.analyser.name

    @property
    def detail(self) -> str:
        return self.analyser.detail

    def stem(self, word: str) -> str:
        with self._stem_lock:
            return self._stemmer.stemWord(word.lower())

    def _simple(self, word: str) -> WordTokens:
        """A word without hyphens or a colon ending."""
        reading = self.analyser.analyse(word)
        if reading is None:
            stem = _token(self.stem(word))
            return WordTokens(frozenset({stem}) if stem else frozenset(), frozenset(), False)
        return WordTokens(reading.lemmas, reading.parts, True)

    def _word(self, word: str) -> WordTokens:
        """Tokens of one word as :data:`WORD_RE` finds it (cached through :attr:`word`)."""
        word = word.replace(SOFT_HYPHEN, "")
        if not word or is_numeric(word):
            return _EMPTY  # numbers are matched in the text columns themselves
        if ":" in word:
            # an abbreviation or number with a case ending: EU:n, Oy:stä, 2020:n
            head = word.split(":", 1)[0]
            return self._hyphenated(head, analyse=False)
        return self._hyphenated(word, analyse=True)

    def _hyphenated(self, word: str, analyse: bool) -> WordTokens:
        """A word that may have hyphens; ``analyse=False``: an abbreviation, kept as is."""
        pieces = [p for p in word.split("-") if p]
        if len(pieces) < 2:
            if not pieces:
                return _EMPTY
            if analyse:
                return self._simple(word)
            return WordTokens(frozenset({_token(word)}), frozenset(), True)
        whole = self._simple(word) if analyse else WordTokens(frozenset(), frozenset(), False)
        piece_tokens = [self.word(p) for p in pieces]
        parts: set[str] = set()
        for t in piece_tokens:
            parts |= t.index_tokens
        lemmas = set(whole.lemmas) if whole.known else set()
        if not lemmas and not all(p.isdigit() for p in pieces):
            # unknown as a whole: the leading pieces as written, the last one's base forms
            head = "".join(pieces[:-1])
            lemmas = {_token(head + last) for last in piece_tokens[-1].lemmas}
            if not lemmas:
                lemmas = {_token(word)}
        parts |= whole.parts
        lemmas.discard("")
        return WordTokens(frozenset(lemmas), frozenset(parts - lemmas - {""}),
                          whole.known or all(t.known for t in piece_tokens))

    def _remember(self, word: str) -> frozenset[str]:
        tokens = self.word(word).index_tokens
        if len(self._index) >= self._cache_size:
            self._index.clear()  # bounded like the LRU cache, at a fraction of its cost
        self._index[word] = tokens
        return tokens

    def _union(self, words: set[str]) -> set[str]:
        """Every index token of ``words`` (each analysed once per process)."""
        index = self._index
        try:
            return set().union(*map(index.__getitem__, words))
        except KeyError:  # some word is new: look each up, analysing the new ones
            get = index.get
            return set().union(*[t if (t := get(w)) is not None else self._remember(w)
                                 for w in words])

    def _chunks(self, texts: Iterable[str | None]) -> set[str]:
        """The distinct chunks of ``texts``, each known to the chunk caches."""
        chunks: set[str] = set()
        for text in texts:
            if text:
                chunks.update(text.split())
        tokens = self._chunk_tokens
        missing = [c for c in chunks if c not in tokens]
        if missing:
            if len(tokens) + len(missing) > self._cache_size:
                tokens.clear()  # bounded like the word caches
                self._chunk_written.clear()
                missing = list(chunks)
            for chunk in missing:
                found = set(_PLAIN_WORD_RE.findall(chunk.replace(SOFT_HYPHEN, "")))
                tokens[chunk] = frozenset(self._union(found)) if found else frozenset()
                self._chunk_written[chunk] = frozenset(w.lower() for w in found)
        return chunks

    def text_tokens(self, texts: Iterable[str | None]) -> set[str]:
        """Every index token of the words of ``texts``; each distinct word analysed once."""
        chunks = self._chunks(texts)
        return set().union(*map(self._chunk_tokens.__getitem__, chunks))

    def lemmas_text(self, texts: Iterable[str | None], extra: Iterable[str | None] = ()) -> str:
        """The ``lemmas`` column: sorted distinct tokens separated by spaces.

        ``texts`` are indexed as written too, so tokens that are words of theirs
        (*kaava* in "kaava ja kaavan") are left out; ``extra`` (names the index has
        nowhere else) contributes all its tokens.
        """
        chunks = self._chunks(texts)
        tokens = set().union(*map(self._chunk_tokens.__getitem__, chunks))
        tokens.difference_update(*map(self._chunk_written.__getitem__, chunks))
        tokens.update(self.text_tokens(extra))
        return " ".join(sorted(tokens))


_warned = False
_default: Lemmatiser | None = None
_default_lock = threading.Lock()


def load_analyser(loader: Callable[[], Analyser] | None = None) -> Analyser:
    """Voikko when it can be loaded, else Snowball stems with one clear warning."""
    global _warned
    try:
        return (loader or VoikkoAnalyser.load)()
    except Exception as exc:  # ImportError, OSError (no libvoikko.so), VoikkoException
        message = (
            f"Voikko is not available ({type(exc).__name__}: {exc}); Finnish search falls "
            "back to Snowball stems, which miss many inflected forms and all compound parts. "
            "Install the Debian packages libvoikko1 and voikko-fi (scripts/setup.sh)."
        )
        if not _warned:
            _warned = True
            warnings.warn(message, RuntimeWarning, stacklevel=2)
        log.warning(message)
        return SnowballAnalyser()


def default_lemmatiser() -> Lemmatiser:
    """The process-wide lemmatiser (Voikko if available), shared so its cache is too."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Lemmatiser(load_analyser())
        return _default


_by_name: dict[str, Lemmatiser] = {}


def lemmatiser_named(name: str) -> Lemmatiser | None:
    """The process-wide lemmatiser with analyser ``name``, or ``None`` when unavailable."""
    default = default_lemmatiser()
    if default.name == name:
        return default
    if name == SnowballAnalyser.name:
        with _default_lock:
            return _by_name.setdefault(name, Lemmatiser(SnowballAnalyser()))
    return None
