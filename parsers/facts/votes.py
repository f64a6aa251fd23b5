"""Motions, votes, dissents and recusals from the prose of the minutes.

The minutes write these in a handful of formulas (``Ahonen ehdotti Virtasen
kannattamana, että …``, ``äänin 8–5``, ``5 JAA-ääntä ja 2 EI-ääntä``, ``9 äänellä 6
ääntä vastaan ja yhden äänestäessä tyhjää``, ``jätti eriävän mielipiteen``,
``poistui esteellisenä``); each formula is one pattern here. A sentence that matches
none gives no fact: a missing vote is better than an invented one.
"""

from __future__ import annotations

import re

from parsers.facts.text import (
    NAME,
    NAME_WORD,
    NUMBER,
    fold,
    folded,
    number,
    person_ref,
    person_words,
    sentences,
    split_names,
)
from parsers.records import Motion, PersonAct, PersonRef, Vote

VERSION = 3  # 2: recusals 'olevansa jäävejä'; 3: '… sai 6 ääntä', 'teki vastaehdotuksen'

_NAMES = rf"{NAME}(?:\s*,\s*{NAME})*(?:\s+(?:ja|sekä)\s+{NAME})?"
_GEN_NAMES = rf"(?P<sec>{_NAMES})(?:\s+ym\.?)?"

# --- motions ----------------------------------------------------------------------------

_MOTION_VERB = (r"(?:ehdotti|ehdottivat|teki|tekivät|esitti|esittivät)")
_SECONDED_RE = re.compile(rf"{_GEN_NAMES}\s+kannattamana\b")
_VERB_RE = re.compile(rf"\b{_MOTION_VERB}\b")
_NAME_RUN_RE = re.compile(rf"(?:{NAME_WORD}\s+)*{NAME_WORD}")
_THAT_RE = re.compile(r",?\s+että\s+(?P<text>.+)$")
_LATER_SECOND_RES = (
    re.compile(rf"\b(?:[Ee]hdotusta|[Ss]itä)\s+kannatti(?:vat)?\s+(?P<who>{_NAMES})"),
    re.compile(rf"(?:^|\s)(?P<who>{_NAMES})\s+kannatti(?:vat)?\b"),
)
_LAPSED_RE = re.compile(r"rauke\w*\s+kannattamatto\w*|kannattamatto\w*\s+rauke\w*")


def _kind(sentence: str) -> str:
    low = sentence.lower()
    if "pöydälle" in low:
        return "tabling"
    if "palaut" in low and "valmistel" in low:
        return "return"
    if "hylät" in low or "hylkäys" in low:
        return "rejection"
    if "lisäys" in low or "lisätään" in low:
        return "addition"
    if "muutosehdotu" in low:
        return "amendment"
    return "counter"


def _split_run(run: str) -> tuple[str | None, str]:
    """A name run before ``kannattamana`` holds the proposer (nominative) and then the
    seconders (genitive) when the verb follows it: ``Elo Hyrkön`` → (``Elo``,
    ``Hyrkön``), ``Petteri Orava Noora Ahosen`` → (``Petteri Orava``, ``Noora Ahosen``).
    Minutes name people alike, so the proposer has as many words as the last seconder."""
    parts = [p.strip() for p in re.split(r"\s*,\s*|\s+ja\s+|\s+sekä\s+", run) if p.strip()]
    words = parts[0].split()
    if len(parts) > 1:
        size = len(parts[-1].split())
        if len(words) <= size:
            return None, run
        return " ".join(words[:-size]), run[run.index(words[-size], len(" ".join(words[:-size]))):]
    if len(words) <= 1:
        return None, run
    if len(words) == 3:
        if words[0].endswith("nen"):
            return words[0], " ".join(words[1:])
        return " ".join(words[:2]), words[2]
    half = len(words) // 2
    return " ".join(words[:len(words) - half]), " ".join(words[len(words) - half:])


#: a run of capitalised names, also listed with commas and ``ja``
_LIST_RUN_RE = re.compile(rf"{NAME_WORD}(?:(?:\s+|\s*,\s*|\s+ja\s+|\s+sekä\s+){NAME_WORD})*")


def _run_before(text: str) -> str | None:
    """The run of names that ends ``text`` (leading roles and sentence words dropped)."""
    text = re.sub(r"\s+(?:ym|yms)\.?\s*$", "", text.rstrip()).rstrip(" ,")
    runs = [m for m in _LIST_RUN_RE.finditer(text) if m.end() == len(text)]
    if not runs:
        return None
    words = runs[-1].group(0).split(" ")
    while words and (person_words(words[0].strip(",")) is None):
        words = words[1:]
    return " ".join(words) or None


#: a count or a side's listing somewhere in the text: without one there is no vote
_ANY_VOTE_RE = re.compile(r"\bäänin\s+\d|\d\s+äänellä|\d+\s+(?:jaa|ei)\b|\d\s+(?:jaa|ei)-|"
                          r"(?:^|\n)\s*\(?(?:jaa|ei|tyhj\w*)\b|\b(?:jaa|ei)\w*\s*[:=]?\s*\d|"
                          r"\bsai\s+\d+\s+ääntä|\(jaa\)|\bjaa\s*=|"
                          r"(?:jaa|ei)[- ]?ää\w*\s+annettiin\s+\d", re.I)
_ACT_HINT_RE = re.compile(r"eriäv|mielipi|esteelli|jäävi|jääve|jääväsi|jäävää|poistui", re.I)

# The hints above as tests over the folded text (:func:`folded`): the same answers, without
# trying every alternative at every position of a long text.
_ACT_WORDS_ANY = ("eriäv", "mielipi", "esteelli", "jäävi", "jääve", "jääväsi", "jäävää",
                  "poistui")
#: ``any(w in low for w in _ACT_WORDS_ANY)`` in one scan
_ACT_WORDS_RE = re.compile("|".join(_ACT_WORDS_ANY))


def _act_words_in(low: str) -> bool:
    """``any(w in low for w in _ACT_WORDS_ANY)``, its four ``jääv…`` words behind one test
    for ``jääv`` (each test is a scan of the whole text)."""
    if "eriäv" in low or "mielipi" in low or "esteelli" in low or "poistui" in low:
        return True
    return "jääv" in low and ("jäävi" in low or "jääve" in low or "jääväsi" in low
                              or "jäävää" in low)
#: _ANY_VOTE_RE's alternatives, each behind a literal its match must hold. Every pattern
#: starts with a literal (a ``\b`` before it is a lookbehind after it): the engine then
#: scans for the literal instead of trying the pattern at every position.
_ANY_VOTE_PARTS = (
    ("äänin", re.compile(r"äänin(?<!\wäänin)\s+\d")),
    ("äänellä", re.compile(r"\d\s+äänellä")),
    ("ääntä", re.compile(r"sai(?<!\wsai)\s+\d+\s+ääntä")),
    ("(jaa)", re.compile(r"\(jaa\)")),
    ("annettiin", re.compile(r"(?:jaa|ei)[- ]?ää\w*\s+annettiin\s+\d")),
    # \bjaa\s*= and \b(?:jaa|ei)\w*\s*[:=]?\s*\d
    ("jaa", re.compile(r"jaa(?<!\wjaa)(?:\s*=|\w*\s*[:=]?\s*\d)")),
    ("ei", re.compile(r"ei(?<!\wei)\w*\s*[:=]?\s*\d")),
)
_LINE_SIDE_RE = re.compile(r"\s*\(?(?:jaa\b|ei\b|tyhj)")
_NEWLINE_SIDE_RE = re.compile(r"\n\s*\(?(?:jaa\b|ei\b|tyhj)")
#: ``\d+\s+(?:jaa|ei)\b`` (which holds ``\d\s+(?:jaa|ei)-``: a hyphen ends a word) read
#: in the reversed text: the side word (reversed, no word character before it) first, so
#: the engine scans for that literal; then the run of whitespace and the digit
_REVERSED_SIDE_RES = (("jaa", re.compile(r"aaj(?<!\waaj)\s+\d")),
                      ("ei", re.compile(r"ie(?<!\wie)\s+\d")))


def _any_vote(text: str) -> bool:
    """``_ANY_VOTE_RE.search(text)``, answered over the folded text."""
    low = folded(text)
    if low is None:
        return bool(_ANY_VOTE_RE.search(text))
    for word, rx in _ANY_VOTE_PARTS:
        if word in low and rx.search(low):
            return True
    if _LINE_SIDE_RE.match(low) or _NEWLINE_SIDE_RE.search(low):
        return True
    return _spaced_side(low)


def _spaced_side(low: str) -> bool:
    r"""A digit, a run of whitespace and a side word (``5 jaa``, ``3\n ei``) in a folded
    text (_ANY_VOTE_RE's ``\d+\s+(?:jaa|ei)\b`` and ``\d\s+(?:jaa|ei)-``), searched in the
    reversed text, where the side word comes first."""
    reversed_low: str | None = None
    for word, rx in _REVERSED_SIDE_RES:
        if word in low:
            if reversed_low is None:
                reversed_low = low[::-1]
            if rx.search(reversed_low):
                return True
    return False


def _has_any(text: str, words: tuple[str, ...], rx: re.Pattern[str]) -> bool:
    """``rx.search(text)`` for an ``re.I`` alternation of the literal ``words``."""
    low = folded(text)
    if low is None:
        return bool(rx.search(text))
    return any(w in low for w in words)


def _motion_verb_in(text: str) -> bool:
    """Can ``text`` hold a match of _VERB_RE (case-sensitive)? Each of its verbs holds
    ``ehdott``, ``teki`` or ``esitti``: three scans of the text as it is, no fold."""
    return "ehdott" in text or "teki" in text or "esitti" in text


def motions(text: str | None) -> list[Motion]:
    """Every motion made in ``text`` (usually the discussion, käsittely)."""
    out: list[Motion] = []
    if not text or not _motion_verb_in(text):
        return out
    sents = sentences(text)
    for index, sentence in enumerate(sents):
        if not _motion_verb_in(sentence):
            continue
        verb = _VERB_RE.search(sentence)
        if verb is None:
            continue
        low = sentence.lower()
        if not ("ehdot" in low or "esitti" in low and "että" in low):
            continue
        if re.search(r"\bpuheenjohtaja\s+\w*\s*(?:teki|esitti)\b.*äänestys", low):
            continue  # the chair's voting order, not a motion
        proposer: PersonRef | None = None
        seconders: list[PersonRef] = []
        sec = _SECONDED_RE.search(sentence)
        head = sentence[:verb.start()]
        if sec and sec.end() <= verb.start():
            run = _run_before(sentence[:sec.end()].removesuffix("kannattamana").rstrip()) \
                or sec["sec"]
            between = sentence[sec.end():verb.start()].strip()
            if between:  # "Ahosen kannattamana Virtanen ehdotti"
                proposer = person_ref(between)
                seconders = split_names(run, genitive=True)
            else:
                first, second = _split_run(run)
                proposer = person_ref(first) if first else None
                seconders = split_names(second, genitive=True)
        elif sec and sec.start() > verb.start():  # "Virtanen ehdotti Ahosen kannattamana"
            seconders = split_names(sec["sec"], genitive=True)
            runs = list(_NAME_RUN_RE.finditer(head))
            if runs and runs[-1].end() >= len(head.rstrip()):
                proposer = person_ref(runs[-1].group(0))
        else:
            runs = list(_NAME_RUN_RE.finditer(head))
            if runs and runs[-1].end() >= len(head.rstrip()):
                proposer = person_ref(runs[-1].group(0))
        if proposer is None and not seconders:
            continue
        if proposer is None and sec is None:
            continue
        rest = " ".join(sents[index + 1:index + 3])
        for rx in _LATER_SECOND_RES if not seconders else ():
            later = rx.search(rest)
            if later and (seconders := split_names(later["who"])):
                break
        that = _THAT_RE.search(sentence[verb.end():])
        lapsed = bool(_LAPSED_RE.search(sentence) or _LAPSED_RE.search(rest.split(".")[0]
                                                                        if rest else ""))
        out.append(Motion(proposer=proposer, seconders=seconders, kind=_kind(sentence),
                          text=that["text"].strip() if that else None, lapsed=lapsed,
                          sentence=sentence))
    if out and "kannattamatto" in text:  # in every match of _LAPSED_RE (case-sensitive)
        _mark_lapsed(out, sents)
    return out


_LAPSED_NAMES_RE = re.compile(rf"(?P<who>{_NAMES})\s+(?:\w+\s+)?(?:muutos|vasta|lisäys|"
                              r"palautus|pöydällepano)?ehdotu\w*")


def _mark_lapsed(found: list[Motion], sents: list[str]) -> None:
    """``totesi Särkijärven ja Bymanin muutosehdotusten raukeavan kannattamattomana``."""
    for sentence in sents:
        if not _LAPSED_RE.search(sentence):
            continue
        names: set[str] = set()
        for m in _LAPSED_NAMES_RE.finditer(sentence):
            for ref in split_names(m["who"], genitive=True):
                names.update([ref.name, *ref.candidates])
        for motion in found:
            if motion.proposer and motion.proposer.name in names:
                motion.lapsed = True


# --- votes ------------------------------------------------------------------------------



def _n(name: str) -> str:
    return f"(?P<{name}>{NUMBER})"


_COUNT_RES = {
    # äänin 8–5 / äänin 8 - 5
    "pair": re.compile(r"\bäänin\s+(?P<yes>\d{1,3})\s*[–—-]\s*(?P<no>\d{1,3})\b", re.I),
    # 9 äänellä 6 ääntä vastaan
    "against": re.compile(rf"\b{_n('yes')}\s+äänellä\s+{_n('no')}\s+"
                          r"(?:ääntä|äänellä|ääni)\s+vastaan", re.I),
    # päätösehdotus sai 6 ääntä ja Leppäsen ehdotus 5 ääntä
    "got": re.compile(r"\bsai\s+(?P<yes>\d{1,3})\s+ääntä\b[^.]*?\bja\s+[^.]*?"
                      r"\b(?P<no>\d{1,3})\s+ääntä\b", re.I),
}
_SIDE_RES = {
    "yes": re.compile(rf"\b{_n('n')}\s+jaa[- ]?ään\w*|\bjaa(?:[- ]?ää\w*)?\s*[:=]?\s*"
                      rf"(?P<n2>\d{{1,3}})\b|\bjaa[- ]?ääni\w*\s+annettiin\s+(?P<n3>\d{{1,3}})",
                      re.I),
    "no": re.compile(rf"\b{_n('n')}\s+ei[- ]?ään\w*|\bei(?:[- ]?ää\w*)?\s*[:=]?\s*"
                     rf"(?P<n2>\d{{1,3}})\b|\bei[- ]?ääni\w*\s+annettiin\s+(?P<n3>\d{{1,3}})",
                     re.I),
    "blank": re.compile(rf"\b{_n('n')}\s+(?:[a-zåäö]+\s+)?(?:tyhj\w*|äänesti\w*\s+tyhjää|"
                        rf"äänestäessä\s+tyhjää|tyhjää\s+ääntä)|\btyhj(?:ä|ää|iä)(?:[- ]?ää\w*)?"
                        rf"\s*[:=]?\s*(?P<n2>\d{{1,3}})\b", re.I),
    "absent": re.compile(rf"\b{_n('n')}\s+(?:[a-zåäö]+\s+)?(?:poissa\w*|oli\w*\s+poissa)|"
                         rf"\bpoissa\s*[:=]?\s*(?P<n2>\d{{1,3}})\b", re.I),
}
_SIDE_WORD_RE = re.compile(r"\b(?P<side>jaa|ei|tyhjä|tyhjää|tyhjiä|poissa)(?:[- ]?ä\w*)?\b", re.I)
_SIDES = {"jaa": "yes", "ei": "no", "tyhjä": "blank", "tyhjää": "blank", "tyhjiä": "blank",
          "poissa": "absent"}
#: what re.I reads as "i" and "s" but str.lower keeps apart (``EI`` written ``Eı``)
_SIDE_KEY_TABLE = str.maketrans({"\u0131": "i", "\u0130": "i", "\u017f": "s"})


def _side_key(word: str) -> str:
    """The _SIDES key of a side word _SIDE_WORD_RE found (``Eı`` → ``ei``, not a
    KeyError)."""
    return word.translate(_SIDE_KEY_TABLE).lower()


_VOTE_HINT_RE = re.compile(r"äänest|äänin|äänellä|ääntä|jaa[- ]?ää|\bjaa\b|ei[- ]?ää", re.I)


def _vote_hint(sentence: str, exact: bool) -> bool:
    """``_VOTE_HINT_RE.search(sentence)``; with ``exact`` (no İ/ı/ſ in it, so its lower
    case is its folded form) tried only when "ää" or "jaa", one of which each
    alternative holds, is there."""
    if exact:
        low = sentence.lower()
        if "ää" not in low and "jaa" not in low:
            return False
    return bool(_VOTE_HINT_RE.search(sentence))
_MEANS_RE = re.compile(r"\b(?P<side>jaa|ei)\b\s*(?:=|-ääni\w*\s+on|tarkoittaa)\s*"
                       r"(?P<what>[^,;.]+)", re.I)
_SUBJ = (r"(?:[A-ZÅÄÖ][\wåäö-]+n\s+)?(?:(?:esittelijän|kaupunginjohtajan|kunnanjohtajan|"
         r"[\wåäö-]*hallituksen|[\wåäö-]*lautakunnan)\s+)?"
         r"(?:vasta|muutos|palautus|pöydällepano|hylkäys|lisäys)?(?:päätös)?(?:ehdotu|esity)\w*"
         r"(?:\s+nro\s+\d+)?")
#: ``… jatkamista kannattavat äänestävät JAA ja palautusehdotusta kannattavat EI``
_BACKERS_RE = re.compile(r"(?:^|,|\bja\b|\bjossa\b)\s*(?P<what>[^,.;]+?)\s+kannattavat\s+"
                         r"(?:äänestävät\s+)?(?P<side>jaa|ei)\b", re.I)
_WIN_RES = (
    (re.compile(rf"(?P<subj>{_SUBJ})\s+(?:tulleen|tuli)\s+(?:\w+\s+)?(?:hyväksytyksi|"
                r"päätökseksi)", re.I), "accepted"),
    (re.compile(rf"(?P<subj>{_SUBJ})\s+(?:voittaneen|hyväksytyn)\b", re.I), "accepted"),
    (re.compile(rf"(?P<subj>{_SUBJ})\s+hyväksyttiin\b", re.I), "accepted"),
    (re.compile(r"hylänneen\s+(?P<subj>[^.]*?(?:ehdotu|esity)\w*(?:\s+nro\s+\d+)?)", re.I),
     "rejected"),
    (re.compile(r"hyväksyneen\s+(?P<subj>[^.]*?(?:ehdotu|esity)\w*(?:\s+nro\s+\d+)?)", re.I),
     "accepted"),
    (re.compile(r"(?P<subj>[\wåäöÅÄÖ:-]+\s+(?:vasta|muutos|palautus|pöydällepano)?ehdotus|"
                r"päätösehdotus|esittelijän\s+ehdotus|esitys)\s+(?:oli\s+)?voitti?\w*", re.I),
     "won"),
    (re.compile(r"(?:hyväksyi|hyväksyivät|hyväksyttiin)\s+(?:siten\s+)?(?:äänestyksen jälkeen\s+)?"
                r"(?P<subj>[^.,]*?(?:päätösehdotuksen|ehdotuksen|esityksen)|"
                r"(?:päätösehdotus|ehdotus|esitys))", re.I), "accepted"),
    (re.compile(r"\b(?P<subj>jaa|ei)[- ]?(?:ehdotus|puoli)?\s+voitti", re.I), "won"),
)
#: for each of _WIN_RES, the words one of which its match must hold (a cheap test first)
_WIN_WORDS = (("hyväksytyksi", "päätökseksi"), ("voittaneen", "hyväksytyn"), ("hyväksyttiin",),
              ("hylänneen",), ("hyväksyneen",), ("voitt",), ("hyväksyi", "hyväksyttiin"),
              ("voitti",))
_PROPOSAL_WORDS_RE = re.compile(r"päätösehdotu|esittelijän|pohjaehdotu|^esity|käsittelyn\s+jatka|"
                                r"kaupunginjohtajan "
                                r"(?:päätös)?ehdotu|\bpohjaesity", re.I)


_COUNT_PREFIX_RE = re.compile(r"^[\s:=,-]*(?:ääntä|ääniä|äänet)?\s*(?:\d{1,3})?\s*(?:ääntä|ääniä)?")
_GAVE_RE = re.compile(r"^\s*(?:äänestivät|antoivat|äänesti|antoi)\s+")
_PAREN_RE = re.compile(r"^\s*[(:]\s*([^)]*)\)?")


def _side_names(segment: str) -> dict[str, list[PersonRef]]:
    """Names listed per side: ``JAA: Aalto, Berg`` / ``JAA 3 (Aalto, Berg, Dahl)`` /
    ``Jaa-ääntä äänestivät Aalto ja Berg``."""
    out: dict[str, list[PersonRef]] = {}
    marks = list(_SIDE_WORD_RE.finditer(segment))
    for k, mark in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(segment)
        chunk = segment[mark.end():end]
        chunk = _COUNT_PREFIX_RE.sub("", chunk)
        chunk = _GAVE_RE.sub("", chunk)
        paren = _PAREN_RE.match(chunk)
        body = paren.group(1) if paren else chunk
        body = re.split(r"\)|\.\s|;|\n", body)[0]
        names = split_names(body) if body.strip() else []
        side = _SIDES[_side_key(mark["side"])]
        if names and len(names) == len([p for p in re.split(r",\s*|\s+ja\s+", body.strip(" .,"))
                                        if p.strip()]):
            out.setdefault(side, []).extend(names)
    return out


#: words (lower case) every match of each count pattern holds, all of them
_COUNT_WORDS = {"pair": ("äänin",), "against": ("äänellä", "vastaan"), "got": ("sai", "ääntä")}
#: the word every match of each side's pattern holds
_SIDE_WORDS = {"yes": "jaa", "no": "ei", "blank": "tyhj", "absent": "poissa"}


def _counts(segment: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    low = fold(segment)  # a pattern is tried only when its words are in the segment
    for kind, rx in _COUNT_RES.items():
        if low is not None and not all(w in low for w in _COUNT_WORDS[kind]):
            continue
        m = rx.search(segment)
        if m:
            counts["yes"], counts["no"] = number(m["yes"]), number(m["no"])
            counts["_form"] = kind  # type: ignore[assignment]
            break
    for side, rx in _SIDE_RES.items():
        if side in counts and side in ("yes", "no"):
            continue
        if low is not None and _SIDE_WORDS[side] not in low:
            continue
        m = rx.search(segment)
        if m:
            value = number(next(g for g in (m.groupdict().get(k) for k in ("n", "n2", "n3"))
                                if g is not None))
            if value is not None:
                counts[side] = value
    return counts


_DIGIT_RE = re.compile(r"\d")
_SIDE_LINE_RE = re.compile(r"^\(?(?:jaa|ei|tyhj|poissa)\w*(?:-ää\w*)?\b", re.I)


def votes(text: str | None) -> list[Vote]:
    """Every vote in ``text``: the counts, the names per side where listed, the winner."""
    out: list[Vote] = []
    if not text or not _any_vote(text):
        return out
    sents = sentences(text)
    used: set[int] = set()
    means: dict[str, str] = {}
    exact = folded(text) is not None  # no İ/ı/ſ in any of its sentences
    for index, sentence in enumerate(sents):
        if "=" in sentence or "tarkoittaa" in sentence or "-ääni" in sentence:
            for m in _MEANS_RE.finditer(sentence):
                means[m["side"].lower()] = m["what"].strip()
        if "kannattavat" in sentence:
            for m in _BACKERS_RE.finditer(sentence):
                means[m["side"].lower()] = m["what"].strip()
        if index in used:
            continue
        side_line = bool(_SIDE_LINE_RE.match(sentence)) and "=" not in sentence
        if not side_line and (not _DIGIT_RE.search(sentence)
                              or not _vote_hint(sentence, exact)):
            continue
        counts = _counts(sentence)
        if not side_line and not ({"yes", "no"} & set(counts)):
            continue
        block = [sentence]
        # the listing may go on over the next lines (``EI: …``, ``TYHJÄÄ: …``)
        j = index + 1
        while j < len(sents) and _SIDE_LINE_RE.match(sents[j]):
            block.append(sents[j])
            used.add(j)
            j += 1
        segment = " ".join(block)
        counts.update({k: v for k, v in _counts(segment).items() if k not in counts})
        form = counts.pop("_form", None)
        names = _side_names(segment) if form is None else {}
        for side, refs in names.items():  # a listing without numbers: count the names
            counts.setdefault(side, len(refs))
        if "yes" not in counts and "no" not in counts:
            continue
        # the next sentence may state the same vote again, or its blanks and absentees
        if j < len(sents) and j not in used:
            following = _counts(sents[j])
            following.pop("_form", None)
            same = all(following.get(k) == counts.get(k) for k in ("yes", "no")
                       if k in following)
            if following and same:
                counts.update({k: v for k, v in following.items() if k not in counts})
                segment = f"{segment} {sents[j]}"
                used.add(j)
                j += 1
        vote = Vote(yes=counts.get("yes"), no=counts.get("no"), blank=counts.get("blank"),
                    absent=counts.get("absent"), sentence=segment, names=names)
        after = " ".join(sents[index:j + 2])
        _winner(vote, segment, after, means, form)
        out.append(vote)
    return out


def _winner(vote: Vote, segment: str, after: str, means: dict[str, str],
            form: str | None) -> None:
    for text in (segment, after):
        low = text.lower()
        if not any(w in low for w in ("ehdotu", "esity", "voitti", "hyväksy")):
            continue
        fold = folded(text)
        for (rx, verb), words in zip(_WIN_RES, _WIN_WORDS, strict=True):
            if fold is not None and not any(w in fold for w in words):
                continue
            m = rx.search(text)
            if not m:
                continue
            subject = m["subj"].strip()
            low = subject.lower()
            if low in ("jaa", "ei"):
                vote.winner = "yes" if low == "jaa" else "no"
                vote.subject = means.get(low)
                return
            is_proposal = bool(_PROPOSAL_WORDS_RE.search(subject))
            vote.subject = subject
            if verb == "rejected":
                vote.winner = "counter" if is_proposal else "proposal"
            else:
                vote.winner = "proposal" if is_proposal else "counter"
            return
    if form is None and vote.yes is not None and vote.no is not None and vote.yes != vote.no:
        side = "jaa" if vote.yes > vote.no else "ei"
        what = means.get(side)
        if what:
            vote.subject = what
            vote.winner = "proposal" if _PROPOSAL_WORDS_RE.search(what) else "counter"
        else:
            vote.winner = "yes" if side == "jaa" else "no"


# --- dissents and recusals -------------------------------------------------------------

_ACT_RES = (
    ("dissent", re.compile(rf"(?P<who>{_NAMES})\s+(?:jätti|jättivät|ilmoitti|ilmoittivat)\s+"
                           r"(?:\w+\s+){0,2}?(?:perustellun\s+)?eriävän\s+mielipiteen")),
    ("dissent", re.compile(rf"[Ee]riävän\s+mielipiteen\s+(?:\w+\s+)?(?:jätti|jättivät|"
                           rf"ilmoittivat|ilmoitti)\s+(?P<who>{_NAMES})")),
    ("dissent", re.compile(rf"^[Ee]riävä(?:t)?\s+mielipitee?(?:t|n)?\s*:\s*(?P<who>{_NAMES})")),
    ("recusal", re.compile(rf"(?P<who>{_NAMES})\s+(?:ilmoitti|ilmoittivat)\s+(?:olevansa|"
                           r"olevansa\s+asiassa)\s+(?:esteellinen|esteellisiä|jäävi|jäävejä)")),
    ("recusal", re.compile(rf"(?P<who>{_NAMES})\s+(?:\(|oli\s+|olivat\s+|todettiin\s+)"
                           r"(?:esteellinen|esteellisiä|esteellisenä|jäävi)")),
    ("recusal", re.compile(rf"(?P<who>{_NAMES})\s+(?:poistui|poistuivat|ei\s+osallistunut|"
                           r"eivät\s+osallistuneet|jääväsi|jäävää)\b[^.]*?"
                           r"(?:esteellisenä|esteellisinä|itsensä|jäävinä|jäävinä)")),
    ("recusal", re.compile(rf"[Ee]steellis(?:enä|inä)\s+(?:kokouksesta\s+)?(?:poistui|poistuivat)"
                           rf"\s+(?P<who>{_NAMES})")),
    ("left", re.compile(rf"(?P<who>{_NAMES})\s+(?:poistui|poistuivat)\s+kokouksesta\b")),
)


#: words a sentence must hold for each kind's patterns to be tried
_ACT_WORDS = {"dissent": ("eriäv",), "recusal": ("esteelli", "jäävi", "jääve", "jäävä"),
              "left": ("poistui",)}
_AFTER_ITEM_RE = re.compile(r"käsittelyn\s+jälkeen|ennen\s+\w*\s*(?:asian|tämän)", re.I)


def acts(text: str | None) -> list[PersonAct]:
    """Dissents, recusals (esteellinen, jäävi) and departures (poistui kokouksesta)."""
    out: list[PersonAct] = []
    if not text:
        return out
    fold = folded(text)
    if not (_act_words_in(fold) if fold is not None else _ACT_HINT_RE.search(text)):
        return out  # = _has_any(text, _ACT_WORDS_ANY, _ACT_HINT_RE)
    # without İ/ı/ſ in the text, a sentence's lower case is its folded form (see _has_any)
    exact = fold is not None
    for sentence in sentences(text):
        low = sentence.lower()
        if not (_ACT_WORDS_RE.search(low) if exact else _ACT_HINT_RE.search(sentence)):
            continue
        taken: set[tuple[str, str]] = set()
        recused = False
        for kind, rx in _ACT_RES:
            if not any(w in low for w in _ACT_WORDS[kind]):
                continue
            if kind == "left" and (recused or _AFTER_ITEM_RE.search(sentence)):
                continue  # left after this item was handled: took part in it
            for m in rx.finditer(sentence):
                for person in split_names(m["who"]):
                    key = (kind if kind != "left" else "recusal", person.name)
                    if key in taken:
                        continue
                    taken.add(key)
                    out.append(PersonAct(kind=kind, person=person, sentence=sentence))
                    recused = recused or kind == "recusal"
    return out
