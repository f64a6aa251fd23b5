"""Sections of a Dynasty item page → the fields of its ``ItemRecord``.

Unheaded text after the title starts with the preparers when it looks like people;
``Esitys`` beside a ``Päätösehdotus`` is background; attendance notes in a decision go
to ``discussion``; attachments are kept once each. The rules are described in
``parsers.item_html.parse``.
"""

from __future__ import annotations

import re

from parsers.html.blocks import resolve_url
from parsers.item_html.header import BODY_NAME_RE, HeaderReader
from parsers.item_html.paras import MARKER_CELL_RE, Para, Section, join_paras
from parsers.records import Attachment, Handling, Person, Proposer, add_handling
from parsers.text.vocabulary import (
    EMAIL_RE,
    PLACEHOLDER_RE,
    classify_heading_strict,
    clean_text,
    find_contact_pattern,
    looks_like_official_title,
    looks_like_person,
    merge_people,
    parse_people,
    parse_proposer,
)

_LEADING_NUMBER_RE = re.compile(r"^\d{1,3}[.)]?\s+(?=\S)")
ATTENDANCE_RE = re.compile(
    r"\b(?:palasi|palasivat|saapui|saapuivat|poistui|poistuivat|liittyi|liittyivät)\b"
    r"[^.]{0,100}\b(?:kokoukseen|kokouksesta|kokoushuoneesta|kokoustilasta|kokoukseen)\b|"
    r"\besteellis(?:enä|inä)\b|\bjäävi(?:nä|ksi)\b",
    re.I,
)
#: A note in parentheses on its own line, under an attachment's title.
_NOTE_RE = re.compile(r"^\([^()]{1,200}\)\.?$")
_ATTACHMENT_PREFIX_RE = re.compile(r"^(?:(?:Liite|Bilaga)\s*)?\d{1,3}[.):]?\s+", re.I)
_UNIT_LINE_RE = re.compile(r"^[A-ZÅÄÖ][^\d:;!?]{2,80}$")
_NOT_TEXT_FIELDS = ("preparers", "proposer", "attachments", "history")


class SectionReader(HeaderReader):
    """The item parser's sections → record fields; a base class of ``_ItemParser``."""

    url: str | None
    sections: list[Section]
    seen_heading: bool

    # -- sections → fields --

    def finish(self) -> None:
        rec = self.rec
        rec.section = self.label_section or self.content_section or self.content_item
        if self.label_section and self.content_section and \
                self.label_section != self.content_section:
            rec.warn(f"section mismatch: label {self.label_section}, page § {self.content_section}")
        if self.pending_case and not rec.case_number:
            self.set_case(self.pending_case.rstrip("/"))
            if not rec.case_number:
                rec.case_number_raw = self.pending_case
                rec.warn("case number without year")

        own = [s for s in self.sections if not s.history]
        background: list[Para] = []
        fields_paras: dict[str, list[Para]] = {}
        attachments: list[Attachment] = []
        notes: list[Para] = []
        has_real_proposal = any(
            s.field == "proposal" and s.heading.lower() not in ("esitys",) for s in own)

        for sec in own:
            paras = [p for p in sec.paras if p.text and not PLACEHOLDER_RE.match(p.text)]
            f = sec.field
            if f == "preamble":
                rest = self.read_people(paras, require_first=True)
                background.extend(rest)
            elif f == "unheaded":
                background.extend(paras)
            elif f == "preparers":
                background.extend(self.read_people(paras, require_first=False))
            elif f == "proposer":
                if paras and rec.proposer is None:
                    first = paras[0].text.split("\n")[0]
                    # ``Esittelijä: Kaupunginhallitus`` (a council's items): a body proposes
                    found = proposer_of(first) or (
                        Proposer(name=None, title=clean_text(first)) if BODY_NAME_RE.match(
                            clean_text(first)) else None)
                    if found:
                        rec.proposer = found
                        rest_lines = paras[0].text.split("\n")[1:]
                        paras = ([Para("\n".join(rest_lines))] if rest_lines else []) + paras[1:]
                background.extend(paras)
            elif f == "attachments":
                attachments.extend(self.read_attachments(paras))
            elif f == "proposal" and has_real_proposal and sec.heading.lower() == "esitys":
                if paras:
                    background.append(Para(sec.heading))
                    background.extend(paras)
            elif f == "proposal":
                if classify_heading_strict(sec.heading) is None:
                    # no heading but the proposer's words (Dynasty 10's title span)
                    rec.proposer = rec.proposer or proposer_of(sec.heading)
                if paras and not paras[0].cells:
                    first, _, more = paras[0].text.partition("\n")
                    found = proposer_of(first)
                    if found:  # the proposer's line
                        rec.proposer = rec.proposer or found
                        paras = ([Para(more)] if more else []) + paras[1:]
                fields_paras.setdefault("proposal", []).extend(paras)
            elif f == "decision":
                kept = []
                for p in paras:
                    if len(p.text) < 300 and ATTENDANCE_RE.search(p.text):
                        notes.append(p)
                    else:
                        kept.append(p)
                if not kept:
                    kept, notes = notes, []
                fields_paras.setdefault("decision", []).extend(kept)
            elif f == "background":
                background.extend(paras)
            elif f not in _NOT_TEXT_FIELDS:
                fields_paras.setdefault(f, []).extend(paras)

        if notes:
            fields_paras.setdefault("discussion", []).extend(notes)
        for name in ("proposal", "decision", "discussion", "for_information", "supplementary",
                     "appeal"):
            if name in fields_paras:
                setattr(rec, name, join_paras(fields_paras[name]))
        rec.background = join_paras(background)
        rec.preparers = merge_people(rec.preparers)
        if rec.document_type == "agenda" and rec.decision:
            rec.warn("agenda page has a decision section; ignored")
            rec.decision = None
        rec.attachments = _merge_attachments(attachments)
        _history_texts([s for s in self.sections if s.history and s.handling is not None])
        out: list[Handling] = []
        for h in self.handlings:
            add_handling(out, h)
        rec.previous_handlings = out
        if not self.seen_heading and rec.title is None:
            rec.warn("unknown template: no title and no section headings found")

    def read_people(self, paras: list[Para], require_first: bool) -> list[Para]:
        """Take preparer lines from the start of ``paras``; return what is left."""
        rec = self.rec
        people: list[Person] = []
        i = 0
        while i < len(paras):
            lines = paras[i].text.split("\n")
            if paras[i].cells:
                lines = paras[i].cells
            took = False
            for line in lines:
                pattern = find_contact_pattern(line)
                if pattern:
                    rec.contact_pattern = rec.contact_pattern or pattern
                    took = True
                    # ``Name, puh. …, etunimi.sukunimi@kunta.fi``: the pattern is nobody's
                    # address, the rest of the line may still be a person
                    rest = clean_text(line.replace(pattern, "")).strip(" ,;")
                    if not rest or rest == clean_text(line):
                        continue
                    line = rest
                found = parse_people(line)
                if found and not (require_first and i == 0 and not took and len(line) > 100):
                    people.extend(found)
                    took = True
                    continue
                m = EMAIL_RE.fullmatch(line.strip())
                if m and people:
                    if people[-1].email is None:
                        people[-1].email = m.group(0)
                    took = True
                    continue
                if people and _is_unit_line(line):
                    last = people[-1]
                    last.title = f"{last.title}, {line}" if last.title else line
                    took = True
                    continue
                took = False
                break
            if not took:
                break
            i += 1
        if require_first and not people:
            return paras
        rec.preparers.extend(people)
        return paras[i:]

    def read_attachments(self, paras: list[Para]) -> list[Attachment]:
        found: list[Attachment] = []

        def note(text: str) -> bool:
            """``(salassa pidettävä)`` under an attachment belongs to it."""
            text = clean_text(text)
            if not _NOTE_RE.match(text):
                return False
            if found:
                found[-1].title = f"{found[-1].title} {text}"
            else:
                self.rec.warn(f"attachment note without an attachment: {text[:60]}")
            return True

        for p in paras:
            if not p.links and note(p.text):
                continue
            links = [(h, t) for h, t in p.links if _is_document_link(h)]
            if links:
                for href, text in links:
                    title = text or _strip_number(p.text)
                    if title:
                        found.append(Attachment(title=title, url=self.resolve(href)))
                continue
            if p.cells:
                rest = [c for c in p.cells if not MARKER_CELL_RE.match(c)]
                if rest:
                    found.append(Attachment(title=" ".join(rest)))
                continue
            for line in p.text.split("\n"):
                if MARKER_CELL_RE.match(line) or PLACEHOLDER_RE.match(line) or note(line):
                    continue
                title = _strip_number(line)
                if title:
                    found.append(Attachment(title=title))
        return found

    def resolve(self, href: str) -> str:
        return resolve_url(self.url, href)


def proposer_of(text: str | None) -> Proposer | None:
    """The proposer in ``Kaupunginjohtaja Kari Kokeilu`` or in a title alone
    (``Kaupunginjohtaja``: the name stays empty); ``None`` for anything else."""
    text = clean_text(text or "").rstrip(" :")
    if looks_like_person(text):
        return parse_proposer(text)
    if looks_like_official_title(text):
        return Proposer(name=None, title=text)
    return None


def _history_texts(sections: list[Section]) -> None:
    """Give each earlier handling the texts printed under its header in the decision
    history, by the same rules as the item's own (proposer line, attendance notes)."""
    texts: dict[int, dict[str, list[Para]]] = {}
    owners: dict[int, Handling] = {}
    for sec in sections:
        h = sec.handling
        if h is None:
            continue
        owners[id(h)] = h
        paras = [p for p in sec.paras if p.text]
        if not paras:
            continue
        bucket = texts.setdefault(id(h), {})
        if sec.field in ("proposal", "proposer") and not paras[0].cells:
            first, _, more = paras[0].text.partition("\n")
            found = proposer_of(first)
            if found:
                h.proposer = h.proposer or found
                paras = ([Para(more)] if more else []) + paras[1:]
            if sec.field == "proposal":
                bucket.setdefault("proposal", []).extend(paras)
        elif sec.field == "decision":
            for p in paras:
                name = "discussion" if len(p.text) < 300 and ATTENDANCE_RE.search(p.text) \
                    else "decision"
                bucket.setdefault(name, []).append(p)
        elif sec.field == "discussion":
            bucket.setdefault("discussion", []).extend(paras)
    for key, bucket in texts.items():
        h = owners[key]
        for name in ("proposal", "decision", "discussion"):
            if bucket.get(name):
                setattr(h, name, join_paras(bucket[name]))


def _is_unit_line(line: str) -> bool:
    line = clean_text(line)
    return bool(_UNIT_LINE_RE.match(line)) and len(line.split()) <= 6 and \
        not line.endswith(".") and not looks_like_person(line)


def _is_document_link(href: str) -> bool:
    href = href.strip().lower()
    return bool(href) and not href.startswith(("mailto:", "javascript:", "#", "tel:"))


def _strip_number(text: str) -> str:
    return _LEADING_NUMBER_RE.sub("", clean_text(text)).strip()


def _norm_title(title: str) -> str:
    """An attachment title as compared: no ``Liite 3`` / ``3.`` prefix, no note in
    parentheses, no punctuation, case folded (the navigation's linked ``Liite 1
    Katusuunnitelma`` is the text's ``1 Katusuunnitelma (kartta)``)."""
    title = _ATTACHMENT_PREFIX_RE.sub("", clean_text(title))
    bare = re.sub(r"\([^()]*\)", " ", title)
    return re.sub(r"\W+", " ", bare if bare.strip() else title).strip().casefold()


def _merge_attachments(items: list[Attachment]) -> list[Attachment]:
    """Keep each attachment once; a linked entry absorbs the same title without a link."""
    out: list[Attachment] = []
    for a in items:
        key = _norm_title(a.title)
        match = next((o for o in out if _norm_title(o.title) == key), None)
        if match is None:
            out.append(a)
        elif match.url is None and a.url:
            match.url = a.url
    return out

