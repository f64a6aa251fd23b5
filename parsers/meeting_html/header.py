"""A Dynasty meeting page's header fields: document type, date, times, status, place.

The label above the data area (``Kaupunginhallitus`` / ``Pöytäkirja 14.06.2023 klo
18:00 / Tarkastettu``) gives the body, the document type, the date, the start (and
sometimes end) time and the status; the ``Kokoustiedot`` table, where printed, adds
``Kokousaika`` and ``Kokouspaikka``. The label comes first; the table fills what it
left open (and the end time), and a differing date is a warning, not an override.
"""

from __future__ import annotations

import re

from parsers.records import MeetingRecord
from parsers.text.vocabulary import clean_text, document_type_of, parse_fi_date

__all__ = ["LABEL_RE", "WHEN_RE", "hhmm", "norm_head", "read_detail_row", "read_label"]

_TIME = r"\d{1,2}[:.]\d{2}"
#: ``Pöytäkirja 14.06.2023 klo 18:00 / Tarkastettu``, ``Esityslista 03.02.2025 klo 16:00``,
#: ``Esityslista 23.09.2026 klo 17:00 -  Kaupunginhallituksen kokoushuone`` (Dynasty 10)
LABEL_RE = re.compile(
    r"(?P<kind>Pöytäkirja|Esityslista|Kokouskutsu|Protokoll|Föredragningslista)\s+"
    r"(?P<date>\d{1,2}\.\d{1,2}\.\d{4})"
    rf"(?:\s*(?:klo|kl\.?|kello)?\s*(?P<time>{_TIME})(?:\s*[-–]\s*(?P<end>{_TIME})(?!\d))?)?"
    r"(?:\s*[-–,]\s*(?P<place>[^/\s][^/]{1,120}?))?"
    r"(?:\s*/\s*(?P<status>[^/]{2,60}))?\s*$",
    re.I,
)
WHEN_RE = re.compile(
    rf"(?:(?P<date>\d{{1,2}}\.\d{{1,2}}\.\d{{4}})\s*)?(?:klo|kl\.?|kello)?\s*(?P<time>{_TIME})"
    rf"(?:\s*[-–]\s*(?:klo\s*)?(?P<end>{_TIME}))?",
    re.I,
)
_TIME_LABELS = ("kokousaika", "aika", "tid", "sammanträdestid", "mötestid")
_PLACE_LABELS = ("kokouspaikka", "paikka", "plats", "sammanträdesplats", "mötesplats")


def norm_head(text: str) -> str:
    """A heading or row label as compared with the known ones: trimmed, no colon, casefolded."""
    return clean_text(text).strip(" :").casefold()


def hhmm(text: str | None) -> str | None:
    """``18.05`` / ``9:30`` as ``HH:MM``; None when it is no time of day (``25.10``)."""
    if not text:
        return None
    hours, minutes = re.split(r"[:.]", text)
    if int(hours) > 24 or int(minutes) > 59:
        return None
    return f"{int(hours):02d}:{minutes}"


def read_label(rec: MeetingRecord, lines: list[str]) -> None:
    """The label's document type, date, times, status and body (the line before, if none)."""
    for i, line in enumerate(lines):
        m = LABEL_RE.search(line)
        if not m:
            continue
        rec.document_type = document_type_of(m["kind"])
        rec.meeting_date = parse_fi_date(m["date"])
        rec.time = hhmm(m["time"])
        rec.end_time = hhmm(m["end"])
        status = clean_text(m["status"] or "")
        rec.status = status or None
        # Dynasty 10: ``Esityslista 23.09.2026 klo 17:00 -  Kaupunginhallituksen kokoushuone``
        place = clean_text(m["place"] or "").strip(" -–,")
        if place and m["time"]:
            rec.place = place
        before = clean_text(line[: m.start()]).strip(" /-–|")
        if before:
            rec.body = before
        elif i > 0:
            rec.body = lines[i - 1]
        return
    rec.warn("no meeting label (document type and date) found")
    if lines:
        rec.body = lines[0]


def read_detail_row(rec: MeetingRecord, cells: list[str]) -> bool:
    """``Kokousaika | 03.02.2025 klo 16:00–17:48`` and ``Kokouspaikka | …``; True if read."""
    if len(cells) == 1:
        head, sep, value = cells[0].partition(":")
        if not sep:
            return False
        cells = [head, value]
    head = norm_head(cells[0])
    value = clean_text(" ".join(cells[1:]))
    if not value:
        return False
    if head in _TIME_LABELS:
        m = WHEN_RE.search(value)
        if m:
            if m["date"]:
                date = parse_fi_date(m["date"])
                if rec.meeting_date and date and date != rec.meeting_date:
                    rec.warn(f"meeting time's date {date} differs from the label's")
                rec.meeting_date = rec.meeting_date or date
            rec.time = rec.time or hhmm(m["time"])
            rec.end_time = hhmm(m["end"]) or rec.end_time
        else:
            rec.warn("meeting time not understood")
        return True
    if head in _PLACE_LABELS:
        rec.place = value
        return True
    return False
