"""Reading the search form: every parameter checked, every problem a Finnish sentence.

Bad input never raises: :func:`read_search` returns the form with what could be used
and a list of messages for the page, so ``?alku=32.13.2025`` gives "Alkupäivä ... ei
ole päivämäärä" and no filter, never a 500 or a silently ignored bound.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

#: longest query kept (words beyond it are dropped, with a message)
MAX_QUERY = 500
#: results per page and the deepest page offered
PAGE_SIZE = 20
MAX_PAGE = 50
#: ``tyyppi`` values → stored document types
KINDS = {"esityslista": "agenda", "poytakirja": "minutes", "pöytäkirja": "minutes",
         "viranhaltijapaatos": "official", "viranhaltijapäätös": "official"}
_FI_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SPACE_RE = re.compile(r"\s+")


def parse_date(text: str) -> dt.date | None:
    """``1.1.2025``, ``01.01.2025`` or ``2025-01-01`` → a date; ``None`` otherwise."""
    text = text.strip()
    m = _FI_DATE_RE.match(text)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _ISO_DATE_RE.match(text)
        if not m:
            return None
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _arg(args: Any, name: str) -> str:
    value = args.get(name) if args is not None else None
    return value if isinstance(value, str) else ""


@dataclass
class SearchForm:
    """What the search form asked, as far as it could be understood."""

    q: str = ""
    source_id: str = ""  # kunta
    body_id: int | None = None  # toimielin (bodies.id)
    start: dt.date | None = None
    end: dt.date | None = None
    kind: str = ""  # agenda / minutes / official / "" = all
    attachments: bool = False
    page: int = 1
    errors: list[str] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)  # what was typed, for the form

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    def query_args(self, **changes: Any) -> dict[str, str]:
        """The form's parameters as typed (for links to other pages of the same search)."""
        args = {k: v for k, v in self.raw.items() if v}
        for key, value in changes.items():
            if value in (None, ""):
                args.pop(key, None)
            else:
                args[key] = str(value)
        return args


def read_search(args: Any, sources: set[str], bodies: dict[int, str]) -> SearchForm:
    """Parse ``/haku``'s parameters; ``sources``: known source ids, ``bodies``: body id →
    source id."""
    form = SearchForm()
    for name in ("q", "kunta", "toimielin", "alku", "loppu", "tyyppi", "liitteet", "sivu"):
        form.raw[name] = _arg(args, name)[:MAX_QUERY * 2]
    q = _SPACE_RE.sub(" ", _arg(args, "q")).strip()
    if len(q) > MAX_QUERY:
        form.errors.append(f"Hakulause on liian pitkä: vain sen {MAX_QUERY} ensimmäistä "
                           "merkkiä käytettiin.")
        q = q[:MAX_QUERY]
    form.q = q
    form.raw["q"] = q

    kunta = form.raw["kunta"].strip()
    if kunta:
        if kunta in sources:
            form.source_id = kunta
        else:
            form.errors.append("Tuntematon kunta: haku tehtiin kaikista kunnista.")
    body = form.raw["toimielin"].strip()
    if body:
        body_id = int(body) if body.isdigit() and len(body) < 12 else None
        if body_id is None or body_id not in bodies:
            form.errors.append("Tuntematon toimielin: haku tehtiin kaikista toimielimistä.")
        elif form.source_id and bodies[body_id] != form.source_id:
            form.errors.append("Valittu toimielin ei kuulu valittuun kuntaan: "
                               "haku tehtiin kunnan kaikista toimielimistä.")
        else:
            form.body_id = body_id
            form.source_id = form.source_id or bodies[body_id]

    for name, label, attr in (("alku", "Alkupäivä", "start"), ("loppu", "Loppupäivä", "end")):
        text = form.raw[name].strip()
        if not text:
            continue
        value = parse_date(text)
        if value is None:
            form.errors.append(f"{label} ”{text[:40]}” ei ole päivämäärä: kirjoita se "
                               "muodossa 1.1.2025 tai 2025-01-01. Rajausta ei käytetty.")
        else:
            setattr(form, attr, value)
    if form.start and form.end and form.start > form.end:
        form.errors.append("Alkupäivä on loppupäivän jälkeen: päivät vaihdettiin keskenään.")
        form.start, form.end = form.end, form.start

    kind = form.raw["tyyppi"].strip().casefold()
    if kind:
        if kind in KINDS:
            form.kind = KINDS[kind]
        else:
            form.errors.append("Tuntematon asiakirjatyyppi: haku tehtiin kaikista "
                               "(esityslista, pöytäkirja, viranhaltijapäätös).")
    form.attachments = form.raw["liitteet"].strip() in ("1", "on", "kylla", "kyllä")

    page = form.raw["sivu"].strip()
    if page:
        if page.isdigit() and 1 <= int(page[:6]) <= MAX_PAGE:
            form.page = int(page)
        else:
            form.errors.append(f"Sivunumero ”{page[:20]}” ei kelpaa: näytetään sivu 1 "
                               f"(sivuja on enintään {MAX_PAGE}).")
    return form
