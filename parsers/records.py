"""Typed records that every parser returns.

Parsers are pure: bytes in, these records out. The HTML and the PDF parser of an
agenda item return the same ``ItemRecord`` so that the harvester can compare them
field by field and store either without caring where it came from.

A field that a parser could not find stays ``None`` (or an empty list) and its name
is added to ``warnings``: malformed input is recorded, never raised (feedparser's
``bozo`` habit).
"""

from __future__ import annotations

import enum
import functools
import types
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Self, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")

#: Fields whose absence is worth a warning on every item page.
REQUIRED_FIELDS = (
    "section",
    "case_number",
    "title",
    "body",
    "meeting_date",
    "document_type",
    "proposal",
)


class PageStructure(enum.StrEnum):
    """What a parser made of a page as a whole: a decision the scraper acts on, so a
    typed field and not a warning's wording (the warnings still say it for people)."""

    FOUND = "found"  # the page's structure was read
    EMPTY = "empty"  # nothing to read: no bytes, or no document in them
    UNKNOWN_TEMPLATE = "unknown_template"  # a page, but of no Dynasty template we know
    PARSER_ERROR = "parser_error"  # the parser failed; the guard gave an empty record

    @property
    def lost(self) -> bool:
        """No usable structure: a stored record must not be replaced by this one."""
        return self in (PageStructure.EMPTY, PageStructure.UNKNOWN_TEMPLATE)


class Record:
    """What every parser returns: a dataclass with a ``warnings`` list for people.

    ``to_dict`` is JSON-ready with every key present; ``from_dict`` is its inverse (a
    record read back from the parse cache equals the one written, see
    :func:`record_from_dict`); ``warn`` records a problem without raising.
    """

    warnings: list[str]
    structure: PageStructure

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with every key present (``None`` where not found)."""
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The inverse of :meth:`to_dict`."""
        return record_from_dict(cls, data)

    def warn(self, message: str) -> None:
        """Record a problem without raising; duplicates are kept out."""
        if message not in self.warnings:
            self.warnings.append(message)


@dataclass
class Person:
    """A preparer (valmistelija) or contact person of an item."""

    name: str
    title: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass
class Proposer:
    """Who makes the decision proposal (esittelijä), e.g. ``Kaupunginjohtaja Jukka Mäkelä``.

    ``name`` is ``None`` when the page names the proposer by title only (Dynasty 10's
    ``<span>Kaupunginjohtaja</span><span>… päättää …</span>``): a title is not a name.
    """

    name: str | None = None
    title: str | None = None


@dataclass
class Attachment:
    """A liite: its title as shown on the page and an absolute URL when one is linked."""

    title: str
    url: str | None = None


@dataclass
class Handling:
    """An earlier handling of the same case, e.g. ``Kaupunginhallitus 105 § 10.4.2017``,
    with the texts the decision history prints under it.

    The texts are that handling's own (its proposal, the discussion with its votes, its
    decision: ``Asia jätettiin pöydälle``, ``palautettiin uudelleen valmisteltavaksi``),
    never the current item's; for a contested case they are the story. A handling named
    only in a header line (``Kaupunginhallitus 61 § 18.2.2019``) has no texts.
    """

    body: str
    section: str | None = None
    date: str | None = None  # ISO 8601
    proposer: Proposer | None = None
    proposal: str | None = None
    decision: str | None = None
    discussion: str | None = None

    def same_handling(self, other: Handling) -> bool:
        """The same meeting's handling: body, § and date agree (texts may differ)."""
        return (self.body, self.section, self.date) == (other.body, other.section, other.date)

    @property
    def has_texts(self) -> bool:
        return any((self.proposer, self.proposal, self.decision, self.discussion))


def add_handling(handlings: list[Handling], new: Handling) -> Handling:
    """Append ``new`` unless the same handling is listed; returns the one in the list
    (the earlier entry gains the texts it lacked)."""
    for h in handlings:
        if h.same_handling(new):
            for name in ("proposer", "proposal", "decision", "discussion"):
                if getattr(h, name) is None:
                    setattr(h, name, getattr(new, name))
            return h
    handlings.append(new)
    return new


@dataclass
class ItemRecord(Record):
    """One agenda item (asia / pykälä) of one meeting document."""

    source_format: str = "html"  # "html" or "pdf"
    section: str | None = None  # "127" for § 127; on agendas the Asianro item number
    case_number: str | None = None  # normalised "730/2017"
    case_number_raw: str | None = None  # as printed, e.g. "7248/13.01/2017"
    task_class: str | None = None  # tehtäväluokka, e.g. "00.01.01.00"
    title: str | None = None
    body: str | None = None  # toimielin
    meeting_date: str | None = None  # ISO 8601 date
    document_type: str | None = None  # "agenda" (esityslista) or "minutes" (pöytäkirja)
    preparers: list[Person] = field(default_factory=list)
    contact_pattern: str | None = None  # e.g. "etunimi.sukunimi@esimerkkila.fi"
    proposer: Proposer | None = None
    proposal: str | None = None  # päätösehdotus
    decision: str | None = None  # päätös
    discussion: str | None = None  # käsittely
    background: str | None = None  # selostus / esittelyteksti / perustelut
    for_information: str | None = None  # tiedoksi
    supplementary: str | None = None  # oheismateriaali
    appeal: str | None = None  # muutoksenhaku
    attachments: list[Attachment] = field(default_factory=list)
    previous_handlings: list[Handling] = field(default_factory=list)
    structure: PageStructure = PageStructure.FOUND
    warnings: list[str] = field(default_factory=list)

    def fill(self, name: str, value: Any, origin: str) -> None:
        """Use ``value`` for an empty field, noting where it came from (``from pdf: title``)."""
        if getattr(self, name) in (None, "", []) and value not in (None, "", []):
            setattr(self, name, value)
            self.warnings = [w for w in self.warnings if w != f"missing: {name}"]
            self.warn(f"from {origin}: {name}")

    def warn_missing(self, fields: tuple[str, ...] = REQUIRED_FIELDS) -> None:
        """Name every expected field that stayed empty in ``warnings``.

        An agenda has no decision of its own, so ``decision`` is only expected on
        minutes.
        """
        expected = list(fields)
        if self.document_type == "minutes":
            expected.append("decision")
        for name in expected:
            if getattr(self, name) in (None, "", []):
                self.warn(f"missing: {name}")


@dataclass
class OfficialDecisionRecord(Record):
    """A viranhaltijapäätös: a decision an official makes alone, outside any meeting."""

    official_title: str | None = None  # e.g. "Talousjohtaja"
    official_name: str | None = None
    decision_date: str | None = None  # ISO 8601
    section: str | None = None
    case_number: str | None = None
    case_number_raw: str | None = None
    task_class: str | None = None
    title: str | None = None
    decision: str | None = None
    structure: PageStructure = PageStructure.FOUND
    warnings: list[str] = field(default_factory=list)


# --- meeting pages and lists (``<docid>.HTM``, ``TELIN-<id>.HTM``, ``TELIMET.HTM``) ---


@dataclass
class ItemAppeal:
    """An appeal instruction (muutoksenhakuohje) that applies to one item."""

    title: str
    url: str | None = None
    part: str | None = None  # "kohta 3" when it covers only part of the decision


@dataclass
class MeetingItem:
    """One row of a meeting page's item list."""

    section: str | None = None  # "127" for § 127; on agendas the item number (Asianro)
    title: str | None = None
    url: str | None = None  # absolute when the page's URL is known
    dynasty_id: str | None = None  # "2023500101-3"
    has_attachments: bool = False  # the row shows Dynasty's attachment icon
    appeals: list[ItemAppeal] = field(default_factory=list)


@dataclass
class AppealInstruction:
    """A row of the meeting page's ``Muutoksenhakuohjeet`` table."""

    title: str
    url: str | None = None
    sections_raw: str = ""  # as printed: "43, 44 kohdat 1-3, 47-48, 50"
    sections: list[str] = field(default_factory=list)  # ["43", "44", "47", "48", "50"]
    parts: dict[str, str] = field(default_factory=dict)  # {"44": "kohdat 1-3"}


@dataclass
class Attendee:
    """A person present at (or absent from) a meeting, as listed on its minutes page."""

    name: str
    role: str | None = None  # "puheenjohtaja", "kaupunginjohtaja, esittelijä"
    note: str | None = None  # "saapui klo 18.12 § 43 käsittelyn aikana"
    group: str | None = None  # "members", "deputies", "others" or "absent"


@dataclass
class MeetingRecord(Record):
    """A meeting document's page (``page=meeting&id=`` / ``/kokous/<docid>.HTM``)."""

    dynasty_id: str | None = None  # document id, "2017406946"
    body: str | None = None
    meeting_date: str | None = None  # ISO 8601
    time: str | None = None  # "15:30"
    end_time: str | None = None  # "17:48" when the page prints one
    place: str | None = None
    document_type: str | None = None  # "agenda" or "minutes"
    status: str | None = None  # e.g. "Tarkastettu"
    pdf_url: str | None = None  # the whole document as one PDF
    items: list[MeetingItem] = field(default_factory=list)
    appeals: list[AppealInstruction] = field(default_factory=list)
    attendees: list[Attendee] = field(default_factory=list)
    structure: PageStructure = PageStructure.FOUND
    #: the document whose items the page shows when it is not the page's own (a
    #: stateful server answered with another meeting's page); ``None`` when it is
    other_document: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class BodyEntry:
    """A body (toimielin) on the body list, with its latest document when shown."""

    name: str
    dynasty_id: str | None = None  # "217668" of TELIN-217668.HTM / page=meetings&id=
    url: str | None = None  # its meeting list
    latest_date: str | None = None  # ISO 8601
    latest_document_type: str | None = None  # "agenda" or "minutes"
    latest_doc_id: str | None = None
    latest_url: str | None = None


@dataclass
class BodyListRecord(Record):
    """``TELIMET.HTM``, ``page=meeting_frames`` or ``page=meeting_handlers``."""

    title: str | None = None  # the municipality, e.g. "Espoon kaupunki"
    bodies: list[BodyEntry] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)  # RSS addresses the page shows
    frames: list[str] = field(default_factory=list)  # frame sources of a frameset page
    structure: PageStructure = PageStructure.FOUND
    warnings: list[str] = field(default_factory=list)


@dataclass
class MeetingListEntry:
    """One document on a body's meeting list."""

    meeting_date: str | None = None  # ISO 8601
    document_type: str | None = None  # "agenda" or "minutes"
    label: str | None = None  # as printed: "Pöytäkirja", "Esityslista"
    dynasty_id: str | None = None  # document id, "2017406946"
    url: str | None = None


@dataclass
class MeetingListRecord(Record):
    """A body's meeting list (``TELIN-<id>.HTM`` / ``page=meetings&id=``)."""

    body: str | None = None
    body_id: str | None = None  # Dynasty's id of the body
    meetings: list[MeetingListEntry] = field(default_factory=list)
    structure: PageStructure = PageStructure.FOUND
    warnings: list[str] = field(default_factory=list)


# --- facts of a handling (parsers.facts): outcome, votes, money, word diff ---


#: the outcome classes of a handling (``unknown`` when the wording is not one we know)
OUTCOMES = ("as_proposed", "amended", "after_vote", "tabled", "returned", "removed",
            "noted", "unknown")


@dataclass
class Outcome:
    """How a handling ended, read from ``sentence`` in ``field``."""

    kind: str  # one of OUTCOMES
    sentence: str | None = None
    field: str | None = None  # "decision", "discussion" or "proposal"
    voted: bool = False  # a vote was held during the handling


@dataclass
class PersonRef:
    """A person named in the prose: ``name`` in base form, ``raw`` as printed
    (``Noora Ahosen`` → ``Noora Ahonen``). ``candidates`` are other base forms the
    inflected form allows (consonant gradation), for matching the attendees."""

    name: str
    raw: str
    candidates: list[str] = field(default_factory=list)


@dataclass
class Motion:
    """A counter-proposal (vastaehdotus) or other motion made in the discussion."""

    proposer: PersonRef | None
    seconders: list[PersonRef] = field(default_factory=list)
    kind: str = "counter"  # "counter", "amendment", "addition", "tabling", "return", "rejection"
    text: str | None = None  # what was proposed, when the sentence says (``…, että …``)
    lapsed: bool = False  # raukesi kannattamattomana
    sentence: str = ""


@dataclass
class Vote:
    """One vote (äänestys) and its result."""

    yes: int | None = None
    no: int | None = None
    blank: int | None = None
    absent: int | None = None
    names: dict[str, list[PersonRef]] = field(default_factory=dict)  # side → people
    subject: str | None = None  # what was voted on, as printed
    winner: str | None = None  # "proposal", "counter", "yes", "no" or None when not said
    sentence: str = ""


@dataclass
class PersonAct:
    """A dissent (eriävä mielipide) or a recusal / departure (esteellinen, poistui)."""

    kind: str  # "dissent", "recusal", "left"
    person: PersonRef
    sentence: str = ""


@dataclass
class Amount:
    """A euro amount: ``cents`` is exact; ``raw`` is the text it was read from."""

    cents: int
    raw: str
    field: str
    sentence: str
    per: str | None = None  # "year", "month", "week", "day", "person"
    years: str | None = None  # "2025–2027" or "2025" when the sentence names them
    recipient: str | None = None  # an association, company or foundation, base form

    @property
    def euros(self) -> float:
        return self.cents / 100


@dataclass
class DiffOp:
    """One step of the word-level difference from proposal to decision."""

    op: str  # "equal", "insert", "delete"
    text: str


@dataclass
class HandlingFacts:
    """Everything read from one handling's texts."""

    outcome: Outcome | None = None  # None: nothing decided yet (an agenda)
    effective_decision: str | None = None
    departed_from_proposal: bool | None = None
    diff: list[DiffOp] = field(default_factory=list)
    motions: list[Motion] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    acts: list[PersonAct] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for amount, out in zip(self.amounts, data["amounts"], strict=True):
            out["euros"] = amount.euros
        return data


# --- from_dict: the inverse of to_dict, so that a cached record round-trips exactly ---


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    """Resolved annotations of a record's fields (they are strings under
    ``from __future__ import annotations``); computed once per class."""
    hints = get_type_hints(cls)
    return {f.name: hints[f.name] for f in fields(cls)}


def _value(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [a for a in get_args(hint) if a is not type(None)]
        return _value(inner, value)
    if origin is list:
        if not isinstance(value, list):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        (inner,) = get_args(hint)
        return [_value(inner, v) for v in value]
    if origin is dict:
        if not isinstance(value, dict):
            raise TypeError(f"expected a dict, got {type(value).__name__}")
        key_type, value_type = get_args(hint)
        return {_value(key_type, k): _value(value_type, v) for k, v in value.items()}
    if is_dataclass(hint):
        return record_from_dict(hint, value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint in (str, int, float, bool) and type(value) is not hint:
        raise TypeError(f"expected {hint.__name__}, got {type(value).__name__}")
    return value


def record_from_dict(cls: type[T], data: Any) -> T:
    """Build ``cls`` (any record dataclass here) from what its ``to_dict`` returned.

    Strict on purpose: an unknown key or a value of the wrong type raises
    ``TypeError``, so a damaged cache entry is noticed (and treated as a miss) instead
    of landing in the database. Keys left out take the field's default.
    """
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__}: expected a dict, got {type(data).__name__}")
    types_ = _field_types(cls)
    unknown = set(data) - set(types_)
    if unknown:
        raise TypeError(f"{cls.__name__}: unknown keys {sorted(unknown)}")
    return cls(**{name: _value(types_[name], v) for name, v in data.items()})


# --- feeds (``page=rss/...``) and whole-minutes PDFs ----------------------------------


@dataclass
class FeedEntry:
    """One feed item, reduced to what the harvester needs to decide and to fetch."""

    link: str
    dynasty_id: str | None  # "2017406946-3" (item) or "2017406946" (meeting document)
    page: str | None  # "meetingitem", "meeting", ...
    raw_title: str
    body: str | None
    meeting_date: str | None
    subject: str | None
    description: str | None
    #: of a meetings feed's entry: "agenda" or "minutes" (its subject names the document)
    document_type: str | None = None


@dataclass
class FeedRecord(Record):
    """A Dynasty RSS feed: its title and its entries."""

    title: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    structure: PageStructure = PageStructure.FOUND
    warnings: list[str] = field(default_factory=list)


@dataclass
class MinutesRecord(Record):
    """A whole agenda or minutes PDF split into its items (one record per ``§``)."""

    items: list[ItemRecord] = field(default_factory=list)
    structure: PageStructure = PageStructure.FOUND
    warnings: list[str] = field(default_factory=list)
