"""Load ``data/demo.yaml`` into typed objects.

Every generator (HTML, PDF, RSS) and the test ground truth read the same objects, so
a fact lives in exactly one place: the YAML file. Loading also validates what the
generators rely on (cp1252-encodable text, unique ids, agenda published before
minutes) so that a broken edit fails loudly here instead of producing odd pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).parent / "data" / "demo.yaml"



@dataclass(frozen=True)
class Words:
    """The fixed words a Dynasty site prints around the data, in the site's language.

    Finnish by default; a Swedish-language municipality's pages say ``Protokoll``,
    ``Paragraf``, ``Förslag``, ``Beslut``… (:data:`SWEDISH`).
    """

    agenda: str = "Esityslista"
    minutes: str = "Pöytäkirja"
    section: str = "Pykälä"
    item_number: str = "Asianro"
    proposal: str = "Päätösehdotus"
    decision: str = "Päätös"
    discussion: str = "Käsittely"
    background: str = "Selostus"
    history: str = "Päätöshistoria"
    attachments: str = "Liitteet"
    for_information: str = "Tiedoksi"
    preparers: str = "Valmistelijat / lisätiedot"
    phone: str = "puh."
    previous: str = "Edellinen asia"
    next: str = "Seuraava asia"
    bodies: str = "Toimielimet"
    title: str = "Otsikko"
    meeting_info: str = "Kokoustiedot"
    meeting_time: str = "Kokousaika"
    meeting_place: str = "Kokouspaikka"
    members: str = "Saapuvilla olleet jäsenet"
    others: str = "Muut saapuvilla olleet"
    checked: str = "Tarkastettu"
    at: str = "klo"
    handled: str = "Käsitellyt asiat"
    to_handle: str = "Käsiteltävät asiat"
    signatures: str = "Allekirjoitukset"
    year: str = "Vuosi"
    meeting_lists: str = "Kokouslistat"
    official_decision: str = "Viranhaltijapäätös"
    language: str = "fi"


FINNISH = Words()
SWEDISH = Words(
    agenda="Föredragningslista", minutes="Protokoll", section="Paragraf",
    item_number="Ärende", proposal="Förslag", decision="Beslut", discussion="Behandling",
    background="Motivering", history="Beslutshistorik", attachments="Bilagor",
    for_information="För kännedom", preparers="Beredare", phone="tfn",
    previous="Föregående ärende", next="Nästa ärende", bodies="Organ", title="Rubrik",
    meeting_info="Mötesuppgifter", meeting_time="Mötestid", meeting_place="Mötesplats",
    members="Närvarande medlemmar",
    others="Övriga närvarande", checked="Justerat", at="kl", handled="Behandlade ärenden",
    to_handle="Ärenden", signatures="Underskrifter", year="År",
    meeting_lists="Möteslistor", official_decision="Tjänsteinnehavarbeslut", language="sv",
)
LANGUAGES = {"fi": FINNISH, "sv": SWEDISH}


# --------------------------------------------------------------------------- blocks
@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Heading:
    """A bold sub-heading inside a text section (e.g. ``Vuorovaikutus``)."""

    text: str


@dataclass(frozen=True)
class ListBlock:
    items: tuple[str, ...]
    ordered: bool = False

    def marker(self, index: int) -> str:
        return f"{index + 1}." if self.ordered else "-"


Block = Paragraph | Heading | ListBlock


def blocks_text(blocks: list[Block]) -> str | None:
    """The canonical plain text of a section, as the ground truth states it.

    Blocks are separated by a blank line; a list is one block whose items are on
    their own lines prefixed with ``-`` or ``N.``. ``None`` when there is no text.
    """
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            parts.append("\n".join(f"{block.marker(i)} {t}" for i, t in enumerate(block.items)))
        else:
            parts.append(block.text)
    return "\n\n".join(parts) if parts else None


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Person:
    name: str
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Proposer:
    name: str
    title: str | None = None

    @property
    def display(self) -> str:
        return f"{self.title} {self.name}" if self.title else self.name


@dataclass(frozen=True)
class Handling:
    body: str
    section: int
    date: dt.date


@dataclass(frozen=True)
class HistoryEntry:
    """A Päätöshistoria entry: an earlier handling with its own headings."""

    body: str
    section: int
    date: dt.date
    proposer: Proposer | None
    proposal: list[Block]
    discussion: list[Block]
    decision: list[Block]


@dataclass(frozen=True)
class AttachmentSpec:
    number: int  # k in <docid>-<n>-<k>.PDF
    title: str
    kind: str  # "report" | "slides" | "letter"
    content: dict[str, Any]


@dataclass(frozen=True)
class Body:
    id: int
    name: str
    template: str  # "espoo" | "kuopio"


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str | None
    note: str | None
    group: str  # "members" | "others"

    @property
    def display(self) -> str:
        return ", ".join(p for p in (self.name, self.role, self.note) if p)


@dataclass
class Item:
    ordinal: int  # n in <docid>-<n>
    section: int | None  # § in minutes
    case_number: str | None  # normalised "730/2024"
    task_class: str | None
    case_style: str
    title: str
    preparers: list[Person]
    proposer: Proposer | None
    background: list[Block]
    presentation: list[Block]  # "Esitys" (Kuopio template)
    proposal: list[Block]
    discussion: list[Block]
    decision: list[Block]
    previous_handlings: list[Handling]
    history: list[HistoryEntry]
    attachments: list[AttachmentSpec]
    for_information: str | None = None

    @property
    def case_number_raw(self) -> str | None:
        """The case number as printed on the page."""
        if not self.case_number:
            return None
        if self.case_style in ("combined", "split") and self.task_class:
            number, year = self.case_number.split("/")
            return f"{number}/{self.task_class}/{year}"
        return self.case_number


@dataclass
class Meeting:
    key: str
    body: Body
    date: dt.date
    time: str
    end_time: str | None
    place: str
    number: int
    items: list[Item]
    attendees: list[Attendee]
    documents: list[Document] = field(default_factory=list)


@dataclass
class Document:
    """One published Dynasty document (an agenda or minutes of one meeting)."""

    doc_id: str
    kind: str  # "agenda" | "minutes"
    published: dt.date
    meeting: Meeting
    words: Words = FINNISH

    @property
    def label(self) -> str:
        return self.words.minutes if self.is_minutes else self.words.agenda

    @property
    def is_minutes(self) -> bool:
        return self.kind == "minutes"

    def item_id(self, item: Item) -> str:
        return f"{self.doc_id}-{item.ordinal}"

    def section_label(self, item: Item) -> str:
        """``§ 127`` in minutes, ``Asianro 3`` (``Ärende 3``) in an agenda."""
        if self.is_minutes:
            return f"§ {item.section}"
        return f"{self.words.item_number} {item.ordinal}"

    def section_value(self, item: Item) -> str:
        return str(item.section) if self.is_minutes else str(item.ordinal)


@dataclass(frozen=True)
class OfficialDecision:
    id: str
    official: Proposer
    section: int
    date: dt.date
    published: dt.date
    case_number: str
    title: str
    text: list[Block]


@dataclass(frozen=True)
class Municipality:
    name: str
    short: str
    contact_pattern: str
    language: str = "fi"

    @property
    def words(self) -> Words:
        return LANGUAGES[self.language]


@dataclass
class SiteData:
    municipality: Municipality
    bodies: list[Body]
    meetings: list[Meeting]
    official_decisions: list[OfficialDecision]

    @property
    def documents(self) -> list[Document]:
        """All documents, oldest meeting first (agenda before minutes)."""
        docs = [d for m in self.meetings for d in m.documents]
        return sorted(docs, key=lambda d: (d.meeting.date, d.published, d.doc_id))

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)

    def body(self, body_id: int) -> Body | None:
        return next((b for b in self.bodies if b.id == body_id), None)


# --------------------------------------------------------------------------- parsing
def _blocks(raw: list[Any] | None) -> list[Block]:
    out: list[Block] = []
    for entry in raw or []:
        if isinstance(entry, str):
            out.append(Paragraph(" ".join(entry.split())))
        elif "h" in entry:
            out.append(Heading(entry["h"]))
        elif "ul" in entry or "ol" in entry:
            ordered = "ol" in entry
            items = tuple(" ".join(str(t).split()) for t in entry["ol" if ordered else "ul"])
            out.append(ListBlock(items, ordered))
        else:
            raise ValueError(f"unknown text block: {entry!r}")
    return out


def _proposer(raw: dict[str, Any] | None) -> Proposer | None:
    return Proposer(raw["name"], raw.get("title")) if raw else None


def _person(raw: dict[str, Any]) -> Person:
    return Person(
        name=raw["name"],
        title=raw.get("title"),
        phone=str(raw["phone"]) if raw.get("phone") else None,
        email=raw.get("email"),
        unit=raw.get("unit"),
    )


def _item(ordinal: int, raw: dict[str, Any]) -> Item:
    return Item(
        ordinal=ordinal,
        section=raw.get("section"),
        case_number=str(raw["case"]) if raw.get("case") else None,
        task_class=str(raw["task_class"]) if raw.get("task_class") else None,
        case_style=raw.get("case_style", "separate"),
        title=" ".join(raw["title"].split()),
        preparers=[_person(p) for p in raw.get("preparers", [])],
        proposer=_proposer(raw.get("proposer")),
        background=_blocks(raw.get("background")),
        presentation=_blocks(raw.get("presentation")),
        proposal=_blocks(raw.get("proposal")),
        discussion=_blocks(raw.get("discussion")),
        decision=_blocks(raw.get("decision")),
        previous_handlings=[
            Handling(h["body"], int(h["section"]), h["date"])
            for h in raw.get("previous_handlings", [])
        ],
        history=[
            HistoryEntry(
                body=h["body"],
                section=int(h["section"]),
                date=h["date"],
                proposer=_proposer(h.get("proposer")),
                proposal=_blocks(h.get("proposal")),
                discussion=_blocks(h.get("discussion")),
                decision=_blocks(h.get("decision")),
            )
            for h in raw.get("history", [])
        ],
        attachments=[
            AttachmentSpec(k, a["title"], a["kind"], a.get("content", {}))
            for k, a in enumerate(raw.get("attachments", []), start=1)
        ],
        for_information=raw.get("for_information"),
    )


def parse(raw: dict[str, Any]) -> SiteData:
    """Build ``SiteData`` from the decoded YAML mapping and validate it."""
    mun = raw["municipality"]
    municipality = Municipality(mun["name"], mun["short"], mun["contact_pattern"],
                                mun.get("language", "fi"))
    bodies = [Body(int(b["id"]), b["name"], b.get("template", "espoo")) for b in raw["bodies"]]
    by_id = {b.id: b for b in bodies}
    meetings: list[Meeting] = []
    for m in raw["meetings"]:
        attendees = [
            Attendee(a["name"], a.get("role"), a.get("note"), group)
            for group in ("members", "others")
            for a in (m.get("attendees") or {}).get(group, [])
        ]
        meeting = Meeting(
            key=m["key"],
            body=by_id[int(m["body"])],
            date=m["date"],
            time=str(m["time"]),
            end_time=str(m["end_time"]) if m.get("end_time") else None,
            place=m["place"],
            number=int(m["number"]),
            items=[_item(n, it) for n, it in enumerate(m["items"], start=1)],
            attendees=attendees,
        )
        meeting.documents = [
            Document(str(d["id"]), d["type"], d["published"], meeting, municipality.words)
            for d in m["documents"]
        ]
        meetings.append(meeting)
    decisions = [
        OfficialDecision(
            id=str(o["id"]),
            official=_proposer(o["official"]),  # type: ignore[arg-type]
            section=int(o["section"]),
            date=o["date"],
            published=o["published"],
            case_number=str(o["case"]),
            title=o["title"],
            text=_blocks(o["text"]),
        )
        for o in raw.get("official_decisions", [])
    ]
    data = SiteData(municipality, bodies, meetings, decisions)
    validate(data, raw)
    return data


def validate(data: SiteData, raw: dict[str, Any]) -> None:
    """Fail early on data the generators cannot publish faithfully."""
    ids = [d.doc_id for d in data.documents]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate document ids")
    for meeting in data.meetings:
        kinds = [d.kind for d in meeting.documents]
        if len(kinds) != len(set(kinds)):
            raise ValueError(f"{meeting.key}: two documents of the same type")
        agenda = next((d for d in meeting.documents if d.kind == "agenda"), None)
        minutes = next((d for d in meeting.documents if d.kind == "minutes"), None)
        if agenda and minutes and not agenda.published < minutes.published:
            raise ValueError(f"{meeting.key}: agenda must be published before the minutes")
        for item in meeting.items:
            if minutes and (item.section is None or not item.decision):
                raise ValueError(f"{meeting.key}/{item.title}: minutes need § and decision")
    # Item pages are windows-1252, so every string must be encodable there.
    yaml.safe_dump(raw, allow_unicode=True).encode("cp1252")


@lru_cache(maxsize=1)
def load(path: str | None = None) -> SiteData:
    """Load and cache the demo data (the file is read once per process)."""
    with open(path or DATA_FILE, encoding="utf-8") as fh:
        return parse(yaml.safe_load(fh))
