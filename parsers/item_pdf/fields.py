"""Structured values read from body rows of an item PDF: preparers and proposers
(people with titles and contacts), attachment titles and earlier handlings.

Kept apart from the heading and section logic because these are the rules most
often tuned against new municipalities' layouts.
"""

from __future__ import annotations

import re

from parsers.item_pdf.rows import (
    NONE_TEXTS,
    SENTENCE_END_RE,
    Row,
    TextContext,
    group_paragraphs,
)
from parsers.records import Attachment, Handling, Person, Proposer
from parsers.text.dehyphenate import dehyphenate_lines
from parsers.text.vocabulary import (
    DATE_RE,
    EMAIL_RE,
    clean_text,
    find_contact_pattern,
    parse_fi_date,
    parse_handlings,
    parse_person,
    split_title_name,
)

_NAME_WORD_RE = re.compile(r"^[A-ZÅÄÖ][\wåäöéü'’-]*$")
#: ``Juhlatoimikunta 3.5.2019, 7.11.2019`` (a handling without a §)
_HANDLING_DATES_RE = re.compile(
    r"^(?P<body>[A-ZÅÄÖ][^§]*?)\s+(?P<dates>\d{1,2}\.\d{1,2}\.\d{4}(?:\s*,\s*\d{1,2}\.\d{1,2}\.\d{4})*)"
    r"\s*$"
)


# --- field helpers ----------------------------------------------------------------------


def _name_ok(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and all(_NAME_WORD_RE.match(w) for w in words)


def proposer_from_line(text: str) -> Proposer | None:
    """``Vs. kaupunginjohtaja Matti Malli`` → Proposer; a sentence → ``None``."""
    text = clean_text(text)
    if not text or len(text.split()) > 8 or text[-1] in ".,;:!?" or any(c.isdigit() for c in text):
        return None
    title, name = split_title_name(text)
    if not _name_ok(name):
        return None
    return Proposer(name=name, title=title)


def strip_contact(text: str) -> tuple[str, bool]:
    """The text without e-mail and phone number, and whether there was one."""
    found = False
    if EMAIL_RE.search(text):
        text, found = EMAIL_RE.sub(" ", text), True
    m = re.search(r"(?:puh\.?|p\.|tel\.?)?\s*\+?\(?\d[\d ()-]{5,}\d", text, re.I)
    if m:
        text, found = text[: m.start()], True
    return clean_text(re.sub(r"\s(?:ja|sekä)$", "", text.strip(" ,;"))).strip(" ,;"), found


def is_person_line(text: str) -> bool:
    """A line naming one person: ``Liikuntapalvelujen päällikkö Satu Esimerkki``."""
    rest, contact = strip_contact(text)
    if not rest or (SENTENCE_END_RE.search(rest) and not rest.endswith(".")):
        return False
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    for part in parts:
        title, name = split_title_name(part)
        if _name_ok(name) and (title or contact or len(parts) > 1 or len(name.split()) <= 3):
            return True
    return False


#: Where one person ends and the next begins in a sentence of several: after a phone
#: number (``… 4567, controller …``, ``… 4567 ja hallintosihteeri …``), or after a name
#: when the next starts with a lower-case title (``… Laskija ja controller Pekka …``).
_PERSON_SPLIT_RE = re.compile(
    r"(?<=\d)\s*(?:[,;]\s*(?:ja|sekä)\b|[,;]|\bja\b|\bsekä\b)\s+(?=\D)"
    r"|(?<=[a-zåäö])\s*(?:[,;]\s*(?:ja|sekä)\b|[,;]|\s\bja\b|\s\bsekä\b)\s+"
    r"(?=[a-zåäö]{4,}\s+[A-ZÅÄÖ])"
)
#: A lead-in before the people of a contact block: ``Lisätietoja antavat …``.
_LEAD_IN_RE = re.compile(
    r"^(?:lisätiedot|lisätietoja(?:\s+(?:antaa|antavat|asiasta))*|yhteyshenkilö(?:t)?|"
    r"valmistelija(?:t)?|asian\s+valmistelija(?:t)?)\s*:?\s+(?=\S)", re.I)
_PHONE_TAIL_RE = re.compile(r"(?:\b(?:puh|p|tel|gsm)\.?|\+?\d[\d ()-]*)$", re.I)
#: the tail of a line that is a title still waiting for its name ("…, controller");
#: words separated by required spaces, so that matching stays linear
_LOWER_TAIL_RE = re.compile(r"(?:(?:ja|sekä)\s+)?[a-zåäö][\w-]*(?:\s+[a-zåäö][\w-]*){0,5}")


def join_wrapped_people(lines: list[str]) -> list[str]:
    """Lines of a people block with a person's wrapped text joined back.

    Several preparers in one sentence wrap anywhere: after a comma or ``ja``
    (``…, controller Pekka`` / ``Pallo puh. 044`` / ``765 4321 ja …``), inside a phone
    number or between a title and its name. A line is joined to the one before when
    that line ends with a separator, a phone number goes on (digits after digits or
    ``puh.``), the line before ends with a title still waiting for its name, or the
    line begins with a lone surname and a contact (``Pallo puh. 044 …``). One person per
    line (``Riikka Testinen, puh. 050 123 4567``) stays as it is.
    """
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _continues(prev: str, line: str) -> bool:
    if not prev or not line:
        return False
    if re.search(r"(?:,|;|\bja|\bsekä)$", prev):
        return True
    if line[0].isdigit() and _PHONE_TAIL_RE.search(prev):
        return True  # "… puh. 050" / "111 2222"
    last = _PERSON_SPLIT_RE.split(prev)[-1].strip(" ,;")
    rest, contact = strip_contact(last)
    if last and not contact and _LOWER_TAIL_RE.fullmatch(last) and line[0].isupper():
        return True  # "…, controller" / "Pekka Pallo puh. …"
    first = _PERSON_SPLIT_RE.split(line)[0]
    head, first_contact = strip_contact(first)
    if first_contact and head and len(head.split()) == 1 and head[0].isupper() and \
            not contact and rest and rest.split()[-1][0].isupper():
        return True  # "…, controller Pekka" / "Pallo puh. 044 …"
    return False


def parse_preparers(lines: list[str]) -> tuple[list[Person], str | None]:
    """Preparer lines → persons and the ``etunimi.sukunimi@…`` contact pattern.

    Several persons on one line are split after their phone numbers; a title on its
    own line is carried to the name on the next line; a unit line after a person
    (``Liikuntapalvelut``) is appended to that person's title, as
    the HTML parser does; an organisation line before anyone (``Talousyksikkö,``)
    is skipped.
    """
    pattern = None
    kept: list[str] = []
    for line in lines:
        line = clean_text(line)
        found = find_contact_pattern(line)
        if found:
            pattern = pattern or found
            continue
        kept.append(line)
    if kept:
        kept[0] = _LEAD_IN_RE.sub("", kept[0])
    chunks: list[str] = []
    for line in join_wrapped_people(kept):
        # "… puh. 044 123 4567, suunnittelija Liisa Koe puh. …"
        chunks.extend(p for p in _PERSON_SPLIT_RE.split(line) if p.strip())
    people: list[Person] = []
    carry = ""
    for i, raw in enumerate(chunks):
        chunk = raw.strip(" ,;")
        if not chunk:
            continue
        if is_person_line(f"{carry} {chunk}".strip()):
            person = parse_person(f"{carry} {chunk}".strip())
            carry = ""
            if person and _name_ok(person.name):
                people.append(person)
            continue
        rest, contact = strip_contact(chunk)
        if contact and people and not rest:
            # a phone number or e-mail on a line of its own: the previous person's
            last = people[-1]
            extra = parse_person(f"X Y {chunk}")
            if extra:
                last.phone = last.phone or extra.phone
                last.email = last.email or extra.email
            continue
        nxt = chunks[i + 1].strip(" ,;") if i + 1 < len(chunks) else ""
        name_next = bool(nxt) and split_title_name(strip_contact(nxt)[0])[0] is None \
            and is_person_line(nxt)
        if rest and not carry and name_next and not raw.rstrip().endswith(","):
            carry = rest  # a title waiting for its name on the next line
        elif rest and people and not contact:
            last = people[-1]  # a unit line
            last.title = f"{last.title}, {rest}" if last.title else rest
            carry = ""
        else:
            carry = ""  # an organisation line before anyone
    return people, pattern


def parse_attachments(rows: list[Row], ctx: TextContext) -> list[Attachment]:
    """Liitteet rows → attachments (titles; a leading ``7`` or ``Liite 3`` dropped)."""
    items: list[list[str]] = []
    numbered = False
    gap = max(ctx.layout.body_size * 1.2, 8.0)
    for para in group_paragraphs(rows, ctx.right_edge):
        first_in_para = True
        for row in para:
            text = clean_text(row.text)
            if not text or text.casefold().strip(" .") in NONE_TEXTS:
                continue
            segs = row.line.segments(gap)
            segs = [[w for w in s if w in row.words] for s in segs]
            segs = [s for s in segs if s]
            m = re.match(r"^(?:Liite\s+)?(\d{1,3})[.):]?\s+(\S.*)$", text, re.I)
            lead_alone = len(segs) > 1 and re.fullmatch(r"(?:Liite\s+)?\d{1,3}[.):]?",
                                                        " ".join(w.text for w in segs[0]), re.I)
            numbered_text = re.match(
                r"^(?:Liite\s+\d{1,3}|\d{1,3}[.):]|\d{1,2}(?=\s+[A-ZÅÄÖ\d]))\s", text, re.I
            )
            if m and (lead_alone or numbered_text):
                numbered = True
                items.append([m.group(2)])
            elif text[0] in "-–•" and len(text) > 2:
                items.append([text[1:].strip()])
            elif items and not first_in_para and (
                numbered or text[0].islower() or items[-1][-1].endswith(("-", ","))
            ):
                items[-1].append(text)
            elif items and numbered and row.x0 > (ctx.layout.body_x or ctx.layout.left_x) + 8:
                items[-1].append(text)
            else:
                items.append([text])
            first_in_para = False
    out = []
    for lines in items:
        title = clean_text(dehyphenate_lines(lines, ctx.vocab))
        if title:
            out.append(Attachment(title=title))
    return out


def parse_history_rows(texts: list[str], *, lists: bool) -> list[Handling]:
    """Handlings named in history rows: ``Kaupunginhallitus 88 § 14.3.2022`` per row;
    with ``lists`` also ``Body 3.5.2019, 7.11.2019`` rows without a section."""
    found: list[Handling] = []
    for text in texts:
        text = clean_text(text)
        handlings = parse_handlings(text)
        if not handlings and lists:
            m = _HANDLING_DATES_RE.match(text)
            if m:
                body = m["body"].strip(" ,")
                for date in DATE_RE.finditer(m["dates"]):
                    handlings.append(Handling(body=body, date=parse_fi_date(date.group(0))))
        for h in handlings:
            if h not in found:
                found.append(h)
    return found


def whole_handling(text: str) -> list[Handling]:
    """Handlings when ``text`` is nothing but handling references (a header row)."""
    text = clean_text(text)
    hs = parse_handlings(text)
    if not hs:
        return []
    rest = text
    for rx in (r"\d{1,2}\.\d{1,2}\.\d{4}", r"§\s*\d+|\d+\s*§"):
        rest = re.sub(rx, " ", rest)
    for h in hs:
        rest = rest.replace(h.body, " ", 1)
    return hs if not re.search(r"\w{3,}", rest) else []

