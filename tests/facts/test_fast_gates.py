"""The extractors' cheap gates (and the sentence splitter's scan) answer exactly as the
patterns they stand for.

Each gate (a literal test over the folded text, a ``str.find`` scan, a word-run lookup)
replaces a case-insensitive regex over a whole text; a gate that answers "no" where the
pattern says "yes" would silently drop a vote, an amount or an outcome. Checked on the
phrasings that matter (``EI: Aalto`` lines, ``Ei 3``, ``5 jaa``, ``300 e / v``) and on many
generated strings mixing the pattern's words, cases, digits, spaces, line breaks and the
characters whose lower case ``re.I`` reads differently (``İ``, ``ı``, ``ſ``).
"""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest

from parsers.facts import diff, money, outcome, votes
from parsers.facts import text as sentences_module
from parsers.facts.text import fold, folded, number


def for_each(cases: list):
    """One test over many generated cases: one test id per gate (not thousands), and a
    failure names the case that broke it."""

    def wrap(check):
        def test() -> None:
            for case in cases:
                try:
                    check(case)
                except AssertionError as exc:
                    raise AssertionError(f"case {case!r}: {exc}") from exc

        test.__name__, test.__doc__ = check.__name__, check.__doc__
        return test

    return wrap

TOKENS = [
    "jaa", "JAA", "Jaa", "ei", "EI", "Ei", "eikä", "keijaa", "tyhjä", "TYHJÄÄ", "äänin",
    "Äänin", "äänellä", "ÄÄNELLÄ", "ääntä", "sai", "SAI", "annettiin", "-", "ää", "ääni", "(",
    ")", ":", "=", "5", "12", "0", " ", "  ", "\n", " \n ", "\t", "x", "_", "İ", "ı", "ſ",
    "eriäv", "MIELIPI", "jäävä", "jääväsi", "JÄÄVÄÄ", "poistui", "ehdotti", "EHDOTTIVAT",
    "kannattama", "ehdotuksen:", "ehdotukset", ".", "€", "euro", "EUR", "eur", "e", "/",
    "5e/", "e /", "\u00a0", "hyväksyi", "Hyväksyy", "PÄÄTTI", "toteaa", "tiedoksi", "TIEDOKSI",
    "merkitsi", "kännedom", "för", "antecknades", "!", "?", "v.", "Å", "ü", '"', "”", "–", "\r",
    "\u2028", ". ", ".\n", "Z", "päätösehdotuksen", "Esitys", "hyväksyttiin", "mukaisesti",
    "hyväksynyt", "förslaget", "godkändes", "päätti", "ehdotuksen", "jäävät", "jäävi", "JÄÄVEJÄ",
    "jääväsi", "jäävää", "esteellinen", "(päättää)", "Toteaa,",
]

CASES = [
    "Äänestyksen tulos:\nJAA: Ahonen, Laine\nEI: Aalto",
    "Äänestyksen tulos.\n(EI) Aalto",
    "EI: Aalto",
    "Kaupunginhallitus päätti äänin 8–5.",
    "Annettiin 5 jaa-ääntä ja 2 ei-ääntä.",
    "Ei 3, jaa 4",
    "Päätösehdotus sai 6 ääntä ja Leppäsen ehdotus 5 ääntä.",
    "Äänestysjärjestys: JAA = päätösehdotus, EI = vastaehdotus (jaa).",
    "Ei-ääniä annettiin 3.",
    "Asiassa ei äänestetty.",
    "Avustus 300 e / v ja 1,2 milj. euroa sekä € 1 000.",
    "Lautakunta merkitsi asian tiedoksi.",
    "Kaupunginhallitus hyväksyi päätösehdotuksen.",
    "ıei 5",
    "eı 5",
    "Kokous alkoi klo 18. Läsnä olivat jäsenet.\n\nPäätös: hyväksyttiin. \"Lainaus\" ja (sulkeet).",
    "1,2 milj. euroa v. 2018. – Ajatusviiva.  \t\n  Uusi rivi!Ei väliä? 5 kpl.",
]


def generated(count: int = 2000) -> list[str]:
    rng = random.Random(20261205)
    out = []
    for _ in range(count):
        text = "".join(rng.choice(TOKENS) + rng.choice(["", "", " ", "\n", "-"])
                       for _ in range(rng.randint(0, 14)))
        if rng.random() < 0.1:
            text = "y" * rng.randint(580, 605) + " " + text  # around _written_out's 600
        out.append(text)
    return out


@for_each(CASES + generated())
def test_gates_answer_as_the_patterns(text: str):
    folded.cache_clear()
    assert votes._any_vote(text) == bool(votes._ANY_VOTE_RE.search(text))
    assert votes._has_any(text, votes._ACT_WORDS_ANY, votes._ACT_HINT_RE) == bool(
        votes._ACT_HINT_RE.search(text))
    assert money._hints(text) == [m.span() for m in money._HINT_RE.finditer(text)]
    assert outcome._written_out(text) == outcome._written_out(text, fold(text)) == (
        len(text) > 20 and bool(outcome._DECISION_VERB_RE.search(text, 0, 600)))
    assert sentences_module.fold_lowered(text, text.lower()) == fold(text)
    assert votes._act_words_in(text.lower()) == any(
        w in text.lower() for w in votes._ACT_WORDS_ANY)
    assert outcome._noted(text) == bool(outcome._NOTED_RE.search(text))
    low = folded(text)
    for rx, word in zip(outcome._AS_PROPOSED_RES, outcome._AS_PROPOSED_WORDS, strict=True):
        assert low is None or word in low or not rx.search(text)
    assert list(sentences_module._iter_sentences(text)) == _sentences_by_pattern(text)


def _sentences_by_pattern(text: str) -> list[str]:
    """The sentences as first read: the pieces of ``_SPLIT_RE.split(text)`` joined after an
    abbreviation's full stop, every line break (a captured separator) ending one."""
    out: list[str] = []
    carry = ""
    for piece in sentences_module._SPLIT_RE.split(text):
        if piece is None:
            continue
        if "\n" in piece or not piece.strip():
            if carry.strip():
                out.append(carry.strip())
            carry = ""
            continue
        carry = f"{carry} {piece}" if carry else piece
        if sentences_module._is_abbreviation(carry):
            continue
        out.append(carry.strip())
        carry = ""
    if carry.strip():
        out.append(carry.strip())
    return out


def test_an_accepted_return_motion_is_returned():
    """``Palautusehdotus hyväksyttiin`` (no "valmistel" in it) is a return for preparation:
    the words gate of the returned pattern once lacked that alternative's word."""
    found = outcome.classify("Kaupunginhallitus hyväksyy kaavan.",
                             "Palautusehdotus hyväksyttiin äänin 6–5.")
    assert found is not None and found.kind == "returned"


def test_a_recusal_of_several_jaaveja_is_read():
    """``ilmoittivat olevansa jäävejä``: the gates once lacked that plural's stem."""
    found = votes.acts("Aalto ja Berg ilmoittivat olevansa jäävejä.")
    assert [(a.kind, a.person.name) for a in found] == [("recusal", "Aalto"), ("recusal", "Berg")]


@pytest.mark.parametrize(("text", "cents", "per"), [
    ("Avustus on 300 e/v.", 30000, "year"),
    ("Avustus on 300 e / vuosi.", 30000, "year"),
    ("Maksu 1,2 milj. e / v.", 120000000, "year"),
    ("Avustus on 300e/vuosi.", 30000, "year"),
])
def test_an_e_unit_after_a_space_is_read(text: str, cents: int, per: str):
    """``300 e/v``: AMOUNT_RE reads the ``e`` unit after spaces and a scale word, and its
    hint once asked for a digit right before the ``e``, so the sentence was never read."""
    assert [(a.cents, a.per) for a in money.amounts_in(text, "proposal")] == [(cents, per)]


def test_a_vote_counted_as_votes_each_proposal_got_is_read():
    """``Päätösehdotus sai 6 ääntä ja Leppäsen ehdotus 5 ääntä``: a count pattern reads it,
    but the sentence's vote hint once lacked ``ääntä``, so the sentence was skipped."""
    found = votes.votes("Päätösehdotus sai 6 ääntä ja Leppäsen ehdotus 5 ääntä.")
    assert [(v.yes, v.no) for v in found] == [(6, 5)]


@pytest.mark.parametrize(("text", "proposer", "seconders"), [
    ("Aalto teki vastaehdotuksen, että asia palautetaan. Berg kannatti ehdotusta.", "Aalto",
     ["Berg"]),
    ("Aalto esitti, että asia palautetaan. Ehdotusta kannatti Berg.", "Aalto", ["Berg"]),
    ("Aalto teki Ehdotuksen, että asia palautetaan.", "Aalto", []),
])
def test_a_motion_without_ehdotti_or_kannattamana_is_read(text: str, proposer: str,
                                                          seconders: list[str]):
    """``Aalto teki vastaehdotuksen, että …``: the first motion reader read every sentence
    with a motion verb; a later text gate asked for ``ehdotti`` or ``kannattama`` and lost
    these. The gate is now what a motion's verb needs."""
    found = votes.motions(text)
    assert [(m.proposer.name if m.proposer else None, [s.name for s in m.seconders])
            for m in found] == [(proposer, seconders)]


def test_a_vote_listed_as_side_lines_is_still_found():
    """The gate must not drop a vote written only as ``JAA: …`` / ``EI: …`` lines."""
    found = votes.votes("Äänestyksen tulos:\nJAA: Ahonen, Laine, Korhonen\nEI: Aalto")
    assert [(v.yes, v.no) for v in found] == [(3, 1)]


AMOUNT_TOKENS = [
    "1", "12", "300", "1 000", "14 128 748,83", "12.923", "1,2", "2024", "5–7", " - ", "€",
    " €", "€ ", "EUR", "EURO", "E", "e", "euro", "euroa", "euron", "eurolla", "e/", "e /",
    "/vuosi", "milj.", "miljoonaa", "t", "M", "k", "mrd", " ", "\u00a0", "\u202f", ".", ",",
    "x", "٣", "²", "İ", "ı", "ſ", "\n",
]

ORG_PARTS = [
    "ry", "r.y.", "r.y", "rXyZ", "rf", "Oy", "Oyj", "Ab", "Abp", "Ky", "Ay", "Tmi", "sr", "RY",
    "säätiö", "Säätiö", "säätiölle", "osuuskunta", "Osuuskunta", "osuuskunnalle", "yhtymä",
    "kuntayhtymälle", "yhdistys", "yhdistykselle", "yhdistyksen", ":lle", ":n", ":", ".", ",",
    ";", "-", "Kulttuuri", "asukas", "Matti", "a", "İ", "ı", "ſ", "K",
]


def generated_from(tokens: list[str], count: int, size: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(tokens) for _ in range(rng.randint(0, size)))
            for _ in range(count)]


SPLIT_TOKENS = [
    "v.", "V.", "A.", "milj.", "mm.", "Foo.", "abc", "x", "K", "Ö", "8", "(", "–", '"', "”",
    ".", "!", "?", " ", "  ", "\t", "\n", "\r\n", " \n ", "\n\n", "\u2028", "\xa0", "\x0c",
    "\r", "İ", "ı", "ſ",
]


def _is_abbreviation_as_written(piece: str) -> bool:
    if not piece.endswith("."):
        return False
    last = piece[piece.rfind(" ") + 1:-1].lstrip("(\"”'")
    return last.lower() in sentences_module._ABBREVIATIONS or (
        len(last) == 1 and last.isalpha())


@for_each(generated_from(["milj", "MILJ", "v", "esim", "prof", "profs", "pitkäsana", "ab",
                          "(", "((", '"', "”", "'", " ", ".", "x", "İ", "5"], 5000, 6, 83))
def test_abbreviations_are_read_as_written(piece: str):
    """_is_abbreviation's shortcut for a long last word gives the answer it stands for."""
    assert sentences_module._is_abbreviation(piece) == _is_abbreviation_as_written(piece)
    assert sentences_module._is_abbreviation(piece + ".") == \
        _is_abbreviation_as_written(piece + ".")


@for_each(CASES + generated_from(SPLIT_TOKENS, 5000, 30, 47))
def test_sentences_are_split_as_the_pattern_splits_them(text: str):
    """Line by line, with a pattern that starts with a literal ``.``: the same sentences
    as _SPLIT_RE over the whole text (leading tabs, runs of other whitespace, ``!``/``?``,
    abbreviations at a line's end)."""
    assert list(sentences_module._iter_sentences(text)) == _sentences_by_pattern(text)
    assert sentences_module.first_sentences(text, 2, 25) == \
        _sentences_by_pattern(text[:25])[:2]


@for_each(CASES + generated_from(AMOUNT_TOKENS, 3000, 12, 13))
def test_amounts_are_matched_only_where_one_can_start(text: str):
    """Trying AMOUNT_RE only at a digit, ``€`` or ``E`` finds every match finditer finds."""
    assert [(m.span(), m.groupdict()) for m in money._amount_matches(text)] == [
        (m.span(), m.groupdict()) for m in money.AMOUNT_RE.finditer(text)]


@for_each(ORG_PARTS + generated_from(ORG_PARTS, 3000, 4, 17))
def test_organisation_token_gate_answers_as_the_patterns(token: str):
    """A token without any organisation word is no organisation's name (the gate), and a
    token with one is read by the patterns exactly as before."""
    assert money._org_base(token) == money._org_base_read(token.rstrip(".,;:"))


@for_each(CASES + generated_from(
    ORG_PARTS + [" ", ", ", "(", ")", '"', "”", ";", "\n", "Asunto", "Pajala", "5 000 €"],
    3000, 14, 53))
def test_recipients_read_every_token_that_can_name_one(sentence: str):
    """recipients() reads only the tokens _org_tokens finds: every other token is no
    organisation's name and no prefix form (the loop would skip it)."""
    tokens = list(money._TOKEN_RE.finditer(sentence))
    found = money._org_tokens(sentence, tokens)
    assert found == sorted(set(found))
    for i, tok in enumerate(tokens):
        if i not in found:
            assert money._org_base(tok.group(0)) is None
            assert tok.group(0) not in money._PREFIX_FORMS


SENTENCE_TOKENS = [
    "milj", "Milj", "MILJ", "v", "V", "esim", "dnro", "noin", "prof", "profs", "A", "ä", "_",
    "x", "sana", "pitkäsana", "2018", "5", "٣", ".", ". ", ".\n", "! ", "? ", " ", "  ", "\n",
    "\t", "(", '"', "”", "'", "–", "-", "Å", "Ü", "İ", "ı", "ſ", "K", "ǅ",
]
#: the sentence end pattern _NEXT_END_RE rewrites (a character class first, so the engine
#: skips ahead to a candidate instead of trying both alternatives at every position)
_NEXT_END_ALTERNATION = re.compile(r"[.!?](?=\s+[\"”'(\-–A-ZÅÄÖÜ0-9])|\n")


@for_each(CASES + generated_from(SENTENCE_TOKENS, 2000, 16, 19))
def test_sentence_ends_are_read_as_the_patterns_read_them(text: str):
    for dot in (i for i, c in enumerate(text) if c == "."):
        last = sentences_module._LAST_WORD_RE.search(text, max(0, dot - 40), dot + 1)
        want = last is not None and (
            last.group(1).lower() in sentences_module._ABBREVIATIONS
            or (len(last.group(1)) == 1 and last.group(1).isalpha()))
        assert sentences_module._abbreviation_at(text, dot) == want
    for pos in range(len(text)):
        for limit in {len(text), min(len(text), pos + 5)}:
            new = sentences_module._NEXT_END_RE.search(text, pos, limit)
            old = _NEXT_END_ALTERNATION.search(text, pos, limit)
            assert (new and (new.span(), new.group(0))) == (old and (old.span(), old.group(0)))


OUTCOME_TOKENS = [
    "poistettiin", "Poisti", "poistaa", "esityslistalta", "LISTALTA", "käsittelystä", "ströks",
    "från", "föredragningslistan", "listan", "avfördes", "jätettiin", "JÄTTI", "pantiin", "pani",
    "pöydälle", "Pöydällepano", "hyväksyttiin", "bordlades", "lämnades", "på", "bordet",
    "palautettiin", "palautti", "uudelleen", "valmisteltavaksi", "Valmistelija",
    "palautusehdotus", "återremitterades", "remitterades", "tillbaka", "merkitsi", "merkitään",
    "tiedoksi", "saatettiin", "antecknades", "antecknar", "för", "kännedom", "ehdotuksen",
    "esityksen", "esitys", "förslag", "hyväksyi", "Ahosen", "vastaehdotuksen", "Kaupungin",
    ".", ",", " ", "  ", "\n", "İ", "ı", "ſ", "K", "x",
]


@for_each(CASES + generated_from(
    [t + " " for t in OUTCOME_TOKENS] + OUTCOME_TOKENS, 3000, 12, 23))
def test_outcome_gates_answer_as_the_patterns(text: str):
    """Each outcome pattern is tried only when the words of one of its alternatives are
    all in the folded decision: a match without them would be dropped."""
    fold = folded(text)
    low = text.lower()
    for _kind, rx, words, holds, starts in outcome._ENDED_BY:
        assert fold is None or holds(fold) or not rx.search(text)
        assert any(w in low for w in words) or not rx.search(text)
        assert fold is None or not holds(fold) or any(w in fold for w in words)
        anywhere = rx.search(text)
        late = rx.search(text, outcome._first_start(fold, starts))
        assert (late and late.span()) == (anywhere and anywhere.span())
    anywhere = outcome._NOTED_RE.search(text)
    late = outcome._NOTED_RE.search(text, outcome._first_start(fold, outcome._NOTED_STARTS))
    assert (late and late.span()) == (anywhere and anywhere.span())
    assert fold is None or outcome._noted_words(fold) or not outcome._NOTED_RE.search(text)
    assert outcome._noted(text) == bool(outcome._NOTED_RE.search(text))
    assert outcome._refers(text) == bool(outcome._REFERS_RE.search(text))
    if "hyväksyi" in text:  # every match of the case-sensitive pattern starts at one
        from_first = outcome._COUNTER_WON_RE.search(text, text.find("hyväksyi"))
        anywhere = outcome._COUNTER_WON_RE.search(text)
        assert (from_first and from_first.span()) == (anywhere and anywhere.span())


COUNTER_TOKENS = [
    "hyväksyi", "hyväksyivät", "xhyväksyi", "5hyväksyi", "_hyväksyi", "-hyväksyi", "(hyväksyi",
    "yksimielisesti", "äänestyksen jälkeen", "Ahosen", "Laineen", "Kaupunginhallituksen",
    "Kunnan", "vastaehdotuksen", "muutosehdotuksen", "ehdotuksen", "ehdotuksenx", " ", "  ",
    "\n", ".",
]


@for_each(generated_from([t + " " for t in COUNTER_TOKENS] + COUNTER_TOKENS, 4000, 8, 79))
def test_counter_won_pattern_reads_as_written(text: str):
    """_COUNTER_WON_RE with its literal first (``hyväksyi(?<!\\whyväksyi)``) finds what
    ``\\bhyväksyi…`` finds."""
    as_written = re.compile(outcome._COUNTER_WON_RE.pattern.replace(
        r"hyväksyi(?<!\whyväksyi)", r"\bhyväksyi", 1))
    assert [m.span() for m in outcome._COUNTER_WON_RE.finditer(text)] == \
        [m.span() for m in as_written.finditer(text)]


@for_each([(a, b) for a, b in zip(
    generated_from(["a", "b", "a.", " ", "\n", "Lautakunta:\n", "X"], 1500, 6, 29),
    generated_from(["a", "b", "a.", " ", "\n", "Lautakunta:\n", "X"], 1500, 6, 31),
    strict=True)])
def test_same_text_compares_all_words(pair: tuple[str, str]):
    a, b = pair
    want = (diff.words(diff.strip_label(a).rstrip("."))
            == diff.words(diff.strip_label(b).rstrip(".")))
    assert diff.same_text(a, b) == want
    assert diff.same_text(a, a.replace(" ", " \n ")) == (
        diff.words(diff.strip_label(a).rstrip("."))
        == diff.words(diff.strip_label(a.replace(" ", " \n ")).rstrip(".")))


def _first_change_splitting_both(proposal: str, decision: str) -> str:
    """outcome._first_change as first written: both texts split whole."""
    said = {s.strip().rstrip(".") for s in sentences_module.sentences(
        diff.strip_label(proposal))}
    for sentence in sentences_module.sentences(diff.strip_label(decision)):
        if sentence.strip().rstrip(".") not in said:
            return sentence
    return (sentences_module.first_sentences(decision, 1) or [decision])[0]


CHANGE_TOKENS = ["Aa bb.", "Cc dd.", "Ee milj.", "5 ff.", "v.", " ", "  ", "\t", "\n", ". ",
                 "Lautakunta:\n", "x", "Gg", ".", "İ"]


@for_each([(a, b) for a, b in zip(
    generated_from(CHANGE_TOKENS, 3000, 10, 59), generated_from(CHANGE_TOKENS, 3000, 10, 61),
    strict=True)] + [("Aa bb.  Cc dd.", "Aa bb. Cc dd. Ee."), ("Ee milj.\tCc.", "Ee milj. Cc.")])
def test_first_change_reads_as_splitting_both_texts(pair: tuple[str, str]):
    """The first new sentence of the decision, found without splitting the proposal when
    the sentence is not in its text (and tabs or space runs make it split after all)."""
    proposal, decision = pair
    if proposal and decision:
        assert outcome._first_change(proposal, decision) == \
            _first_change_splitting_both(proposal, decision)
    # a decision that repeats the proposal's sentences and adds one
    both = f"{proposal} Uusi lause."
    if proposal.strip():
        assert outcome._first_change(proposal, both) == \
            _first_change_splitting_both(proposal, both)


def _word_pairs(count: int, seed: int) -> list[tuple[list[str], list[str]]]:
    """Word lists from a small vocabulary (many repeats, ties between equal blocks), some
    pairs sharing a long run, some empty."""
    rng = random.Random(seed)
    vocabulary = ["a", "b", "c", "d", "e", "ja", "on", "5", "euroa", "."]
    out = []
    for _ in range(count):
        a = [rng.choice(vocabulary[:rng.randint(1, 10)]) for _ in range(rng.randint(0, 40))]
        b = [rng.choice(vocabulary[:rng.randint(1, 10)]) for _ in range(rng.randint(0, 40))]
        if rng.random() < 0.3:
            b = b[:5] + a + b[5:]
        out.append((a, b))
    return out


@for_each(_word_pairs(1500, 71))
def test_matching_blocks_are_difflibs(pair: tuple[list[str], list[str]]):
    """diff.matching_blocks finds difflib's blocks (and word_diff its opcodes)."""
    import difflib as difflib_module

    a, b = pair
    matcher = difflib_module.SequenceMatcher(None, a, b, autojunk=False)
    assert diff.matching_blocks(a, b) == [tuple(m) for m in matcher.get_matching_blocks()]
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            ops.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("insert", " ".join(b[j1:j2])))
    assert [(op.op, op.text) for op in diff.word_diff(" ".join(a), " ".join(b))] == ops


MONEY_TOKENS = [
    "vuosina", "VUOSILLE", "vuonna", "Vuoden", "v.", "V.", "kaudelle", "KAUDELLA", "vuosien",
    "2025", "2025–2027", "1999", "20", "19", "1 000", "300", "euroa", "€", "/vuosi", "/ v",
    "vuositasolla", "Vuosittain", "vuodessa", "KUUKAUSITTAIN", "kuukaudessa", "per", "noin",
    "ry", "Oy", "säätiö", "Osuuskun", " ", "  ", "-", "–", ".", "İ", "ı", "ſ", "K", "x",
]


def _years_by_pattern(sentence: str) -> str | None:
    found = money._YEARS_RE.findall(sentence)
    return (f"{found[0][0]}–{found[0][1]}" if found[0][1] else found[0][0]) if found else None


def _period_by_pattern(sentence: str, end: int, start: int) -> str | None:
    m = money._PER_RE.match(sentence[end:])
    if m:
        return money._PER.get((m["slash"] or m["word"]).lower())
    before = money._PER_BEFORE_RE.search(sentence[max(0, start - 60):start])
    return money._PER_BEFORE[before["word"].lower()] if before else None


@for_each(CASES + generated_from(
    [t + " " for t in MONEY_TOKENS] + MONEY_TOKENS, 3000, 14, 37))
def test_money_gates_answer_as_the_patterns(text: str):
    """Years, periods and the organisation hint are read by their patterns only when
    the words those need are there: the same answers as the patterns alone."""
    assert money._years(text) == _years_by_pattern(text)
    for at in range(0, len(text) + 1, 3):
        assert money._period(text, at, at) == _period_by_pattern(text, at, at)
    assert bool(money._ORG_HINT_WORDS_RE.search(text)) == any(
        w in text for w in money._ORG_HINT_WORDS)


VOTE_TOKENS = [
    "äänin", "ÄÄNIN", "8–5", "8 - 5", "äänellä", "vastaan", "ääntä", "ääni", "sai", "SAI", "ja",
    "jaa", "JAA", "jaa-ääntä", "ei", "EI", "ei-ääniä", "annettiin", "tyhjää", "TYHJÄ", "tyhjiä",
    "poissa", "POISSA", "oli", "äänesti", "äänestäessä", "yhden", "kaksi", "5", "12", ":", "=",
    "eriävän", "MIELIPITEEN", "esteellisenä", "jäävi", "poistui", "äänestys", "Ahonen", ".",
    " ", "\n", "İ", "ı", "ſ", "K", "x",
]


@for_each(CASES + generated_from(
    [t + " " for t in VOTE_TOKENS] + VOTE_TOKENS, 3000, 12, 41))
def test_vote_gates_answer_as_the_patterns(text: str):
    """Each count pattern is tried only when its words are there; the same counts."""
    counts: dict[str, object] = {}
    for kind, rx in votes._COUNT_RES.items():
        m = rx.search(text)
        if m:
            counts["yes"], counts["no"] = number(m["yes"]), number(m["no"])
            counts["_form"] = kind
            break
    for side, rx in votes._SIDE_RES.items():
        if side in counts and side in ("yes", "no"):
            continue
        m = rx.search(text)
        if m:
            value = number(next(g for g in (m.groupdict().get(k) for k in ("n", "n2", "n3"))
                                if g is not None))
            if value is not None:
                counts[side] = value
    assert votes._counts(text) == counts
    hint = bool(votes._VOTE_HINT_RE.search(text))
    if "_form" in counts:  # a count the sentence's vote hint must let through
        assert hint
    assert votes._vote_hint(text, exact=False) == hint
    if fold(text) is not None:
        assert votes._vote_hint(text, exact=True) == hint
        assert any(w in text.lower() for w in votes._ACT_WORDS_ANY) == bool(
            votes._ACT_HINT_RE.search(text)) == bool(votes._ACT_WORDS_RE.search(text.lower()))


ACT_TOKENS = [
    "Aalto", "Berg", "Liisa Laine", "ja", "ilmoitti", "ilmoittivat", "olevansa", "asiassa",
    "esteellinen", "esteellisiä", "esteellisenä", "Esteellisenä", "jäävi", "jäävejä", "JÄÄVEJÄ",
    "jäävinä", "jääväsi", "itsensä", "oli", "olivat", "todettiin", "(", "poistui", "poistuivat",
    "kokouksesta", "ei osallistunut", "jätti", "jättivät", "eriävän", "Eriävän", "Eriävä",
    "mielipiteen", "mielipide", ":", "perustellun", ".", "İ", "ı",
]


@for_each(generated_from([t + " " for t in ACT_TOKENS], 4000, 9, 73) + [
    "Aalto ja Berg ilmoittivat olevansa jäävejä."])
def test_every_act_pattern_passes_its_gates(sentence: str):
    """A dissent or recusal the patterns read is never dropped by a gate before them: the
    text's hint, the sentence's hint, the kind's words. (By design a ``poistui … itsensä``
    with no recusal word in the sentence is not read as a recusal: ambiguous.)"""
    folded.cache_clear()
    low = sentence.lower()
    for kind, rx in votes._ACT_RES:
        m = rx.search(sentence)
        if m:
            assert votes._has_any(sentence, votes._ACT_WORDS_ANY, votes._ACT_HINT_RE)
            assert votes._ACT_HINT_RE.search(sentence)
            assert fold(sentence) is None or votes._ACT_WORDS_RE.search(low)
            assert m.group(0).lower().endswith("itsensä") or any(
                w in low for w in votes._ACT_WORDS[kind])


@pytest.mark.parametrize("digits", ["0", "7", "0070", "300", "86400", "9" * 25])
def test_plain_digits_are_read_as_decimal_reads_them(digits: str):
    assert money.parse_amount(digits, None) == int(Decimal(digits) * 100)


def _cents_by_decimal(num: str, scale: str | None) -> int | None:
    """parse_amount as first written: every number through Decimal."""
    digits = money._SP_RE.sub("", num)
    if money._DOTTED_RE.fullmatch(digits):
        digits = digits.replace(".", "")
    value = Decimal(digits.replace(",", "."))
    if scale:
        key = scale.rstrip(".").lower()
        factor = next((f for k, f in money._SCALES.items() if key == k or
                       (len(k) > 2 and key.startswith(k))), None)
        if factor is None:
            return None
        value *= factor
    cents = value * 100
    return int(cents) if cents == cents.to_integral_value() else None


@for_each(CASES + generated_from(AMOUNT_TOKENS, 3000, 12, 67))
def test_amounts_are_read_as_decimal_reads_them(text: str):
    """The fast paths of parse_amount (plain digits, digits in groups of three with any
    of the four spaces) give the cents Decimal gives."""
    for m in money.AMOUNT_RE.finditer(text):
        for num, scale in ((m["num"], m["scale"]), (m["num2"], m["scale"]),
                           (m["num3"], None)):
            if num:
                assert money.parse_amount(num, scale) == _cents_by_decimal(num, scale)


@pytest.mark.parametrize("side", ["Eı", "EI", "eİ", "JAA", "POIſſA", "poıssa", "TYHJÄÄ"])
def test_a_side_word_re_i_reads_is_a_side_not_an_error(side: str):
    """``_SIDE_WORD_RE`` (re.I) reads ``Eı`` as EI; the listing is counted, never a
    KeyError that would lose the whole item."""
    found = votes.votes(f"Äänestyksen tulos:\nJAA: Ahonen, Laine\n{side}: Aalto")
    assert [(v.yes, v.no) for v in found] and found[0].yes is not None


def _sentence_start_reading_every_mark(text: str, start: int) -> int:
    """_sentence_start as first written: each mark looked up over the whole window."""
    low = max(0, start - 600)
    pos = start
    while pos > low:
        cut = max(text.rfind("\n", low, pos), text.rfind(". ", low, pos),
                  text.rfind("! ", low, pos), text.rfind("? ", low, pos))
        if cut < 0:
            return low
        if text[cut] == "\n":
            return cut + 1
        after = text[cut + 1:cut + 3].lstrip()
        if text[cut] != "." or (not sentences_module._abbreviation_at(text, cut) and after[:1]
                                and (after[:1].isupper() or after[:1].isdigit()
                                     or after[:1] in "\"”'(-–")):
            return cut + 2
        pos = cut
    return low


@for_each(CASES + generated_from(SENTENCE_TOKENS, 1000, 40, 43))
def test_sentence_start_reads_as_before(text: str):
    for start in range(len(text) + 1):
        assert sentences_module._sentence_start(text, start) == \
            _sentence_start_reading_every_mark(text, start)


@pytest.mark.parametrize("text", [
    "Tulos 5 ei", "tulos 5  ei", "3 \n jaa", "12\t\tei.", "5  eikä", "x  ei 5", "5ei", "5 jaa-",
    "5   jaa", "ääni 5\n\nei", "a 5 \u00a0ei", "5 \u2028ei", "٣  ei", "5  ǅei", "5  jaakko",
])
def test_a_count_before_a_side_word_after_any_spaces(text: str):
    """``5 jaa`` after one space or a longer run of spaces: the vote hint as the pattern."""
    folded.cache_clear()
    assert votes._any_vote(text) == bool(votes._ANY_VOTE_RE.search(text))
    assert votes._spaced_side(text.lower()) == bool(
        re.search(r"\d+\s+(?:jaa|ei)\b|\d\s+(?:jaa|ei)-", text.lower()))


@for_each(CASES + generated_from(
    [t + " " for t in ["Aalto", "teki", "tekivät", "ehdotti", "esitti", "että", "Ehdotuksen",
                       "vastaehdotuksen", "EHDOTUKSEN", "kannatti", "Berg", ".", "\n"]],
    3000, 10, 89))
def test_the_motion_gate_lets_every_verb_through(text: str):
    """No sentence with a motion verb is in a text the gate turns away."""
    if votes._VERB_RE.search(text):
        assert votes._motion_verb_in(text)
