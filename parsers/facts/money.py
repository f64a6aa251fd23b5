"""Euro amounts in the texts of a handling, as exact numbers.

``12.923 euron`` (a dot between thousands), ``14 128 748,83 euroa`` (spaces, decimal
comma), ``300.000 €/vuosi``, ``1,2 milj. euroa``, ``24,8 miljoonaa euroa``, ``2,5 M€``,
``150 tuhatta euroa``, ``€ 1 000``. Values are integer cents, never floats, so an amount
is exact. The period (``/vuosi``, ``vuodessa``, ``vuosina 2025–2027``) and the recipient
(an association, company or foundation named in the same sentence: ``… ry``, ``… Oy``,
``… säätiö``) are read where the sentence states them; a person is never a recipient.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal, InvalidOperation

from parsers.facts.text import sentence_span
from parsers.records import Amount

VERSION = 2  # 2: the unit e after a space (300 e/v) is read

_SP = "[ \u00a0\u202f\u2009]"
#: ``14 128 748,83`` / ``12.923`` / ``1,2`` / ``86400``
_NUM = rf"(?<![\d.,])(?:\d{{1,3}}(?:{_SP}\d{{3}})+|\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:,\d+)?(?![\d])"
_SCALE = (r"(?:miljoonaa|miljoonan|miljoona|miljoonalla|miljoonaan|milj\.?|mrd\.?|miljardia|"
          r"miljardin|miljardi|tuhatta|tuhannen|t|M|k)")
_UNIT = r"(?:€|EUR\b|euro(?:a|n|lla|lle|sta|ksi|on|t|ja|ina|ista|illa)?\b|e\b(?=\s*/))"
AMOUNT_RE = re.compile(
    rf"(?P<num>{_NUM})(?:{_SP}*[–—-]{_SP}*(?P<num2>{_NUM}))?{_SP}*"
    rf"(?:(?P<scale>{_SCALE}){_SP}*)?(?P<unit>{_UNIT})"
    rf"|(?P<unit_first>€|EUR){_SP}*(?P<num3>{_NUM})(?![\d{_SP[1:-1]}]*{_UNIT})")
_SCALES = {"milj": 10**6, "miljoona": 10**6, "mrd": 10**9, "miljardi": 10**9,
           "tuhat": 10**3, "tuhan": 10**3, "t": 10**3, "m": 10**6, "k": 10**3}

_PER_RE = re.compile(
    rf"^{_SP}*(?:/{_SP}*(?P<slash>vuosi|vuodessa|v|a|kk|kuukausi|kuukaudessa|vko|viikko|pv|"
    r"päivä|hlö|henkilö|asukas|as|tunti|h)\b|(?P<word>vuodessa|vuosittain|vuosittaisena|kuukaudessa|"
    r"kuukausittain|viikossa|päivässä|per vuosi|per kuukausi|henkeä kohden|"
    r"henkilöä kohden|asukasta kohden))", re.I)
#: _PER_RE without its ``^``, matched at a position (not on a copy of the rest): its
#: start reads no character before it
_PER_AT_RE = re.compile(_PER_RE.pattern[1:], re.I)
_PER = {"vuosi": "year", "vuodessa": "year", "v": "year", "a": "year", "vuosittain": "year",
        "vuosittaisena": "year", "per vuosi": "year", "kk": "month", "kuukausi": "month",
        "kuukaudessa": "month", "kuukausittain": "month", "per kuukausi": "month",
        "vko": "week", "viikko": "week",
        "tunti": "hour", "h": "hour", "tunnissa": "hour", "viikossa": "week", "pv": "day",
        "päivä": "day",
        "päivässä": "day", "hlö": "person", "henkilö": "person", "henkeä kohden": "person",
        "henkilöä kohden": "person", "asukas": "person", "as": "person",
        "asukasta kohden": "person"}

_YEARS_RE = re.compile(
    r"\b(?:vuosi(?:na|lle|en|lta|ksi)|vuosien|v\.|vuode(?:lle|n|lta|ksi)|vuonna|kaudelle|"
    r"kaudella)\s+((?:19|20)\d{2})(?:\s*[–—-]\s*((?:19|20)\d{2}))?\b", re.I)

#: how a recipient's name ends: ``ry``, ``Oy``, ``säätiö``, … and their inflected forms
_ORG_END_RE = re.compile(
    r"^(?P<base>ry|r\.y\.|rf|Oy|Oyj|Ab|Abp|Ky|Ay|Tmi|sr|"
    r"[\wåäö-]*(?:säätiö|osuuskunta|kuntayhtymä|yhdistys|yhtymä))"
    r"(?P<ending>:\w+|\.)?$")
_INFLECTED = re.compile(r"^(?P<stem>[\wåäö-]*?(?:säätiö|osuuskunta|kuntayhtymä|yhtymä))"
                        r"(?:n|lle|ltä|stä|lla|ssa|a|ä|ksi|on)$")
_YHDISTYS = re.compile(r"^(?P<stem>[\wåäö-]*yhdist)(?:ykselle|yksen|ykseltä|yksestä|ykseen)$")
_CAP_RE = re.compile(r"^[A-ZÅÄÖ0-9][\wåäöÅÄÖ&'.-]*$")
_TOKEN_RE = re.compile(r"[^\s,;()\"”]+")


_SP_RE = re.compile(_SP)
#: str.translate table deleting the characters of _SP
_NO_SPACES = str.maketrans(dict.fromkeys(" \u00a0\u202f\u2009"))
_DOTTED_RE = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")


def parse_amount(num: str, scale: str | None) -> int | None:
    """Cents of a printed number and scale word: ``("1,2", "milj.")`` → 120000000."""
    if scale is None and num.isascii() and num.isdigit():
        return int(num) * 100  # plain digits: what Decimal would read, without it
    digits = num.translate(_NO_SPACES)  # = _SP_RE.sub("", num)
    if scale is None and digits.isascii() and digits.isdigit():
        return int(digits) * 100  # "14 128 748": the same
    if _DOTTED_RE.fullmatch(digits):
        digits = digits.replace(".", "")
    digits = digits.replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    if scale:
        key = scale.rstrip(".").lower()
        factor = next((f for k, f in _SCALES.items() if key == k or
                       (len(k) > 2 and key.startswith(k))), None)
        if factor is None:
            return None
        value *= factor
    cents = value * 100
    if cents != cents.to_integral_value():
        return None
    return int(cents)


#: a substring of every token :func:`_org_base_read` answers for: one of its bases
#: (``r.y`` for ``r.y.``, whose final dot the token may have lost) or their stems
_ORG_TOKEN_RE = re.compile(r"ry|r\.y|rf|Oy|Ab|Ky|Ay|Tmi|sr|säätiö|osuuskunta|yhtymä|yhdist")


def _org_base(token: str) -> str | None:
    """``ry:lle`` → ``ry``, ``Kulttuurisäätiölle`` → ``Kulttuurisäätiö``; None if the
    token does not end an organisation's name.

    Most words of a sentence name no organisation: a one-scan substring test answers
    them before the four patterns of :func:`_org_base_read` are tried."""
    token = token.rstrip(".,;:")
    if not _ORG_TOKEN_RE.search(token):
        return None
    return _org_base_read(token)


def _org_base_read(token: str) -> str | None:
    """:func:`_org_base` of a token without its final ``.,;:``, by its patterns."""
    m = _ORG_END_RE.match(token) or _ORG_END_RE.match(token + ".")
    if m and (m["base"] in ("ry", "r.y.", "rf", "sr") or m["base"][:1].isupper()
              or re.search(r"(säätiö|osuuskunta|kuntayhtymä|yhdistys|yhtymä)$", m["base"])):
        return m["base"]
    for base in (token.split(":")[0],):
        if base in ("ry", "Oy", "Oyj", "Ab", "Abp", "Ky", "Ay", "Tmi", "sr", "rf"):
            return base
    m = _INFLECTED.match(token)
    if m:
        return m["stem"]
    m = _YHDISTYS.match(token)
    if m:
        return m["stem"] + "ys"
    return None


_SUFFIXES = ("ry", "r.y.", "rf", "sr")
_COMPANY = ("Oy", "Oyj", "Ab", "Abp", "Ky", "Ay", "Tmi")
_GENERIC = ("säätiö", "yhdistys", "osuuskunta", "kuntayhtymä", "yhtymä")
#: case endings of a name's last word (``Asunto Oy Rantakoivulle`` → ``Rantakoivu``)
_CASE_END_RE = re.compile(r"(?:lle|lta|ltä|sta|stä|lla|llä|ssa|ssä|ksi|n)$")
#: an inflected stem whose nominative may have a stronger consonant (gradation)
_GRADES_RE = re.compile(r"(?:[^kpt][kpt]|ll|nn|mm|rr|ng|[aeiouyäö]d)[aeiouyäö]$")
#: a name that a company or cooperative form word starts (``Osuuskunta Kyläverkko``)
_PREFIX_FORMS = ("Oy", "Ab", "Osuuskunta")


_ORG_HINT_RE = re.compile(r"\b(?:ry|r\.y\.|rf|Oy|Oyj|Ab|Abp|Ky|Ay|Tmi|sr)\b|säätiö|Säätiö|"
                          r"osuuskun|Osuuskun|yhtymä|yhdisty")


#: one of these is in every match of _ORG_HINT_RE (a substring test is far cheaper)
_ORG_HINT_WORDS = ("ry", "r.y.", "rf", "Oy", "Ab", "Ky", "Ay", "Tmi", "sr", "säätiö", "Säätiö",
                   "osuuskun", "Osuuskun", "yhtymä", "yhdisty")


#: ``any(w in sentence for w in _ORG_HINT_WORDS)`` in one scan
_ORG_HINT_WORDS_RE = re.compile("|".join(map(re.escape, _ORG_HINT_WORDS)))


def recipients(sentence: str) -> list[tuple[int, int, str]]:
    """Every organisation named in ``sentence``: (start, end, base-form name)."""
    if not _ORG_HINT_WORDS_RE.search(sentence) or not _ORG_HINT_RE.search(sentence):
        return []
    tokens = list(_TOKEN_RE.finditer(sentence))
    out: list[tuple[int, int, str]] = []
    for i in _org_tokens(sentence, tokens):
        tok = tokens[i]
        text = tok.group(0)
        following = tokens[i + 1].group(0) if text in _PREFIX_FORMS and i + 1 < len(tokens) \
            else ""
        if following and _CAP_RE.match(following) and \
                _org_base(following) is None and not following[:1].isdigit():
            # ``Kiinteistö Oy Pajalan``, ``Osuuskunta Kyläverkolle``: the name follows
            words = _name_before(tokens, i) if text != "Osuuskunta" else []
            bare = following.rstrip(".,;:")
            last = _CASE_END_RE.sub("", bare)
            if last != bare and _GRADES_RE.search(last):
                continue  # "Kyläverkolle": Kyläverko or Kyläverkko? unsure: no recipient
            start = tokens[i - len(words)].start() if words else tok.start()
            out.append((start, tokens[i + 1].end(), " ".join([*words, text, last])))
            continue
        base = _org_base(text)
        if base is None:
            continue
        compound = base not in (*_SUFFIXES, *_COMPANY) and base.lower().endswith(_GENERIC)
        if base[:1].islower() and base not in _SUFFIXES and not compound:
            continue
        words = _name_before(tokens, i, allow_lower=not compound)
        if compound and base.lower() in _GENERIC and not words:
            continue  # "Säätiölle" alone names no one
        if not words and not compound:
            continue
        start = tokens[i - len(words)].start() if words else tok.start()
        out.append((start, tok.end(), " ".join([*words, base])))
    # ``asukasyhdistys ry``: the inner ``…yhdistys`` is part of the longer name after it
    return [(start, end, name) for k, (start, end, name) in enumerate(out)
            if not any(other.startswith(name + " ") for _, _, other in out[k + 1:k + 2])]


#: a substring of every token the loop of :func:`recipients` reads: one of _ORG_TOKEN_RE's
#: (every token :func:`_org_base` answers for) or the prefix forms (``Oy``, ``Ab`` are
#: among those; ``Osuuskunta`` is not: its capital)
_ORG_CANDIDATE_RE = re.compile(_ORG_TOKEN_RE.pattern + "|Osuuskunta")


def _org_tokens(sentence: str, tokens: list[re.Match[str]]) -> list[int]:
    """The indices of the tokens that hold a substring of _ORG_CANDIDATE_RE, in order: no
    other token names an organisation or starts a name (``Oy Pajala``).

    One scan of the sentence instead of a pattern per token. No literal of the pattern
    holds a token separator (whitespace, ``,;()"”``), so each match lies in one token; a
    token holding a literal holds a match (one that overlaps it starts in the same
    token); none ends in the ``.,;:`` that :func:`_org_base` strips."""
    starts = [tok.start() for tok in tokens]
    found: list[int] = []
    for m in _ORG_CANDIDATE_RE.finditer(sentence):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.end() <= tokens[i].end() and (not found or found[-1] != i):
            found.append(i)
    return found


def _name_before(tokens: list[re.Match[str]], i: int, allow_lower: bool = True) -> list[str]:
    """The words of a name before token ``i``: capitalised words, and one lower-case word
    right before it when a capitalised one precedes that (``X-n asukasyhdistys ry``)."""
    words: list[str] = []
    j = i - 1
    while j >= 0 and len(words) < 6:
        word = tokens[j].group(0)
        if _CAP_RE.match(word) and not word.endswith((".", ":")):
            words.insert(0, word)
        elif (allow_lower and j == i - 1 and j > 0 and _CAP_RE.match(tokens[j - 1].group(0))
              and re.fullmatch(r"[a-zåäö-]+", word)):
            words.insert(0, word)
        elif word in ("ja", "&") and words and j > 0 and _CAP_RE.match(tokens[j - 1].group(0)):
            words.insert(0, word)
        else:
            break
        j -= 1
    while words and (words[0] in ("ja", "&") or words[0].lower() in _STARTERS):
        words.pop(0)
    return words


#: capitalised words that start a sentence and are not part of a name
_STARTERS = frozenset(
    "kaupunginhallitus kunnanhallitus lautakunta valtuusto kaupunginvaltuusto "
    "kunnanvaltuusto jaosto johtokunta hallitus kaupunki kunta päätetään myönnetään "
    "esitetään hyväksytään avustusta avustus yhteensä lisäksi tuolloin urakoitsijaksi "
    "tarjouksen sopimus".split())


_PER_BEFORE_RE = re.compile(r"\b(?P<word>vuositasolla|vuosittain|vuodessa|kuukausittain|"
                            r"kuukaudessa)\s+(?:[a-zåäö]+\s+){0,2}$", re.I)
_PER_BEFORE = {"vuositasolla": "year", "vuosittain": "year", "vuodessa": "year",
               "kuukausittain": "month", "kuukaudessa": "month"}


def _period(sentence: str, end: int, start: int = 0) -> str | None:
    m = _PER_AT_RE.match(sentence, end)  # = _PER_RE.match(sentence[end:])
    if not m:
        window = sentence[max(0, start - 60):start]
        low = window.lower()
        if "vuo" not in low and "kuuka" not in low:
            return None  # each word of _PER_BEFORE_RE starts so (no İ/ı/ſ in them)
        before = _PER_BEFORE_RE.search(window)
        return _PER_BEFORE[before["word"].lower()] if before else None
    key = (m["slash"] or m["word"]).lower()
    return _PER.get(key)


def _years(sentence: str) -> str | None:
    # a year is 19xx or 20xx after a word starting "vuo", "v." or "kau" (none has İ, ı or
    # ſ, so a plain lower case finds them as re.I does): tested before the pattern
    if "19" not in sentence and "20" not in sentence:
        return None
    low = sentence.lower()
    if "vuo" not in low and "v." not in low and "kau" not in low:
        return None
    found = _YEARS_RE.findall(sentence)
    if not found:
        return None
    start, end = found[0]
    return f"{start}–{end}" if end else start


#: a currency sign or word; AMOUNT_RE's unit ``e`` (before ``/``) may follow spaces or a
#: scale word, not only a digit (``300 e/v``, ``1,2 milj. e / v``)
_HINT_RE = re.compile(r"€|euro|EUR|\d?e\s*/")
_HINT_WORDS = ("€", "euro", "EUR")


def _hints(text: str) -> list[tuple[int, int]]:
    """The spans of ``_HINT_RE.finditer(text)``, found with ``str.find``: the pattern's
    alternatives never overlap, and its ``\\d?e\\s*/`` is read back from each ``/`` (the
    ``e`` before the run of spaces before it, a digit before that if there is one); a
    regex would try its four alternatives at every position of the text."""
    spans: list[tuple[int, int]] = []
    for word in _HINT_WORDS:
        at = text.find(word)
        while at >= 0:
            spans.append((at, at + len(word)))
            at = text.find(word, at + len(word))
    slash = text.find("/")
    while slash >= 0:
        j = slash
        while j > 0 and text[j - 1].isspace():  # \\s is str.isspace, \\d str.isdecimal
            j -= 1
        if j >= 1 and text[j - 1] == "e":  # from the digit before the "e" when one is
            spans.append((j - 2 if j >= 2 and text[j - 2].isdecimal() else j - 1, slash + 1))
        slash = text.find("/", slash + 1)
    spans.sort()
    return spans
_DIGIT_RE = re.compile(r"\d")
#: the first character of every match of AMOUNT_RE (its number's digit, ``€`` or ``EUR``'s E)
_AMOUNT_START_RE = re.compile(r"[\d€E]")
_NUMBER_RUN_RE = re.compile(r"[\d.,]*")


def _amount_matches(sentence: str) -> list[re.Match[str]]:
    """``list(AMOUNT_RE.finditer(sentence))``, with the pattern tried only where a match
    can start: a digit, ``€`` or ``E`` (found by a one-class scan, which the engine runs
    without entering the pattern's alternatives at every other position)."""
    out: list[re.Match[str]] = []
    start = _AMOUNT_START_RE.search
    match = AMOUNT_RE.match
    run = _NUMBER_RUN_RE.match
    pos = 0
    while (hit := start(sentence, pos)) is not None:
        at = hit.start()
        m = match(sentence, at)
        if m is not None:
            out.append(m)
            pos = m.end()
        elif sentence[at] in "€E":
            pos = at + 1
        else:
            # no number starts after a digit, "." or "," (_NUM's lookbehind): the rest of
            # this number's run of those is no start either
            pos = run(sentence, at + 1).end()
    return out


def amounts_in(text: str | None, field: str) -> list[Amount]:
    """Every euro amount of ``text``; ``field`` names where it came from."""
    out: list[Amount] = []
    if not text:
        return out
    done = -1
    digit = _DIGIT_RE.search
    # a currency word or sign first (cheap), then the sentence around it in full
    for hit_start, hit_end in _hints(text):
        if hit_start < done:
            continue  # its sentence was read with an earlier amount
        if not digit(text, max(0, hit_start - 40), hit_end + 30):
            continue  # no number near the currency word: not an amount
        begin, done = sentence_span(text, hit_start, hit_end)
        sentence = text[begin:done].strip()
        found = _amount_matches(sentence)  # none without a digit
        if not found:
            continue
        orgs = recipients(sentence)
        assigned = _assign(sentence, found, orgs) if orgs else None  # else: no recipient
        years = _years(sentence)  # one sentence, one reading
        for index, m in enumerate(found):
            num, num2, scale, num3 = m.group("num", "num2", "scale", "num3")
            per = _period(sentence, m.end(), m.start())
            recipient = assigned.get(index) if assigned else None
            raw = m.group(0).strip()
            if num3 is not None:  # "€ 1 000": the unit first, no scale
                num, num2, scale = num3, None, None
            for number in (num, num2) if num2 else (num,):
                cents = parse_amount(number, scale)
                if cents is not None:
                    out.append(Amount(cents, raw, field, sentence, per, years, recipient))
    return out


_ALLATIVE_RE = re.compile(r"[A-ZÅÄÖ][\wåäö-]*(?::)?lle$")
_SEPARATOR_RE = re.compile(r"\bja\b|,|\bsekä\b|;")


def _assign(sentence: str, found: list[re.Match[str]],
            orgs: list[tuple[int, int, str]]) -> dict[int, str | None]:
    """Which organisation each amount goes to.

    First, a name standing right before an amount, with no ``ja`` or comma between,
    is its recipient (``X ry:lle 800 euroa``, ``X ry saa 2 750 euroa``) — and if that
    name is a person's (``Matti Virtaselle 2 000 €``) the amount has no recipient. Then
    each remaining amount takes the nearest organisation not taken yet, with no other
    amount between them.
    """
    if not orgs:
        return dict.fromkeys(range(len(found)))  # no organisation: no amount has one
    out: dict[int, str | None] = {}
    taken: set[int] = set()
    for index, m in enumerate(found):
        before = sentence[max(0, m.start() - 60):m.start()]
        for k, (_start, end, name) in enumerate(orgs):
            gap = sentence[end:m.start()]
            if end <= m.start() and len(gap) <= 12 and not _SEPARATOR_RE.search(gap):
                out[index] = name
                taken.add(k)
                break
        else:
            tail = before.rstrip().split()
            if tail and _ALLATIVE_RE.search(tail[-1]):
                out[index] = None  # a person (or anything not an organisation) gets it
    for index, m in enumerate(found):
        if index in out:
            continue
        low = found[index - 1].end() if index else 0
        high = found[index + 1].start() if index + 1 < len(found) else len(sentence)
        free = [(k, o) for k, o in enumerate(orgs)
                if k not in taken and low <= o[0] and o[1] <= high]
        if not free:
            out[index] = None
            continue
        k, best = min(free, key=lambda ko: (m.start() - ko[1][1] if ko[1][1] <= m.start()
                                            else ko[1][0] - m.end()))
        out[index] = best[2]
        taken.add(k)
    return out


def amounts(texts: dict[str, str | None]) -> list[Amount]:
    """Amounts of several fields (``{"proposal": …, "decision": …}``), in that order."""
    out: list[Amount] = []
    for field, text in texts.items():
        out += amounts_in(text, field)
    return out
