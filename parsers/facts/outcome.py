"""How a handling ended: as proposed, amended, after a vote, tabled, returned for
preparation, removed from the agenda, noted for information — or ``unknown``.

Read from fixed formulas of the decision (``hyväksyi päätösehdotuksen``,
``Päätösehdotus hyväksyttiin``, ``jätettiin pöydälle``, ``palautettiin uudelleen
valmisteltavaksi``, ``merkitsi tiedoksi``) and, when the decision is written out in
full, from comparing it with the proposal. A wording that is none of these gives
``unknown``: never a wrong class.
"""

from __future__ import annotations

import re

from parsers.facts.diff import same_text, strip_label
from parsers.facts.text import (
    first_sentences,
    fold_lowered,
    folded,
    folded_head,
    iter_sentences,
    sentence_at,
    sentences,
)
from parsers.records import Outcome, Vote

VERSION = 2  # 2: "Palautusehdotus hyväksyttiin" is returned

_TABLED_RE = re.compile(r"\b(?:jätettiin|jätti|jättää|jättivät|pantiin|pani)\b[^.]{0,60}?"
                        r"\bpöydälle\b|\bpöydällepano\w*\s+hyväksyttiin|\bbordlades\b|"
                        r"\blämnades\s+på\s+bordet", re.I)
_RETURNED_RE = re.compile(r"\bpalaut(?:ettiin|ti|taa|tivat)\b[^.]{0,80}?\b(?:uudelleen\s+)?"
                          r"valmisteltava\w*|\bpalautusehdotus\s+hyväksyttiin|"
                          r"\båterremitterades\b|\bremitterades\s+tillbaka", re.I)
_REMOVED_RE = re.compile(r"\b(?:poistettiin|poisti|poistaa)\b[^.]{0,60}?\b(?:esityslistalta|"
                         r"listalta|käsittelystä)|\bströks\s+från\s+(?:föredragnings)?listan|"
                         r"\bavfördes\s+från", re.I)
_NOTED_RE = re.compile(r"\b(?:merkitsi|merkitsivät|merkittiin|merkitään|merkitsee)\b[^.]{0,120}?"
                       r"\btiedoksi\b|\bsaatettiin\s+tiedoksi|\bantecknades\s+för\s+kännedom|"
                       r"\banteckna(?:de|r)\b[^.]{0,80}?\bför\s+kännedom", re.I)
#: whose proposal: the presenter's or a body's (``kaupunginjohtajan``, ``lautakunnan``),
#: never a member's (``Laineen ehdotuksen`` is a counter-proposal)
_OWNER = r"(?:(?:vs\.|[a-zåäö-]+n)\s+){0,4}"
_PROPOSAL_ACC = (r"(?:päätösehdotuksen|päätösesityksen|pohjaehdotuksen|ehdotuksen|esityksen|"
                 r"esittelijän\s+ehdotuksen)")
_PROPOSAL_NOM = r"(?:päätösehdotus|ehdotus|esitys|pohjaehdotus|päätösesitys)"
#: the proposal accepted as it stands
_AS_PROPOSED_RES = (
    re.compile(rf"\bhyväksyi(?:vät)?\s+(?:yksimielisesti\s+|osaltaan\s+|äänestyksen\s+jälkeen\s+"
               rf"|pöydälle\s+jätetyn\s+)*{_OWNER}{_PROPOSAL_ACC}(?!\s+\w*ehdotu)", re.I),
    re.compile(rf"\b(?:on|oli|olleen|ovat)?\s*(?:hyväksynyt|hyväksyneen|hyväksyneet)\s+"
               rf"(?:yksimielisesti\s+)?{_OWNER}{_PROPOSAL_ACC}", re.I),
    re.compile(rf"(?:^|[.,]\s+|\s+ja\s+|:\s*){_OWNER}{_PROPOSAL_NOM}\s+hyväksyttiin\b", re.I),
    re.compile(rf"^{_OWNER}{_PROPOSAL_NOM}\s+hyväksyttiin\b", re.I),
    re.compile(rf"^hyväksyttiin(?:\s+yksimielisesti)?(?:\s+{_OWNER}{_PROPOSAL_NOM})?\s*\.?\s*$",
               re.I),
    re.compile(r"\b(?:päätti|päättivät)\s+(?:yksimielisesti\s+)?(?:päätösehdotuksen|ehdotuksen|"
               r"esityksen)\s+mukaisesti\b", re.I),
    re.compile(r"\bförslaget\s+godkändes\b|\bgodkände\s+(?:\w+\s+)?förslaget\b", re.I),
)
#: for each of _AS_PROPOSED_RES, a word every match of it holds
_AS_PROPOSED_WORDS = ("hyväksyi", "hyväksyn", "hyväksyttiin", "hyväksyttiin", "hyväksyttiin",
                      "mukaisesti", "förslaget")
#: a member's proposal accepted: the decision departs from the presenter's
#: (``\bhyväksyi…`` written ``hyväksyi(?<!\whyväksyi)…``: the same matches, and a pattern
#: that starts with a literal is searched for that literal, not tried at every position)
_COUNTER_WON_RE = re.compile(
    r"hyväksyi(?<!\whyväksyi)(?:vät)?\s+(?:yksimielisesti\s+|äänestyksen\s+jälkeen\s+)*"
    r"(?!(?:Kaupungin|Kunnan)\w*\s)[A-ZÅÄÖ][\wåäö-]+n\s+(?:vasta|muutos|lisäys)?ehdotuksen\b")
_CHANGED_RE = re.compile(r"\bmuutetun\b|\bkorjatun\b|\btäydennetyn\b|\bmuutettuna\b|\bmuutoksin\b|"
                         r"\bmuutoksella\b|\bmuutoksilla\b|"
                         r"\blisäyksellä\b|\blisäyksin\b|\blisäyksillä\b|\btäydennettynä\b|"
                         r"\bsiten\s+muutettuna\b|\bpoiketen\b|\bmed\s+ändring|"
                         r"\bseuraavin\s+muutoksin|\bkorjattuna\b", re.I)
_AFTER_VOTE_RE = re.compile(r"\bäänestyksen\s+jälkeen\b|\bäänestyksen\s+tuloksena\b|"
                            r"\bäänin\s+\d|\bäänestyksessä\b|\bäänellä\b|\bjaa-ään", re.I)
#: a decision that is only a label or a placeholder
_EMPTY_RE = re.compile(r"^\s*(?:[-–]|\.|ei\s+päätöstä)?\s*$", re.I)


def _find(rx: re.Pattern[str], text: str | None, start: int = 0) -> str | None:
    """The sentence of ``text`` where ``rx`` first matches (at ``start`` or later)."""
    m = rx.search(text, start) if text else None
    return sentence_at(text, m.start(), m.end()) if m else None  # type: ignore[arg-type]


#: kind, pattern, the words (lower case) one of which the decision must hold for the
#: pattern to be tried, a test over the folded decision that every match passes (the
#: words each of the pattern's alternatives needs together: ``palaut`` and
#: ``valmisteltava``, not just the ``valmistel`` of every "Valmistelija"), and the words one
#: of which every match starts with (the search starts at the first of them)
_ENDED_BY = (
    ("removed", _REMOVED_RE, ("listalta", "käsittelystä", "ströks", "avfördes"),
     lambda f: ("poist" in f and ("listalta" in f or "käsittelystä" in f))
     or ("ströks" in f and "listan" in f) or "avfördes" in f,
     ("poist", "ströks", "avfördes")),
    ("tabled", _TABLED_RE, ("pöydälle", "bordlades", "bordet"),
     lambda f: ("pöydälle" in f and ("jät" in f or "pan" in f or "pöydällepano" in f))
     or "bordlades" in f or ("lämnades" in f and "bordet" in f),
     ("jät", "pan", "pöydällepano", "bordlades", "lämnades")),
    ("returned", _RETURNED_RE, ("valmistel", "remitter", "palautusehdotus"),
     lambda f: ("palaut" in f and ("valmisteltava" in f or "palautusehdotus" in f))
     or "remitterades" in f,
     ("palaut", "återremitterades", "remitterades")),
)
#: the words one of which every match of _NOTED_RE starts with
_NOTED_STARTS = ("merki", "saatettiin", "anteckna")


def _noted_words(fold: str) -> bool:
    """Every match of _NOTED_RE holds these words together (in the folded text)."""
    return (("tiedoksi" in fold and ("merki" in fold or "saatettiin" in fold))
            or ("kännedom" in fold and "anteckna" in fold))


def _first_start(fold: str | None, words: tuple[str, ...]) -> int:
    """Where the first of ``words`` is in the folded text (0 without one): no match of a
    pattern whose every match starts with one of them starts before it (the folded text
    keeps the original's indices)."""
    if fold is None:
        return 0
    found = [at for at in map(fold.find, words) if at >= 0]
    return min(found) if found else 0


def classify(proposal: str | None, decision: str | None, discussion: str | None = None,
             votes: list[Vote] | None = None) -> Outcome | None:
    """The outcome of one handling; ``None`` when nothing was decided yet (no decision
    text: an agenda)."""
    if decision is None or _EMPTY_RE.match(decision):
        return None
    voted = bool(votes)
    counter_won = any(v.winner == "counter" for v in votes or [])
    fold = folded(decision)  # read already by the vote extractor: cached
    low = decision.lower() if fold is None else fold
    for kind, rx, words, holds, starts in _ENDED_BY:
        # each holds() implies one of its words: over the fold, holds() alone decides
        if not (holds(fold) if fold is not None else any(w in low for w in words)):
            continue  # no alternative of the pattern has all its words: it cannot match
        sentence = _find(rx, decision, _first_start(fold, starts))
        if sentence and not _proposes(proposal, rx):
            return Outcome(kind, sentence, "decision", voted)
    stripped = strip_label(decision)
    head_sentences = first_sentences(stripped)
    head = " ".join(head_sentences)
    # every match of _COUNTER_WON_RE (case-sensitive) starts at a "hyväksyi"
    counter = (_find(_COUNTER_WON_RE, decision, decision.find("hyväksyi"))
               if "ehdotuksen" in low and "hyväksyi" in decision else None)
    if counter:
        return Outcome("amended", counter, "decision", voted)
    head_low = head.lower()
    accepting = any(w in head_low for w in ("hyväksy", "mukaisesti", "godkän", "förslaget"))
    head_fold = fold_lowered(head, head_low) if accepting else None
    for rx, word in zip(_AS_PROPOSED_RES if accepting else (), _AS_PROPOSED_WORDS, strict=False):
        if head_fold is not None and word not in head_fold:
            continue  # the pattern's own word is missing: it cannot match
        m = rx.search(head)
        if not m:
            continue
        sentence = _find(rx, decision) or head
        if _CHANGED_RE.search(sentence) or counter_won:
            return Outcome("amended", sentence, "decision", voted)
        if _noted(proposal) and not voted:
            return Outcome("noted", sentence, "decision", voted)
        if voted or _AFTER_VOTE_RE.search(sentence):
            return Outcome("after_vote", sentence, "decision", True)
        return Outcome("as_proposed", sentence, "decision", voted)
    noted = (_find(_NOTED_RE, decision, _first_start(fold, _NOTED_STARTS))
             if ("tiedoksi" in low or "kännedom" in low)
             and (fold is None or _noted_words(fold)) else None)
    if noted and (proposal is None or _noted(proposal) or same_text(proposal, decision)):
        return Outcome("noted", noted, "decision", voted)
    if proposal and _similar_length(proposal, decision) and (
            same_text(proposal, decision)
            or (abs(len(proposal) - len(decision)) <= 20
                and same_text(_past(proposal), _past(decision)))):
        first = head_sentences[0]  # = first_sentences(strip_label(decision), 1)[0]
        if counter_won:
            return Outcome("amended", first, "decision", voted)
        if voted:
            return Outcome("after_vote", first, "decision", voted)
        return Outcome("as_proposed", first, "decision", voted)
    if proposal and not _refers(decision) and _written_out(decision, fold) \
            and _written_out(proposal):
        return Outcome("amended", _first_change(proposal, decision), "decision", voted)
    first = (head_sentences[:1] if stripped == decision else first_sentences(decision, 1))
    return Outcome("unknown", (first or [None])[0], "decision", voted)


#: a decision that speaks of a proposal in words we did not read is not a new text
_REFERS_RE = re.compile(r"ehdotu|esityks|esitys|förslag", re.I)
_REFERS_WORDS = ("ehdotu", "esityks", "esitys", "förslag")


def _refers(text: str) -> bool:
    """``_REFERS_RE.search(text)``: its words as substrings of the folded text."""
    low = folded(text)
    if low is None:
        return bool(_REFERS_RE.search(text))
    return any(w in low for w in _REFERS_WORDS)


def _similar_length(a: str, b: str) -> bool:
    """Could these be the same text (lengths within a quarter, plus a label's worth)?"""
    return abs(len(a) - len(b)) <= max(len(a), len(b)) // 4 + 40


def _proposes(proposal: str | None, rx: re.Pattern[str]) -> bool:
    """The proposal itself was to table / return / remove (then that is as proposed)."""
    return bool(proposal and rx.search(proposal))


_DECISION_VERB_RE = re.compile(
    r"\b(?:päättää|päätti|päättivät|hyväksyy|hyväksyi|myöntää|myönsi|ehdottaa|ehdotti|esittää|"
    r"esitti|valitsee|valitsi|antaa|antoi|oikeuttaa|oikeutti|kehottaa|kehotti|merkitsee|"
    r"toteaa|totesi|vahvistaa|vahvisti|nimeää|nimesi|beslutar|beslöt|godkänner|hyväksytään|"
    r"päätetään|myönnetään|valitaan|esitetään|kumoaa|kumosi)\b", re.I)


_DECISION_VERBS = frozenset(_DECISION_VERB_RE.pattern[5:-3].split("|"))
_WORD_RUN_RE = re.compile(r"\w+")


def _written_out(text: str, fold: str | None = None) -> bool:
    """A decision written out in full (it decides something itself), not a reference to
    the proposal such as ``Kaupunginhallitus hyväksyi päätösehdotuksen``; ``fold`` is
    :func:`folded` of ``text`` when the caller has it.

    ``\\b(?:verb|…)\\b`` matches exactly where a whole run of word characters is one of
    the verbs: the folded text's word runs are looked up in a set instead. A verb that is
    a whole whitespace-separated token is such a run (letters only, with whitespace or
    an end around it), so the tokens (split in C) are looked up first."""
    if len(text) <= 20:
        return False
    # only the first 600 characters are read (the fold keeps indices: its head is the
    # head's fold)
    low = fold[:600] if fold is not None else folded_head(text, 600)
    if low is None:
        return bool(_DECISION_VERB_RE.search(text, 0, 600))
    if not _DECISION_VERBS.isdisjoint(low.split()):
        return True
    return not _DECISION_VERBS.isdisjoint(_WORD_RUN_RE.findall(low))


def _noted(text: str | None) -> bool:
    """``_NOTED_RE.search(text)``, tried only when the words one of its alternatives
    needs are all in the text."""
    if not text:
        return False
    low = folded(text)
    if low is not None and not _noted_words(low):
        return False
    return bool(_NOTED_RE.search(text))


def _first_change(proposal: str, decision: str) -> str:
    """The first sentence of the decision that the proposal does not contain.

    The decision's sentences are read only as far as that one, and the proposal is split
    only when the sentence is in its text: each sentence of a text is a part of it unless
    a tab or a run of spaces was joined to one space (after ``milj.``), so without those
    a sentence that is not a substring of the proposal is none of its sentences."""
    said_in = strip_label(proposal)
    verbatim = "\t" not in said_in and "  " not in said_in
    said: set[str] | None = None
    for sentence in iter_sentences(strip_label(decision)):
        key = sentence.strip().rstrip(".")
        if verbatim and key not in said_in:
            return sentence
        if said is None:
            said = {s.strip().rstrip(".") for s in sentences(said_in)}
        if key not in said:
            return sentence
    return (first_sentences(decision, 1) or [decision])[0]


#: a proposal's present tense and a decision's past tense of the same verb
_PAST = {"hyväksyy": "hyväksyi", "päättää": "päätti", "myöntää": "myönsi",
         "merkitsee": "merkitsi", "esittää": "esitti", "valitsee": "valitsi",
         "antaa": "antoi", "oikeuttaa": "oikeutti", "kehottaa": "kehotti",
         "vahvistaa": "vahvisti", "nimeää": "nimesi", "ehdottaa": "ehdotti",
         "toteaa": "totesi", "kumoaa": "kumosi", "hylkää": "hylkäsi", "myy": "myi",
         "ostaa": "osti", "vuokraa": "vuokrasi", "lähettää": "lähetti"}
_VERB_RE = re.compile(r"\b(" + "|".join(_PAST) + r")\b")


def _past(text: str) -> str:
    """``Lautakunta hyväksyy toimintakertomuksen.`` → ``… hyväksyi …`` (to compare a
    decision that repeats the proposal in the past tense)."""
    return _VERB_RE.sub(lambda m: _PAST[m.group(1)], text)
