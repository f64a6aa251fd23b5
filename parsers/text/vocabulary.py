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

# Odd spaces and invisible characters (``re.sub`` is much faster than ``str.translate``).
_SPACE_LIKE_RE = re.compile("[\u00a0\u2007\u202f\u2009\u200a\u3000\t]")
_DROP_RE = re.compile("[\u00ad\u200b\u200c\u200d\ufeff]")
_SPACES_RE = re.compile(r"[ \r\n\f\v]+")


def clean_text(text: str) -> str:
    """Normalise Word artefacts in one run of text without changing its words.

    Non-breaking and other odd spaces become plain spaces, soft hyphens and zero-width
    characters vanish (they would split search terms), and runs of spaces collapse.
    Smart quotes and dashes are kept: they are the source's punctuation.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _DROP_RE.sub("", _SPACE_LIKE_RE.sub(" ", text))
    return _SPACES_RE.sub(" ", text).strip()


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

#: ``TESTI/2083/12.00.02/2018``, ``5316/13.01/2019``, ``4812/11.01.00/2012``, ``642/2019``
CASE_RE = re.compile(
    r"(?<![\w/.])(?:(?P<prefix>[A-ZÅÄÖ]{2,8})/)?(?P<num>\d{1,6})"
    r"(?:/(?P<cls>\d{2}(?:\.\d{2}){0,4}))?/(?P<year>(?:19|20)\d{2})(?![\w/])"
)
TASK_CLASS_RE = re.compile(r"(?<![\d.])\d{2}(?:\.\d{2}){1,4}(?![\d.])")


def parse_case_number(text: str | None) -> tuple[str | None, str | None, str | None]:
    """Split a printed case number into ``(normalised, raw, task_class)``.

    ``5316/13.01/2019`` → ``("5316/2019", "5316/13.01/2019", "13.01")``; the diary
    prefix (``TESTI/``) is kept in the normalised form because numbers are only unique
    within one diary.
    """
    if not text:
        return None, None, None
    m = CASE_RE.search(clean_text(text))
    if not m:
        return None, None, None
    prefix = f"{m['prefix']}/" if m["prefix"] else ""
    return f"{prefix}{m['num']}/{m['year']}", m.group(0), m["cls"]


# --- document types -------------------------------------------------------------

#: Dynasty's names of a meeting document → our document type (minutes win when both occur)
DOC_TYPES = {"pöytäkirja": "minutes", "protokoll": "minutes", "esityslista": "agenda",
             "föredragningslista": "agenda", "kokouskutsu": "agenda"}


def document_type_of(text: str | None) -> str | None:
    """``Pöytäkirja`` → ``minutes``, ``Esityslista`` → ``agenda`` (anywhere in the text)."""
    low = (text or "").casefold()
    for word, kind in DOC_TYPES.items():
        if word in low:
            return kind
    return None


# --- sections and headings --------------------------------------------------------

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
    ("tiivistelmä", "background"),
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
    ("täytäntöönpanotiedot", "for_information"),
    ("täytäntöönpano", "for_information"),
    ("muutoksenhaku", "appeal"),
    ("muutoksenhakuohje", "appeal"),
    ("oikaisuvaatimusohje", "appeal"),
    ("päätöshistoria", "history"),
)


def _heading_key(text: str) -> str:
    """Lower case, no trailing colon, one spacing around slashes: the form in which
    headings are compared (``Valmistelijat/ Lisätietojen antaja`` →
    ``valmistelijat / lisätietojen antaja``)."""
    key = clean_text(text).lower().strip().rstrip(":").strip()
    return re.sub(r"\s*/\s*", " / ", key)


def _heading_index(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Heading names normalised like the text they are compared with; first wins."""
    index: dict[str, str] = {}
    for name, fieldname in pairs:
        index.setdefault(_heading_key(name), fieldname)
    return index


_HEADINGS = _heading_index(HEADING_FIELDS)


def classify_heading(text: str) -> str | None:
    """Map a section heading to a record field name, or ``None`` if it is not one.

    Exact names win (compared after :func:`_heading_key`, so any spacing around a
    slash matches); otherwise the heading's last word decides, so compound headings
    like ``Kaupunginjohtajan päätösehdotus`` or ``Lautakunnan käsittely`` map by
    their ending.
    """
    key = _heading_key(text)
    if not key or len(key) > 60:
        return None
    if key in _HEADINGS:
        return _HEADINGS[key]
    last = key.split()[-1]
    for name, fieldname in HEADING_FIELDS:
        if " " not in name and len(key.split()) <= 3 and last.endswith(name):
            return fieldname
    return None


# --- people -----------------------------------------------------------------------

#: ``puh. 050 364 1122``, ``puh. (09) 816 55501``, ``+358 40 123 4567``; an area code in
#: parentheses belongs to the number.
PHONE_RE = re.compile(
    r"(?:puh\.?|p\.|tel\.?|tfn\.?|gsm\.?|mob\.?)?\s*(\+?\(?\d[\d ()-]{5,}\d)", re.I
)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME_WORD_RE = re.compile(r"^[A-ZÅÄÖÜÉ][\wåäöéü'.-]*$")


def split_title_name(text: str) -> tuple[str | None, str]:
    """``Vs. kaupunginjohtaja Jaakko Sijainen`` → ``("Vs. kaupunginjohtaja", "Jaakko Sijainen")``.

    Finnish titles are written in lower case after an optional capital first word,
    while names are capitalised: the name is the trailing run of capitalised words.
    """
    text = clean_text(text).strip(" ,.:")
    words = text.split()
    cut = len(words)
    while cut > 0 and re.match(r"^[A-ZÅÄÖÜÉ][\wåäöéü'-]*$", words[cut - 1]):
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
    # A sentence ("Kaupunginhallitus päättää hyväksyä") is not a name: every word of
    # the name part must be capitalised.
    if not all(_NAME_WORD_RE.match(w) for w in name.split()):
        return None
    return Proposer(name=name, title=title)


def parse_person(text: str) -> Person | None:
    """Parse one preparer line: ``Kaisa Kokeilija, puh. 050 364 1122`` or
    ``Liikuntatoimen johtaja Oskari Otaksuma``.
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
    text = re.sub(r",?\s*(?:puh|p|tel|tfn|gsm|mob)\.?\s*$", "", text, flags=re.I).strip(" ,")
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
    # Kaupunginhallitus 61 § 18.2.2019 / Kaupunginhallitus § 61 18.2.2019
    re.compile(
        _BODY + r"\s+(?:(?P<s1>\d+)\s*§|§\s*(?P<s2>\d+))\s*,?\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{4})"
    ),
    # Kaupunkisuunnittelulautakunta 26.4.2017 § 87
    re.compile(
        _BODY + r"\s+(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s*,?\s*(?:(?P<s1>\d+)\s*§|§\s*(?P<s2>\d+))"
    ),
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


# --- stricter helpers for parsers that see every paragraph ------------------------
#
# ``classify_heading`` is deliberately generous (the PDF parser only asks it about text
# already set in a heading column). A parser that has to ask about *every* paragraph
# needs the stricter variants below, or a body-text line such as ``Lisäysehdotus:`` or
# the sub-heading ``Asian aikaisempi käsittely`` would open a new section.

#: Heading names missing from ``HEADING_FIELDS`` that real Dynasty templates use.
EXTRA_HEADING_FIELDS: tuple[tuple[str, str], ...] = (
    ("kokouskäsittely", "discussion"),
    ("esittelijän ehdotus", "proposal"),
    ("valmistelija ja lisätiedot", "preparers"),
    ("valmistelijat ja lisätiedot", "preparers"),
    ("lisätietoja antaa", "preparers"),
    ("lisätietojen antaja", "preparers"),
    ("lisätietoja", "preparers"),
    ("föredragande", "proposer"),
    ("beredare", "preparers"),
    ("tilläggsuppgifter", "preparers"),
    ("för kännedom", "for_information"),
    ("ändringssökande", "appeal"),
    ("motivering", "background"),
    ("beslutshistorik", "history"),
    ("tilläggsmaterial", "supplementary"),
    ("bakgrundsmaterial", "supplementary"),
)


_EXACT_HEADINGS = _heading_index(HEADING_FIELDS + EXTRA_HEADING_FIELDS)
_SINGLE_WORD_HEADINGS = {name: f for name, f in _EXACT_HEADINGS.items() if " " not in name}


def classify_heading_strict(text: str) -> str | None:
    """Like ``classify_heading`` but only for text that really is a section heading.

    Accepts an exact heading name (``Päätösehdotus``, ``Valmistelijat / lisätiedot``) or
    a body's genitive in front of one (``Kaupunginhallituksen päätösehdotus``,
    ``Lautakunnan käsittely``). Rejects compounds and phrases that merely end like a
    heading: ``Lisäysehdotus:``, ``Asian aikaisempi käsittely``.
    """
    key = _heading_key(text)
    if not key or len(key) > 60:
        return None
    if key in _EXACT_HEADINGS:
        return _EXACT_HEADINGS[key]
    words = key.split()
    if 2 <= len(words) <= 4 and words[-1] in _SINGLE_WORD_HEADINGS:
        if all(w.endswith("n") or w == "ja" for w in words[:-1]):
            return _SINGLE_WORD_HEADINGS[words[-1]]
    return None


_PERSON_NAME_RE = re.compile(r"^[A-ZÅÄÖÜÉ][a-zåäöüé'´]+(?:-[A-ZÅÄÖÜÉ][a-zåäöüé'´]+)?$")
_SENTENCE_END_RE = re.compile(r"[a-zåäö]{3,}\.$")
_COMPANY_WORDS = {"oy", "oyj", "ab", "abp", "ky", "ay", "ry", "rf", "tmi", "ltd", "inc", "gmbh"}


def looks_like_person(text: str) -> bool:
    """Is this one person's line (``[title] Firstname Lastname[, puh. …]``)?

    The name must be two to four capitalised words without digits; a title may precede
    it. Sentences, unit names (``Asukastoiminnan tukiyksikkö``) and body names
    followed by a colon are not persons.
    """
    text = clean_text(text)
    if not text or len(text) > 140 or text.endswith(":"):
        return False
    if _SENTENCE_END_RE.search(text) and not PHONE_RE.search(text):
        return False
    person = parse_person(text)
    if person is None:
        return False
    words = person.name.split()
    if not 2 <= len(words) <= 4 or not all(_PERSON_NAME_RE.match(w) for w in words):
        return False
    if any(w.lower().strip(".") in _COMPANY_WORDS for w in words):
        return False
    return person.title is None or len(person.title.split()) <= 8


def parse_people(text: str) -> list[Person]:
    """Every person on one preparer line.

    ``Hallintojohtaja Ben Esimerkki ja controller Jenni Malli`` is two people; a line
    that does not look like a person gives ``[]``.
    """
    text = clean_text(text)
    parts = [p for p in re.split(r"\s*;\s*|\s+ja\s+", text) if p]
    if len(parts) > 1 and all(looks_like_person(p) for p in parts):
        return [p for p in (parse_person(part) for part in parts) if p]
    if looks_like_person(text):
        person = parse_person(text)
        return [person] if person else []
    return []


def merge_people(people: list[Person]) -> list[Person]:
    """One entry per person: the same name listed twice (Kuopio templates print the
    preparer under the title with title and unit, and again under ``Valmistelija``
    with a phone number) becomes one entry that keeps the richer fields.

    The first entry's position and non-empty values win; an empty field is filled
    from a later entry of the same name. Names are compared ignoring case and spacing.
    Both item parsers use this, so they return the same preparers.
    """
    out: list[Person] = []
    for person in people:
        key = " ".join(person.name.split()).casefold()
        same = next((p for p in out if " ".join(p.name.split()).casefold() == key), None)
        if same is None:
            out.append(person)
            continue
        same.title = same.title or person.title
        same.phone = same.phone or person.phone
        same.email = same.email or person.email
    return out


_AT_RE = re.compile(r"\s*(?:\(at\)|\[at\]|\{at\}|\(a\)|\s+at\s+)\s*", re.I)
_CONTACT_WORDS = ("etunimi", "sukunimi", "firstname", "lastname", "förnamn", "efternamn")


def find_contact_pattern(text: str | None) -> str | None:
    """``etunimi.sukunimi@esimerkkila.fi`` (or ``…(at)testila.fi``) → the address pattern.

    Such an address is the organisation's e-mail convention, not anyone's address;
    ``(at)`` spellings are normalised to ``@``.
    """
    if not text:
        return None
    m = EMAIL_RE.search(_AT_RE.sub("@", clean_text(text)))
    if m and any(w in m.group(0).lower() for w in _CONTACT_WORDS):
        return m.group(0)
    return None


def parse_handling_line(text: str | None) -> Handling | None:
    """A line that is *only* a handling reference (``Kaupunginhallitus 18.2.2019 § 61``
    or ``Kaupunginhallitus 61 § 18.2.2019``), as in a decision history; else ``None``.
    """
    if not text:
        return None
    text = clean_text(text).rstrip(" .:")
    if len(text) > 120:
        return None
    for rx in HANDLING_RES:
        m = rx.fullmatch(text)
        if m:
            section = m["s1"] or m["s2"]
            return Handling(body=m["body"].strip(), section=section, date=parse_fi_date(m["date"]))
    return None


# --- what is never a value ----------------------------------------------------------
#
# "Never a wrong field": a page's UI labels, captions, bare numbers and placeholders
# are not titles or texts. They are named here once, for every HTML parser.

#: Dynasty's own labels and captions (often visually hidden): never an item's title.
UI_LABELS = frozenset({
    "navigointi", "navigation", "kokousasian teksti", "kokousasia", "kokousasiat",
    "kokouksen asiat", "asian teksti", "liitteet", "liite", "oheismateriaali",
    "edellinen asia", "seuraava asia", "muutoksenhakuohje", "muutoksenhakuohjeet",
    "esityslista", "pöytäkirja", "kokouskutsu", "viranhaltijapäätös", "viranhaltijapäätökset",
    "protokoll", "föredragningslista", "bilagor", "bilaga", "ärendets text",
    "toimielimet", "etusivu", "haku", "avaa haku", "tulosta", "sulje", "takaisin",
    "sisältö", "sisällysluettelo", "kokous", "kokoukset", "pdf", "pdf-muodossa",
    "kokousasia pdf-muodossa", "tiedostot",
    "navigering", "föregående ärende", "nästa ärende", "möte", "möten", "tillbaka",
    "tilläggsmaterial", "bakgrundsmaterial", "ärendet i pdf-format", "sök", "startsida",
})
#: A paragraph that only holds a number (an agenda's item number standing alone).
BARE_NUMBER_RE = re.compile(r"^\s*(?:§\s*)?(\d{1,4})\s*[.)§]?\s*$")
#: A placeholder for "nothing here": ``-``, ``–``, ``--``, ``.``, ``…``.
PLACEHOLDER_RE = re.compile(r"^[\s\-–—‒―.…_*/|]*$")
_DATE_ONLY_RE = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}\s*$")


def not_a_title_reason(text: str | None) -> str | None:
    """Why ``text`` cannot be an item's title (``None`` when it can).

    A bare number, a placeholder, a date, a case number alone, one of Dynasty's UI
    labels or a section heading is never a title.
    """
    text = clean_text(text or "")
    if not text or PLACEHOLDER_RE.match(text):
        return "placeholder"
    if BARE_NUMBER_RE.match(text):
        return "bare number"
    if _DATE_ONLY_RE.match(text):
        return "date"
    key = text.casefold().rstrip(" :")
    if key in UI_LABELS:
        return "page label"
    if classify_heading_strict(text):
        return "section heading"
    m = CASE_RE.search(text)
    if m and not text.replace(m.group(0), "").strip(" ,;:"):
        return "case number"
    return None


#: The last word of an official's title: ``Kaupunginjohtaja``, ``Tekninen johtaja``,
#: ``Vs. hallintopäällikkö``, ``Stadsdirektör``.
_OFFICIAL_ENDINGS = (
    "johtaja", "päällikkö", "pormestari", "sihteeri", "insinööri", "arkkitehti",
    "lakimies", "esittelijä", "kamreeri", "asiamies", "lääkäri", "rehtori", "tarkastaja",
    "esimies", "koordinaattori", "neuvos", "ylihoitaja", "valvoja",
    "direktör", "chef", "borgmästare", "föredragande", "sekreterare", "jurist",
)
_OFFICIAL_TITLE_RE = re.compile(
    r"^(?:(?:[Vv][sta]|[Tt]\.\s*f)\.\s*)?[A-ZÅÄÖa-zåäö][a-zåäö-]*(?:\s+(?:ja\s+)?[a-zåäö-]+){0,3}$")
#: A proposal's verb in the proposing form (``… päättää, että …``).
PROPOSAL_VERB_RE = re.compile(
    r"\b(?:päättää|päättänee|esittää|ehdottaa|hyväksyy|merkitsee|myöntää|valitsee|"
    r"nimeää|oikeuttaa|antaa|vahvistaa|toteaa|hylkää|valtuuttaa|kehottaa|lausuu|"
    r"beslutar|föreslår|godkänner|antecknar|konstaterar)\b")


def looks_like_official_title(text: str | None) -> bool:
    """Is ``text`` only an official's title (``Kaupunginjohtaja``, ``Tekninen johtaja``)?"""
    text = clean_text(text or "").rstrip(" :")
    if not text or len(text) > 60 or not _OFFICIAL_TITLE_RE.match(text):
        return False
    return text.split()[-1].casefold().endswith(_OFFICIAL_ENDINGS)
