"""Field-level helpers shared by the HTML and the PDF item parsers.

Everything here works on already-decoded text, so the two parsers agree on what a
case number, a date, a heading or a person looks like, and a fix made for one
template helps the other.
"""

from __future__ import annotations

import re
import unicodedata

from parsers.records import Handling, Person, Proposer

# --- text -------------------------------------------------------------------------

_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u3000\t"), " ")
_DROP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\ufeff"), None)


def clean_text(text: str) -> str:
    """Normalise Word artefacts in one run of text without changing its words.

    Non-breaking and other odd spaces become plain spaces, soft hyphens and zero-width
    characters vanish (they would split search terms), and runs of spaces collapse.
    Smart quotes and dashes are kept: they are the source's punctuation.
    """
    text = unicodedata.normalize("NFC", text).translate(_SPACE_LIKE).translate(_DROP)
    return re.sub(r"[ \r\n\f\v]+", " ", text).strip()


def join_paragraphs(paragraphs: list[str]) -> str | None:
    """Join cleaned paragraphs with blank lines; ``None`` when nothing is left."""
    kept = [p for p in (clean_text(p) for p in paragraphs) if p]
    return "\n\n".join(kept) if kept else None


# --- dates ------------------------------------------------------------------------

DATE_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def parse_fi_date(text: str | None) -> str | None:
    """``8.5.2017`` or ``08.05.2017`` anywhere in ``text`` → ``2017-05-08``."""
    if not text:
        return None
    m = DATE_RE.search(text)
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# --- case numbers -----------------------------------------------------------------

#: ``OUKA/1499/12.00.02/2016``, ``7248/13.01/2017``, ``3700/11.01.00/2011``, ``730/2017``
CASE_RE = re.compile(
    r"(?<![\w/.])(?:(?P<prefix>[A-ZÅÄÖ]{2,8})/)?(?P<num>\d{1,6})"
    r"(?:/(?P<cls>\d{2}(?:\.\d{2}){0,4}))?/(?P<year>(?:19|20)\d{2})(?![\w/])"
)
TASK_CLASS_RE = re.compile(r"(?<![\d.])\d{2}(?:\.\d{2}){1,4}(?![\d.])")


def parse_case_number(text: str | None) -> tuple[str | None, str | None, str | None]:
    """Split a printed case number into ``(normalised, raw, task_class)``.

    ``7248/13.01/2017`` → ``("7248/2017", "7248/13.01/2017", "13.01")``; the diary
    prefix (``OUKA/``) is kept in the normalised form because numbers are only unique
    within one diary.
    """
    if not text:
        return None, None, None
    m = CASE_RE.search(clean_text(text))
    if not m:
        return None, None, None
    prefix = f"{m['prefix']}/" if m["prefix"] else ""
    return f"{prefix}{m['num']}/{m['year']}", m.group(0), m["cls"]


# --- sections and headings --------------------------------------------------------

SECTION_RE = re.compile(r"§\s*(\d+)|(\d+)\s*§")
ITEM_NUMBER_RE = re.compile(r"\b(?:Asianro|Asia\s*nro|Asia)\s+(\d+)\b", re.I)
PYKALA_RE = re.compile(r"\bPykälä\s+(\d+)\b", re.I)

#: Heading text (lower case, without a trailing colon) → record field. Matched by the
#: heading's *ending* as well, so ``Kaupunginhallituksen päätösehdotus`` is a proposal.
HEADING_FIELDS: tuple[tuple[str, str], ...] = (
    ("päätösehdotus", "proposal"),
    ("päätösesitys", "proposal"),
    ("ehdotus", "proposal"),
    ("esitys", "proposal"),
    ("förslag", "proposal"),
    ("päätös", "decision"),
    ("beslut", "decision"),
    ("käsittely", "discussion"),
    ("behandling", "discussion"),
    ("selostus", "background"),
    ("esittelyteksti", "background"),
    ("perustelut", "background"),
    ("asian valmistelu", "background"),
    ("valmistelijat / lisätiedot", "preparers"),
    ("valmistelija / lisätiedot", "preparers"),
    ("valmistelijat/ lisätietojen antaja", "preparers"),
    ("lisätiedot", "preparers"),
    ("valmistelijat", "preparers"),
    ("valmistelija", "preparers"),
    ("esittelijä", "proposer"),
    ("liitteet", "attachments"),
    ("liite", "attachments"),
    ("bilagor", "attachments"),
    ("oheismateriaali", "supplementary"),
    ("tiedoksi", "for_information"),
    ("muutoksenhaku", "appeal"),
    ("muutoksenhakuohje", "appeal"),
    ("oikaisuvaatimusohje", "appeal"),
    ("päätöshistoria", "history"),
)


def classify_heading(text: str) -> str | None:
    """Map a section heading to a record field name, or ``None`` if it is not one.

    Exact names win; otherwise the heading's last word decides, so compound headings
    like ``Kaupunginjohtajan päätösehdotus`` or ``Lautakunnan käsittely`` map by
    their ending.
    """
    key = clean_text(text).lower().rstrip(":").strip()
    key = re.sub(r"\s*/\s*", " / ", key)
    if not key or len(key) > 60:
        return None
    for name, fieldname in HEADING_FIELDS:
        if key == name or key == name.replace(" / ", "/"):
            return fieldname
    last = key.split()[-1]
    for name, fieldname in HEADING_FIELDS:
        if " " not in name and len(key.split()) <= 3 and last.endswith(name):
            return fieldname
    return None


# --- people -----------------------------------------------------------------------

PHONE_RE = re.compile(r"(?:puh\.?|p\.|tel\.?)?\s*(\+?\d[\d ()-]{5,}\d)", re.I)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME = r"[A-ZÅÄÖ][\wåäöéü'-]+"
NAME_RE = re.compile(rf"({_NAME}(?:\s+{_NAME}){{1,3}})\s*$")


def split_title_name(text: str) -> tuple[str | None, str]:
    """``Vs. kaupunginjohtaja Jarmo Pirhonen`` → ``("Vs. kaupunginjohtaja", "Jarmo Pirhonen")``.

    Finnish titles are written in lower case after an optional capital first word,
    while names are capitalised: the name is the trailing run of capitalised words.
    """
    text = clean_text(text).strip(" ,.:")
    words = text.split()
    cut = len(words)
    while cut > 0 and re.match(r"^[A-ZÅÄÖ][\wåäöéü'-]*$", words[cut - 1]):
        cut -= 1
    # A title's first word is often capitalised ("Kaupunginjohtaja Jukka Mäkelä"):
    # when everything is capitalised, the first of three or more words is the title.
    if cut == 0 and len(words) >= 3:
        cut = 1
    title = " ".join(words[:cut]) or None
    name = " ".join(words[cut:])
    if not name:
        return None, text
    return title, name


def parse_proposer(text: str | None) -> Proposer | None:
    """Parse the text beside ``Päätösehdotus``/``Esittelijä`` into a proposer."""
    if not text or not clean_text(text):
        return None
    title, name = split_title_name(text)
    if not name or not name[:1].isupper():
        return None
    return Proposer(name=name, title=title)


def parse_person(text: str) -> Person | None:
    """Parse one preparer line: ``Riitta Kammonen, puh. 050 597 0956`` or
    ``Hyvinvoinnin edistämisen johtaja Heli Norja``.
    """
    text = clean_text(text)
    if not text:
        return None
    email = None
    m = EMAIL_RE.search(text)
    if m:
        email = m.group(0)
        text = (text[: m.start()] + text[m.end() :]).strip(" ,")
    phone = None
    m = PHONE_RE.search(text)
    if m and sum(c.isdigit() for c in m.group(1)) >= 6:
        phone = re.sub(r"\s+", " ", m.group(1)).strip()
        text = text[: m.start()].strip(" ,")
    text = re.sub(r",?\s*(?:puh|p|tel)\.?\s*$", "", text, flags=re.I).strip(" ,")
    if not text:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) >= 2:
        # "Etunimi Sukunimi, tehtävänimike" or "tehtävänimike, Etunimi Sukunimi"
        first_title, first_name = split_title_name(parts[0])
        if first_title is None:
            return Person(name=first_name, title=", ".join(parts[1:]), phone=phone, email=email)
        return Person(name=parts[-1], title=", ".join(parts[:-1]), phone=phone, email=email)
    title, name = split_title_name(parts[0])
    return Person(name=name, title=title, phone=phone, email=email)


# --- earlier handlings ------------------------------------------------------------

_BODY = r"(?P<body>[A-ZÅÄÖ][\wåäö-]*(?:[ -]+(?:ja|[a-zåäö-]+|[A-ZÅÄÖ][\wåäö-]*))*?)"
HANDLING_RES = (
    # Kaupunginhallitus 105 § 10.4.2017 / Kaupunginhallitus § 105 10.4.2017
    re.compile(_BODY + r"\s+(?:(?P<s1>\d+)\s*§|§\s*(?P<s2>\d+))\s*,?\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{4})"),
    # Kaupunkisuunnittelulautakunta 26.4.2017 § 87
    re.compile(_BODY + r"\s+(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s*,?\s*(?:(?P<s1>\d+)\s*§|§\s*(?P<s2>\d+))"),
)


def parse_handlings(text: str | None) -> list[Handling]:
    """Find every ``Body N § D.M.YYYY`` style reference to an earlier handling."""
    if not text:
        return []
    text = clean_text(text)
    found: list[tuple[int, Handling]] = []
    for rx in HANDLING_RES:
        for m in rx.finditer(text):
            section = m["s1"] or m["s2"]
            h = Handling(body=m["body"].strip(), section=section, date=parse_fi_date(m["date"]))
            found.append((m.start(), h))
    found.sort(key=lambda pair: pair[0])
    out: list[Handling] = []
    for _, h in found:
        if h not in out:
            out.append(h)
    return out
